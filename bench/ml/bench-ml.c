/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-ml"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "ausculta-lof.h"
#include "ausculta-train.h"

/* Ausculta against scikit-learn (Debian's python3-sklearn) on the same data
 * in one run: single-measurement scoring, batch scoring (StandardScaler +
 * LOF, k = 20, on the seed's good units), and LOF fit on a generated
 * BENCH_ML_ROWS × 432 set (default 25,000). Prints ausculta:/reference:/ratio:. */

#define K 20

static char *
write_matrix (const char   *dir,
              const char   *name,
              const double *values,
              guint         rows,
              guint         cols)
{
  char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "wb");
  guint64 header[2] = { GUINT64_TO_LE (rows), GUINT64_TO_LE (cols) };

  g_assert (f != NULL);
  fwrite (header, sizeof header, 1, f);
  fwrite (values, sizeof (double), (gsize) rows * cols, f);
  fclose (f);
  return path;
}

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
report (const char *what,
        double      ours,
        double      reference,
        const char *unit,
        double      scale)
{
  g_print ("%s\n", what);
  g_print ("ausculta: %.3f %s\n", ours * scale, unit);
  g_print ("reference: %.3f %s (scikit-learn 1.2)\n", reference * scale, unit);
  g_print ("ratio: %.1fx\n", reference / ours);
}

static JsonObject *
run_sklearn (const char *train,
             const char *batch,
             const char *fit,
             JsonParser *parser)
{
  g_autofree char *script = g_build_filename (g_getenv ("BENCH_SRCDIR"), "ml", "sklearn-bench.py", NULL);
  g_autofree char *k = g_strdup_printf ("%d", K);
  const char *argv[] = { "/usr/bin/python3", script, train, batch, fit, k, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error) || !json_parser_load_from_data (parser, out, -1, &error))
    g_error ("scikit-learn side failed: %s", error != NULL ? error->message : "no output");
  return json_node_get_object (json_parser_get_root (parser));
}

/* The seed's rows, then jittered copies: a batch of 8 × 650 measurements. */
static double *
make_batch (const AuscultaDataset *data,
            guint                 *n_rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n = data->n_rows * 8, d = data->n_cols;
  double *batch = g_new (double, (gsize) n * d);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < d; c++)
      batch[(gsize) r * d + c] = data->values[(gsize) (r % data->n_rows) * d + c]
                                 * (r < data->n_rows ? 1.0 : g_rand_double_range (rand, 0.97, 1.03));
  *n_rows = n;
  return batch;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *seed = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed",
                                            "DATASET_VALIDATION_dev.csv", NULL);
  const char *paths[] = { seed, NULL };
  const char *rows_env = g_getenv ("BENCH_ML_ROWS");
  guint fit_rows = rows_env != NULL ? (guint) g_ascii_strtoull (rows_env, NULL, 10) : 25000;
  const char *settings[] = { "detector=lof", "n_neighbors=20", "preprocess=standard", "folds=2",
                             "repeats=1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaDataset) data = ausculta_dataset_load_csv (paths, &error);
  g_autoptr(AuscultaDataset) good = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *dir = g_dir_make_tmp ("bench-ml-XXXXXX", NULL);
  g_autofree double *batch = NULL, *scores = NULL, *fit = NULL;
  g_autofree guint *ok_rows = NULL;
  g_autofree char *train_path = NULL, *batch_path = NULL, *fit_path = NULL;
  guint n_batch, n_ok = 0, d = 432, reps = 2000;
  double start, single, batch_time, fit_time, s;
  long rss_before, rss_after;
  AuscultaLof lof;
  JsonObject *ref;

  g_assert_no_error (error);
  ok_rows = g_new (guint, data->n_rows);
  for (guint r = 0; r < data->n_rows; r++)
    if (data->labels[r] == AUSCULTA_DATASET_LABEL_OK)
      ok_rows[n_ok++] = r;
  good = ausculta_dataset_subset (data, ok_rows, n_ok);
  model = ausculta_model_train (good, settings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  batch = make_batch (data, &n_batch);
  scores = g_new (double, n_batch);

  start = now ();
  for (guint i = 0; i < reps; i++)
    ausculta_model_score_vector (model, batch + (gsize) (i % n_batch) * d, &s, NULL, NULL);
  single = (now () - start) / reps;
  start = now ();
  ausculta_model_score_matrix (model, batch, n_batch, scores, NULL, NULL);
  batch_time = now () - start;

  fit = g_new (double, (gsize) fit_rows * d);
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (11);

    for (gsize i = 0; i < (gsize) fit_rows * d; i++)
      fit[i] = g_rand_double_range (rand, -1.0, 1.0) + g_rand_double_range (rand, -1.0, 1.0);
  }
  rss_before = peak_rss_kib ();
  start = now ();
  ausculta_lof_fit (&lof, AUSCULTA_METRIC_EUCLIDEAN, fit, fit_rows, d, K, NULL);
  fit_time = now () - start;
  rss_after = peak_rss_kib ();
  ausculta_lof_clear (&lof);

  train_path = write_matrix (dir, "train.f64", good->values, good->n_rows, d);
  batch_path = write_matrix (dir, "batch.f64", batch, n_batch, d);
  fit_path = write_matrix (dir, "fit.f64", fit, fit_rows, d);
  ref = run_sklearn (train_path, batch_path, fit_path, parser);
  report ("single-measurement scoring (StandardScaler + LOF k=20, 298 good units x 432)",
          single, json_object_get_double_member (ref, "single_s"), "us", 1e6);
  report ("batch scoring of 5200 measurements", batch_time,
          json_object_get_double_member (ref, "batch_s"), "ms", 1e3);
  g_autofree char *what = g_strdup_printf ("LOF fit on %u x %u (k=%d, euclidean)", fit_rows, d, K);
  report (what, fit_time, json_object_get_double_member (ref, "fit_s"), "s", 1.0);
  g_print ("memory: ausculta peak RSS %ld MiB (%ld MiB before the fit); scikit-learn peak RSS "
           "%" G_GINT64_FORMAT " MiB (%" G_GINT64_FORMAT " MiB before the fit)\n",
           rss_after / 1024, rss_before / 1024,
           json_object_get_int_member (ref, "peak_rss_kib") / 1024,
           json_object_get_int_member (ref, "rss_before_fit_kib") / 1024);
  g_unlink (train_path);
  g_unlink (batch_path);
  g_unlink (fit_path);
  g_rmdir (dir);
  return 0;
}
