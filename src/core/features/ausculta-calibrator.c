/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-calibrator"

#include "config.h"

#include <math.h>

#include "ausculta-calibrator.h"

#define REFERENCE_PRESSURE 20e-6   /* Pa, 0 dB SPL */
#define MIN_SECONDS        1.0
#define SILENCE_RMS_DBFS   (-80.0)

G_DEFINE_QUARK (ausculta-calibrator-error-quark, ausculta_calibrator_error)

/**
 * ausculta_calibrator_settings_init:
 * A 1 kHz calibrator at @reference_db read at @sample_rate from an input
 * whose samples are volts and whose clipping level is not known.
 */
void
ausculta_calibrator_settings_init (AuscultaCalibratorSettings *settings,
                                   double                      reference_db,
                                   double                      sample_rate)
{
  settings->reference_db = reference_db;
  settings->frequency = 1000.0;
  settings->sample_rate = sample_rate;
  settings->full_scale = 0.0;
  settings->volts_per_unit = 1.0;
}

/* The RMS pressure of a tone at @reference_db SPL (94 dB: 1.002 Pa). */
double
ausculta_calibrator_reference_pa (double reference_db)
{
  return REFERENCE_PRESSURE * pow (10.0, reference_db / 20.0);
}

static gboolean
check_settings (const AuscultaCalibratorSettings *settings,
                gsize                             n_samples,
                GError                          **error)
{
  if (fabs (settings->reference_db - 94.0) > 1e-6 && fabs (settings->reference_db - 114.0) > 1e-6)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_INVALID,
                   "calibrator level %.1f dB: expected 94 or 114 dB", settings->reference_db);
      return FALSE;
    }
  if (!(settings->sample_rate > 4.0 * settings->frequency) || !(settings->frequency > 0.0)
      || !(settings->volts_per_unit > 0.0) || settings->full_scale < 0.0)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_INVALID,
                   "calibrator settings: sample rate %g Hz, tone %g Hz, %g V per unit: expected "
                   "a rate above 4 × the tone and a positive scale",
                   settings->sample_rate, settings->frequency, settings->volts_per_unit);
      return FALSE;
    }
  if ((double) n_samples < MIN_SECONDS * settings->sample_rate)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_TOO_SHORT,
                   "calibrator capture of %.2f s: expected at least %.0f s",
                   n_samples / settings->sample_rate, MIN_SECONDS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_clipping (const AuscultaCalibratorSettings *settings,
                const float                      *samples,
                gsize                             n_samples,
                GError                          **error)
{
  gsize n_clipped = 0;

  if (settings->full_scale <= 0.0)
    return TRUE;
  for (gsize i = 0; i < n_samples; i++)
    if (fabs (samples[i]) >= 0.999 * settings->full_scale)
      n_clipped++;
  if (n_clipped == 0)
    return TRUE;
  g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_CLIPPED,
               "calibrator tone clipped: %" G_GSIZE_FORMAT " samples at full scale; "
               "lower the input gain", n_clipped);
  return FALSE;
}

/* Mean frequency from the first to the last upward zero crossing (around
 * the mean), each located by linear interpolation. 0 when fewer than 2. */
static double
estimate_frequency (const float *samples,
                    gsize        n_samples,
                    double       mean,
                    double       sample_rate)
{
  double first = -1.0, last = -1.0;
  guint n_crossings = 0;

  for (gsize i = 1; i < n_samples; i++)
    {
      double a = samples[i - 1] - mean, b = samples[i] - mean;

      if (a < 0.0 && b >= 0.0)
        {
          double t = (i - 1) + a / (a - b);

          if (n_crossings++ == 0)
            first = t;
          last = t;
        }
    }
  if (n_crossings < 2 || last <= first)
    return 0.0;
  return (n_crossings - 1) * sample_rate / (last - first);
}

/* Level of each block (dB of its RMS), spread = max - min; returns the
 * RMS of the whole capture. */
static double
block_levels (const float *samples,
              gsize        n_samples,
              double       mean,
              gsize        block,
              double      *spread_db)
{
  double total = 0.0, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  gsize n_blocks = n_samples / block;

  for (gsize b = 0; b < n_blocks; b++)
    {
      double sum = 0.0, level;

      for (gsize i = b * block; i < (b + 1) * block; i++)
        sum += (samples[i] - mean) * (samples[i] - mean);
      total += sum;
      level = 10.0 * log10 (sum / block + 1e-300);
      lo = MIN (lo, level);
      hi = MAX (hi, level);
    }
  *spread_db = hi - lo;
  return sqrt (total / (n_blocks * block));
}

static double
mean_of (const float *samples,
         gsize        n_samples)
{
  double sum = 0.0;

  for (gsize i = 0; i < n_samples; i++)
    sum += samples[i];
  return sum / n_samples;
}

/**
 * ausculta_calibrator_judge:
 * @settings: the calibrator and the input
 * @samples: (array length=n_samples): one channel, at least one second
 * @result: (out): filled when the capture is accepted
 *
 * Returns: TRUE with the sensitivity in @result, or FALSE with the reason
 *   the capture is refused.
 */
gboolean
ausculta_calibrator_judge (const AuscultaCalibratorSettings *settings,
                           const float                      *samples,
                           gsize                             n_samples,
                           AuscultaCalibration              *result,
                           GError                          **error)
{
  double mean, frequency, rms, spread, deviation, floor_rms;
  gsize block;

  if (!check_settings (settings, n_samples, error)
      || !check_clipping (settings, samples, n_samples, error))
    return FALSE;
  mean = mean_of (samples, n_samples);
  block = (gsize) MAX (1.0, round (AUSCULTA_CALIBRATOR_BLOCK_SECONDS * settings->sample_rate));
  rms = block_levels (samples, n_samples, mean, block, &spread);
  floor_rms = (settings->full_scale > 0.0 ? settings->full_scale : 1.0 / settings->volts_per_unit)
              * pow (10.0, SILENCE_RMS_DBFS / 20.0);
  frequency = estimate_frequency (samples, n_samples, mean, settings->sample_rate);
  if (rms < floor_rms || frequency <= 0.0)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_NO_SIGNAL,
                   "no calibrator tone: the capture is silent or not periodic "
                   "(RMS %.3g); is the calibrator on and the channel connected?", rms);
      return FALSE;
    }
  deviation = frequency / settings->frequency - 1.0;
  if (fabs (deviation) > AUSCULTA_CALIBRATOR_FREQUENCY_TOLERANCE)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_OFF_FREQUENCY,
                   "calibrator tone at %.1f Hz (%+.1f %%): expected %.0f Hz ± %.0f %%",
                   frequency, 100.0 * deviation, settings->frequency,
                   100.0 * AUSCULTA_CALIBRATOR_FREQUENCY_TOLERANCE);
      return FALSE;
    }
  if (spread > AUSCULTA_CALIBRATOR_MAX_SPREAD_DB)
    {
      g_set_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_UNSTEADY,
                   "calibrator level unsteady: varies by %.2f dB across %.0f ms blocks, "
                   "expected at most %.1f dB; hold the calibrator firmly on the microphone",
                   spread, 1000.0 * AUSCULTA_CALIBRATOR_BLOCK_SECONDS,
                   AUSCULTA_CALIBRATOR_MAX_SPREAD_DB);
      return FALSE;
    }
  result->frequency = frequency;
  result->rms = rms;
  result->spread_db = spread;
  result->sensitivity = 1000.0 * rms * settings->volts_per_unit
                        / ausculta_calibrator_reference_pa (settings->reference_db);
  return TRUE;
}
