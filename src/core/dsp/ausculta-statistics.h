/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double mean;
  double rms;        /* of the signal as it is, mean included */
  double std;        /* of the signal around its mean */
  double peak;       /* largest |x| */
  double crest;      /* peak / rms */
  double kurtosis;   /* fourth standardised moment (3 for Gaussian noise) */
  gsize  n_nonfinite;
} AuscultaStatistics;

void   ausculta_statistics_compute     (const float        *samples,
                                        gsize               n,
                                        AuscultaStatistics *statistics);

/* ISO 10816 / 20816 broadband velocity: the RMS velocity between f_low and
 * f_high (10 and 1000 Hz for the standard) integrated from an acceleration
 * power spectrum (AUSCULTA_SPECTRUM_POWER, in (m/s²)²). Returns m/s. */
double ausculta_statistics_velocity_rms (const double      *acceleration_power,
                                         gsize              n_bins,
                                         double             bin_width,
                                         double             f_low,
                                         double             f_high);

/* Pulses per second of a tachometer signal: rising crossings of its
 * mid-level (with 10 % hysteresis), first to last. NaN under 2 pulses. */
double ausculta_statistics_pulse_rate   (const float       *samples,
                                         gsize              n,
                                         double             sample_rate);

G_END_DECLS
