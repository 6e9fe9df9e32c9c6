#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""scikit-learn side of bench-ml: the same data, the same pipeline
(StandardScaler + LocalOutlierFactor(novelty=True)), the same machine.
Usage: sklearn-bench.py TRAIN.f64 BATCH.f64 FIT.f64 N_NEIGHBORS
Prints one JSON object with seconds and peak memory."""
import json
import resource
import sys
import time

import numpy as np
from sklearn.neighbors import LocalOutlierFactor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def read(path):
    with open(path, "rb") as f:
        rows, cols = np.frombuffer(f.read(16), dtype="<u8")
        return np.frombuffer(f.read(), dtype="<f8").reshape(int(rows), int(cols)).copy()


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    train, batch, fit = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3])
    k = int(sys.argv[4])
    model = make_pipeline(StandardScaler(), LocalOutlierFactor(n_neighbors=k, novelty=True))
    model.fit(train)
    n_single = 200
    start = time.perf_counter()
    for i in range(n_single):
        model.predict(batch[i:i + 1])
    single = (time.perf_counter() - start) / n_single
    # one warm-up, then the median of 5 runs, as on the Ausculta side
    model.score_samples(batch)
    times, cpus = [], []
    for _ in range(5):
        start, cpu_start = time.perf_counter(), cpu()
        model.score_samples(batch)
        times.append(time.perf_counter() - start)
        cpus.append(cpu() - cpu_start)
    batch_time, batch_cpu = sorted(times)[2], sorted(cpus)[2]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), cpu()
    LocalOutlierFactor(n_neighbors=k, novelty=True).fit(fit)
    fit_time, fit_cpu = time.perf_counter() - start, cpu() - cpu_start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"single_s": single, "batch_s": batch_time, "fit_s": fit_time,
                      "batch_cpu_s": batch_cpu, "fit_cpu_s": fit_cpu,
                      "peak_rss_kib": rss, "rss_before_fit_kib": rss_before}))


if __name__ == "__main__":
    main()
