/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-train"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-model-private.h"
#include "ausculta-train.h"
#include "ausculta-validation.h"

static const char * const known_keys[] = {
  "detector", "preprocess", "n_neighbors", "metric", "n_components", "variance", "statistic",
  "C", "combine", "target_frr", "target_escape", "folds", "repeats", "seed", "version",
  "profile_name", "profile_hash", "vib_weight", NULL
};

#define DEFAULT_DETECTOR   "knn"
#define DEFAULT_PREPROCESS "log-standard"
/* chosen by tools/evaluate-models (see its table of variants) */
#define DEFAULT_VIB_WEIGHT "0.5"

typedef struct {
  GHashTable           *params;
  AuscultaDetectorKind  kind;         /* classifier when supervised */
  gboolean              supervised;
  gboolean              combined;
  AuscultaDetectorKind  combine_kind;
  AuscultaPreprocessKind pre_kind;
  double                vib_weight;
  double                target_frr;
  double                target_escape;  /* NaN: use target_frr */
  guint                 folds;
  guint                 repeats;
  guint                 seed;
} TrainPlan;

static void
train_plan_clear (TrainPlan *plan)
{
  g_clear_pointer (&plan->params, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainPlan, train_plan_clear)

static gboolean G_GNUC_PRINTF (2, 3)
parameter_error (GError    **error,
                 const char *format,
                 ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_PARAMETER, message);
  return FALSE;
}

static gboolean
parse_settings (const char * const *settings,
                GHashTable         *params,
                GError            **error)
{
  for (guint i = 0; settings != NULL && settings[i] != NULL; i++)
    {
      const char *eq = strchr (settings[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (settings[i], eq - settings[i]) : NULL;

      if (key == NULL || *key == '\0' || eq[1] == '\0')
        return parameter_error (error, "setting “%s”: expected key=value", settings[i]);
      if (!g_strv_contains (known_keys, key))
        return parameter_error (error, "unknown setting “%s”; known settings: detector, "
                                "preprocess, n_neighbors, metric, n_components, variance, "
                                "statistic, C, combine, target_frr, target_escape, folds, "
                                "repeats, seed, version, profile_name, profile_hash, vib_weight", key);
      g_hash_table_replace (params, g_steal_pointer (&key), g_strdup (eq + 1));
    }
  return TRUE;
}

static gboolean
plan_number (TrainPlan  *plan,
             const char *key,
             double      fallback,
             double      min,
             double      max,
             double     *out,
             GError    **error)
{
  const char *text = g_hash_table_lookup (plan->params, key);
  char *end = NULL;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*out >= min && *out <= max))
    return parameter_error (error, "%s=%s: expected a number in [%g, %g]", key, text, min, max);
  return TRUE;
}

static gboolean
plan_kinds (TrainPlan *plan,
            GError   **error)
{
  const char *detector = g_hash_table_lookup (plan->params, "detector");
  const char *combine = g_hash_table_lookup (plan->params, "combine");
  const char *pre = g_hash_table_lookup (plan->params, "preprocess");

  if (!ausculta_detector_kind_from_string (detector, &plan->kind))
    return parameter_error (error, "detector=%s: expected lof, knn, mahalanobis, pca or logistic",
                            detector);
  plan->supervised = plan->kind == AUSCULTA_DETECTOR_KIND_LOGISTIC;
  if (combine != NULL && g_strcmp0 (combine, "none") != 0)
    {
      if (!ausculta_detector_kind_from_string (combine, &plan->combine_kind)
          || plan->combine_kind == AUSCULTA_DETECTOR_KIND_LOGISTIC
          || plan->combine_kind == plan->kind)
        return parameter_error (error, "combine=%s: expected none, or a detector other than "
                                "detector= among lof, knn, mahalanobis, pca", combine);
      plan->combined = TRUE;
    }
  if (!ausculta_preprocess_kind_from_string (pre != NULL ? pre : DEFAULT_PREPROCESS, &plan->pre_kind))
    return parameter_error (error, "preprocess=%s: expected none, standard or log-standard", pre);
  return TRUE;
}

