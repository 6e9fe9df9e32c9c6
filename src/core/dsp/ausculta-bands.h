/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-weighting.h"

G_BEGIN_DECLS

typedef struct {
  double lower;
  double center;       /* exact mid-band frequency */
  double upper;
  char   label[16];    /* nominal: "12.5", "1k", "31.5", "G7", "V3" */
} AuscultaBand;

/* IEC 61260-1 base-10 fractional-octave bands, 1 / fraction octave
 * (fraction 1, 3, 6, 12 or 24), every band whose mid-band frequency lies
 * in [f_low, f_high] (with a 1 % tolerance, so nominal "12.5" and "20k"
 * select their bands). Returns the number of bands written (at most
 * max_bands), or 0 with @error set. */
guint  ausculta_bands_fractional_octave  (guint          fraction,
                                          double         f_low,
                                          double         f_high,
                                          AuscultaBand  *bands,
                                          guint          max_bands,
                                          GError       **error);
/* `count` contiguous bands of `width` Hz from `start` Hz, labelled
 * prefix1..prefixN. */
void   ausculta_bands_constant_width     (double         start,
                                          double         width,
                                          guint          count,
                                          const char    *prefix,
                                          AuscultaBand  *bands);
/* Orders first..first+count-1 of `shaft_rate` Hz, each `width` orders
 * wide, centred on the order, labelled prefix1..prefixN. */
void   ausculta_bands_orders             (double         shaft_rate,
                                          guint          first,
                                          guint          count,
                                          double         width,
                                          const char    *prefix,
                                          AuscultaBand  *bands);

/* Sums a per-bin power spectrum (AUSCULTA_SPECTRUM_POWER, bin k centred on
 * k·bin_width and covering ±bin_width/2) into bands, splitting the bins
 * that straddle an edge in proportion. `weights` (per-bin power gains, may
 * be NULL) applies a frequency weighting. A band beyond the last bin gets
 * NaN. Writes n_bands powers (U²). */
void   ausculta_bands_sum_power          (const AuscultaBand *bands,
                                          guint               n_bands,
                                          const double       *power,
                                          const double       *weights,
                                          gsize               n_bins,
                                          double              bin_width,
                                          double             *out);

/* The strongest line between f_low and f_high of a power spectrum, refined
 * by a parabola through the peak's log-power and its neighbours. Returns
 * NaN when the range holds no bin. */
double ausculta_bands_strongest_line     (const double *power,
                                          gsize         n_bins,
                                          double        bin_width,
                                          double        f_low,
                                          double        f_high);

G_END_DECLS
