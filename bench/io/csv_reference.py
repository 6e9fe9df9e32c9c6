#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference for bench-csv: numpy.loadtxt on the same file, per file."""
import sys
import time

import numpy as np

path, repeats = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
for _ in range(repeats):
    with open(path, encoding="utf-8") as f:
        data = np.loadtxt(f, delimiter=",", skiprows=1, usecols=range(1, 434))
assert data.shape == (650, 433)
print(f"seconds: {(time.perf_counter() - start) / repeats}")
