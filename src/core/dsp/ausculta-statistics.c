/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-statistics"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-statistics.h"

/**
 * ausculta_statistics_compute:
 *
 * Mean, RMS, peak, crest factor and kurtosis of the finite samples; the
 * others are only counted. Two passes, in double, so a large DC offset
 * does not swamp the central moments.
 */
void
ausculta_statistics_compute (const float        *samples,
                             gsize               n,
                             AuscultaStatistics *statistics)
{
  double sum = 0.0, sum2 = 0.0, m2 = 0.0, m4 = 0.0, peak = 0.0;
  gsize n_finite = 0;

  memset (statistics, 0, sizeof *statistics);
  for (gsize i = 0; i < n; i++)
    {
      double x = samples[i];

      if (!isfinite (x))
        {
          statistics->n_nonfinite++;
          continue;
        }
      sum += x;
      sum2 += x * x;
      peak = MAX (peak, fabs (x));
      n_finite++;
    }
  if (n_finite == 0)
    return;

  statistics->mean = sum / (double) n_finite;
  for (gsize i = 0; i < n; i++)
    {
      double d = samples[i] - statistics->mean;

      if (!isfinite (d))
        continue;
      m2 += d * d;
      m4 += d * d * d * d;
    }
  m2 /= (double) n_finite;
  m4 /= (double) n_finite;
  statistics->rms = sqrt (sum2 / (double) n_finite);
  statistics->std = sqrt (m2);
  statistics->peak = peak;
  statistics->crest = statistics->rms > 0.0 ? peak / statistics->rms : 0.0;
  statistics->kurtosis = m2 > 0.0 ? m4 / (m2 * m2) : 0.0;
}

double
ausculta_statistics_velocity_rms (const double *acceleration_power,
                                  gsize         n_bins,
                                  double        bin_width,
                                  double        f_low,
                                  double        f_high)
{
  double sum = 0.0;

  /* Integration divides each line's amplitude by its angular frequency. */
  for (gsize k = 1; k < n_bins; k++)
    {
      double f = (double) k * bin_width;
      double omega = 2.0 * G_PI * f;

      if (f >= f_low && f <= f_high)
        sum += acceleration_power[k] / (omega * omega);
    }
  return sqrt (sum);
}

double
ausculta_statistics_pulse_rate (const float *samples,
                                gsize        n,
                                double       sample_rate)
{
  float low = G_MAXFLOAT, high = -G_MAXFLOAT;
  double middle, hysteresis;
  gsize first = 0, last = 0, pulses = 0;
  gboolean above = TRUE;

  for (gsize i = 0; i < n; i++)
    {
      low = MIN (low, samples[i]);
      high = MAX (high, samples[i]);
    }
  if (n < 2 || !(high > low))
    return NAN;
  middle = 0.5 * ((double) low + high);
  hysteresis = 0.1 * ((double) high - low);
  /* Start "above" so that a signal starting high is not a pulse. */
  for (gsize i = 0; i < n; i++)
    {
      if (above && samples[i] < middle - hysteresis)
        above = FALSE;
      else if (!above && samples[i] > middle + hysteresis)
        {
          above = TRUE;
          if (pulses++ == 0)
            first = i;
          last = i;
        }
    }
  if (pulses < 2)
    return NAN;
  return (double) (pulses - 1) * sample_rate / (double) (last - first);
}
