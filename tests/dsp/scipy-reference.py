# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference for test-dsp-scipy: scipy.signal.welch and band powers of the
same input, computed independently of Ausculta's code.

Usage: scipy-reference.py SAMPLES.f32 RATE NPERSEG NOVERLAP WINDOW EDGES...
Prints the PSD (one value per bin), a line "bands", then the power of each
band [EDGES[i], EDGES[i+1]] as "%.17g" lines.
"""
import sys

import numpy as np
from scipy import signal


def band_powers(psd, bin_width, edges):
    # Cumulative power at bin boundaries (bin k spans k*df +/- df/2, cut at
    # 0 and at the last bin's centre); linear inside a bin = proportional split.
    n = len(psd)
    boundaries = np.concatenate(([0.0], (np.arange(n - 1) + 0.5) * bin_width, [(n - 1) * bin_width]))
    widths = np.diff(boundaries)
    power = psd * bin_width
    density = power / widths
    cumulative = np.concatenate(([0.0], np.cumsum(density * widths)))
    at = np.interp(edges, boundaries, cumulative)
    return np.diff(at)


def main():
    path, rate, nperseg, noverlap, window = sys.argv[1:6]
    edges = np.array([float(e) for e in sys.argv[6:]])
    x = np.fromfile(path, dtype="<f4").astype(np.float64)
    rate = float(rate)
    _, psd = signal.welch(x, fs=rate, window=window, nperseg=int(nperseg),
                          noverlap=int(noverlap), detrend=False, scaling="density",
                          average="mean")
    out = ["%.17g" % v for v in psd]
    out.append("bands")
    out += ["%.17g" % v for v in band_powers(psd, rate / int(nperseg), edges)]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
