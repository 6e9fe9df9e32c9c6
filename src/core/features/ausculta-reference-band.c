/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-reference-band"

#include "config.h"

#include <math.h>

#include "ausculta-reference-band.h"

G_DEFINE_QUARK (ausculta-reference-band-error-quark, ausculta_reference_band_error)

static guint
count_good (const AuscultaFeatureMatrix *matrix)
{
  guint n = 0;

  for (guint r = 0; r < matrix->n_rows; r++)
    if (matrix->labels[r] == AUSCULTA_LABEL_OK)
      n++;
  return n;
}

/* Welford's running mean and variance over the good rows of column @j. */
static void
column_stats (const AuscultaFeatureMatrix *matrix,
              guint                        j,
              double                      *mean,
              double                      *sd)
{
  double m = 0.0, m2 = 0.0;
  guint n = 0;

  for (guint r = 0; r < matrix->n_rows; r++)
    {
      double x = matrix->values[(gsize) r * matrix->n_features + j];
      double delta;

      if (matrix->labels[r] != AUSCULTA_LABEL_OK || !isfinite (x))
        continue;
      n++;
      delta = x - m;
      m += delta / n;
      m2 += delta * (x - m);
    }
  *mean = n > 0 ? m : NAN;
  *sd = n > 1 ? sqrt (m2 / (n - 1)) : (n == 1 ? 0.0 : NAN);
}

AuscultaReferenceBand *
ausculta_reference_band_compute (const AuscultaFeatureMatrix *matrix,
                                 double                       k,
                                 GError                     **error)
{
  AuscultaReferenceBand *band;
  guint n_good;

  g_return_val_if_fail (matrix != NULL, NULL);

  if (!isfinite (k) || k < 0.0)
    {
      g_set_error (error, AUSCULTA_REFERENCE_BAND_ERROR, AUSCULTA_REFERENCE_BAND_ERROR_INVALID,
                   "reference band: k = %g, expected a finite number ≥ 0", k);
      return NULL;
    }
  n_good = count_good (matrix);
  if (n_good < 2)
    {
      g_set_error (error, AUSCULTA_REFERENCE_BAND_ERROR, AUSCULTA_REFERENCE_BAND_ERROR_TOO_FEW,
                   "reference band: %u good-labelled unit(s), at least 2 needed", n_good);
      return NULL;
    }
  band = g_new0 (AuscultaReferenceBand, 1);
  band->n_features = matrix->n_features;
  band->feature_names = g_strdupv (matrix->feature_names);
  band->mean = g_new (double, matrix->n_features);
  band->sd = g_new (double, matrix->n_features);
  band->low = g_new (double, matrix->n_features);
  band->high = g_new (double, matrix->n_features);
  band->n_units = n_good;
  band->k = k;
  for (guint j = 0; j < matrix->n_features; j++)
    {
      column_stats (matrix, j, &band->mean[j], &band->sd[j]);
      band->low[j] = band->mean[j] - k * band->sd[j];
      band->high[j] = band->mean[j] + k * band->sd[j];
    }
  return band;
}

int
ausculta_reference_band_find (const AuscultaReferenceBand *band,
                              const char                  *name)
{
  g_return_val_if_fail (band != NULL, -1);

  for (guint j = 0; j < band->n_features; j++)
    if (g_strcmp0 (band->feature_names[j], name) == 0)
      return (int) j;
  return -1;
}

guint
ausculta_reference_band_count_violations (const AuscultaReferenceBand *band,
                                          const char * const          *names,
                                          const double                *values,
                                          guint                        n_values)
{
  guint n = 0;

  g_return_val_if_fail (band != NULL, 0);

  for (guint i = 0; i < n_values; i++)
    {
      int j = ausculta_reference_band_find (band, names[i]);

      if (j >= 0 && isfinite (values[i]) && isfinite (band->mean[j])
          && (values[i] < band->low[j] || values[i] > band->high[j]))
        n++;
    }
  return n;
}

void
ausculta_reference_band_free (AuscultaReferenceBand *band)
{
  if (band == NULL)
    return;
  g_strfreev (band->feature_names);
  g_free (band->mean);
  g_free (band->sd);
  g_free (band->low);
  g_free (band->high);
  g_free (band);
}
