/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-train.h"
#include "ml-test-util.h"

#define D 10

/* Good units: N(0, 1); defect A: column 0 shifted; defect B: column 7 shifted. */
static AuscultaDataset *
make_data (guint   n_good,
           guint   n_a,
           guint   n_b,
           guint32 seed)
{
  const char *names[D + 1] = { "V1_AC_up", "V2_AC_up", "V3_AC_up", "V4_AC_up", "V5_AC_up",
                               "V1_AC_down", "V2_AC_down", "V3_AC_down", "V4_AC_down",
                               "V5_AC_down", NULL };
  guint n = n_good + n_a + n_b;
  g_autofree double *x = ml_test_gaussian (n, D, seed);
  AuscultaDataset *data = ausculta_dataset_new (names);

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *name = g_strdup_printf ("m%u_%u", seed, r);
      int label = r < n_good ? AUSCULTA_DATASET_LABEL_OK : r < n_good + n_a ? 1 : 2;

      if (label == 1)
        x[(gsize) r * D] += 6.0;
      if (label == 2)
        x[(gsize) r * D + 7] += 6.0;
      ausculta_dataset_append (data, name, NULL, label, x + (gsize) r * D);
    }
  return data;
}

static double
reject_rate (AuscultaModel         *model,
             const AuscultaDataset *data,
             int                    label)
{
  g_autofree double *scores = g_new (double, data->n_rows);
  guint n = 0, rejected = 0;

  g_assert_true (ausculta_model_score_matrix (model, data->values, data->n_rows, scores, NULL, NULL));
  for (guint r = 0; r < data->n_rows; r++)
    {
      if (data->labels[r] != label)
        continue;
      n++;
      rejected += scores[r] > ausculta_model_get_threshold (model);
    }
  return (double) rejected / n;
}

