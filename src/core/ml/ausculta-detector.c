/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-detector"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ausculta-detector-private.h"
#include "ausculta-linear-models.h"
#include "ausculta-model-private.h"
#include "ausculta-model.h"

static const char * const kind_names[] = { "lof", "knn", "mahalanobis", "pca", "logistic" };
static const char * const statistic_names[] = { "spe", "t2", "both" };

const char *
ausculta_detector_statistic_to_string (AuscultaPcaStatistic statistic)
{
  return statistic_names[statistic];
}

gboolean
ausculta_detector_statistic_from_string (const char           *text,
                                         AuscultaPcaStatistic *statistic)
{
  for (guint i = 0; i < G_N_ELEMENTS (statistic_names); i++)
    if (g_strcmp0 (text, statistic_names[i]) == 0)
      {
        *statistic = (AuscultaPcaStatistic) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
ausculta_detector_kind_from_string (const char           *text,
                                    AuscultaDetectorKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *kind = (AuscultaDetectorKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
ausculta_detector_kind_to_string (AuscultaDetectorKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static gboolean
param_uint (GHashTable *params,
            const char *key,
            guint       fallback,
            guint       min,
            guint      *out,
            GError    **error)
{
  const char *text = params != NULL ? g_hash_table_lookup (params, key) : NULL;
  guint64 value;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, G_MAXINT, &value, NULL))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "%s=%s: expected a whole number ≥ %u", key, text, min);
  *out = (guint) value;
  return TRUE;
}

static gboolean
param_double (GHashTable *params,
              const char *key,
              double      fallback,
              double      min,
              double      max,
              double     *out,
              GError    **error)
{
  const char *text = params != NULL ? g_hash_table_lookup (params, key) : NULL;
  char *end = NULL;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*out > min) || !(*out <= max))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "%s=%s: expected a number in (%g, %g]", key, text, min, max);
  return TRUE;
}

static gboolean
fit_neighbors (AuscultaDetector *det,
               GHashTable       *params,
               const double     *rows,
               guint             n_rows,
               GCancellable     *cancellable,
               GError          **error)
{
  const char *metric = params != NULL ? g_hash_table_lookup (params, "metric") : NULL;
  gboolean lof = det->kind == AUSCULTA_DETECTOR_KIND_LOF;

  if (!param_uint (params, "n_neighbors", lof ? 20 : 5, 1, &det->n_neighbors, error))
    return FALSE;
  if (!ausculta_metric_from_string (metric != NULL ? metric : "euclidean", &det->metric))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "metric=%s: expected euclidean, manhattan or cosine", metric);
  if (n_rows < 2)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "%s needs at least 2 good rows, got %u",
                            kind_names[det->kind], n_rows);
  det->reference = g_memdup2 (rows, sizeof (double) * n_rows * det->n_cols);
  det->n_ref = n_rows;
  if (!lof)
    {
      det->n_neighbors = MIN (det->n_neighbors, n_rows);
      ausculta_neighbors_init (&det->neighbors, det->metric, det->reference, n_rows, det->n_cols);
      return TRUE;
    }
  if (!ausculta_lof_fit (&det->lof, det->metric, det->reference, n_rows, det->n_cols,
                         det->n_neighbors, cancellable))
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  det->n_neighbors = det->lof.n_neighbors;
  return TRUE;
}

static gboolean
fit_pca (AuscultaDetector *det,
         GHashTable       *params,
         const double     *rows,
         guint             n_rows,
         GError          **error)
{
  const char *statistic = params != NULL ? g_hash_table_lookup (params, "statistic") : NULL;
  guint n_components;
  double ratio;
  g_autofree double *scores = NULL;

  if (!param_uint (params, "n_components", 0, 1, &n_components, error)
      || !param_double (params, "variance", 0.95, 0.0, 1.0, &ratio, error))
    return FALSE;
  if (statistic != NULL && !ausculta_detector_statistic_from_string (statistic, &det->statistic))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "statistic=%s: expected spe, t2 or both", statistic);
  if (n_rows < 3)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "pca needs at least 3 good rows, got %u", n_rows);
  det->location = g_new (double, det->n_cols);
  det->n_components = ausculta_pca_fit (rows, n_rows, det->n_cols, n_components, ratio,
                                        det->location, &det->components, &det->variance);
  /* SPE is put on the scale of T²/k by its mean on the training rows */
  det->spe_scale = 1.0;
  if (det->statistic == AUSCULTA_PCA_BOTH)
    {
      AuscultaPcaStatistic keep = det->statistic;
      double sum = 0.0;

      scores = g_new (double, n_rows);
      det->statistic = AUSCULTA_PCA_SPE;
      ausculta_detector_score (det, rows, n_rows, scores, NULL, NULL);
      det->statistic = keep;
      for (guint r = 0; r < n_rows; r++)
        sum += scores[r];
      det->spe_scale = sum > 0.0 ? sum / n_rows : 1.0;
    }
  return TRUE;
}

