/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-train-oof"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-train-private.h"
#include "ausculta-validation.h"

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

void
ausculta_out_of_fold_clear (AuscultaOutOfFold *oof)
{
  g_clear_pointer (&oof->parts, g_free);
}

static gboolean
score_fold (const AuscultaTrainPlan *plan,
            const AuscultaDataset   *data,
            const guint             *fold_of_group,
            guint                    fold,
            gboolean                 unlabelled,
            double                  *parts,
            GCancellable            *cancellable,
            GError                 **error)
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
      else if (ausculta_train_plan_uses_row (plan, data, unlabelled, r))
        g_array_append_val (train, r);
    }
  model = ausculta_train_fit_model (plan, data, (guint *) train->data, train->len, cancellable,
                                    error);
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

gboolean
ausculta_out_of_fold_scores (const AuscultaTrainPlan *plan,
                             const AuscultaDataset   *data,
                             gboolean                 unlabelled,
                             AuscultaOutOfFold       *oof,
                             GCancellable            *cancellable,
                             AuscultaProgressFunc     progress,
                             gpointer                 user_data,
                             GError                 **error)
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
void
ausculta_combination_from_oof (const AuscultaOutOfFold *oof,
                               const AuscultaDataset   *data,
                               double                  *center,
                               double                  *scale)
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

double
ausculta_combined_score (const double *parts,
                         gboolean      combined,
                         const double *center,
                         const double *scale)
{
  if (!combined)
    return parts[0];
  return MAX ((parts[0] - center[0]) / scale[0], (parts[1] - center[1]) / scale[1]);
}

/* Threshold from the pooled out-of-fold scores; writes the rule in words. */
double
ausculta_choose_threshold (const AuscultaTrainPlan *plan,
                           const AuscultaDataset   *data,
                           const double            *scores,
                           guint                    n,
                           char                   **rule)
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
