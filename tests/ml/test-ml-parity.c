/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-detector.h"
#include "ausculta-preprocess.h"
#include "ml-test-util.h"

/* Every detector against scikit-learn 1.2 (Debian's python3-sklearn) on the
 * same data: LOF within 1e-9 relative, ties and duplicates included. */

typedef struct {
  const char *name;
  const char *metric;
  guint       k;
  gboolean    ties;        /* integer grid: many equal distances */
  gboolean    duplicates;  /* more identical rows than neighbours */
  guint       n_train;
  guint       n_test;
  guint       cols;
} LofCase;

static const LofCase lof_cases[] = {
  { "euclidean",            "euclidean", 20, FALSE, FALSE, 300, 50, 20 },
  { "euclidean-ties",       "euclidean", 10, TRUE,  FALSE, 300, 60, 18 },
  { "euclidean-duplicates", "euclidean",  5, TRUE,  TRUE,  130, 23, 16 },
  { "euclidean-split-y",    "euclidean", 35, TRUE,  FALSE, 3000, 5, 17 },
  { "manhattan",            "manhattan", 20, FALSE, FALSE, 300, 50, 20 },
  { "manhattan-ties",       "manhattan", 10, TRUE,  FALSE, 300, 60, 18 },
  { "manhattan-duplicates", "manhattan",  5, TRUE,  TRUE,  130, 23, 16 },
  { "cosine",               "cosine",    20, FALSE, FALSE, 300, 50, 20 },
  { "cosine-ties",          "cosine",    10, TRUE,  FALSE, 300, 60, 18 },
  { "cosine-duplicates",    "cosine",     5, TRUE,  TRUE,  130, 23, 16 },
};

static double *
lof_data (const LofCase *c,
          gboolean       test,
          guint          n)
{
  double *x = c->ties ? ml_test_integers (n, c->cols, c->duplicates ? 2 : 3, test ? 7 : 3)
                      : ml_test_gaussian (n, c->cols, test ? 7 : 3);

  /* the first 30 training rows (and 3 test rows) identical */
  for (guint r = 0; c->duplicates && r < (test ? 3u : 30u); r++)
    for (guint j = 0; j < c->cols; j++)
      x[(gsize) r * c->cols + j] = 1.0;
  return x;
}

static void
test_lof (gconstpointer data)
{
  const LofCase *c = data;
  g_autofree double *train = lof_data (c, FALSE, c->n_train);
  g_autofree double *test = lof_data (c, TRUE, c->n_test);
  g_autofree double *ours = g_new (double, c->n_test);
  g_autofree double *reference = NULL;
  g_autofree char *params = g_strdup_printf ("n_neighbors=%u metric=%s", c->k, c->metric);
  AuscultaLof lof;
  AuscultaMetric metric;

  reference = ml_test_sklearn ("lof", train, c->n_train, c->cols, test, c->n_test, c->cols,
                               c->n_test, params);
  if (reference == NULL)
    return;
  g_assert_true (ausculta_metric_from_string (c->metric, &metric));
  g_assert_true (ausculta_lof_fit (&lof, metric, train, c->n_train, c->cols, c->k, NULL));
  g_assert_true (ausculta_lof_score_samples (&lof, test, c->n_test, ours, NULL));
  ml_test_assert_close (ours, reference, c->n_test, 1e-9, c->name);
  ausculta_lof_clear (&lof);
}

/* decision_function = score_samples - offset_ (-1.5 with contamination="auto") */
static void
test_lof_decision (void)
{
  g_autofree double *train = ml_test_gaussian (200, 16, 11);
  g_autofree double *test = ml_test_gaussian (30, 16, 12);
  g_autofree double *ours = g_new (double, 30);
  g_autofree double *reference = ml_test_sklearn ("lof-decision", train, 200, 16, test, 30, 16, 30,
                                                  "n_neighbors=15 metric=euclidean");
  AuscultaLof lof;

  if (reference == NULL)
    return;
  ausculta_lof_fit (&lof, AUSCULTA_METRIC_EUCLIDEAN, train, 200, 16, 15, NULL);
  ausculta_lof_score_samples (&lof, test, 30, ours, NULL);
  for (guint i = 0; i < 30; i++)
    ours[i] -= AUSCULTA_LOF_OFFSET;
  ml_test_assert_close (ours, reference, 30, 1e-9, "decision_function");
  ausculta_lof_clear (&lof);
}

static void
test_scaler (void)
{
  g_autofree double *train = ml_test_gaussian (120, 12, 21);
  g_autofree double *test = ml_test_gaussian (10, 12, 22);
  g_autofree double *ours = g_new (double, 120);
  g_autofree double *reference = NULL;
  const char *names[13] = { NULL };
  AuscultaPreprocess pre;

  for (guint i = 0; i < 120 * 12; i++)
    train[i] = 50.0 + 7.0 * train[i];
  for (guint j = 0; j < 12; j++)
    names[j] = "V1_AC_up";
  reference = ml_test_sklearn ("scaler", train, 120, 12, test, 10, 12, 120, NULL);
  if (reference == NULL)
    return;
  ausculta_preprocess_fit (&pre, AUSCULTA_PREPROCESS_STANDARD, names, train, 120, 12);
  ausculta_preprocess_apply (&pre, test, 10, ours);
  ml_test_assert_close (ours, reference, 120, 1e-12, "StandardScaler.transform");
  ausculta_preprocess_clear (&pre);
}

