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

/* Writes a self-contained ALSA configuration into dir (returns its path)
 * with a capture PCM "testcap" that plays raw S16_LE stereo from infile at
 * rate, and, when jack is set, "rtcap" reading FLOAT_LE stereo paced by a
 * running JACK server (jackd -d dummy). */
char  *capture_test_write_alsa_config (const char *dir,
                                       const char *infile,
                                       int         rate,
                                       gboolean    jack);
/* Interleaved stereo test signal: a 1 kHz sine on the left, a 230 Hz one
 * on the right, plus a ramp so that every frame differs. */
gint16 *capture_test_stereo_s16       (gsize       n_frames,
                                       int         rate);
