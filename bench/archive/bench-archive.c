/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-archive"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ausculta-archive.h"
#include "ausculta-feature-layout.h"

/* The numbers of issue 5 item 4 on a generated archive of 1,000,000
 * measurements (432 features each, one year, 4 stations, 2 models, 5,000
 * labelled). The archive is built once into $AUSCULTA_BENCH_ARCHIVE
 * (default /tmp/ausculta-archive-bench/1m.sqlite) and reused: delete it to rebuild.
 * $AUSCULTA_BENCH_N changes the size (for a quick run). */

#define BATCH 1000
#define N_LABELLED 5000

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

/* One reusable measurement: only id, serial, time, verdict, station and
 * values change from one to the next. */
static void
fill (AuscultaMeasurement *m,
      GRand               *rand,
      guint                i,
      guint                n)
{
  static const char * const stations[] = { "bench-1", "bench-2", "bench-3", "bench-4" };
  g_autoptr(GDateTime) year = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  double u = g_rand_double (rand);

  g_free (m->id);
  m->id = ausculta_uuid7_new ();
  g_free (m->serial);
  m->serial = g_strdup_printf ("M%08u", g_rand_int_range (rand, 0, 10000000));
  g_date_time_unref (m->started_at);
  m->started_at = g_date_time_add_seconds (year, 365.0 * 86400.0 * i / n);
  g_free (m->station);
  m->station = g_strdup (stations[i % 4]);
  g_free (m->model_version);
  m->model_version = g_strdup (i < n / 2 ? "lof-1" : "lof-2");
  m->verdict = u < 0.90 ? AUSCULTA_VERDICT_OK : u < 0.97 ? AUSCULTA_VERDICT_NOK
               : AUSCULTA_VERDICT_REPEAT;
  m->score = 3.0 * u;
  for (guint f = 0; f < m->n_features; f++)
    m->features[f] = round (g_rand_double_range (rand, 0.0, 60.0) * 1000.0) / 1000.0;
}

static AuscultaMeasurement *
template_measurement (void)
{
  AuscultaMeasurement *m = ausculta_measurement_new ();
  g_autofree double *zeros = g_new0 (double, AUSCULTA_HISTORICAL_N_FEATURES);

  m->operator_name = g_strdup ("alice");
  m->profile_name = g_strdup ("default");
  m->threshold = 1.5;
  m->source = g_strdup ("simulator");
  ausculta_measurement_set_features (m, ausculta_feature_layout_historical (), zeros,
                                     AUSCULTA_HISTORICAL_N_FEATURES);
  return m;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Wall-clock and CPU seconds at one moment of the generation. */
typedef struct {
  double wall;
  double cpu;
} Clock;

static Clock
clock_now (void)
{
  return (Clock) { now_ms () / 1000.0, cpu_seconds () };
}

/* @rate: measurements per second of wall-clock time over the whole
 * generation; @tail_rate over its last tenth (the rate at the size of a
 * full archive, not of an empty file); @cpu_rate, @tail_cpu_rate per
 * second of this process's CPU time (the machine may be shared). */
static void
generate (AuscultaArchive *archive,
          guint            first,
          guint            n,
          GPtrArray       *to_label,
          double           rates[4])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  AuscultaMeasurement *batch[BATCH];
  guint tail_from = first + (n - first) / 10 * 9;
  Clock start = clock_now (), tail = start, end;

  for (guint b = 0; b < BATCH; b++)
    batch[b] = template_measurement ();
  for (guint i = first; i < n; i += BATCH)
    {
      guint size = MIN (BATCH, n - i);

      if (i <= tail_from && tail_from < i + BATCH)
        tail = clock_now ();
      for (guint b = 0; b < size; b++)
        {
          fill (batch[b], rand, i + b, n);
          if ((i + b) % MAX (n / N_LABELLED, 1) == 0)
            g_ptr_array_add (to_label, g_strdup (batch[b]->id));
        }
      if (!ausculta_archive_insert_measurements (archive, batch, size, &error))
        g_error ("%s", error->message);
      if ((i - first) % 100000 == 0)
        g_printerr ("generated %u measurements, %.0f /s\n", i + size,
                    (i + size - first) / (now_ms () / 1000.0 - start.wall));
    }
  end = clock_now ();
  rates[0] = (n - first) / (end.wall - start.wall);
  rates[1] = (n - first) / (end.cpu - start.cpu);
  rates[2] = (n - tail_from) / (end.wall - tail.wall);
  rates[3] = (n - tail_from) / (end.cpu - tail.cpu);
  for (guint b = 0; b < BATCH; b++)
    ausculta_measurement_unref (batch[b]);
}

