/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-model-private.h"
#include "ausculta-validation.h"
#include "ml-test-util.h"
#include "../ausculta-test-shared.h"

/* Validation arithmetic on hand-made cases, threshold rules, folds by motor,
 * the seed files' motors and labels, and training's user-visible behaviour. */

static void
assert_near (double a,
             double b,
             double tol)
{
  if (!(fabs (a - b) <= tol))
    g_error ("%.10g differs from %.10g by more than %g", a, b, tol);
}

static void
test_wilson (void)
{
  AuscultaRate none = ausculta_rate_wilson (0, 10);
  AuscultaRate half = ausculta_rate_wilson (5, 10);
  AuscultaRate all = ausculta_rate_wilson (10, 10);
  AuscultaRate empty = ausculta_rate_wilson (0, 0);

  assert_near (none.value, 0.0, 0);
  assert_near (none.low, 0.0, 1e-12);
  assert_near (none.high, 0.27753279, 1e-7);
  assert_near (half.low, 0.23659309, 1e-7);
  assert_near (half.high, 0.76340691, 1e-7);
  assert_near (all.low, 0.72246721, 1e-7);
  assert_near (all.high, 1.0, 1e-12);
  g_assert_true (isnan (empty.value));
}

static void
test_thresholds (void)
{
  const double good[] = { 7, 3, 9, 1, 10, 2, 8, 4, 6, 5 };
  const double bad[] = { 8, 5, 7, 6 };
  double t;

  /* 10 % of 10 good units may be rejected: only the 10 is above */
  g_assert_cmpfloat (ausculta_threshold_for_frr (good, 10, 0.10), ==, 9.0);
  g_assert_cmpfloat (ausculta_threshold_for_frr (good, 10, 0.0), ==, 10.0);
  g_assert_cmpfloat (ausculta_threshold_for_frr (good, 10, 0.25), ==, 8.0);
  /* 25 % of 4 bad units may escape: 5 accepted (score <= t), 6 rejected */
  t = ausculta_threshold_for_escape (bad, 4, 0.25);
  g_assert_cmpfloat (t, <, 6.0);
  g_assert_cmpfloat (t, >=, 5.0);
  g_assert_cmpfloat (ausculta_threshold_for_escape (bad, 4, 0.0), <, 5.0);
}

static void
test_report_arithmetic (void)
{
  const double scores[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5.5, 11, 12, NAN, 0.5 };
  const int labels[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 3, 1, AUSCULTA_DATASET_LABEL_UNLABELLED };
  const guint groups[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 10, 12, 13 };
  g_autoptr(AuscultaValidationReport) r = ausculta_validation_report_new (scores, labels, groups,
                                                                          15, 8.5);
  const AuscultaClassRecall *c1, *c3;

  /* the NaN and the unlabelled row are not counted */
  g_assert_cmpuint (r->true_nok, ==, 2);   /* 11, 12 */
  g_assert_cmpuint (r->false_ok, ==, 1);   /* 5.5 */
  g_assert_cmpuint (r->false_nok, ==, 2);  /* 9, 10 */
  g_assert_cmpuint (r->true_ok, ==, 8);
  g_assert_cmpuint (r->n_motors, ==, 12);
  assert_near (r->escape_rate.value, 1.0 / 3, 1e-15);
  assert_near (r->false_reject_rate.value, 0.2, 1e-15);
  /* scikit-learn: roc_auc_score = 0.8333…, with max_fpr=0.1: 0.8245614035087718 */
  assert_near (r->auc, 0.8333333333333333, 1e-12);
  assert_near (r->pauc, 0.8245614035087718, 1e-12);
  g_assert_cmpfloat (r->auc_low, <=, r->auc);
  g_assert_cmpfloat (r->auc_high, >=, r->auc);
  g_assert_cmpuint (r->classes->len, ==, 2);
  c1 = &g_array_index (r->classes, AuscultaClassRecall, 0);
  c3 = &g_array_index (r->classes, AuscultaClassRecall, 1);
  g_assert_cmpint (c1->defect_class, ==, 1);
  g_assert_cmpuint (c1->recall.successes, ==, 1);
  g_assert_cmpuint (c1->recall.trials, ==, 1);
  g_assert_cmpint (c3->defect_class, ==, 3);
  g_assert_cmpuint (c3->recall.successes, ==, 1);
  g_assert_cmpuint (c3->recall.trials, ==, 2);
}

