/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-validation"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-validation.h"

#define Z95 1.959963984540054
#define PAUC_MAX_FPR 0.1
#define N_BOOTSTRAP 1000
#define BOOTSTRAP_SEED 20240601

AuscultaRate
ausculta_rate_wilson (guint successes,
                      guint trials)
{
  AuscultaRate rate = { successes, trials, NAN, NAN, NAN };
  double n = trials, p, denom, centre, half;

  if (trials == 0)
    return rate;
  p = successes / n;
  denom = 1.0 + Z95 * Z95 / n;
  centre = (p + Z95 * Z95 / (2.0 * n)) / denom;
  half = Z95 / denom * sqrt (p * (1.0 - p) / n + Z95 * Z95 / (4.0 * n * n));
  rate.value = p;
  rate.low = MAX (0.0, centre - half);
  rate.high = MIN (1.0, centre + half);
  return rate;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* NOK when score > threshold: with m = floor (target × n) good scores allowed
 * above it, the threshold is the (n - m)-th smallest good score. */
double
ausculta_threshold_for_frr (const double *good_scores,
                            guint         n_good,
                            double        target)
{
  g_autofree double *sorted = NULL;
  guint allowed;

  g_return_val_if_fail (n_good > 0, NAN);

  sorted = g_memdup2 (good_scores, sizeof (double) * n_good);
  qsort (sorted, n_good, sizeof (double), compare_doubles);
  allowed = MIN ((guint) floor (target * n_good + 1e-9), n_good - 1);
  return sorted[n_good - 1 - allowed];
}

/* Accepted when score <= threshold: at most m = floor (target × n) bad
 * scores may be at or below it, so it sits just below the (m+1)-th smallest. */
double
ausculta_threshold_for_escape (const double *bad_scores,
                               guint         n_bad,
                               double        target)
{
  g_autofree double *sorted = NULL;
  guint allowed;

  g_return_val_if_fail (n_bad > 0, NAN);

  sorted = g_memdup2 (bad_scores, sizeof (double) * n_bad);
  qsort (sorted, n_bad, sizeof (double), compare_doubles);
  allowed = (guint) floor (target * n_bad + 1e-9);
  if (allowed >= n_bad)
    return INFINITY;
  return nextafter (sorted[allowed], -INFINITY);
}

typedef struct {
  double score;
  int    bad;
} Scored;

static int
compare_scored_desc (gconstpointer a,
                     gconstpointer b)
{
  const Scored *x = a, *y = b;

  return x->score > y->score ? -1 : x->score < y->score;
}

/* ROC from scores sorted descending: one point per distinct score. */
static GArray *
roc_points (Scored *s,
            guint   n,
            guint   n_bad,
            guint   n_good)
{
  GArray *roc = g_array_new (FALSE, FALSE, sizeof (AuscultaRocPoint));
  AuscultaRocPoint p = { 0.0, 0.0, INFINITY };
  guint tp = 0, fp = 0;

  qsort (s, n, sizeof *s, compare_scored_desc);
  g_array_append_val (roc, p);
  for (guint i = 0; i < n; i++)
    {
      if (s[i].bad)
        tp++;
      else
        fp++;
      if (i + 1 < n && s[i + 1].score == s[i].score)
        continue;
      p = (AuscultaRocPoint) { n_good ? (double) fp / n_good : NAN,
                               n_bad ? (double) tp / n_bad : NAN, s[i].score };
      g_array_append_val (roc, p);
    }
  return roc;
}

static double
roc_area (GArray *roc,
          double  max_fpr)
{
  double area = 0.0;

  for (guint i = 1; i < roc->len; i++)
    {
      AuscultaRocPoint *a = &g_array_index (roc, AuscultaRocPoint, i - 1);
      AuscultaRocPoint *b = &g_array_index (roc, AuscultaRocPoint, i);
      double x1 = MIN (b->fpr, max_fpr), y1 = b->tpr;

      if (a->fpr >= max_fpr)
        break;
      if (b->fpr > max_fpr)
        y1 = a->tpr + (b->tpr - a->tpr) * (max_fpr - a->fpr) / (b->fpr - a->fpr);
      area += (x1 - a->fpr) * (a->tpr + y1) / 2.0;
    }
  return area;
}

/* AUC (ties count one half) and the McClish-standardised partial AUC for
 * FPR <= 0.1, as sklearn's roc_auc_score (max_fpr=0.1). */
static void
auc_of (const double *scores,
        const int    *bad,
        guint         n,
        double       *auc,
        double       *pauc,
        GArray      **roc_out)
{
  g_autofree Scored *s = g_new (Scored, MAX (n, 1));
  guint n_bad = 0, n_good = 0;
  GArray *roc;
  double min_area = 0.5 * PAUC_MAX_FPR * PAUC_MAX_FPR, partial;

  for (guint i = 0; i < n; i++)
    {
      s[i] = (Scored) { scores[i], bad[i] };
      n_bad += bad[i] != 0;
    }
  n_good = n - n_bad;
  roc = roc_points (s, n, n_bad, n_good);
  if (n_bad == 0 || n_good == 0)
    *auc = *pauc = NAN;
  else
    {
      *auc = roc_area (roc, 1.0);
      partial = roc_area (roc, PAUC_MAX_FPR);
      *pauc = 0.5 * (1.0 + (partial - min_area) / (PAUC_MAX_FPR - min_area));
    }
  if (roc_out != NULL)
    *roc_out = roc;
  else
    g_array_unref (roc);
}

/* Percentile interval of the AUC when whole motors are resampled. */
static void
bootstrap_auc (const double *scores,
               const int    *bad,
               const guint  *groups,
               guint         n,
               double       *low,
               double       *high,
               double       *pauc_low,
               double       *pauc_high)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BOOTSTRAP_SEED);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree double *aucs = g_new (double, N_BOOTSTRAP);
  g_autofree double *paucs = g_new (double, N_BOOTSTRAP);
  g_autoptr(GArray) bs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bb = g_array_new (FALSE, FALSE, sizeof (int));
  guint valid = 0;

  for (guint i = 0; i < n; i++)
    {
      gpointer key = GUINT_TO_POINTER (groups[i] + 1);
      GArray *rows = g_hash_table_lookup (ids, key);

      if (rows == NULL)
        {
          rows = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (members, rows);
          g_hash_table_insert (ids, key, rows);
        }
      g_array_append_val (rows, i);
    }
  for (guint b = 0; b < N_BOOTSTRAP; b++)
    {
      double auc, pauc;

      g_array_set_size (bs, 0);
      g_array_set_size (bb, 0);
      for (guint g = 0; g < members->len; g++)
        {
          GArray *rows = members->pdata[g_rand_int_range (rand, 0, (gint32) members->len)];

          for (guint j = 0; j < rows->len; j++)
            {
              guint r = g_array_index (rows, guint, j);

              g_array_append_val (bs, scores[r]);
              g_array_append_val (bb, bad[r]);
            }
        }
      auc_of ((double *) bs->data, (int *) bb->data, bs->len, &auc, &pauc, NULL);
      if (isnan (auc))
        continue;
      aucs[valid] = auc;
      paucs[valid++] = pauc;
    }
  *low = *high = *pauc_low = *pauc_high = NAN;
  if (valid == 0)
    return;
  qsort (aucs, valid, sizeof (double), compare_doubles);
  qsort (paucs, valid, sizeof (double), compare_doubles);
  *low = aucs[(guint) floor (0.025 * (valid - 1))];
  *high = aucs[(guint) ceil (0.975 * (valid - 1))];
  *pauc_low = paucs[(guint) floor (0.025 * (valid - 1))];
  *pauc_high = paucs[(guint) ceil (0.975 * (valid - 1))];
}

