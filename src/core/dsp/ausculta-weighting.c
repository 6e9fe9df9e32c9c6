/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-weighting"

#include "config.h"

#include <math.h>

#include "ausculta-weighting.h"

/* IEC 61672-1:2013 Annex E: pole frequencies (E.2, E.3) and the
 * normalisation constants that make A and C read 0 dB at 1 kHz. */
#define F1 20.598997
#define F2 107.65265
#define F3 737.86223
#define F4 12194.217
#define A1000 (-2.000)
#define C1000 (-0.062)

static double
c_weighting_db (double f)
{
  double f2 = f * f;

  return 20.0 * log10 (F4 * F4 * f2 / ((f2 + F1 * F1) * (f2 + F4 * F4))) - C1000;
}

static double
a_weighting_db (double f)
{
  double f2 = f * f;
  double denominator = (f2 + F1 * F1) * sqrt (f2 + F2 * F2) * sqrt (f2 + F3 * F3) * (f2 + F4 * F4);

  return 20.0 * log10 (F4 * F4 * f2 * f2 / denominator) - A1000;
}

/**
 * ausculta_weighting_db:
 *
 * Returns: the weighting's gain at @frequency in dB (−inf at 0 Hz for A
 *   and C; 0 everywhere for Z).
 */
double
ausculta_weighting_db (AuscultaWeighting weighting,
                       double            frequency)
{
  switch (weighting)
    {
    case AUSCULTA_WEIGHTING_A:
      return frequency > 0.0 ? a_weighting_db (frequency) : -INFINITY;
    case AUSCULTA_WEIGHTING_C:
      return frequency > 0.0 ? c_weighting_db (frequency) : -INFINITY;
    case AUSCULTA_WEIGHTING_Z:
    default:
      return 0.0;
    }
}

void
ausculta_weighting_fill_power (AuscultaWeighting  weighting,
                               double             bin_width,
                               double            *gains,
                               gsize              n_bins)
{
  for (gsize k = 0; k < n_bins; k++)
    gains[k] = pow (10.0, ausculta_weighting_db (weighting, (double) k * bin_width) / 10.0);
}

const char *
ausculta_weighting_to_string (AuscultaWeighting weighting)
{
  switch (weighting)
    {
    case AUSCULTA_WEIGHTING_A:
      return "A";
    case AUSCULTA_WEIGHTING_C:
      return "C";
    case AUSCULTA_WEIGHTING_Z:
    default:
      return "Z";
    }
}

gboolean
ausculta_weighting_from_string (const char        *text,
                                AuscultaWeighting *weighting)
{
  static const AuscultaWeighting all[] = {
    AUSCULTA_WEIGHTING_Z, AUSCULTA_WEIGHTING_A, AUSCULTA_WEIGHTING_C
  };

  g_return_val_if_fail (text != NULL && weighting != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_ascii_strcasecmp (text, ausculta_weighting_to_string (all[i])) == 0)
      {
        *weighting = all[i];
        return TRUE;
      }
  return FALSE;
}
