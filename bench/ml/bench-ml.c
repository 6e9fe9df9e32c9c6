/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-ml"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <cblas.h>
#include <stdlib.h>

#include "ausculta-float-products.h"
#include "ausculta-lof.h"
#include "ausculta-train.h"

/* Ausculta against scikit-learn (Debian's python3-sklearn) on the same data
 * in one run: single-measurement scoring, batch scoring (StandardScaler +
 * LOF, k = 20, on the seed's good units; median of BATCH_RUNS warm runs on
 * both sides), and LOF fit on BENCH_ML_ROWS × 432 rows (default 25,000)
 * drawn from a Gaussian with the mean and covariance of the seed's good
 * units after standard scaling. Prints ausculta:/reference:/ratio:, with
 * CPU seconds so that a loaded machine can still be read, and the physics:
 * the machine's sustained SGEMM and DGEMM rates (the BLAS the project links,
 * every core), measured in the same run, and the time the distance products
 * alone take at those rates (an exact method computes each of them unless
 * it prunes). */

#define K 20
#define BATCH_RUNS 5
/* GEMM rate: the best of GEMM_RUNS products of GEMM_N × GEMM_N × 432 */
#define GEMM_N 2048
#define GEMM_RUNS 5

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

/* user + system seconds of this process, all threads */
static double
cpu_now (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
         + usage.ru_stime.tv_usec / 1e6;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), compare_doubles);
  return v[n / 2];
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

/* Sustained GFLOP/s of cblas_sgemm (or dgemm) on X·Yᵀ, GEMM_N rows each,
 * @d columns: the product the distance computations are made of. */
static double
gemm_rate (gboolean single,
           guint    d)
{
  gsize n = (gsize) GEMM_N * d;
  g_autofree float *xf = single ? g_new (float, 2 * n) : NULL;
  g_autofree float *cf = single ? g_new (float, (gsize) GEMM_N * GEMM_N) : NULL;
  g_autofree double *xd = single ? NULL : g_new (double, 2 * n);
  g_autofree double *cd = single ? NULL : g_new (double, (gsize) GEMM_N * GEMM_N);
  double best = G_MAXDOUBLE;

  for (gsize i = 0; i < 2 * n; i++)
    {
      double v = (double) (i % 97) / 97.0 - 0.5;

      if (single)
        xf[i] = (float) v;
      else
        xd[i] = v;
    }
  for (guint run = 0; run < GEMM_RUNS; run++)
    {
      double start = now ();

      if (single)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, GEMM_N, GEMM_N, (int) d, 1.0f, xf,
                     (int) d, xf + n, (int) d, 0.0f, cf, GEMM_N);
      else
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, GEMM_N, GEMM_N, (int) d, 1.0, xd,
                     (int) d, xd + n, (int) d, 0.0, cd, GEMM_N);
      best = MIN (best, now () - start);
    }
  return 2.0 * GEMM_N * GEMM_N * d / best / 1e9;
}

typedef struct {
  const float *x;
  const float *panels;
  guint        d;
  float       *out;
} KernelJob;

static gpointer
kernel_job (gpointer data)
{
  KernelJob *job = data;
  guint n_panels = ausculta_panels_count (GEMM_N);

  ausculta_panels_products (job->x, GEMM_N / 2, job->d, job->panels, 0, n_panels, job->d,
                            job->out, (gsize) n_panels * AUSCULTA_PANEL_WIDTH);
  return NULL;
}

/* The same product through Ausculta's own float32 kernel, the rows split
 * between the processors as the screens split them. */
static double
kernel_rate (guint d)
{
  guint n_threads = MIN (g_get_num_processors (), 8);
  gsize n = (gsize) GEMM_N * d;
  g_autofree float *x = g_new (float, 2 * n);
  g_autofree float *panels = NULL;
  g_autofree float *out = g_new (float, (gsize) GEMM_N * GEMM_N);
  double best = G_MAXDOUBLE;

  for (gsize i = 0; i < 2 * n; i++)
    x[i] = (float) ((double) (i % 97) / 97.0 - 0.5);
  panels = ausculta_panels_pack (x + n, GEMM_N, d);
  for (guint run = 0; run < GEMM_RUNS; run++)
    {
      KernelJob jobs[8];
      GThread *threads[8] = { NULL };
      double start = now ();

      for (guint t = 0; t < n_threads; t++)
        {
          guint r0 = GEMM_N * t / n_threads;

          jobs[t] = (KernelJob) { x + (gsize) r0 * d, panels, d, out + (gsize) r0 * GEMM_N };
          threads[t] = g_thread_new ("kernel-rate", kernel_job, &jobs[t]);
        }
      for (guint t = 0; t < n_threads; t++)
        g_thread_join (threads[t]);
      best = MIN (best, now () - start);
    }
  return 2.0 * GEMM_N * GEMM_N * d / best / 1e9;
}

/* What the distance products alone cost at the measured rates, next to
 * the time a 10x ratio needs. */
