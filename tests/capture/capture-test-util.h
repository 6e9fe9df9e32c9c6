/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* RMS of the part of a signal between f_low and f_high (Hz), from one
 * Hann-windowed FFT of the whole signal. */
double capture_test_band_rms (const float *samples,
                              gsize        n,
                              gsize        stride,
                              double       rate,
                              double       f_low,
                              double       f_high);
