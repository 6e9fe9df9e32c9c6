/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-model"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-model-private.h"
#include "ausculta-safetensors.h"

#define N_REASONS 5

G_DEFINE_FINAL_TYPE (AuscultaModel, ausculta_model, G_TYPE_OBJECT)

G_DEFINE_QUARK (ausculta-model-error-quark, ausculta_model_error)

static void
ausculta_model_finalize (GObject *object)
{
  AuscultaModel *self = AUSCULTA_MODEL (object);

  g_strfreev (self->feature_names);
  g_clear_pointer (&self->feature_index, g_hash_table_unref);
  g_free (self->profile_name);
  g_free (self->profile_hash);
  ausculta_preprocess_clear (&self->pre);
  ausculta_detector_clear (&self->primary);
  if (self->combined)
    ausculta_detector_clear (&self->secondary);
  g_free (self->threshold_rule);
  g_free (self->version);
  g_free (self->sha256);
  g_free (self->training_hash);
  g_free (self->validation);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  G_OBJECT_CLASS (ausculta_model_parent_class)->finalize (object);
}

static void
ausculta_model_class_init (AuscultaModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ausculta_model_finalize;
}

static void
ausculta_model_init (AuscultaModel *self)
{
  self->threshold = NAN;
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scale[0] = self->scale[1] = 1.0;
}

void
ausculta_model_set_feature_names (AuscultaModel      *self,
                                  const char * const *names)
{
  self->feature_names = g_strdupv ((char **) names);
  self->n_features = g_strv_length (self->feature_names);
  self->feature_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->n_features; i++)
    g_hash_table_insert (self->feature_index, self->feature_names[i], GUINT_TO_POINTER (i + 1));
}

AuscultaModel *
ausculta_model_new_from_parts (const char * const *feature_names,
                               AuscultaPreprocess *pre,
                               AuscultaDetector   *primary,
                               AuscultaDetector   *secondary,
                               const double       *center,
                               const double       *scale,
                               GHashTable         *parameters)
{
  AuscultaModel *self = g_object_new (AUSCULTA_TYPE_MODEL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  ausculta_model_set_feature_names (self, feature_names);
  self->pre = *pre;
  self->primary = *primary;
  if (secondary != NULL)
    {
      self->secondary = *secondary;
      self->combined = TRUE;
      ausculta_model_set_combination (self, center, scale);
    }
  g_hash_table_iter_init (&iter, parameters);
  while (parameters != NULL && g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (self->parameters, g_strdup (key), g_strdup (value));
  return self;
}

void
ausculta_model_set_combination (AuscultaModel *self,
                                const double  *center,
                                const double  *scale)
{
  memcpy (self->center, center, sizeof self->center);
  memcpy (self->scale, scale, sizeof self->scale);
}

void
ausculta_model_set_threshold (AuscultaModel *self,
                              double         threshold,
                              const char    *rule)
{
  self->threshold = threshold;
  g_free (self->threshold_rule);
  self->threshold_rule = g_strdup (rule);
}

void
ausculta_model_set_training (AuscultaModel *self,
                             const char    *hash,
                             guint          n_rows,
                             const char    *version)
{
  g_free (self->training_hash);
  self->training_hash = g_strdup (hash);
  self->training_rows = n_rows;
  g_free (self->version);
  self->version = g_strdup (version);
}

void
ausculta_model_set_profile (AuscultaModel *self,
                            const char    *name,
                            const char    *hash)
{
  g_return_if_fail (AUSCULTA_IS_MODEL (self));
  g_free (self->profile_name);
  g_free (self->profile_hash);
  self->profile_name = g_strdup (name);
  self->profile_hash = g_strdup (hash);
}

void
ausculta_model_set_validation_summary (AuscultaModel *self,
                                       const char    *json)
{
  g_return_if_fail (AUSCULTA_IS_MODEL (self));
  g_free (self->validation);
  self->validation = g_strdup (json);
}

const char * const *
ausculta_model_get_feature_names (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return (const char * const *) self->feature_names;
}

guint
ausculta_model_get_n_features (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), 0);
  return self->n_features;
}

const char *
ausculta_model_get_profile_name (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->profile_name;
}

const char *
ausculta_model_get_profile_hash (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->profile_hash;
}

/**
 * ausculta_model_get_detector:
 *
 * Returns: the detector kind ("lof", "knn", "mahalanobis", "pca",
 *   "logistic"), or "FIRST+SECOND" for two combined (e.g. "logistic+knn").
 */
const char *
ausculta_model_get_detector (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return g_hash_table_lookup (self->parameters, "detector");
}

double
ausculta_model_get_threshold (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NAN);
  return self->threshold;
}

const char *
ausculta_model_get_threshold_rule (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->threshold_rule;
}

const char *
ausculta_model_get_version (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->version;
}

/**
 * ausculta_model_get_sha256:
 *
 * Returns: the SHA-256 of the model file's bytes (computed when the model is
 *   loaded, saved or serialised).
 */