static void
label_some (AuscultaArchive *archive,
            GPtrArray       *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_autoptr(AuscultaUser) user = ausculta_archive_authenticate (archive, "bench", "benchpass",
                                                                NULL);

  if (user == NULL)   /* the first build of the archive */
    ausculta_archive_add_user (archive, NULL, "bench", NULL, AUSCULTA_ROLE_ADMIN, "benchpass",
                               NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    {
      int label = g_rand_double (rand) < 0.3 ? g_rand_int_range (rand, 1, 8) : AUSCULTA_LABEL_OK;

      ausculta_archive_set_label (archive, "bench", ids->pdata[i], label, NULL, &error);
      g_assert_no_error (error);
    }
}

typedef struct {
  const char *name;
  const char *serial_prefix;
  int         from_month;       /* 0 = none; else [month, month + 1) of 2025 */
  int         verdict;
  int         label;
  const char *station;
  const char *model;
} Case;

static const Case cases[] = {
  { "no filter", NULL, 0, -1, AUSCULTA_LABEL_FILTER_ANY, NULL, NULL },
  { "serial prefix", "M00123", 0, -1, AUSCULTA_LABEL_FILTER_ANY, NULL, NULL },
  { "date range (1 month)", NULL, 6, -1, AUSCULTA_LABEL_FILTER_ANY, NULL, NULL },
  { "verdict NOK", NULL, 0, AUSCULTA_VERDICT_NOK, AUSCULTA_LABEL_FILTER_ANY, NULL, NULL },
  { "verdict REPEAT + station", NULL, 0, AUSCULTA_VERDICT_REPEAT, AUSCULTA_LABEL_FILTER_ANY,
    "bench-3", NULL },
  { "label NG", NULL, 0, -1, AUSCULTA_LABEL_FILTER_ANY_NG, NULL, NULL },
  { "label class 3 + month", NULL, 3, -1, 3, NULL, NULL },
  { "station + model", NULL, 0, -1, AUSCULTA_LABEL_FILTER_ANY, "bench-2", "lof-1" },
  { "all filters", "M00", 9, AUSCULTA_VERDICT_NOK, AUSCULTA_LABEL_FILTER_ANY, "bench-1",
    "lof-2" },
  { "unlabelled + NOK + month", NULL, 11, AUSCULTA_VERDICT_NOK,
    AUSCULTA_LABEL_FILTER_UNLABELLED, NULL, NULL },
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Bytes this process read through read(2)/pread(2) so far: SQLite reads
 * the archive page by page, so this counts the pages a query read (from
 * the OS cache or from the disk). */
static guint64
bytes_read (void)
{
  g_autofree char *io = NULL;
  const char *rchar;

  if (!g_file_get_contents ("/proc/self/io", &io, NULL, NULL)
      || (rchar = strstr (io, "rchar: ")) == NULL)
    return 0;
  return g_ascii_strtoull (rchar + strlen ("rchar: "), NULL, 10);
}

/* Evicts the archive's file from the OS page cache (its clean pages), so
 * the next query reads from the disk like the first query after a
 * reboot: /proc/sys/vm/drop_caches needs privileges a container lacks,
 * posix_fadvise does not. */
static void
drop_file_cache (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  const char * const files[] = { path, wal };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      int fd = open (files[i], O_RDONLY);

      if (fd < 0)
        continue;
      fdatasync (fd);
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
}

typedef struct {
  double cold_ms;         /* first query on a fresh connection, file not cached */
  double cold_kib;        /* what it read */
  double warm_worst_ms;   /* 4 more runs */
  double warm_median_ms;
  guint  n_rows;
} PageTimes;

static GPtrArray *
query (AuscultaArchive             *archive,
       const AuscultaArchiveFilter *filter,
       double                      *ms)
{
  g_autoptr(GError) error = NULL;
  double start = now_ms ();
  GPtrArray *rows = ausculta_archive_query_page (archive, filter, 0, 100, &error);

  g_assert_no_error (error);
  *ms = now_ms () - start;
  return rows;
}

/* The archive is closed and reopened before the cold run. */
static void
time_page (AuscultaArchive **archive,
           const char       *path,
           const Case       *c,
           PageTimes        *times)
{
  double warm[4];
  g_autoptr(GDateTime) from = c->from_month ? g_date_time_new_utc (2025, c->from_month, 1, 0, 0, 0)
                                            : NULL;
  g_autoptr(GDateTime) to = from ? g_date_time_add_months (from, 1) : NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  AuscultaArchiveFilter filter;
  guint64 before;

  ausculta_archive_filter_init (&filter);
  filter.serial_prefix = c->serial_prefix;
  filter.from = from;
  filter.to = to;
  filter.verdict = c->verdict;
  filter.label = c->label;
  filter.station = c->station;
  filter.model_version = c->model;

  g_clear_object (archive);
  drop_file_cache (path);
  *archive = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  before = bytes_read ();
  rows = query (*archive, &filter, &times->cold_ms);
  times->cold_kib = (bytes_read () - before) / 1024.0;
  for (guint run = 0; run < G_N_ELEMENTS (warm); run++)
    {
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = query (*archive, &filter, &warm[run]);
    }
  qsort (warm, G_N_ELEMENTS (warm), sizeof (double), compare_doubles);
  times->warm_worst_ms = warm[G_N_ELEMENTS (warm) - 1];
  times->warm_median_ms = (warm[1] + warm[2]) / 2.0;
  times->n_rows = rows->len;
}

static double
time_year_counts (AuscultaArchive *archive,
                  guint           *n_days)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  AuscultaArchiveFilter filter;
  double worst = 0.0;

  ausculta_archive_filter_init (&filter);
  filter.from = from;
  filter.to = to;
  for (guint run = 0; run < 5; run++)
    {
      double start = now_ms ();
      g_autoptr(GArray) days = ausculta_archive_count_per_day (archive, &filter, &error);

      g_assert_no_error (error);
      worst = MAX (worst, now_ms () - start);
      *n_days = days->len;
    }
  return worst;
}

/* Bytes per measurement with signals: 2 runs x 2 channels x 5 s at
 * 51.2 kHz of a motor-like signal (harmonics + noise), FLAC 24-bit. */
static double
signal_bytes_per_measurement (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "ausculta-bench-signals.sqlite",
                                            NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  const guint n = 20;
  GStatBuf st;
  double bytes;

  g_remove (path);
  g_remove (wal);
  archive = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AuscultaMeasurement) m = template_measurement ();
      const char * const runs[] = { "up", "down" }, * const channels[] = { "AC", "vib" };

      fill (m, rand, i, n);
      for (guint s = 0; s < 4; s++)
        {
          AuscultaSignal *signal = ausculta_measurement_add_signal (m, runs[s / 2],
                                                                    channels[s % 2], "Pa",
                                                                    51200.0, 5 * 51200);

          for (gsize k = 0; k < signal->n_samples; k++)
            signal->samples[k] = (float) (0.3 * sin (2 * G_PI * 50.0 * k / 51200.0)
                                          + 0.1 * sin (2 * G_PI * 1234.0 * k / 51200.0)
                                          + 0.02 * g_rand_double_range (rand, -1.0, 1.0));
        }
      ausculta_archive_insert_measurement (archive, m, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&archive);   /* checkpoints the WAL into the file */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  bytes = (double) st.st_size / n;
  g_remove (path);
  return bytes;
}