static int
compare_class (gconstpointer a,
               gconstpointer b)
{
  const AuscultaClassRecall *x = a, *y = b;

  return (x->defect_class > y->defect_class) - (x->defect_class < y->defect_class);
}

static void
class_recalls (AuscultaValidationReport *report,
               const int                *labels)
{
  g_autoptr(GHashTable) caught = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) total = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < report->n_rows; i++)
    {
      gpointer k = GINT_TO_POINTER (labels[i]);

      if (!ausculta_label_is_bad (labels[i]) || isnan (report->scores[i]))
        continue;
      g_hash_table_insert (total, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (total, k)) + 1));
      if (report->scores[i] > report->threshold)
        g_hash_table_insert (caught, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (caught, k)) + 1));
    }
  g_hash_table_iter_init (&iter, total);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AuscultaClassRecall c = { GPOINTER_TO_INT (key) };

      c.recall = ausculta_rate_wilson (GPOINTER_TO_UINT (g_hash_table_lookup (caught, key)),
                                       GPOINTER_TO_UINT (value));
      c.left_out = ausculta_rate_wilson (0, 0);
      g_array_append_val (report->classes, c);
    }
  g_array_sort (report->classes, compare_class);
}

/**
 * ausculta_validation_report_new:
 * @scores: one score per row (NaN for a row not scored)
 * @labels: AUSCULTA_LABEL_* or defect classes; unlabelled rows are ignored
 * @groups: the motor of each row (for the bootstrap and the motor count)
 * @threshold: NOK when score > threshold
 */
