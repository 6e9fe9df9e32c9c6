/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ausculta-cpu.h"
#include "ausculta-knn-screen.h"
#include "ausculta-neighbors.h"
#include "ml-test-util.h"

/* The euclidean search (float32 screening, then double refinement) against a
 * plain double-precision search written here: the same k distances, the same
 * neighbours wherever the distances are not tied. */

typedef struct {
  double d;
  guint  i;
} Pair;

static int
compare_pairs (const void *a,
               const void *b)
{
  const Pair *x = a, *y = b;

  if (x->d != y->d)
    return x->d < y->d ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* k nearest by direct Σ (x - y)², nearest first */
static void
naive_knn (const double *ref,
           guint         n_ref,
           const double *x,
           guint         d,
           guint         k,
           Pair         *out)
{
  g_autofree Pair *all = g_new (Pair, n_ref);

  for (guint j = 0; j < n_ref; j++)
    {
      double sum = 0.0;

      for (guint c = 0; c < d; c++)
        sum += (x[c] - ref[(gsize) j * d + c]) * (x[c] - ref[(gsize) j * d + c]);
      all[j] = (Pair) { sqrt (sum), j };
    }
  qsort (all, n_ref, sizeof (Pair), compare_pairs);
  memcpy (out, all, sizeof (Pair) * k);
}

/* Returns how many rows had a tie at their k-th distance (where only the
 * distances, not the indices, are compared). */
static guint
check_against_naive (const double *ref,
                     guint         n_ref,
                     const double *queries,
                     guint         n_q,
                     guint         d,
                     guint         k,
                     double        rel_tol)
{
  g_autofree double *dist = g_new (double, (gsize) n_q * k);
  g_autofree guint *ind = g_new (guint, (gsize) n_q * k);
  g_autofree Pair *expected = g_new (Pair, k + 1);
  guint n_exp = MIN (k + 1, n_ref), n_tied = 0;
  AuscultaNeighbors nb;

  ausculta_neighbors_init (&nb, AUSCULTA_METRIC_EUCLIDEAN, ref, n_ref, d);
  g_assert_true (nb.screened);
  g_assert_true (ausculta_neighbors_query (&nb, queries, n_q, k, dist, ind, NULL));
  for (guint r = 0; r < n_q; r++)
    {
      gboolean tied;

      naive_knn (ref, n_ref, queries + (gsize) r * d, d, n_exp, expected);
      tied = k < n_ref && expected[k].d == expected[k - 1].d;
      n_tied += tied;
      for (guint j = 0; j < k; j++)
        {
          double got = dist[(gsize) r * k + j], want = expected[j].d;

          if (fabs (got - want) > rel_tol * MAX (want, 1e-300))
            g_error ("row %u neighbour %u: distance %.17g, expected %.17g", r, j, got, want);
          /* a distance no other reference has: one possible neighbour */
          if ((j == 0 || expected[j].d != expected[j - 1].d)
              && (j + 1 >= n_exp || expected[j].d != expected[j + 1].d))
            g_assert_cmpuint (ind[(gsize) r * k + j], ==, expected[j].i);
        }
    }
  ausculta_neighbors_clear (&nb);
  return n_tied;
}

/* one query (the measurement path) and a batch above the threaded size */
static void
test_gaussian (void)
{
  guint d = 57, n_ref = 300, n_q = 400;
  g_autofree double *ref = ml_test_gaussian (n_ref, d, 5);
  g_autofree double *q = ml_test_gaussian (n_q, d, 6);

  /* correlated columns, and outlying queries far from the references */
  for (guint r = 0; r < n_ref; r++)
    for (guint c = 1; c < d; c++)
      ref[(gsize) r * d + c] += 0.7 * ref[(gsize) r * d + c - 1];
  for (guint r = 0; r < n_q; r += 7)
    for (guint c = 0; c < d; c++)
      q[(gsize) r * d + c] *= 25.0;
  g_assert_cmpuint (check_against_naive (ref, n_ref, q, 1, d, 20, 1e-12), ==, 0);
  g_assert_cmpuint (check_against_naive (ref, n_ref, q, n_q, d, 20, 1e-12), ==, 0);
  g_assert_cmpuint (check_against_naive (ref, n_ref, q, n_q, d, n_ref, 1e-12), ==, 0);
}

/* far from the origin: the screen works on rows centred at the reference
 * mean, so its margin stays small */
static void
test_offset (void)
{
  guint d = 40, n_ref = 250, n_q = 150;
  g_autofree double *ref = ml_test_gaussian (n_ref, d, 8);
  g_autofree double *q = ml_test_gaussian (n_q, d, 9);

  for (guint i = 0; i < n_ref * d; i++)
    ref[i] += 100.0 + i % d;
  for (guint i = 0; i < n_q * d; i++)
    q[i] += 100.0 + i % d;
  g_assert_cmpuint (check_against_naive (ref, n_ref, q, n_q, d, 15, 1e-9), ==, 0);
}

/* integer grid and duplicated rows: many equal distances, settled by the
 * full search; the k distances are still the nearest ones */
static void
test_ties (void)
{
  guint d = 12, n_ref = 200, n_q = 180;
  g_autofree double *ref = ml_test_integers (n_ref, d, 3, 12);
  g_autofree double *q = ml_test_integers (n_q, d, 3, 13);

  for (guint r = 0; r < 20; r++)
    memcpy (ref + (gsize) r * d, ref, sizeof (double) * d);
  g_assert_cmpuint (check_against_naive (ref, n_ref, q, n_q, d, 10, 0.0), >, 0);
  /* a query equal to the 20 duplicates: 20 references at distance 0 for 10 places */
  g_assert_cmpuint (check_against_naive (ref, n_ref, ref, 1, d, 10, 0.0), ==, 1);
}

/* the reference set against itself (a LOF fit): the symmetric screen over
 * several blocks of rows gives each row's nearest others, itself left out */
static void
test_self (void)
{
  guint d = 24, n = 700, k = 12;
  g_autofree double *ref = ml_test_gaussian (n, d, 15);
  g_autofree double *dist = g_new (double, (gsize) n * k);
  g_autofree guint *ind = g_new (guint, (gsize) n * k);
  g_autofree Pair *expected = g_new (Pair, k + 1);
  AuscultaNeighbors nb;

  for (guint r = 0; r < n; r += 5)
    for (guint c = 0; c < d; c++)
      ref[(gsize) r * d + c] = 3.0 * ref[(gsize) r * d + c] + 40.0;
  ausculta_neighbors_init (&nb, AUSCULTA_METRIC_EUCLIDEAN, ref, n, d);
  g_assert_true (nb.screened);
  g_assert_true (ausculta_neighbors_query (&nb, NULL, n, k, dist, ind, NULL));
  for (guint r = 0; r < n; r++)
    {
      naive_knn (ref, n, ref + (gsize) r * d, d, k + 1, expected);
      g_assert_cmpuint (expected[0].i, ==, r);
      for (guint j = 0; j < k; j++)
        {
          g_assert_cmpuint (ind[(gsize) r * k + j], ==, expected[j + 1].i);
          g_assert_cmpfloat_with_epsilon (dist[(gsize) r * k + j], expected[j + 1].d,
                                          1e-12 * expected[j + 1].d);
        }
    }
  ausculta_neighbors_clear (&nb);
}

/* values beyond float range cannot be screened: the full search answers */
static void
test_unscreenable (void)
{
  guint d = 8, n_ref = 30, k = 4;
  g_autofree double *ref = ml_test_gaussian (n_ref, d, 14);
  g_autofree double *dist = g_new (double, k);
  g_autofree guint *ind = g_new (guint, k);
  AuscultaNeighbors nb;

  ref[5] = 1e200;
  ausculta_neighbors_init (&nb, AUSCULTA_METRIC_EUCLIDEAN, ref, n_ref, d);
  g_assert_false (nb.screened);
  g_assert_true (ausculta_neighbors_query (&nb, ref + d, 1, k, dist, ind, NULL));
  g_assert_cmpuint (ind[0], ==, 1);
  g_assert_cmpfloat (dist[0], <, 1e-6);
  g_assert_cmpfloat (dist[1], >, 0.1);
  ausculta_neighbors_clear (&nb);
}

/* --cpu-level=LEVEL (tests/ml/meson.build): the kernels of a lower level
 * than this processor's best. */
static const char *
take_cpu_level (int   *argc,
                char **argv)
{
  const char *level = NULL;
  int kept = 1;

  for (int i = 1; i < *argc; i++)
    if (g_str_has_prefix (argv[i], "--cpu-level="))
      level = argv[i] + strlen ("--cpu-level=");
    else
      argv[kept++] = argv[i];
  *argc = kept;
  argv[kept] = NULL;
  return level;
}

/* The level asked for is the one the kernels use, or lower when the
 * processor lacks it: never the processor's best regardless. */
static void
test_cpu_level (gconstpointer data)
{
  const char *names[] = { "generic", "avx2", "avx512" };
  AuscultaCpuLevel level = ausculta_cpu_level ();

  g_test_message ("kernels at level %s (asked for %s)", names[level], (const char *) data);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (data, names[i]))
      g_assert_cmpint (level, <=, (AuscultaCpuLevel) i);
}

