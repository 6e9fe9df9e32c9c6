/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-train"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-train-private.h"
#include "ausculta-validation.h"

/* The column weights are for the detectors, which have no labels to weigh
 * columns with; the classifier learns its own: it is fitted on the
 * unweighted columns, then its coefficients are divided by the weights so
 * that it gives the weighted rows the same logit. */
static gboolean
fit_classifier (const AuscultaTrainPlan *plan,
                const double            *x,
                const guint8            *bad,
                guint                    n,
                guint                    d,
                const double            *weight,
                AuscultaDetector        *det,
                GCancellable            *cancellable,
                GError                 **error)
{
  g_autofree double *unweighted = NULL;

  if (weight == NULL)
    return ausculta_detector_fit (det, AUSCULTA_DETECTOR_KIND_LOGISTIC, plan->params, x, bad, n, d,
                                  cancellable, error);
  unweighted = g_new (double, (gsize) n * d);
  for (gsize i = 0; i < (gsize) n * d; i++)
    unweighted[i] = x[i] / weight[i % d];
  if (!ausculta_detector_fit (det, AUSCULTA_DETECTOR_KIND_LOGISTIC, plan->params, unweighted, bad,
                              n, d, cancellable, error))
    return FALSE;
  for (guint c = 0; c < d; c++)
    det->coef[c] /= weight[c];
  return TRUE;
}

static gboolean
fit_detector (const AuscultaTrainPlan *plan,
              AuscultaDetectorKind     kind,
              const double            *x,
              const guint8            *bad,
              guint                    n,
              guint                    d,
              const double            *weight,
              AuscultaDetector        *det,
              GCancellable            *cancellable,
              GError                 **error)
{
  g_autofree double *good_rows = NULL;
  guint n_good = 0;

  if (kind == AUSCULTA_DETECTOR_KIND_LOGISTIC)
    return fit_classifier (plan, x, bad, n, d, weight, det, cancellable, error);
  /* detectors learn what good looks like */
  good_rows = g_new (double, (gsize) n * d);
  for (guint r = 0; r < n; r++)
    if (!bad[r])
      memcpy (good_rows + (gsize) n_good++ * d, x + (gsize) r * d, sizeof (double) * d);
  return ausculta_detector_fit (det, kind, plan->params, good_rows, NULL, n_good, d,
                                cancellable, error);
}

/* Preprocessing fitted on the good rows (all rows when unlabelled), then the
 * detector, and the classifier's partner when combined. */
AuscultaModel *
ausculta_train_fit_model (const AuscultaTrainPlan *plan,
                          const AuscultaDataset   *data,
                          const guint             *rows,
                          guint                    n,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  guint d = data->n_cols, n_good = 0;
  g_autofree double *x = g_new (double, (gsize) n * d);
  g_autofree double *good = g_new (double, (gsize) n * d);
  g_autofree guint8 *bad = g_new0 (guint8, n);
  g_autofree double *weight = NULL;
  AuscultaPreprocess pre;
  AuscultaDetector primary, secondary;
  double center[2] = { 0.0, 0.0 }, scale[2] = { 1.0, 1.0 };

  for (guint i = 0; i < n; i++)
    {
      const double *row = data->values + (gsize) rows[i] * d;

      memcpy (x + (gsize) i * d, row, sizeof (double) * d);
      bad[i] = ausculta_label_is_bad (data->labels[rows[i]]);
      if (!bad[i])
        memcpy (good + (gsize) n_good++ * d, row, sizeof (double) * d);
    }
  if (n_good < 2)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "%u good rows to learn from; expected at least 2", n_good);
      return NULL;
    }
  ausculta_preprocess_fit (&pre, plan->pre_kind, (const char * const *) data->feature_names,
                           good, n_good, d);
  if (plan->vib_weight != 1.0 && pre.scale != NULL)
    {
      weight = g_new (double, d);
      for (guint c = 0; c < d; c++)
        weight[c] = ausculta_feature_is_linear (data->feature_names[c]) ? plan->vib_weight : 1.0;
      ausculta_preprocess_weight_vibration (&pre, (const char * const *) data->feature_names,
                                            plan->vib_weight);
    }
  ausculta_preprocess_apply (&pre, x, n, x);
  if (!fit_detector (plan, plan->kind, x, bad, n, d, weight, &primary, cancellable, error))
    {
      ausculta_preprocess_clear (&pre);
      return NULL;
    }
  if (plan->combined && !fit_detector (plan, plan->combine_kind, x, bad, n, d, weight, &secondary,
                                       cancellable, error))
    {
      ausculta_preprocess_clear (&pre);
      ausculta_detector_clear (&primary);
      return NULL;
    }
  return ausculta_model_new_from_parts ((const char * const *) data->feature_names, &pre, &primary,
                                        plan->combined ? &secondary : NULL, center, scale,
                                        plan->params);
}