static gboolean
train_plan_init (TrainPlan          *plan,
                 const char * const *settings,
                 GError            **error)
{
  double folds, repeats, seed;

  *plan = (TrainPlan) { 0 };
  plan->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (plan->params, g_strdup ("detector"), g_strdup (DEFAULT_DETECTOR));
  g_hash_table_insert (plan->params, g_strdup ("preprocess"), g_strdup (DEFAULT_PREPROCESS));
  if (!parse_settings (settings, plan->params, error) || !plan_kinds (plan, error))
    return FALSE;
  /* the weight is part of the default recipe; plain standard scaling stays
   * scikit-learn's StandardScaler unless asked otherwise */
  if (plan->pre_kind == AUSCULTA_PREPROCESS_LOG_STANDARD
      && !g_hash_table_contains (plan->params, "vib_weight"))
    g_hash_table_insert (plan->params, g_strdup ("vib_weight"), g_strdup (DEFAULT_VIB_WEIGHT));
  if (!plan_number (plan, "target_frr", plan->supervised ? 0.01 : 0.02, 0.0, 0.5,
                    &plan->target_frr, error)
      || !plan_number (plan, "target_escape", NAN, 0.0, 0.5, &plan->target_escape, error)
      || !plan_number (plan, "folds", 5, 2, 50, &folds, error)
      || !plan_number (plan, "repeats", 2, 1, 50, &repeats, error)
      || !plan_number (plan, "seed", 1, 0, G_MAXINT32, &seed, error)
      || !plan_number (plan, "vib_weight", 1.0, 1e-3, 1e3, &plan->vib_weight, error))
    return FALSE;
  plan->folds = (guint) folds;
  plan->repeats = (guint) repeats;
  plan->seed = (guint) seed;
  if (plan->combined)
    {
      g_autofree char *name = g_strdup_printf ("%s+%s", ausculta_detector_kind_to_string (plan->kind),
                                               ausculta_detector_kind_to_string (plan->combine_kind));

      g_hash_table_replace (plan->params, g_strdup ("detector"), g_steal_pointer (&name));
    }
  return TRUE;
}

static gboolean
is_training_row (const TrainPlan       *plan,
                 const AuscultaDataset *data,
                 gboolean               unlabelled,
                 guint                  r)
{
  int label = data->labels[r];

  if (unlabelled)
    return TRUE;
  return plan->supervised ? ausculta_label_is_good (label) || ausculta_label_is_bad (label)
                          : ausculta_label_is_good (label);
}

/* The column weights are for the detectors, which have no labels to weigh
 * columns with; the classifier learns its own: it is fitted on the
 * unweighted columns, then its coefficients are divided by the weights so
 * that it gives the weighted rows the same logit. */
static gboolean
fit_classifier (const TrainPlan       *plan,
                const double          *x,
                const guint8          *bad,
                guint                  n,
                guint                  d,
                const double          *weight,
                AuscultaDetector      *det,
                GCancellable          *cancellable,
                GError               **error)
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
fit_detector (const TrainPlan       *plan,
              AuscultaDetectorKind   kind,
              const double          *x,
              const guint8          *bad,
              guint                  n,
              guint                  d,
              const double          *weight,
              AuscultaDetector      *det,
              GCancellable          *cancellable,
              GError               **error)
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
static AuscultaModel *
fit_model (const TrainPlan       *plan,
           const AuscultaDataset *data,
           const guint           *rows,
           guint                  n,
           GCancellable          *cancellable,
           GError               **error)
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

/* Motors shuffled (seeded) and dealt round-robin into folds. */
guint *
ausculta_assign_folds (const AuscultaDataset *data,
              guint                  folds,
              guint                  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint *order = g_new (guint, data->n_groups);
  guint *fold_of_group = g_new (guint, data->n_groups);

  for (guint g = 0; g < data->n_groups; g++)
    order[g] = g;
  for (guint g = data->n_groups; g > 1; g--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) g);
      guint t = order[g - 1];

      order[g - 1] = order[j];
      order[j] = t;
    }
  for (guint i = 0; i < data->n_groups; i++)
    fold_of_group[order[i]] = i % folds;
  return fold_of_group;
}