AuscultaValidationReport *
ausculta_validation_report_new (const double *scores,
                                const int    *labels,
                                const guint  *groups,
                                guint         n_rows,
                                double        threshold)
{
  AuscultaValidationReport *report = g_new0 (AuscultaValidationReport, 1);
  g_autofree double *s = g_new (double, MAX (n_rows, 1));
  g_autofree int *bad = g_new (int, MAX (n_rows, 1));
  g_autofree guint *g = g_new (guint, MAX (n_rows, 1));
  g_autoptr(GHashTable) motors = g_hash_table_new (NULL, NULL);
  guint n = 0;

  report->n_rows = n_rows;
  report->threshold = threshold;
  report->scores = g_memdup2 (scores, sizeof (double) * MAX (n_rows, 1));
  report->labels = g_memdup2 (labels, sizeof (int) * MAX (n_rows, 1));
  report->classes = g_array_new (FALSE, FALSE, sizeof (AuscultaClassRecall));
  report->repeats = g_array_new (FALSE, FALSE, sizeof (AuscultaRepeatSummary));
  for (guint i = 0; i < n_rows; i++)
    {
      gboolean is_bad = ausculta_label_is_bad (labels[i]);
      gboolean nok = scores[i] > threshold;

      if (isnan (scores[i]) || !(is_bad || ausculta_label_is_good (labels[i])))
        continue;
      s[n] = scores[i], bad[n] = is_bad, g[n++] = groups[i];
      g_hash_table_add (motors, GUINT_TO_POINTER (groups[i] + 1));
      if (is_bad)
        nok ? report->true_nok++ : report->false_ok++;
      else
        nok ? report->false_nok++ : report->true_ok++;
    }
  report->n_motors = g_hash_table_size (motors);
  report->escape_rate = ausculta_rate_wilson (report->false_ok, report->false_ok + report->true_nok);
  report->false_reject_rate = ausculta_rate_wilson (report->false_nok,
                                                    report->false_nok + report->true_ok);
  auc_of (s, bad, n, &report->auc, &report->pauc, &report->roc);
  bootstrap_auc (s, bad, g, n, &report->auc_low, &report->auc_high, &report->pauc_low,
                 &report->pauc_high);
  class_recalls (report, labels);
  return report;
}

void
ausculta_validation_report_free (AuscultaValidationReport *report)
{
  if (report == NULL)
    return;
  g_free (report->model_version);
  g_free (report->method);
  g_clear_pointer (&report->roc, g_array_unref);
  g_clear_pointer (&report->classes, g_array_unref);
  g_clear_pointer (&report->repeats, g_array_unref);
  g_free (report->scores);
  g_free (report->labels);
  ausculta_validation_report_free (report->production);
  g_free (report);
}

static gboolean
score_dataset (AuscultaModel         *model,
               const AuscultaDataset *data,
               double                *scores,
               GError               **error)
{
  const char * const *names = ausculta_model_get_feature_names (model);
  guint d = ausculta_model_get_n_features (model);
  g_autofree double *x = NULL;
  g_autofree int *column = g_new (int, d);

  for (guint c = 0; c < d; c++)
    {
      column[c] = -1;
      for (guint j = 0; j < data->n_cols && column[c] < 0; j++)
        if (g_str_equal (names[c], data->feature_names[j]))
          column[c] = (int) j;
      if (column[c] < 0)
        {
          g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_FEATURES,
                       "the data has no column %s; model %s needs its %u features", names[c],
                       ausculta_model_get_version (model), d);
          return FALSE;
        }
    }
  x = g_new (double, (gsize) data->n_rows * d);
  for (guint r = 0; r < data->n_rows; r++)
    for (guint c = 0; c < d; c++)
      x[(gsize) r * d + c] = data->values[(gsize) r * data->n_cols + column[c]];
  return ausculta_model_score_matrix (model, x, data->n_rows, scores, NULL, error);
}

static AuscultaValidationReport *
report_for_model (AuscultaModel         *model,
                  const AuscultaDataset *data,
                  GError               **error)
{
  g_autofree double *scores = g_new (double, data->n_rows);
  AuscultaValidationReport *report;

  if (!score_dataset (model, data, scores, error))
    return NULL;
  report = ausculta_validation_report_new (scores, data->labels, data->groups, data->n_rows,
                                           ausculta_model_get_threshold (model));
  report->model_version = g_strdup (ausculta_model_get_version (model));
  report->method = g_strdup ("the model's own threshold on the given rows");
  return report;
}

AuscultaValidationReport *
ausculta_validate_model (AuscultaModel         *model,
                         AuscultaModel         *production,
                         const AuscultaDataset *data,
                         GCancellable          *cancellable,
                         AuscultaProgressFunc   progress,
                         gpointer               user_data,
                         GError               **error)
{
  g_autoptr(AuscultaValidationReport) report = NULL;

  g_return_val_if_fail (AUSCULTA_IS_MODEL (model), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (ausculta_dataset_count_label (data, TRUE) + ausculta_dataset_count_label (data, FALSE) == 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "no labelled rows: validation needs rows marked good or bad");
      return NULL;
    }
  report = report_for_model (model, data, error);
  if (report == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (progress != NULL)
    progress (production != NULL ? 0.5 : 1.0, "candidate scored", user_data);
  if (production != NULL)
    {
      report->production = report_for_model (production, data, error);
      if (report->production == NULL)
        return NULL;
      if (progress != NULL)
        progress (1.0, "production scored", user_data);
    }
  return g_steal_pointer (&report);
}
