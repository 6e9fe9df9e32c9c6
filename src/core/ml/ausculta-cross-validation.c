/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cross-validation"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-model-private.h"
#include "ausculta-validation.h"

typedef struct {
  const AuscultaDataset *data;
  const char * const    *settings;     /* the recipe, inner thresholds included, as trained */
  GCancellable          *cancellable;
  AuscultaProgressFunc   progress;
  gpointer               user_data;
  guint                  step;
  guint                  n_steps;
} CrossValidation;

static void
step_done (CrossValidation *cv,
           const char      *what)
{
  cv->step++;
  if (cv->progress != NULL)
    cv->progress (MIN (1.0, (double) cv->step / cv->n_steps), what, cv->user_data);
}

/* Trains on @train_rows, then writes score - threshold of @test_rows into
 * @margins (NOK exactly when the margin is positive). */
static gboolean
train_and_score (CrossValidation *cv,
                 GArray          *train_rows,
                 GArray          *test_rows,
                 double          *margins,
                 GError         **error)
{
  const AuscultaDataset *data = cv->data;
  g_autoptr(AuscultaDataset) train = ausculta_dataset_subset (data, (guint *) train_rows->data,
                                                              train_rows->len);
  g_autoptr(AuscultaModel) model = NULL;
  g_autofree double *x = g_new (double, (gsize) MAX (test_rows->len, 1) * data->n_cols);
  g_autofree double *scores = g_new (double, MAX (test_rows->len, 1));

  model = ausculta_model_train (train, cv->settings, cv->cancellable,
                                NULL, NULL, error);
  if (model == NULL)
    return FALSE;
  for (guint i = 0; i < test_rows->len; i++)
    memcpy (x + (gsize) i * data->n_cols,
            data->values + (gsize) g_array_index (test_rows, guint, i) * data->n_cols,
            sizeof (double) * data->n_cols);
  if (!ausculta_model_score_matrix (model, x, test_rows->len, scores, NULL, error))
    return FALSE;
  for (guint i = 0; i < test_rows->len; i++)
    margins[g_array_index (test_rows, guint, i)] = scores[i] - ausculta_model_get_threshold (model);
  return TRUE;
}

static gboolean
run_repeat (CrossValidation *cv,
            guint            folds,
            guint            seed,
            double          *margins,
            GError         **error)
{
  g_autofree guint *fold_of_group = ausculta_assign_folds (cv->data, folds, seed);

  for (guint r = 0; r < cv->data->n_rows; r++)
    margins[r] = NAN;
  for (guint f = 0; f < folds; f++)
    {
      g_autoptr(GArray) train = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint r = 0; r < cv->data->n_rows; r++)
        g_array_append_val (fold_of_group[cv->data->groups[r]] == f ? test : train, r);
      if (!train_and_score (cv, train, test, margins, error))
        return FALSE;
      step_done (cv, "cross-validation by motor");
    }
  return TRUE;
}

/* Each defect class in turn is removed from training; its rows are then
 * scored by a model that never saw that kind of defect. */
static gboolean
leave_class_out (CrossValidation          *cv,
                 AuscultaValidationReport *report,
                 GError                  **error)
{
  const AuscultaDataset *data = cv->data;
  g_autofree double *margins = g_new (double, data->n_rows);

  for (guint c = 0; c < report->classes->len; c++)
    {
      AuscultaClassRecall *cls = &g_array_index (report->classes, AuscultaClassRecall, c);
      g_autoptr(GArray) train = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (guint));
      guint caught = 0;

      for (guint r = 0; r < data->n_rows; r++)
        g_array_append_val (data->labels[r] == cls->defect_class ? test : train, r);
      if (!train_and_score (cv, train, test, margins, error))
        return FALSE;
      for (guint i = 0; i < test->len; i++)
        caught += margins[g_array_index (test, guint, i)] > 0.0;
      cls->left_out = ausculta_rate_wilson (caught, test->len);
      step_done (cv, "leave one defect class out");
    }
  return TRUE;
}

static gboolean
is_supervised (const char * const *settings)
{
  gboolean supervised = FALSE;

  for (guint i = 0; settings != NULL && settings[i] != NULL; i++)
    if (g_str_has_prefix (settings[i], "detector="))
      supervised = g_str_equal (settings[i], "detector=logistic");
  return supervised;
}

static void
add_repeat_summary (AuscultaValidationReport *report,
                    const AuscultaDataset    *data,
                    const double             *margins)
{
  g_autoptr(AuscultaValidationReport) one =
    ausculta_validation_report_new (margins, data->labels, data->groups, data->n_rows, 0.0);
  AuscultaRepeatSummary summary = { one->escape_rate.value, one->false_reject_rate.value, one->auc };

  g_array_append_val (report->repeats, summary);
}

AuscultaValidationReport *
ausculta_cross_validate (const AuscultaDataset *data,
                         const char * const    *settings,
                         guint                  folds,
                         guint                  repeats,
                         guint                  seed,
                         GCancellable          *cancellable,
                         AuscultaProgressFunc   progress,
                         gpointer               user_data,
                         GError               **error)
{
  CrossValidation cv = { data, settings, cancellable, progress, user_data, 0, 0 };
  g_autofree double *margins = NULL;
  g_autoptr(AuscultaValidationReport) report = NULL;
  gboolean supervised = is_supervised (settings);

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (repeats >= 1, NULL);

  folds = MIN (folds, data->n_groups);
  if (folds < 2)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "%u motor(s): cross-validation by motor needs at least 2", data->n_groups);
      return NULL;
    }
  cv.n_steps = repeats * folds + (supervised ? 7 : 0);
  margins = g_new (double, (gsize) repeats * data->n_rows);
  for (guint rep = 0; rep < repeats; rep++)
    if (!run_repeat (&cv, folds, seed + 1000 + rep, margins + (gsize) rep * data->n_rows, error))
      return NULL;
  report = ausculta_validation_report_new (margins, data->labels, data->groups, data->n_rows, 0.0);
  report->method = g_strdup_printf ("cross-validation by motor: %u folds × %u repeats (figures: "
                                    "repeat 1; scores are score − threshold of the fold's model)",
                                    folds, repeats);
  for (guint rep = 0; rep < repeats; rep++)
    add_repeat_summary (report, data, margins + (gsize) rep * data->n_rows);
  if (supervised)
    {
      if (!leave_class_out (&cv, report, error))
        return NULL;
    }
  else
    {
      /* detectors learn from good units only: every defect class is unseen */
      for (guint c = 0; c < report->classes->len; c++)
        {
          AuscultaClassRecall *cls = &g_array_index (report->classes, AuscultaClassRecall, c);

          cls->left_out = cls->recall;
        }
    }
  return g_steal_pointer (&report);
}
