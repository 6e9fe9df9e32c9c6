/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-detector-file"

#include "config.h"

#include <math.h>

#include "ausculta-detector-private.h"
#include "ausculta-model.h"

/* A fitted detector in a model file: metadata and tensors under @prefix. */

static void
set_number (AuscultaSafetensors *st,
            const char          *prefix,
            const char          *key,
            double               value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  ausculta_safetensors_set_metadata (st, name, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
set_text (AuscultaSafetensors *st,
          const char          *prefix,
          const char          *key,
          const char          *value)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  ausculta_safetensors_set_metadata (st, name, value);
}

static void
add_f64 (AuscultaSafetensors *st,
         const char          *prefix,
         const char          *key,
         const double        *values,
         guint64              rows,
         guint64              cols)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  ausculta_safetensors_add_f64 (st, name, values, rows, cols);
}

void
ausculta_detector_save (const AuscultaDetector *det,
                        AuscultaSafetensors    *st,
                        const char             *prefix)
{
  guint d = det->n_cols;

  set_text (st, prefix, "kind", ausculta_detector_kind_to_string (det->kind));
  switch (det->kind)
    {
    case AUSCULTA_DETECTOR_KIND_LOF:
      add_f64 (st, prefix, "k_distance", det->lof.k_distance, det->n_ref, 0);
      add_f64 (st, prefix, "lrd", det->lof.lrd, det->n_ref, 0);
      G_GNUC_FALLTHROUGH;
    case AUSCULTA_DETECTOR_KIND_KNN:
      set_number (st, prefix, "n_neighbors", det->n_neighbors);
      set_number (st, prefix, "n_reference", det->n_ref);
      set_text (st, prefix, "metric", ausculta_metric_to_string (det->metric));
      add_f64 (st, prefix, "reference", det->reference, det->n_ref, d);
      break;
    case AUSCULTA_DETECTOR_KIND_MAHALANOBIS:
      set_number (st, prefix, "shrinkage", det->shrinkage);
      add_f64 (st, prefix, "location", det->location, d, 0);
      add_f64 (st, prefix, "precision", det->precision, d, d);
      break;
    case AUSCULTA_DETECTOR_KIND_PCA:
      set_number (st, prefix, "n_components", det->n_components);
      set_text (st, prefix, "statistic", ausculta_detector_statistic_to_string (det->statistic));
      set_number (st, prefix, "spe_scale", det->spe_scale);
      add_f64 (st, prefix, "location", det->location, d, 0);
      add_f64 (st, prefix, "components", det->components, det->n_components, d);
      add_f64 (st, prefix, "variance", det->variance, det->n_components, 0);
      break;
    case AUSCULTA_DETECTOR_KIND_LOGISTIC:
    default:
      set_number (st, prefix, "C", det->C);
      add_f64 (st, prefix, "coef", det->coef, d, 0);
      add_f64 (st, prefix, "intercept", &det->intercept, 1, 0);
      break;
    }
}

static gboolean
get_number (AuscultaSafetensors *st,
            const char          *prefix,
            const char          *key,
            double               min,
            double               max,
            double              *out,
            GError             **error)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);
  const char *text = ausculta_safetensors_get_metadata (st, name);
  char *end = NULL;

  *out = text != NULL ? g_ascii_strtod (text, &end) : NAN;
  if (text == NULL || end == text || *end != '\0' || !(*out >= min && *out <= max))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT,
                   "metadata %s is %s; expected a number in [%g, %g]", name,
                   text != NULL ? text : "missing", min, max);
      return FALSE;
    }
  return TRUE;
}

static double *
get_f64 (AuscultaSafetensors *st,
         const char          *prefix,
         const char          *key,
         guint64              rows,
         guint64              cols,
         GError             **error)
{
  g_autofree char *name = g_strconcat (prefix, key, NULL);

  return ausculta_safetensors_dup_f64 (st, name, rows, cols, error);
}