/* A target false-reject rate chosen on out-of-fold scores holds on new good units. */
static void
test_target_frr (void)
{
  g_autoptr(AuscultaDataset) train = make_data (300, 0, 0, 1);
  g_autoptr(AuscultaDataset) fresh = make_data (2000, 0, 0, 2);
  const char *settings[] = { "detector=knn", "target_frr=0.1", "preprocess=standard", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_train (train, settings, NULL, NULL, NULL, &error);
  double frr;

  g_assert_no_error (error);
  frr = reject_rate (model, fresh, AUSCULTA_DATASET_LABEL_OK);
  g_test_message ("target 10 %%: %.1f %% of new good units rejected", 100 * frr);
  g_assert_cmpfloat (frr, >, 0.04);
  g_assert_cmpfloat (frr, <, 0.18);
  g_assert_nonnull (strstr (ausculta_model_get_threshold_rule (model), "target_frr=0.1"));
}

/* With labelled bad units, a target escape rate picks the threshold instead. */
static void
test_target_escape (void)
{
  g_autoptr(AuscultaDataset) train = make_data (200, 100, 0, 3);
  const char *settings[] = { "detector=mahalanobis", "target_escape=0.2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autofree double *scores = g_new (double, train->n_rows);
  guint escaped = 0;

  /* bad units only slightly off, so that the escape target binds */
  for (guint r = 200; r < 300; r++)
    train->values[(gsize) r * D] -= 5.0;
  model = ausculta_model_train (train, settings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (ausculta_model_get_threshold_rule (model), "target_escape=0.2"));
  ausculta_model_score_matrix (model, train->values, train->n_rows, scores, NULL, NULL);
  for (guint r = 200; r < 300; r++)
    escaped += scores[r] <= ausculta_model_get_threshold (model);
  g_test_message ("target 20 %%: %u of 100 bad units accepted", escaped);
  g_assert_cmpuint (escaped, >=, 8);
  g_assert_cmpuint (escaped, <=, 35);
}

/* The classifier alone misses a defect it never saw; combined with a
 * detector it catches it. */
static void
test_unseen_defect (void)
{
  g_autoptr(AuscultaDataset) train = make_data (300, 100, 0, 5);
  g_autoptr(AuscultaDataset) unseen = make_data (0, 0, 200, 6);
  const char *alone[] = { "detector=logistic", NULL };
  const char *combined[] = { "detector=logistic", "combine=knn", NULL };
  g_autoptr(AuscultaModel) a = ausculta_model_train (train, alone, NULL, NULL, NULL, NULL);
  g_autoptr(AuscultaModel) b = ausculta_model_train (train, combined, NULL, NULL, NULL, NULL);
  double caught_alone = reject_rate (a, unseen, 2), caught_combined = reject_rate (b, unseen, 2);

  g_test_message ("unseen defect caught: logistic %.0f %%, logistic+knn %.0f %%",
                  100 * caught_alone, 100 * caught_combined);
  g_assert_cmpstr (ausculta_model_get_detector (b), ==, "logistic+knn");
  g_assert_cmpfloat (caught_alone, <, 0.5);
  g_assert_cmpfloat (caught_combined, >, 0.9);
}

/* Half acoustic (dB) columns, half vibration (linear, 10^N(0, 1)) columns;
 * the last two rows are a good unit 4 standard deviations off in one
 * acoustic column, then in one vibration column. */
static AuscultaDataset *
make_two_sensors (void)
{
  const char *names[] = { "V1_AC_up", "V2_AC_up", "V3_AC_up", "V4_AC_up",
                          "V1_vib_up", "V2_vib_up", "V3_vib_up", "V4_vib_up", NULL };
  g_autofree double *x = ml_test_gaussian (202, 8, 11);
  AuscultaDataset *data = ausculta_dataset_new (names);

  for (guint r = 0; r < 202; r++)
    {
      g_autofree char *name = g_strdup_printf ("s%u", r);
      double *row = x + (gsize) r * 8;

      for (guint c = 0; r >= 200 && c < 8; c++)
        row[c] = 0.0;
      row[0] += r == 200 ? 4.0 : 0.0;
      row[4] += r == 201 ? 4.0 : 0.0;
      for (guint c = 4; c < 8; c++)
        row[c] = pow (10.0, row[c]);
      ausculta_dataset_append (data, name, NULL, r < 200 ? AUSCULTA_DATASET_LABEL_OK : 1, row);
    }
  return data;
}

/* The default recipe weighs vibration columns 0.5: the same deviation
 * counts half as much there as in an acoustic column; vib_weight=1 counts
 * them alike. */
static void
test_vibration_weight (void)
{
  g_autoptr(AuscultaDataset) data = make_two_sensors ();
  const char *plain[] = { "detector=knn", "vib_weight=1", NULL };
  g_autoptr(AuscultaModel) weighted = ausculta_model_train (data, NULL, NULL, NULL, NULL, NULL);
  g_autoptr(AuscultaModel) unweighted = ausculta_model_train (data, plain, NULL, NULL, NULL, NULL);
  double w[2], u[2];

  g_assert_cmpstr (ausculta_model_get_parameter (weighted, "vib_weight"), ==, "0.5");
  g_assert_true (ausculta_model_score_matrix (weighted, data->values + 200 * 8, 2, w, NULL, NULL));
  g_assert_true (ausculta_model_score_matrix (unweighted, data->values + 200 * 8, 2, u, NULL, NULL));
  g_test_message ("acoustic / vibration deviation: weighted %.2f / %.2f, unweighted %.2f / %.2f",
                  w[0], w[1], u[0], u[1]);
  g_assert_cmpfloat (fabs (u[1] / u[0] - 1.0), <, 0.2);
  g_assert_cmpfloat (w[1], <, 0.75 * w[0]);
}

/* The classifier weighs columns itself: the vibration weight leaves its
 * logit unchanged. */
static void
test_classifier_ignores_weight (void)
{
  g_autoptr(AuscultaDataset) data = make_two_sensors ();
  const char *half[] = { "detector=logistic", NULL };
  const char *one[] = { "detector=logistic", "vib_weight=1", NULL };
  g_autoptr(AuscultaModel) a = ausculta_model_train (data, half, NULL, NULL, NULL, NULL);
  g_autoptr(AuscultaModel) b = ausculta_model_train (data, one, NULL, NULL, NULL, NULL);
  g_autofree double *sa = g_new (double, data->n_rows);
  g_autofree double *sb = g_new (double, data->n_rows);

  g_assert_true (ausculta_model_score_matrix (a, data->values, data->n_rows, sa, NULL, NULL));
  g_assert_true (ausculta_model_score_matrix (b, data->values, data->n_rows, sb, NULL, NULL));
  for (guint r = 0; r < data->n_rows; r++)
    g_assert_cmpfloat_with_epsilon (sa[r], sb[r], 1e-6 * (1.0 + fabs (sb[r])));
}

static void
record_progress (double      fraction,
                 const char *step,
                 gpointer    user_data)
{
  g_array_append_val ((GArray *) user_data, fraction);
}

static void
cancel_on_first (double      fraction,
                 const char *step,
                 gpointer    user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_progress_and_cancel (void)
{
  g_autoptr(AuscultaDataset) data = make_data (100, 0, 0, 7);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_train (data, NULL, NULL, record_progress, seen, NULL);
  g_autoptr(AuscultaModel) cancelled = NULL;

  g_assert_nonnull (model);
  g_assert_cmpuint (seen->len, >=, 5);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  cancelled = ausculta_model_train (data, NULL, cancellable, cancel_on_first, cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
assert_train_fails (AuscultaDataset *data,
                    const char      *settings,
                    int              code,
                    const char      *message_part)
{
  g_auto(GStrv) list = g_strsplit (settings, " ", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_train (data, (const char * const *) list, NULL,
                                                         NULL, NULL, &error);

  g_assert_null (model);
  g_assert_error (error, AUSCULTA_MODEL_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("message “%s” does not say “%s”", error->message, message_part);
}

static void
test_bad_requests (void)
{
  g_autoptr(AuscultaDataset) good = make_data (50, 0, 0, 8);
  g_autoptr(AuscultaDataset) holes = make_data (50, 0, 0, 9);

  assert_train_fails (good, "detector=forest", AUSCULTA_MODEL_ERROR_PARAMETER, "detector=forest");
  assert_train_fails (good, "n_neigbors=5", AUSCULTA_MODEL_ERROR_PARAMETER, "unknown setting “n_neigbors”");
  assert_train_fails (good, "metric=chebyshev", AUSCULTA_MODEL_ERROR_PARAMETER, "metric=chebyshev");
  assert_train_fails (good, "target_frr=2", AUSCULTA_MODEL_ERROR_PARAMETER, "target_frr=2");
  assert_train_fails (good, "vib_weight=0", AUSCULTA_MODEL_ERROR_PARAMETER, "vib_weight=0");
  assert_train_fails (good, "detector=logistic", AUSCULTA_MODEL_ERROR_DATA, "0 bad");
  holes->values[17 * D + 3] = NAN;
  assert_train_fails (holes, "detector=lof", AUSCULTA_MODEL_ERROR_NAN, "row m9_17: feature V4_AC_up");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/ml/train/target-false-reject-rate", test_target_frr);
  g_test_add_func ("/ausculta/ml/train/target-escape-rate", test_target_escape);
  g_test_add_func ("/ausculta/ml/train/unseen-defect", test_unseen_defect);
  g_test_add_func ("/ausculta/ml/train/vibration-weight", test_vibration_weight);
  g_test_add_func ("/ausculta/ml/train/classifier-ignores-weight", test_classifier_ignores_weight);
  g_test_add_func ("/ausculta/ml/train/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/ausculta/ml/train/bad-requests", test_bad_requests);
  return g_test_run ();
}