static void
report_floor (double      flops,
              double      sklearn_flops,
              double      reference,
              double      scale,
              const char *unit,
              double      sgemm,
              double      dgemm,
              double      kernel)
{
  g_print ("floor: minimum time for the distance products at this machine's measured float32 "
           "peak = %.2f %s (%.3g GFLOP at %.0f GFLOP/s); 10x target = %.2f %s\n",
           flops / (sgemm * 1e9) * scale, unit, flops / 1e9, sgemm, reference / 10.0 * scale, unit);
  g_print ("floor: the same products at the rate of Ausculta's float32 kernel = %.2f %s "
           "(%.0f GFLOP/s)\n", flops / (kernel * 1e9) * scale, unit, kernel);
  g_print ("floor: scikit-learn's float64 products at the measured DGEMM peak = %.2f %s "
           "(%.3g GFLOP at %.0f GFLOP/s)\n", sklearn_flops / (dgemm * 1e9) * scale, unit,
           sklearn_flops / 1e9, dgemm);
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

/* Rows of a realistic production set: the good units standard-scaled, then
 * n draws of mean + Σ_r g_r (x_r - mean) / sqrt (m - 1) with g ~ N(0, 1),
 * i.e. a Gaussian with the seed's mean and covariance (rank m - 1). */
static double *
make_fit_rows (const AuscultaDataset *good,
               guint                  n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  guint m = good->n_rows, d = good->n_cols;
  g_autofree double *centred = g_new (double, (gsize) m * d);
  g_autofree double *g = g_new (double, (gsize) n * m);
  double *out = g_new (double, (gsize) n * d);

  for (guint c = 0; c < d; c++)
    {
      double mean = 0.0, var = 0.0;

      for (guint r = 0; r < m; r++)
        mean += good->values[(gsize) r * d + c] / m;
      for (guint r = 0; r < m; r++)
        var += pow (good->values[(gsize) r * d + c] - mean, 2.0) / m;
      for (guint r = 0; r < m; r++)
        centred[(gsize) r * d + c] = (good->values[(gsize) r * d + c] - mean)
                                     / (var > 0.0 ? sqrt (var) : 1.0) / sqrt (m - 1.0);
    }
  for (gsize i = 0; i < (gsize) n * m; i++)
    {
      /* Box-Muller */
      double u = g_rand_double (rand), v = g_rand_double (rand);

      g[i] = sqrt (-2.0 * log (1.0 - u)) * cos (2.0 * G_PI * v);
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) d, (int) m, 1.0, g,
               (int) m, centred, (int) d, 0.0, out, (int) d);
  return out;
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
  double start, single, batch_time, batch_cpu, fit_time, fit_cpu, s, cpu_start, sgemm, dgemm;
  double kernel;
  double batch_times[BATCH_RUNS], batch_cpus[BATCH_RUNS];
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
  /* one warm-up, then the median of BATCH_RUNS */
  ausculta_model_score_matrix (model, batch, n_batch, scores, NULL, NULL);
  for (guint i = 0; i < BATCH_RUNS; i++)
    {
      start = now ();
      cpu_start = cpu_now ();
      ausculta_model_score_matrix (model, batch, n_batch, scores, NULL, NULL);
      batch_times[i] = now () - start;
      batch_cpus[i] = cpu_now () - cpu_start;
    }
  batch_time = median (batch_times, BATCH_RUNS);
  batch_cpu = median (batch_cpus, BATCH_RUNS);

  fit = make_fit_rows (good, fit_rows);
  rss_before = peak_rss_kib ();
  start = now ();
  cpu_start = cpu_now ();
  ausculta_lof_fit (&lof, AUSCULTA_METRIC_EUCLIDEAN, fit, fit_rows, d, K, NULL);
  fit_time = now () - start;
  fit_cpu = cpu_now () - cpu_start;
  rss_after = peak_rss_kib ();
  ausculta_lof_clear (&lof);

  train_path = write_matrix (dir, "train.f64", good->values, good->n_rows, d);
  batch_path = write_matrix (dir, "batch.f64", batch, n_batch, d);
  fit_path = write_matrix (dir, "fit.f64", fit, fit_rows, d);
  ref = run_sklearn (train_path, batch_path, fit_path, parser);
  sgemm = gemm_rate (TRUE, d);
  dgemm = gemm_rate (FALSE, d);
  kernel = kernel_rate (d);
  g_print ("machine: cblas_sgemm %.0f GFLOP/s, cblas_dgemm %.0f GFLOP/s, Ausculta's float32 "
           "kernel %.0f GFLOP/s (%d x %d x %u products, best of %d, %u processors)\n", sgemm,
           dgemm, kernel, GEMM_N, GEMM_N, d, GEMM_RUNS, g_get_num_processors ());
  report ("single-measurement scoring (StandardScaler + LOF k=20, 298 good units x 432)",
          single, json_object_get_double_member (ref, "single_s"), "us", 1e6);
  report ("batch scoring of 5200 measurements (seed rows and jittered copies; median of 5 warm runs)",
          batch_time, json_object_get_double_member (ref, "batch_s"), "ms", 1e3);
  g_print ("cpu: ausculta %.1f ms, scikit-learn %.1f ms (user + system, all threads)\n",
           batch_cpu * 1e3, json_object_get_double_member (ref, "batch_cpu_s") * 1e3);
  report_floor (2.0 * n_batch * good->n_rows * d, 2.0 * n_batch * good->n_rows * d,
                json_object_get_double_member (ref, "batch_s"), 1e3, "ms", sgemm, dgemm,
                kernel);
  g_autofree char *what = g_strdup_printf ("LOF fit on %u x %u (k=%d, euclidean; rows drawn from a "
                                           "Gaussian with the mean and covariance of the seed's "
                                           "%u good units, standard-scaled)", fit_rows, d, K,
                                           good->n_rows);
  report (what, fit_time, json_object_get_double_member (ref, "fit_s"), "s", 1.0);
  g_print ("cpu: ausculta %.2f s, scikit-learn %.2f s (user + system, all threads)\n", fit_cpu,
           json_object_get_double_member (ref, "fit_cpu_s"));
  /* each pair once (a symmetric first pass); scikit-learn computes both */
  report_floor ((double) fit_rows * fit_rows * d, 2.0 * fit_rows * fit_rows * d,
                json_object_get_double_member (ref, "fit_s"), 1.0, "s", sgemm, dgemm,
                kernel);
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