int
main (int    argc,
      char **argv)
{
  const char *path_env = g_getenv ("AUSCULTA_BENCH_ARCHIVE");
  const char *n_env = g_getenv ("AUSCULTA_BENCH_N");
  g_autofree char *path = g_strdup (path_env ? path_env
                                              : "/tmp/ausculta-archive-bench/1m.sqlite");
  guint n = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 1000000;
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  double rates[4] = { NAN, NAN, NAN, NAN }, worst_cold = 0.0, worst_warm = 0.0, counts_ms;
  guint64 count = 0;
  guint n_days = 0;
  GStatBuf st;

  archive = ausculta_archive_open (path, &error);
  if (archive == NULL)
    g_error ("%s", error->message);
  ausculta_archive_count (archive, NULL, &count, &error);
  if (count < n)
    {
      g_autoptr(GPtrArray) to_label = g_ptr_array_new_with_free_func (g_free);

      g_printerr ("building %s with %u measurements (once; it is reused)\n", path, n);
      generate (archive, (guint) count, n, to_label, rates);
      label_some (archive, to_label);
      printf ("batch ingest (features only, %u per transaction, synchronous commits): "
              "%.0f measurements/s wall clock, %.0f per CPU second over %u measurements; "
              "over the last tenth (archive near %u): %.0f /s wall clock, %.0f per CPU second\n",
              BATCH, rates[0], rates[1], n - (guint) count, n, rates[2], rates[3]);
    }
  else
    printf ("batch ingest: archive reused, not measured this run (delete %s to measure)\n",
            path);

  printf ("page of 100: cold = first query on a fresh connection after evicting the archive "
          "from the OS cache (posix_fadvise DONTNEED); warm = 4 more runs\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PageTimes t;

      time_page (&archive, path, &cases[i], &t);
      printf ("page of 100, %-26s cold %7.2f ms (%6.0f KiB read), warm worst %6.2f ms, "
              "median %6.2f ms (%u rows)\n", cases[i].name, t.cold_ms, t.cold_kib,
              t.warm_worst_ms, t.warm_median_ms, t.n_rows);
      worst_cold = MAX (worst_cold, t.cold_ms);
      worst_warm = MAX (worst_warm, t.warm_worst_ms);
    }
  counts_ms = time_year_counts (archive, &n_days);
  printf ("counts per day x verdict over a year: %.2f ms (%u days)\n", counts_ms, n_days);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  printf ("size on disk: %.0f bytes per measurement without signals (%u measurements)\n",
          (double) st.st_size / n, n);
  printf ("size on disk: %.0f bytes per measurement with signals "
          "(2 runs x 2 channels x 5 s at 51.2 kHz, FLAC 24-bit)\n",
          signal_bytes_per_measurement ());

  printf ("ausculta: %.2f ms (worst cold page of 100 over %u filter mixes; worst warm %.2f ms)\n",
          worst_cold, (guint) G_N_ELEMENTS (cases), worst_warm);
  printf ("reference: 50 ms (issue 5 target for a page of 100)\n");
  printf ("ratio: %.1fx\n", 50.0 / worst_cold);
  printf ("ausculta: %.2f ms (counts per day x verdict, one year)\n", counts_ms);
  printf ("reference: 200 ms (issue 5 target)\n");
  printf ("ratio: %.1fx\n", 200.0 / counts_ms);
  if (!isnan (rates[2]))
    {
      printf ("ausculta: %.0f measurements/s (batch ingest, last tenth of %u; %.0f per CPU "
              "second)\n", rates[2], n, rates[3]);
      printf ("reference: 5000 measurements/s (issue 5 target)\n");
      printf ("ratio: %.1fx\n", rates[2] / 5000.0);
    }
  return 0;
}