const char *
ausculta_model_get_sha256 (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  if (self->sha256 == NULL)
    g_bytes_unref (ausculta_model_serialize (self));
  return self->sha256;
}

const char *
ausculta_model_get_training_hash (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->training_hash;
}

guint
ausculta_model_get_training_rows (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), 0);
  return self->training_rows;
}

const char *
ausculta_model_get_validation_summary (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return self->validation;
}

const char *
ausculta_model_get_parameter (AuscultaModel *self,
                              const char    *key)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);
  return g_hash_table_lookup (self->parameters, key);
}

gboolean
ausculta_model_is_lof (AuscultaModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), FALSE);
  return !self->combined && self->primary.kind == AUSCULTA_DETECTOR_KIND_LOF;
}

static double
combine (const AuscultaModel *self,
         double               a,
         double               b)
{
  return MAX ((a - self->center[0]) / self->scale[0], (b - self->center[1]) / self->scale[1]);
}

gboolean
ausculta_model_score_parts (AuscultaModel *self,
                            const double  *rows,
                            guint          n_rows,
                            double        *parts,
                            GCancellable  *cancellable)
{
  g_autofree double *x = g_new (double, (gsize) n_rows * self->n_features);
  g_autofree double *s = g_new (double, n_rows);

  ausculta_preprocess_apply (&self->pre, rows, n_rows, x);
  if (!ausculta_detector_score (&self->primary, x, n_rows, s, NULL, cancellable))
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    parts[2 * r] = s[r], parts[2 * r + 1] = NAN;
  if (!self->combined)
    return TRUE;
  if (!ausculta_detector_score (&self->secondary, x, n_rows, s, NULL, cancellable))
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    parts[2 * r + 1] = s[r];
  return TRUE;
}

static gboolean
check_finite (AuscultaModel *self,
              const double  *rows,
              guint          n_rows,
              GError       **error)
{
  for (gsize i = 0; i < (gsize) n_rows * self->n_features; i++)
    {
      if (!isfinite (rows[i]))
        {
          g_autofree char *where = n_rows > 1
            ? g_strdup_printf (" of row %" G_GSIZE_FORMAT, i / self->n_features + 1) : g_strdup ("");

          g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_NAN,
                       "feature %s%s is %s; the model needs a finite value for every feature",
                       self->feature_names[i % self->n_features], where,
                       isnan (rows[i]) ? "missing (NaN)" : "infinite");
          return FALSE;
        }
    }
  return TRUE;
}

static void
prepare_rows (gconstpointer  data,
              const double  *in,
              guint          n_rows,
              double        *out)
{
  ausculta_preprocess_apply (data, in, n_rows, out);
}

/* A LOF model scores its rows as its screen prepares them, block by block:
 * no preprocessed copy of the whole batch. The score is minus
 * score_samples, as ausculta_detector_score() gives it. */
static gboolean
score_lof (AuscultaModel *self,
           const double  *rows,
           guint          n_rows,
           double        *scores,
           double        *nof)
{
  if (!ausculta_lof_score_prepared (&self->primary.lof, rows, n_rows, prepare_rows, &self->pre,
                                    scores, NULL))
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    {
      if (nof != NULL)
        nof[r] = scores[r];
      scores[r] = -scores[r];
    }
  return TRUE;
}

gboolean
ausculta_model_score_matrix (AuscultaModel *self,
                             const double  *rows,
                             guint          n_rows,
                             double        *scores,
                             double        *nof,
                             GError       **error)
{
  g_autofree double *x = NULL;
  g_autofree double *parts = NULL;

  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);

  if (!check_finite (self, rows, n_rows, error))
    return FALSE;
  if (ausculta_model_is_lof (self))
    return score_lof (self, rows, n_rows, scores, nof);
  if (!self->combined)
    {
      x = g_new (double, (gsize) n_rows * self->n_features);
      ausculta_preprocess_apply (&self->pre, rows, n_rows, x);
      return ausculta_detector_score (&self->primary, x, n_rows, scores, nof, NULL);
    }
  parts = g_new (double, 2 * (gsize) n_rows);
  ausculta_model_score_parts (self, rows, n_rows, parts, NULL);
  for (guint r = 0; r < n_rows; r++)
    {
      scores[r] = combine (self, parts[2 * r], parts[2 * r + 1]);
      if (nof != NULL)
        nof[r] = NAN;
    }
  return TRUE;
}

gboolean
ausculta_model_score_vector (AuscultaModel *self,
                             const double  *features,
                             double        *score,
                             double        *nof,
                             GError       **error)
{
  return ausculta_model_score_matrix (self, features, 1, score, nof, error);
}