gboolean
ausculta_detector_fit (AuscultaDetector     *det,
                       AuscultaDetectorKind  kind,
                       GHashTable           *params,
                       const double         *rows,
                       const guint8         *bad,
                       guint                 n_rows,
                       guint                 n_cols,
                       GCancellable         *cancellable,
                       GError              **error)
{
  *det = (AuscultaDetector) { .kind = kind, .n_cols = n_cols, .C = 1.0 };
  switch (kind)
    {
    case AUSCULTA_DETECTOR_KIND_LOF:
    case AUSCULTA_DETECTOR_KIND_KNN:
      return fit_neighbors (det, params, rows, n_rows, cancellable, error);
    case AUSCULTA_DETECTOR_KIND_MAHALANOBIS:
      if (n_rows < 2)
        return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "mahalanobis needs at least 2 good rows, got %u", n_rows);
      det->location = g_new (double, n_cols);
      det->precision = g_new (double, (gsize) n_cols * n_cols);
      det->shrinkage = ausculta_ledoit_wolf (rows, n_rows, n_cols, det->location, det->precision);
      return TRUE;
    case AUSCULTA_DETECTOR_KIND_PCA:
      return fit_pca (det, params, rows, n_rows, error);
    case AUSCULTA_DETECTOR_KIND_LOGISTIC:
      if (!param_double (params, "C", 1.0, 0.0, G_MAXDOUBLE, &det->C, error))
        return FALSE;
      det->coef = g_new (double, n_cols);
      if (!ausculta_logistic_fit (rows, bad, n_rows, n_cols, det->C, det->coef, &det->intercept))
        return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "logistic regression did not converge (C=%g)", det->C);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

void
ausculta_detector_clear (AuscultaDetector *det)
{
  if (det->kind == AUSCULTA_DETECTOR_KIND_LOF)
    ausculta_lof_clear (&det->lof);
  else
    ausculta_neighbors_clear (&det->neighbors);
  g_clear_pointer (&det->reference, g_free);
  g_clear_pointer (&det->location, g_free);
  g_clear_pointer (&det->precision, g_free);
  g_clear_pointer (&det->components, g_free);
  g_clear_pointer (&det->variance, g_free);
  g_clear_pointer (&det->coef, g_free);
}

static void
score_neighbors (const AuscultaDetector *det,
                 const double           *rows,
                 guint                   n_rows,
                 double                 *scores,
                 GCancellable           *cancellable)
{
  guint k = det->n_neighbors;
  g_autofree double *dist = g_new (double, (gsize) n_rows * k);
  g_autofree guint *ind = g_new (guint, (gsize) n_rows * k);

  if (!ausculta_neighbors_query (&det->neighbors, rows, n_rows, k, dist, ind, cancellable))
    return;
  for (guint r = 0; r < n_rows; r++)
    scores[r] = ausculta_pairwise_sum (dist + (gsize) r * k, k) / k;
}

/* Projections of a centred row on the principal axes, and the residual. */
static void
pca_project (const AuscultaDetector *det,
             const double           *xc,
             double                 *proj,
             double                 *residual)
{
  guint d = det->n_cols;

  memcpy (residual, xc, sizeof (double) * d);
  for (guint k = 0; k < det->n_components; k++)
    {
      const double *v = det->components + (gsize) k * d;

      proj[k] = cblas_ddot ((int) d, v, 1, xc, 1);
      cblas_daxpy ((int) d, -proj[k], v, 1, residual, 1);
    }
}