static gboolean
load_neighbors (AuscultaDetector    *det,
                AuscultaSafetensors *st,
                const char          *prefix,
                GError             **error)
{
  g_autofree char *metric_key = g_strconcat (prefix, "metric", NULL);
  const char *metric = ausculta_safetensors_get_metadata (st, metric_key);
  double n_ref, k;
  g_autofree double *kdist = NULL;
  g_autofree double *lrd = NULL;

  if (!get_number (st, prefix, "n_reference", 2, G_MAXINT, &n_ref, error)
      || !get_number (st, prefix, "n_neighbors", 1, n_ref, &k, error))
    return FALSE;
  if (!ausculta_metric_from_string (metric, &det->metric))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT,
                   "metadata %s is %s; expected euclidean, manhattan or cosine", metric_key,
                   metric != NULL ? metric : "missing");
      return FALSE;
    }
  det->n_ref = (guint) n_ref;
  det->n_neighbors = (guint) k;
  det->reference = get_f64 (st, prefix, "reference", det->n_ref, det->n_cols, error);
  if (det->reference == NULL)
    return FALSE;
  if (det->kind == AUSCULTA_DETECTOR_KIND_KNN)
    {
      ausculta_neighbors_init (&det->neighbors, det->metric, det->reference, det->n_ref,
                               det->n_cols);
      return TRUE;
    }
  if ((kdist = get_f64 (st, prefix, "k_distance", det->n_ref, 0, error)) == NULL
      || (lrd = get_f64 (st, prefix, "lrd", det->n_ref, 0, error)) == NULL)
    return FALSE;
  ausculta_lof_init_fitted (&det->lof, det->metric, det->reference, det->n_ref, det->n_cols,
                            det->n_neighbors, kdist, lrd);
  return TRUE;
}

static gboolean
load_pca (AuscultaDetector    *det,
          AuscultaSafetensors *st,
          const char          *prefix,
          GError             **error)
{
  g_autofree char *key = g_strconcat (prefix, "statistic", NULL);
  const char *statistic = ausculta_safetensors_get_metadata (st, key);
  double n;

  if (!ausculta_detector_statistic_from_string (statistic, &det->statistic))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT,
                   "metadata %s is %s; expected spe, t2 or both", key,
                   statistic != NULL ? statistic : "missing");
      return FALSE;
    }
  if (!get_number (st, prefix, "n_components", 1, det->n_cols, &n, error)
      || !get_number (st, prefix, "spe_scale", 0, G_MAXDOUBLE, &det->spe_scale, error))
    return FALSE;
  det->n_components = (guint) n;
  return (det->location = get_f64 (st, prefix, "location", det->n_cols, 0, error)) != NULL
         && (det->components = get_f64 (st, prefix, "components", det->n_components,
                                        det->n_cols, error)) != NULL
         && (det->variance = get_f64 (st, prefix, "variance", det->n_components, 0, error)) != NULL;
}

gboolean
ausculta_detector_load (AuscultaDetector    *det,
                        AuscultaSafetensors *st,
                        const char          *prefix,
                        guint                n_cols,
                        GError             **error)
{
  g_autofree char *key = g_strconcat (prefix, "kind", NULL);
  const char *kind = ausculta_safetensors_get_metadata (st, key);
  g_autofree double *intercept = NULL;

  *det = (AuscultaDetector) { .n_cols = n_cols, .C = 1.0 };
  if (!ausculta_detector_kind_from_string (kind, &det->kind))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT,
                   "metadata %s is %s; expected lof, knn, mahalanobis, pca or logistic", key,
                   kind != NULL ? kind : "missing");
      return FALSE;
    }
  switch (det->kind)
    {
    case AUSCULTA_DETECTOR_KIND_LOF:
    case AUSCULTA_DETECTOR_KIND_KNN:
      return load_neighbors (det, st, prefix, error);
    case AUSCULTA_DETECTOR_KIND_MAHALANOBIS:
      return get_number (st, prefix, "shrinkage", 0, 1, &det->shrinkage, error)
             && (det->location = get_f64 (st, prefix, "location", n_cols, 0, error)) != NULL
             && (det->precision = get_f64 (st, prefix, "precision", n_cols, n_cols, error)) != NULL;
    case AUSCULTA_DETECTOR_KIND_PCA:
      return load_pca (det, st, prefix, error);
    case AUSCULTA_DETECTOR_KIND_LOGISTIC:
    default:
      if (!get_number (st, prefix, "C", 0, G_MAXDOUBLE, &det->C, error)
          || (det->coef = get_f64 (st, prefix, "coef", n_cols, 0, error)) == NULL
          || (intercept = get_f64 (st, prefix, "intercept", 1, 0, error)) == NULL)
        return FALSE;
      det->intercept = intercept[0];
      return TRUE;
    }
}