static gboolean
check_profile (AuscultaModel       *self,
               AuscultaMeasurement *m,
               GError             **error)
{
  if (m->profile_hash != NULL && self->profile_hash != NULL
      && g_strcmp0 (m->profile_hash, self->profile_hash) != 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_PROFILE,
                   "the measurement was made with profile %s (SHA-256 %.12s…) but model %s was "
                   "trained for profile %s (SHA-256 %.12s…)", m->profile_name ? m->profile_name : "?",
                   m->profile_hash, self->version, self->profile_name ? self->profile_name : "?",
                   self->profile_hash);
      return FALSE;
    }
  if (m->profile_name != NULL && self->profile_name != NULL
      && g_strcmp0 (m->profile_name, self->profile_name) != 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_PROFILE,
                   "the measurement was made with profile “%s” but model %s was trained for "
                   "profile “%s”", m->profile_name, self->version, self->profile_name);
      return FALSE;
    }
  return TRUE;
}

/* The measurement's values in the model's feature order; the names must be
 * the model's, in any order. */
static double *
gather_features (AuscultaModel       *self,
                 AuscultaMeasurement *m,
                 GError             **error)
{
  g_autofree double *x = g_new (double, MAX (self->n_features, 1));
  g_autofree guint8 *seen = g_new0 (guint8, MAX (self->n_features, 1));

  for (guint i = 0; i < m->n_features; i++)
    {
      guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (self->feature_index, m->feature_names[i]));

      if (pos == 0 || seen[pos - 1])
        {
          g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_FEATURES,
                       "feature %s %s; model %s expects its %u features once each",
                       m->feature_names[i], pos == 0 ? "is not one of the model's" : "is repeated",
                       self->version, self->n_features);
          return NULL;
        }
      seen[pos - 1] = 1;
      x[pos - 1] = m->features[i];
    }
  for (guint i = 0; i < self->n_features; i++)
    {
      if (!seen[i])
        {
          g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_FEATURES,
                       "feature %s is missing from the measurement (%u of the model's %u present); "
                       "model %s expects the same features", self->feature_names[i], m->n_features,
                       self->n_features, self->version);
          return NULL;
        }
    }
  return g_steal_pointer (&x);
}

/* The N_REASONS largest contributions, largest first, as shares of the total. */
static void
add_reasons (AuscultaModel       *self,
             const double        *x,
             const double        *parts,
             AuscultaMeasurement *m)
{
  guint d = self->n_features;
  g_autofree double *c = g_new (double, d);
  const AuscultaDetector *det = &self->primary;
  double total = 0.0;

  if (self->combined
      && (parts[1] - self->center[1]) / self->scale[1] > (parts[0] - self->center[0]) / self->scale[0])
    det = &self->secondary;
  ausculta_detector_contributions (det, x, c);
  for (guint i = 0; i < d; i++)
    total += c[i];
  if (!(total > 0.0))
    return;
  for (guint n = 0; n < MIN (N_REASONS, d); n++)
    {
      guint best = 0;

      for (guint i = 1; i < d; i++)
        if (c[i] > c[best])
          best = i;
      if (!(c[best] > 0.0))
        break;
      ausculta_measurement_add_reason (m, self->feature_names[best], c[best] / total);
      c[best] = -1.0;
    }
}

gboolean
ausculta_model_score_measurement (AuscultaModel       *self,
                                  AuscultaMeasurement *m,
                                  GError             **error)
{
  g_autofree double *raw = NULL;
  g_autofree double *x = NULL;
  double parts[2] = { NAN, NAN }, score;

  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), FALSE);
  g_return_val_if_fail (m != NULL, FALSE);

  if (!check_profile (self, m, error)
      || (raw = gather_features (self, m, error)) == NULL
      || !check_finite (self, raw, 1, error))
    return FALSE;
  /* preprocessed once, for the score and for the reasons */
  x = g_new (double, self->n_features);
  ausculta_preprocess_apply (&self->pre, raw, 1, x);
  ausculta_detector_score (&self->primary, x, 1, &parts[0], NULL, NULL);
  if (self->combined)
    ausculta_detector_score (&self->secondary, x, 1, &parts[1], NULL, NULL);
  score = self->combined ? combine (self, parts[0], parts[1]) : parts[0];
  m->score = score;
  m->threshold = self->threshold;
  m->verdict = score > self->threshold ? AUSCULTA_VERDICT_NOK : AUSCULTA_VERDICT_OK;
  if (m->reasons != NULL)
    g_ptr_array_set_size (m->reasons, 0);
  add_reasons (self, x, parts, m);
  g_free (m->model_version);
  m->model_version = g_strdup (self->version);
  g_free (m->model_hash);
  m->model_hash = g_strdup (ausculta_model_get_sha256 (self));
  return TRUE;
}

/* Sets a model error of @code; returns FALSE so that a check can end with
 * it. */
gboolean
ausculta_model_fail (GError            **error,
                     AuscultaModelError  code,
                     const char         *format,
                     ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AUSCULTA_MODEL_ERROR, code, message);
  return FALSE;
}