typedef struct {
  guint   repeats;
  guint   n_rows;
  double *parts;     /* repeats × n_rows × 2, NaN where a row was not scored */
} OutOfFold;

static void
out_of_fold_clear (OutOfFold *oof)
{
  g_clear_pointer (&oof->parts, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutOfFold, out_of_fold_clear)

static gboolean
score_fold (const TrainPlan       *plan,
            const AuscultaDataset *data,
            const guint           *fold_of_group,
            guint                  fold,
            gboolean               unlabelled,
            double                *parts,
            GCancellable          *cancellable,
            GError               **error)
{
  g_autoptr(GArray) train = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(AuscultaModel) model = NULL;
  g_autofree double *x = NULL;
  g_autofree double *out = NULL;
  guint d = data->n_cols;

  for (guint r = 0; r < data->n_rows; r++)
    {
      if (fold_of_group[data->groups[r]] == fold)
        g_array_append_val (test, r);
      else if (is_training_row (plan, data, unlabelled, r))
        g_array_append_val (train, r);
    }
  model = fit_model (plan, data, (guint *) train->data, train->len, cancellable, error);
  if (model == NULL)
    return FALSE;
  x = g_new (double, (gsize) MAX (test->len, 1) * d);
  out = g_new (double, 2 * (gsize) MAX (test->len, 1));
  for (guint i = 0; i < test->len; i++)
    memcpy (x + (gsize) i * d, data->values + (gsize) g_array_index (test, guint, i) * d,
            sizeof (double) * d);
  if (!ausculta_model_score_parts (model, x, test->len, out, cancellable))
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  for (guint i = 0; i < test->len; i++)
    {
      guint r = g_array_index (test, guint, i);

      parts[2 * r] = out[2 * i];
      parts[2 * r + 1] = out[2 * i + 1];
    }
  return TRUE;
}

static gboolean
out_of_fold_scores (const TrainPlan       *plan,
                    const AuscultaDataset *data,
                    gboolean               unlabelled,
                    OutOfFold             *oof,
                    GCancellable          *cancellable,
                    AuscultaProgressFunc   progress,
                    gpointer               user_data,
                    GError               **error)
{
  guint folds = MIN (plan->folds, data->n_groups);
  guint steps = plan->repeats * folds + 1;

  if (folds < 2)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "%u motor(s) in the data; choosing a threshold on out-of-fold scores needs "
                   "at least 2", data->n_groups);
      return FALSE;
    }
  oof->repeats = plan->repeats;
  oof->n_rows = data->n_rows;
  oof->parts = g_new (double, (gsize) plan->repeats * data->n_rows * 2);
  for (guint rep = 0; rep < plan->repeats; rep++)
    {
      g_autofree guint *fold_of_group = ausculta_assign_folds (data, folds, plan->seed + rep);

      for (guint f = 0; f < folds; f++)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error)
              || !score_fold (plan, data, fold_of_group, f, unlabelled,
                              oof->parts + (gsize) rep * data->n_rows * 2, cancellable, error))
            return FALSE;
          if (progress != NULL)
            progress ((double) (rep * folds + f + 1) / steps, "out-of-fold scores", user_data);
        }
    }
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Linear-interpolated quantile of sorted values (numpy's default). */
static double
quantile (const double *sorted,
          guint         n,
          double        q)
{
  double pos = q * (n - 1);
  guint i = (guint) floor (pos);

  if (i + 1 >= n)
    return sorted[n - 1];
  return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
}

/* Each part centred on its median good out-of-fold score and scaled by the
 * distance to its 90th percentile, so that "as unusual as 1 good unit in 10"
 * means the same for the classifier and the detector. */
static void
combination_from_oof (const OutOfFold       *oof,
                      const AuscultaDataset *data,
                      double                *center,
                      double                *scale)
{
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(GArray) good = g_array_new (FALSE, FALSE, sizeof (double));

      for (gsize i = 0; i < (gsize) oof->repeats * oof->n_rows; i++)
        {
          double s = oof->parts[2 * i + p];

          if (ausculta_label_is_good (data->labels[i % oof->n_rows]) && !isnan (s))
            g_array_append_val (good, s);
        }
      g_array_sort (good, compare_doubles);
      center[p] = good->len > 0 ? quantile ((double *) good->data, good->len, 0.5) : 0.0;
      scale[p] = good->len > 0 ? quantile ((double *) good->data, good->len, 0.9) - center[p] : 1.0;
      if (!(scale[p] > 0.0))
        scale[p] = 1.0;
    }
}