static void
fit_and_compare (AuscultaDetectorKind kind,
                 const char          *method,
                 const char          *params,
                 const char          *settings,
                 double               tolerance)
{
  guint n = 160, n_test = 40, d = 12;
  g_autofree double *train = ml_test_gaussian (n, d, 31);
  g_autofree double *test = ml_test_gaussian (n_test, d, 32);
  g_autofree double *ours = g_new (double, n_test);
  g_autofree double *reference = NULL;
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) pairs = g_strsplit (settings, " ", -1);
  g_autoptr(GError) error = NULL;
  AuscultaDetector det;

  /* correlated columns, so the covariance and the components matter */
  for (guint r = 0; r < n; r++)
    for (guint j = 1; j < d; j++)
      train[(gsize) r * d + j] += 0.8 * train[(gsize) r * d + j - 1];
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      *eq = '\0';
      g_hash_table_insert (table, pairs[i], eq + 1);
    }
  reference = ml_test_sklearn (method, train, n, d, test, n_test, d, n_test, params);
  if (reference == NULL)
    return;
  g_assert_true (ausculta_detector_fit (&det, kind, table, train, NULL, n, d, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_detector_score (&det, test, n_test, ours, NULL, NULL));
  ml_test_assert_close (ours, reference, n_test, tolerance, method);
  ausculta_detector_clear (&det);
}

static void
test_knn (void)
{
  fit_and_compare (AUSCULTA_DETECTOR_KIND_KNN, "knn", "n_neighbors=5 metric=euclidean",
                   "n_neighbors=5 metric=euclidean", 1e-12);
  fit_and_compare (AUSCULTA_DETECTOR_KIND_KNN, "knn", "n_neighbors=7 metric=manhattan",
                   "n_neighbors=7 metric=manhattan", 1e-12);
}

static void
test_mahalanobis (void)
{
  fit_and_compare (AUSCULTA_DETECTOR_KIND_MAHALANOBIS, "mahalanobis", NULL, "C=1", 1e-9);
}

static void
test_pca (void)
{
  fit_and_compare (AUSCULTA_DETECTOR_KIND_PCA, "pca-t2", "n_components=4",
                   "n_components=4 statistic=t2", 1e-9);
  fit_and_compare (AUSCULTA_DETECTOR_KIND_PCA, "pca-spe", "n_components=4",
                   "n_components=4 statistic=spe", 1e-9);
}

static void
test_logistic (void)
{
  guint n = 200, n_test = 30, d = 8;
  g_autofree double *x = ml_test_gaussian (n, d, 41);
  g_autofree double *train = g_new (double, (gsize) n * (d + 1));
  g_autofree guint8 *bad = g_new (guint8, n);
  g_autofree double *test = ml_test_gaussian (n_test, d, 42);
  g_autofree double *ours = g_new (double, n_test);
  g_autofree double *reference = NULL;
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  AuscultaDetector det;

  /* labels from a noisy linear rule: overlapping classes, a unique optimum */
  for (guint r = 0; r < n; r++)
    {
      double z = x[(gsize) r * d] - 0.5 * x[(gsize) r * d + 1] + 0.8 * x[(gsize) r * d + 2] * x[(gsize) r * d + 3];

      bad[r] = z > 0.3;
      memcpy (train + (gsize) r * (d + 1), x + (gsize) r * d, sizeof (double) * d);
      train[(gsize) r * (d + 1) + d] = bad[r];
    }
  reference = ml_test_sklearn ("logistic", train, n, d + 1, test, n_test, d, n_test, "C=0.5");
  if (reference == NULL)
    return;
  g_hash_table_insert (table, "C", "0.5");
  g_assert_true (ausculta_detector_fit (&det, AUSCULTA_DETECTOR_KIND_LOGISTIC, table, x, bad, n, d,
                                        NULL, &error));
  g_assert_true (ausculta_detector_score (&det, test, n_test, ours, NULL, NULL));
  /* both solve the same strictly convex problem to convergence (newton-cg there) */
  ml_test_assert_close (ours, reference, n_test, 1e-6, "LogisticRegression.decision_function");
  ausculta_detector_clear (&det);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (lof_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ausculta/ml/parity/lof-%s", lof_cases[i].name);

      g_test_add_data_func (path, &lof_cases[i], test_lof);
    }
  g_test_add_func ("/ausculta/ml/parity/lof-decision-function", test_lof_decision);
  g_test_add_func ("/ausculta/ml/parity/standard-scaler", test_scaler);
  g_test_add_func ("/ausculta/ml/parity/knn", test_knn);
  g_test_add_func ("/ausculta/ml/parity/mahalanobis-ledoit-wolf", test_mahalanobis);
  g_test_add_func ("/ausculta/ml/parity/pca", test_pca);
  g_test_add_func ("/ausculta/ml/parity/logistic", test_logistic);
  return g_test_run ();
}