static void
test_auc_ties (void)
{
  const double scores[] = { 1, 2, 2, 3 };
  const int labels[] = { 0, 0, 5, 5 };
  const guint groups[] = { 0, 1, 2, 3 };
  g_autoptr(AuscultaValidationReport) r = ausculta_validation_report_new (scores, labels, groups,
                                                                          4, 2.5);
  g_autoptr(JsonNode) json = ausculta_validation_report_to_json (r);
  JsonObject *o = json_node_get_object (json);

  /* a tie counts one half, as in scikit-learn (0.875, pAUC 0.763157894736842) */
  assert_near (r->auc, 0.875, 1e-12);
  assert_near (r->pauc, 0.763157894736842, 1e-12);
  assert_near (json_object_get_double_member (o, "auc"), 0.875, 1e-12);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "confusion"),
                                               "bad_accepted"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "roc")), ==, 4);
}

/* Seed files: NG rows exported twice are read once, with their defect class;
 * repetitions of one motor share a group. */
static void
test_seed_dataset (void)
{
  const char *dir = g_getenv ("AUSCULTA_SHARED_DATA");
  g_autofree char *validation = g_build_filename (dir, "seed", "DATASET_VALIDATION_dev.csv", NULL);
  g_autofree char *ng = g_build_filename (dir, "seed", "DATASET_NG_dev.csv", NULL);
  const char *paths[] = { validation, ng, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaDataset) data = ausculta_dataset_load_csv (paths, &error);
  guint per_class[8] = { 0 }, first = G_MAXUINT, second = G_MAXUINT;

  g_assert_no_error (error);
  g_assert_cmpuint (data->n_rows, ==, 650);
  g_assert_cmpuint (data->n_cols, ==, 432);
  g_assert_cmpuint (ausculta_dataset_count_label (data, TRUE), ==, 298);
  for (guint r = 0; r < data->n_rows; r++)
    {
      g_assert_cmpint (data->labels[r], !=, AUSCULTA_DATASET_LABEL_NG);
      if (data->labels[r] > 0)
        per_class[data->labels[r]]++;
      if (g_str_equal (data->row_names[r], "1Balourd_27A"))
        first = data->groups[r];
      if (g_str_equal (data->row_names[r], "2Balourd_27A"))
        second = data->groups[r];
    }
  g_assert_cmpuint (per_class[1], ==, 80);
  g_assert_cmpuint (per_class[2], ==, 90);
  g_assert_cmpuint (per_class[7], ==, 35);
  g_assert_cmpuint (first, !=, G_MAXUINT);
  g_assert_cmpuint (first, ==, second);
  g_assert_cmpstr (data->group_names[first], ==, "Balourd_27A");
}

static void
test_folds_by_motor (void)
{
  const char *names[] = { "a", NULL };
  g_autoptr(AuscultaDataset) data = ausculta_dataset_new (names);
  g_autofree guint *folds = NULL;
  guint size[5] = { 0 };
  double v = 1.0;

  for (guint r = 0; r < 60; r++)
    {
      g_autofree char *row = g_strdup_printf ("%umotor%u", r % 3 + 1, r / 3);
      g_autofree char *motor = g_strdup_printf ("motor%u", r / 3);

      ausculta_dataset_append (data, row, motor, 0, &v);
    }
  g_assert_cmpuint (data->n_groups, ==, 20);
  folds = ausculta_assign_folds (data, 5, 3);
  for (guint g = 0; g < data->n_groups; g++)
    size[folds[g]]++;
  /* 20 motors dealt into 5 folds of 4; a motor's three rows share its fold */
  for (guint f = 0; f < 5; f++)
    g_assert_cmpuint (size[f], ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ausculta_test_require_shared_data ();
  g_test_add_func ("/ausculta/ml/validation/wilson-interval", test_wilson);
  g_test_add_func ("/ausculta/ml/validation/threshold-rules", test_thresholds);
  g_test_add_func ("/ausculta/ml/validation/report-arithmetic", test_report_arithmetic);
  g_test_add_func ("/ausculta/ml/validation/auc-ties", test_auc_ties);
  g_test_add_func ("/ausculta/ml/validation/seed-dataset", test_seed_dataset);
  g_test_add_func ("/ausculta/ml/validation/folds-by-motor", test_folds_by_motor);
  return g_test_run ();
}
