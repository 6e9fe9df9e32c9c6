/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-signal-health"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-measurement.h"
#include "ausculta-signal-health.h"
#include "ausculta-simd.h"

/* TRUE when the median PSD level (dB re reference/√Hz) of a power
 * spectrum lies outside the channel's range. The median is below `min`
 * exactly when more than half the bins are: counting bins against the
 * limits as powers needs no logarithm and no sort. */
static gboolean
noise_floor_abnormal (const AuscultaProfileChannel *channel,
                      const double                 *power,
                      gsize                         n_bins,
                      double                        bin_width)
{
  double per_db = channel->reference * channel->reference * bin_width;
  double low = per_db * pow (10.0, channel->noise_floor_min / 10.0);
  double high = per_db * pow (10.0, channel->noise_floor_max / 10.0);
  gsize below = 0, above = 0;

  for (gsize k = 1; k < n_bins; k++)
    {
      below += power[k] < low;
      above += power[k] > high;
    }
  return 2 * below > n_bins - 1 || 2 * above > n_bins - 1;
}

/* TRUE when 3 consecutive samples sit at the limit: a flattened peak. */
static gboolean
has_flat_peaks (const float *samples,
                gsize        n,
                double       limit)
{
  guint at_limit = 0;

  for (gsize i = 0; i < n; i++)
    {
      at_limit = fabs (samples[i]) >= limit ? at_limit + 1 : 0;
      if (at_limit >= 3)
        return TRUE;
    }
  return FALSE;
}

/* Sum, sum of squares and peak |x|, in eight independent lanes: one
 * chain of dependent additions would leave the FPU waiting on each. */
AUSCULTA_SIMD_CLONES static void
sample_moments (const float *samples,
                gsize        n,
                double      *sum,
                double      *sum2,
                double      *peak)
{
  double sums[8] = { 0.0 }, squares[8] = { 0.0 }, peaks[8] = { 0.0 };
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    for (guint j = 0; j < 8; j++)
      {
        double x = samples[i + j];

        sums[j] += x;
        squares[j] += x * x;
        peaks[j] = MAX (peaks[j], fabs (x));
      }
  for (; i < n; i++)
    {
      sums[0] += samples[i];
      squares[0] += (double) samples[i] * samples[i];
      peaks[0] = MAX (peaks[0], fabs (samples[i]));
    }
  for (guint j = 1; j < 8; j++)
    {
      sums[0] += sums[j];
      squares[0] += squares[j];
      peaks[0] = MAX (peaks[0], peaks[j]);
    }
  *sum = sums[0];
  *sum2 = squares[0];
  *peak = peaks[0];
}

void
ausculta_sample_scan (const AuscultaProfileChannel *channel,
                      const float                  *samples,
                      gsize                         n,
                      AuscultaSampleScan           *scan)
{
  double limit = 0.999 * ausculta_profile_channel_full_scale (channel);
  double sum, sum2, peak;

  memset (scan, 0, sizeof *scan);
  sample_moments (samples, n, &sum, &sum2, &peak);
  /* A NaN or infinity anywhere makes the sums non-finite: only then count. */
  if (!isfinite (sum2))
    for (gsize i = 0; i < n; i++)
      scan->n_nonfinite += !isfinite (samples[i]);
  /* Runs at full scale are looked for only when the peak reaches it. */
  scan->clipped = peak >= limit && has_flat_peaks (samples, n, limit);
  if (n > 0 && scan->n_nonfinite == 0)
    {
      scan->mean = sum / (double) n;
      scan->std = sqrt (MAX (sum2 / (double) n - scan->mean * scan->mean, 0.0));
    }
}

guint
ausculta_sample_scan_health (const AuscultaProfileChannel *channel,
                             const AuscultaSampleScan     *scan,
                             gsize                         n,
                             const double                 *power,
                             gsize                         n_bins,
                             double                        bin_width)
{
  guint health = 0;

  if (n == 0 || scan->std <= channel->dead_below)
    health |= AUSCULTA_HEALTH_DEAD_CHANNEL;
  if (scan->clipped)
    health |= AUSCULTA_HEALTH_CLIPPING;
  /* A tachometer's pulses have a mean by nature. */
  if (channel->kind != AUSCULTA_CHANNEL_TACHO
      && fabs (scan->mean) > channel->dc_offset_max * ausculta_profile_channel_full_scale (channel))
    health |= AUSCULTA_HEALTH_DC_OFFSET;
  if (power != NULL && n_bins > 1 && !(health & AUSCULTA_HEALTH_DEAD_CHANNEL)
      && noise_floor_abnormal (channel, power, n_bins, bin_width))
    health |= AUSCULTA_HEALTH_NOISE_FLOOR;
  return health;
}

guint
ausculta_feature_signal_health (const AuscultaProfileChannel *channel,
                                const float                  *samples,
                                gsize                         n,
                                const double                 *power,
                                gsize                         n_bins,
                                double                        bin_width)
{
  AuscultaSampleScan scan;

  g_return_val_if_fail (channel != NULL && (samples != NULL || n == 0), 0);

  ausculta_sample_scan (channel, samples, n, &scan);
  return ausculta_sample_scan_health (channel, &scan, n, power, n_bins, bin_width);
}
