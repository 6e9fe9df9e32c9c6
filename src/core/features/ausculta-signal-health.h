/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-profile.h"

G_BEGIN_DECLS

/* What one pass over a calibrated signal's samples tells about the sensor. */
typedef struct {
  gsize    n_nonfinite;
  double   mean;
  double   std;
  gboolean clipped;    /* 3 consecutive samples at full scale: a flattened peak */
} AuscultaSampleScan;

void   ausculta_sample_scan           (const AuscultaProfileChannel *channel,
                                       const float                  *samples,
                                       gsize                         n,
                                       AuscultaSampleScan           *scan);
/* The health flags (AUSCULTA_HEALTH_*) of a scanned signal of @n samples;
 * @power (n_bins, may be NULL) adds the noise-floor check. */
guint  ausculta_sample_scan_health    (const AuscultaProfileChannel *channel,
                                       const AuscultaSampleScan     *scan,
                                       gsize                         n,
                                       const double                 *power,
                                       gsize                         n_bins,
                                       double                        bin_width);

/* The health flags of one calibrated signal (dead channel, clipping, DC
 * offset, noise floor), from its statistics and its power spectrum. */
guint  ausculta_feature_signal_health (const AuscultaProfileChannel *channel,
                                       const float                  *samples,
                                       gsize                         n,
                                       const double                 *power,
                                       gsize                         n_bins,
                                       double                        bin_width);

G_END_DECLS