static double
score_linear_row (const AuscultaDetector *det,
                  const double           *x,
                  double                 *xc,
                  double                 *work)
{
  guint d = det->n_cols;
  double t2 = 0.0, spe;

  if (det->kind == AUSCULTA_DETECTOR_KIND_LOGISTIC)
    return cblas_ddot ((int) d, det->coef, 1, x, 1) + det->intercept;
  for (guint c = 0; c < d; c++)
    xc[c] = x[c] - det->location[c];
  if (det->kind == AUSCULTA_DETECTOR_KIND_MAHALANOBIS)
    {
      cblas_dsymv (CblasRowMajor, CblasUpper, (int) d, 1.0, det->precision, (int) d, xc, 1,
                   0.0, work, 1);
      return cblas_ddot ((int) d, xc, 1, work, 1);
    }
  pca_project (det, xc, work, work + det->n_components);
  for (guint k = 0; k < det->n_components; k++)
    t2 += work[k] * work[k] / det->variance[k];
  spe = cblas_ddot ((int) d, work + det->n_components, 1, work + det->n_components, 1);
  if (det->statistic == AUSCULTA_PCA_T2)
    return t2;
  if (det->statistic == AUSCULTA_PCA_SPE)
    return spe;
  return t2 / det->n_components + spe / det->spe_scale;
}

gboolean
ausculta_detector_score (const AuscultaDetector *det,
                         const double           *rows,
                         guint                   n_rows,
                         double                 *scores,
                         double                 *nof,
                         GCancellable           *cancellable)
{
  g_autofree double *xc = NULL;
  g_autofree double *work = NULL;

  for (guint r = 0; nof != NULL && r < n_rows; r++)
    nof[r] = NAN;
  switch (det->kind)
    {
    case AUSCULTA_DETECTOR_KIND_LOF:
      if (!ausculta_lof_score_samples (&det->lof, rows, n_rows, scores, cancellable))
        return FALSE;
      for (guint r = 0; r < n_rows; r++)
        {
          if (nof != NULL)
            nof[r] = scores[r];
          scores[r] = -scores[r];
        }
      return TRUE;
    case AUSCULTA_DETECTOR_KIND_KNN:
      score_neighbors (det, rows, n_rows, scores, cancellable);
      return !g_cancellable_is_cancelled (cancellable);
    default:
      xc = g_new (double, det->n_cols);
      work = g_new (double, det->n_cols + det->n_components);
      for (guint r = 0; r < n_rows; r++)
        scores[r] = score_linear_row (det, rows + (gsize) r * det->n_cols, xc, work);
      return TRUE;
    }
}

static void
nearest_difference (const AuscultaDetector *det,
                    const double           *row,
                    double                 *out)
{
  const AuscultaNeighbors *nb = det->kind == AUSCULTA_DETECTOR_KIND_LOF
                                ? &det->lof.neighbors : &det->neighbors;
  double dist;
  guint ind;
  const double *ref;

  ausculta_neighbors_query (nb, row, 1, 1, &dist, &ind, NULL);
  ref = det->reference + (gsize) ind * det->n_cols;
  for (guint c = 0; c < det->n_cols; c++)
    out[c] = (row[c] - ref[c]) * (row[c] - ref[c]);
}

/**
 * ausculta_detector_contributions:
 *
 * What each column adds to the score, for the inspector's "why": the squared
 * gap to the nearest good unit (neighbour methods), the column's term of
 * xᵀPx (Mahalanobis), its squared residual off the principal subspace (PCA),
 * its term of the logit (classifier); negative terms count as 0.
 */
void
ausculta_detector_contributions (const AuscultaDetector *det,
                                 const double           *row,
                                 double                 *out)
{
  guint d = det->n_cols;
  g_autofree double *xc = g_new (double, d);
  g_autofree double *work = g_new (double, d + det->n_components);

  switch (det->kind)
    {
    case AUSCULTA_DETECTOR_KIND_LOF:
    case AUSCULTA_DETECTOR_KIND_KNN:
      nearest_difference (det, row, out);
      return;
    case AUSCULTA_DETECTOR_KIND_LOGISTIC:
      for (guint c = 0; c < d; c++)
        out[c] = MAX (0.0, det->coef[c] * row[c]);
      return;
    case AUSCULTA_DETECTOR_KIND_MAHALANOBIS:
      for (guint c = 0; c < d; c++)
        xc[c] = row[c] - det->location[c];
      cblas_dsymv (CblasRowMajor, CblasUpper, (int) d, 1.0, det->precision, (int) d, xc, 1,
                   0.0, work, 1);
      for (guint c = 0; c < d; c++)
        out[c] = MAX (0.0, xc[c] * work[c]);
      return;
    case AUSCULTA_DETECTOR_KIND_PCA:
    default:
      for (guint c = 0; c < d; c++)
        xc[c] = row[c] - det->location[c];
      pca_project (det, xc, work, work + det->n_components);
      for (guint c = 0; c < d; c++)
        out[c] = work[det->n_components + c] * work[det->n_components + c];
      return;
    }
}
