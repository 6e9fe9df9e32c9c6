/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preprocess"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "ausculta-preprocess.h"

static const char * const kind_names[] = { "none", "standard", "log-standard" };

gboolean
ausculta_preprocess_kind_from_string (const char             *text,
                                      AuscultaPreprocessKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *kind = (AuscultaPreprocessKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
ausculta_preprocess_kind_to_string (AuscultaPreprocessKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

/**
 * ausculta_feature_is_linear:
 * @name: a feature name
 *
 * Vibration bands are linear amplitudes spanning decades (acoustic bands
 * are already in dB): their log is what a standard scaler should see.
 *
 * Returns: whether @name is a vibration column ("V3_vib_up", "G29vib_down").
 */
gboolean
ausculta_feature_is_linear (const char *name)
{
  return strstr (name, "vib") != NULL;
}

static double
log_value (double x)
{
  return log10 (MAX (x, AUSCULTA_LOG_FLOOR));
}

/* Mean and variance as scikit-learn's _incremental_mean_and_var computes
 * them on one batch: column sums in row order, then the corrected two-pass
 * variance. */
static void
fit_scaler (AuscultaPreprocess *pre,
            const double       *rows,
            guint               n_rows)
{
  guint d = pre->n_cols;
  g_autofree double *sum = g_new0 (double, d);
  g_autofree double *corr = g_new0 (double, d);
  g_autofree double *sq = g_new0 (double, d);

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < d; c++)
      sum[c] += rows[(gsize) r * d + c];
  for (guint c = 0; c < d; c++)
    pre->mean[c] = sum[c] / n_rows;
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < d; c++)
      {
        double t = rows[(gsize) r * d + c] - sum[c] / n_rows;

        corr[c] += t;
        sq[c] += t * t;
      }
  for (guint c = 0; c < d; c++)
    {
      double var = (sq[c] - corr[c] * corr[c] / n_rows) / n_rows;
      double scale = sqrt (var);

      pre->scale[c] = scale < 10.0 * DBL_EPSILON ? 1.0 : scale;
    }
}

void
ausculta_preprocess_fit (AuscultaPreprocess     *pre,
                         AuscultaPreprocessKind  kind,
                         const char * const     *names,
                         const double           *rows,
                         guint                   n_rows,
                         guint                   n_cols)
{
  g_autofree double *logged = NULL;

  *pre = (AuscultaPreprocess) { kind, n_cols, g_new0 (guint8, n_cols), NULL, NULL };
  if (kind == AUSCULTA_PREPROCESS_LOG_STANDARD)
    for (guint c = 0; c < n_cols; c++)
      pre->log_columns[c] = ausculta_feature_is_linear (names[c]);
  if (kind == AUSCULTA_PREPROCESS_NONE)
    return;
  pre->mean = g_new (double, n_cols);
  pre->scale = g_new (double, n_cols);
  if (kind == AUSCULTA_PREPROCESS_LOG_STANDARD)
    {
      logged = g_memdup2 (rows, sizeof (double) * n_rows * n_cols);
      for (gsize i = 0; i < (gsize) n_rows * n_cols; i++)
        if (pre->log_columns[i % n_cols])
          logged[i] = log_value (logged[i]);
      rows = logged;
    }
  fit_scaler (pre, rows, n_rows);
}

/**
 * ausculta_preprocess_weight_vibration:
 *
 * The two sensors are not equally telling: on the original bench's motors
 * the microphone separates bad units from good ones far better than the
 * accelerometer, whose 216 standardised columns then mostly add spread
 * between good units to every distance. A weight below 1 lets the
 * vibration still count (a defect seen only there is still caught) without
 * drowning the acoustic differences.
 */
void
ausculta_preprocess_weight_vibration (AuscultaPreprocess *pre,
                                      const char * const *names,
                                      double              vib_weight)
{
  g_return_if_fail (vib_weight > 0.0);

  if (pre->scale == NULL)
    return;
  for (guint c = 0; c < pre->n_cols; c++)
    if (ausculta_feature_is_linear (names[c]))
      pre->scale[c] /= vib_weight;
}

void
ausculta_preprocess_clear (AuscultaPreprocess *pre)
{
  g_clear_pointer (&pre->log_columns, g_free);
  g_clear_pointer (&pre->mean, g_free);
  g_clear_pointer (&pre->scale, g_free);
}

void
ausculta_preprocess_apply (const AuscultaPreprocess *pre,
                           const double             *in,
                           guint                     n_rows,
                           double                   *out)
{
  guint d = pre->n_cols;

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < d; c++)
      {
        double x = in[(gsize) r * d + c];

        if (pre->log_columns != NULL && pre->log_columns[c])
          x = log_value (x);
        if (pre->mean != NULL)
          x = (x - pre->mean[c]) / pre->scale[c];
        out[(gsize) r * d + c] = x;
      }
}