static double
combined_score (const double *parts,
                gboolean      combined,
                const double *center,
                const double *scale)
{
  if (!combined)
    return parts[0];
  return MAX ((parts[0] - center[0]) / scale[0], (parts[1] - center[1]) / scale[1]);
}

/* Threshold from the pooled out-of-fold scores; writes the rule in words. */
static double
choose_threshold (const TrainPlan       *plan,
                  const AuscultaDataset *data,
                  const double          *scores,
                  guint                  n,
                  char                 **rule)
{
  g_autoptr(GArray) good = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bad = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean by_escape;
  double threshold;

  for (guint i = 0; i < n; i++)
    {
      int label = data->labels[i % data->n_rows];

      if (isnan (scores[i]))
        continue;
      if (ausculta_label_is_bad (label))
        g_array_append_val (bad, scores[i]);
      else
        g_array_append_val (good, scores[i]);
    }
  by_escape = !isnan (plan->target_escape) && bad->len > 0;
  if (by_escape)
    threshold = ausculta_threshold_for_escape ((double *) bad->data, bad->len, plan->target_escape);
  else
    threshold = ausculta_threshold_for_frr ((double *) good->data, good->len, plan->target_frr);
  *rule = g_strdup_printf ("%s=%g on %u %s out-of-fold scores (%u folds by motor × %u repeats, "
                           "seed %u)", by_escape ? "target_escape" : "target_frr",
                           by_escape ? plan->target_escape : plan->target_frr,
                           by_escape ? bad->len : good->len, by_escape ? "bad-unit" : "good-unit",
                           plan->folds, plan->repeats, plan->seed);
  return threshold;
}

static char *
training_hash (const TrainPlan       *plan,
               const AuscultaDataset *data)
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
check_data (const TrainPlan       *plan,
            const AuscultaDataset *data,
            gboolean              *unlabelled,
            GError               **error)
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
summary_from_oof (const TrainPlan       *plan,
                  const AuscultaDataset *data,
                  const double          *scores,
                  double                 threshold)
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
  g_auto(TrainPlan) plan = { 0 };
  g_auto(OutOfFold) oof = { 0 };
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

  if (!train_plan_init (&plan, settings, error) || !check_data (&plan, data, &unlabelled, error)
      || !out_of_fold_scores (&plan, data, unlabelled, &oof, cancellable, progress, user_data, error))
    return NULL;
  if (plan.combined)
    combination_from_oof (&oof, data, center, scale);
  n_scores = (gsize) oof.repeats * oof.n_rows;
  scores = g_new (double, n_scores);
  for (gsize i = 0; i < n_scores; i++)
    scores[i] = combined_score (oof.parts + 2 * i, plan.combined, center, scale);
  threshold = choose_threshold (&plan, data, scores, (guint) n_scores, &rule);

  for (guint r = 0; r < data->n_rows; r++)
    if (is_training_row (&plan, data, unlabelled, r))
      g_array_append_val (rows, r);
  model = fit_model (&plan, data, (guint *) rows->data, rows->len, cancellable, error);
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