/* A level the kernels do not know is named, with what is expected, and
 * the processor's best is used. */
static void
test_cpu_level_unknown (void)
{
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_setenv ("AUSCULTA_CPU_LEVEL", "sse9", TRUE);
      g_assert_cmpint (ausculta_cpu_level (), >=, AUSCULTA_CPU_GENERIC);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*AUSCULTA_CPU_LEVEL=sse9: expected generic, avx2 or avx512; using *");
}

int
main (int    argc,
      char **argv)
{
  const char *level = take_cpu_level (&argc, argv);

  if (level != NULL)
    g_setenv ("AUSCULTA_CPU_LEVEL", level, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (level != NULL)
    g_test_add_data_func ("/ausculta/ml/neighbors/cpu-level", level, test_cpu_level);
  g_test_add_func ("/ausculta/ml/neighbors/screened-gaussian", test_gaussian);
  g_test_add_func ("/ausculta/ml/neighbors/screened-offset", test_offset);
  g_test_add_func ("/ausculta/ml/neighbors/screened-ties", test_ties);
  g_test_add_func ("/ausculta/ml/neighbors/screened-self", test_self);
  g_test_add_func ("/ausculta/ml/neighbors/unscreenable", test_unscreenable);
  g_test_add_func ("/ausculta/ml/neighbors/cpu-level-unknown", test_cpu_level_unknown);
  return g_test_run ();
}