static char *
training_hash (const AuscultaTrainPlan *plan,
               const AuscultaDataset   *data)
{
  g_autofree char *data_hash = ausculta_dataset_hash (data);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (plan->params), (GCompareFunc) strcmp);

  g_checksum_update (sum, (const guchar *) data_hash, -1);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_checksum_update (sum, (const guchar *) l->data, (gssize) strlen (l->data) + 1);
      g_checksum_update (sum, g_hash_table_lookup (plan->params, l->data), -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
check_data (const AuscultaTrainPlan *plan,
            const AuscultaDataset   *data,
            gboolean                *unlabelled,
            GError                 **error)
{
  guint row, col, n_good = ausculta_dataset_count_label (data, TRUE);
  guint n_bad = ausculta_dataset_count_label (data, FALSE);

  if (ausculta_dataset_has_nan (data, &row, &col))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_NAN,
                   "row %s: feature %s is missing or not finite; training needs complete rows",
                   data->row_names[row], data->feature_names[col]);
      return FALSE;
    }
  *unlabelled = n_good == 0 && n_bad == 0;
  if (plan->supervised && (n_good == 0 || n_bad == 0))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "detector=logistic needs labelled good and bad rows; got %u good and %u bad",
                   n_good, n_bad);
      return FALSE;
    }
  if (!*unlabelled && n_good < 3)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "%u good rows; expected at least 3 to learn what a good unit looks like", n_good);
      return FALSE;
    }
  return TRUE;
}

static char *
summary_from_oof (const AuscultaTrainPlan *plan,
                  const AuscultaDataset   *data,
                  const double            *scores,
                  double                   threshold)
{
  g_autoptr(AuscultaValidationReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree int *labels = g_new (int, data->n_rows);
  g_autofree char *text = NULL;

  for (guint r = 0; r < data->n_rows; r++)
    labels[r] = data->labels[r];
  report = ausculta_validation_report_new (scores, labels, data->groups, data->n_rows, threshold);
  node = ausculta_validation_report_summary_json (report);
  text = json_to_string (node, FALSE);
  return g_strdup_printf ("{\"method\":\"out-of-fold, %u folds by motor, repeat 1 of %u\","
                          "\"report\":%s}", plan->folds, plan->repeats, text);
}

AuscultaModel *
ausculta_model_train (const AuscultaDataset *data,
                      const char * const    *settings,
                      GCancellable          *cancellable,
                      AuscultaProgressFunc   progress,
                      gpointer               user_data,
                      GError               **error)
{
  g_auto(AuscultaTrainPlan) plan = { 0 };
  g_auto(AuscultaOutOfFold) oof = { 0 };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(AuscultaModel) model = NULL;
  g_autofree double *scores = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *data_hash = NULL;
  g_autofree char *version_hash = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *version = NULL;
  double center[2] = { 0, 0 }, scale[2] = { 1, 1 }, threshold;
  gsize n_scores;
  gboolean unlabelled;

  g_return_val_if_fail (data != NULL, NULL);

  if (!ausculta_train_plan_init (&plan, settings, error)
      || !check_data (&plan, data, &unlabelled, error)
      || !ausculta_out_of_fold_scores (&plan, data, unlabelled, &oof, cancellable, progress,
                                       user_data, error))
    return NULL;
  if (plan.combined)
    ausculta_combination_from_oof (&oof, data, center, scale);
  n_scores = (gsize) oof.repeats * oof.n_rows;
  scores = g_new (double, n_scores);
  for (gsize i = 0; i < n_scores; i++)
    scores[i] = ausculta_combined_score (oof.parts + 2 * i, plan.combined, center, scale);
  threshold = ausculta_choose_threshold (&plan, data, scores, (guint) n_scores, &rule);

  for (guint r = 0; r < data->n_rows; r++)
    if (ausculta_train_plan_uses_row (&plan, data, unlabelled, r))
      g_array_append_val (rows, r);
  model = ausculta_train_fit_model (&plan, data, (guint *) rows->data, rows->len, cancellable,
                                    error);
  if (model == NULL)
    return NULL;
  if (plan.combined)
    ausculta_model_set_combination (model, center, scale);
  ausculta_model_set_threshold (model, threshold, rule);
  data_hash = ausculta_dataset_hash (data);
  version_hash = training_hash (&plan, data);
  version = g_hash_table_contains (plan.params, "version")
            ? g_strdup (g_hash_table_lookup (plan.params, "version"))
            : g_strdup_printf ("%s-%.12s", (char *) g_hash_table_lookup (plan.params, "detector"),
                               version_hash);
  ausculta_model_set_training (model, data_hash, rows->len, version);
  ausculta_model_set_profile (model, g_hash_table_lookup (plan.params, "profile_name"),
                              g_hash_table_lookup (plan.params, "profile_hash"));
  if (!unlabelled)
    {
      summary = summary_from_oof (&plan, data, scores, threshold);
      ausculta_model_set_validation_summary (model, summary);
    }
  if (progress != NULL)
    progress (1.0, "trained", user_data);
  return g_steal_pointer (&model);
}
