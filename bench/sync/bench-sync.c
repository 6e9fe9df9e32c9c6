/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "ausculta-feature-layout.h"
#include "ausculta-mongo-sync.h"
#include "ausculta-mongo-target.h"
#include "ausculta-outbox.h"
#include "ausculta-sync-worker.h"
#include "sync-test-mongo.h"

/* Issue 6 item 6: documents per second to the MongoDB test server, the
 * catch-up of 100,000 queued measurements, and the server's own limit.
 *
 * The server is tests/sync/mongo-server.py with --store dict: mockupdb
 * speaks the wire protocol to libmongoc, documents are kept in a dict keyed
 * on _id (one lookup per upsert; mongomock, used by the tests, scans its
 * collection per upsert and cannot hold 100,000 documents in useful time).
 * Wall times on a shared machine are pessimistic, so each phase also prints
 * CPU time per document, the client's (getrusage) and the server's (its
 * process_time, from the auscultaStats command).
 *
 *   AUSCULTA_BENCH_N        documents of the docs/s comparison (2000)
 *   AUSCULTA_BENCH_CATCHUP  queued measurements to catch up (100000)
 *   AUSCULTA_BENCH_BUDGET   seconds the catch-up may take before it is
 *                           stopped and extrapolated, saying so (300) */

#define BATCH 500

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

static double
rusage_s (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
server_cpu_s (SyncTestMongo *server)
{
  return sync_test_mongo_stat (server, "cpu_ms") / 1000.0;
}

/* What one phase cost: wall seconds, client and server CPU seconds. */
typedef struct {
  guint  n;
  double wall;
  double client;
  double server;
} Cost;

static void
cost_start (Cost          *cost,
            SyncTestMongo *server,
            int            who)
{
  cost->server = server_cpu_s (server);
  cost->client = rusage_s (who);
  cost->wall = now_s ();
}

static void
cost_stop (Cost          *cost,
           SyncTestMongo *server,
           int            who,
           guint          n)
{
  cost->wall = now_s () - cost->wall;
  cost->client = rusage_s (who) - cost->client;
  cost->server = server_cpu_s (server) - cost->server;
  cost->n = n;
}

static double
ms_per (double seconds,
        guint  n)
{
  return seconds * 1000.0 / MAX (n, 1);
}

static AuscultaMeasurement *
measurement_new (guint i)
{
  const char * const *names = ausculta_feature_layout_historical ();
  guint n = g_strv_length ((char **) names);
  g_autofree double *values = g_new (double, n);
  AuscultaMeasurement *m = ausculta_measurement_new ();

  for (guint f = 0; f < n; f++)
    values[f] = (double) ((i + f) % 60);
  ausculta_measurement_set_features (m, names, values, n);
  m->serial = g_strdup_printf ("SN%06u", i);
  m->station = g_strdup ("bench-1");
  m->model_version = g_strdup ("lof-1");
  m->verdict = AUSCULTA_VERDICT_OK;
  m->score = 0.5;
  m->threshold = 1.0;
  m->finished_at = g_date_time_ref (m->started_at);
  return m;
}

static void
bench_client (SyncTestMongo *server,
              guint          n,
              Cost          *cost,
              double        *doc_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoTarget) target =
    ausculta_mongo_target_new (server->uri, NULL, "production", "api_mesures", &error);
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) bson_destroy);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AuscultaMeasurement) m = measurement_new (i);

      g_ptr_array_add (documents, ausculta_mongo_document_new (m, NULL, NULL));
    }
  *doc_size = 0;
  for (guint i = 0; i < n; i++)
    *doc_size += ((bson_t *) documents->pdata[i])->len / (double) n;
  g_assert_true (ausculta_mongo_target_ensure_indexes (target, &error));
  cost_start (cost, server, RUSAGE_SELF);
  for (guint i = 0; i < n; i += BATCH)
    if (!ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata + i, MIN (BATCH, n - i),
                                       rejections, &error))
      g_error ("upsert failed: %s", error->message);
  cost_stop (cost, server, RUSAGE_SELF, n);
}

/* A Python helper of bench/sync, timed by itself (it prints seconds) and
 * by the CPU its process used. */
static void
bench_script (SyncTestMongo *server,
              const char    *name,
              const char    *target_arg,
              guint          n,
              Cost          *cost)
{
  g_autofree char *script = g_build_filename (g_getenv ("BENCH_SRCDIR"), "sync", name, NULL);
  g_autofree char *count = g_strdup_printf ("--n=%u", n);
  g_autofree char *out = NULL;
  const char *argv[] = { "/usr/bin/python3", script, target_arg, count, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  cost_start (cost, server, RUSAGE_CHILDREN);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", name, error->message);
  cost_stop (cost, server, RUSAGE_CHILDREN, n);
  /* its own clock: the interpreter's start and the encoding are not in it */
  cost->wall = g_ascii_strtod (out, NULL);
}

/* The client's own ceiling: load each queued measurement from the archive
 * and build its document, without sending (the first @n queued). */
static double
bench_load_and_build (AuscultaArchive *archive,
                      guint            n)
{
  g_autoptr(GDateTime) far = g_date_time_new_utc (2200, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = ausculta_outbox_peek (archive, "mongodb", n, far, &error);
  double start = rusage_s (RUSAGE_SELF);

  g_assert_cmpuint (items->len, ==, n);
  for (guint i = 0; i < items->len; i++)
    {
      AuscultaOutboxItem *item = items->pdata[i];
      g_autoptr(AuscultaMeasurement) m = ausculta_archive_load_measurement (archive, item->ref_id,
                                                                            FALSE, &error);
      g_autoptr(GPtrArray) history = ausculta_archive_get_label_history (archive, item->ref_id, &error);
      g_autoptr(bson_t) document = ausculta_mongo_document_new (m, history, NULL);

      g_assert_nonnull (document);
    }
  return rusage_s (RUSAGE_SELF) - start;
}

/* @n measurements archived (so queued for MongoDB), in chunks. */
static void
fill_archive (AuscultaArchive *archive,
              guint            n)
{
  g_autoptr(GError) error = NULL;

  for (guint first = 0; first < n; first += 2000)
    {
      g_autoptr(GPtrArray) chunk =
        g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref);

      for (guint i = first; i < MIN (n, first + 2000); i++)
        g_ptr_array_add (chunk, measurement_new (i));
      if (!ausculta_archive_insert_measurements (archive, (AuscultaMeasurement **) chunk->pdata,
                                                 chunk->len, &error))
        g_error ("archiving failed: %s", error->message);
    }
}

static guint64
backlog (AuscultaArchive *archive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaOutboxStats) stats = ausculta_outbox_get_stats (archive, "mongodb", &error);

  g_assert_no_error (error);
  return stats->backlog;
}

/* The whole path, as the app runs it: the worker's thread drains archive
 * rows -> outbox -> documents -> server, until the backlog is empty or
 * @budget seconds passed (then it is stopped after its batch in flight). */
static void
bench_catch_up (SyncTestMongo *server,
                guint          n,
                double         budget,
                Cost          *cost,
                double        *client_only)
{
  g_autofree char *folder = g_dir_make_tmp ("bench-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "archive.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(AuscultaMongoSync) target = NULL;
  g_autoptr(AuscultaSyncWorker) worker = NULL;
  double fill = now_s ();
  guint64 left;

  g_assert_no_error (error);
  fill_archive (archive, n);
  g_printerr ("bench-sync: %u measurements archived in %.0f s\n", n, now_s () - fill);
  *client_only = bench_load_and_build (archive, MIN (n, 10000)) / MIN (n, 10000);
  target = ausculta_mongo_sync_new (server->uri, NULL, "production", "catch_up", NULL, &error);
  worker = ausculta_sync_worker_new (archive, AUSCULTA_SYNC_TARGET (target));
  cost_start (cost, server, RUSAGE_SELF);
  ausculta_sync_worker_start (worker);
  while ((left = backlog (archive)) > 0 && now_s () - cost->wall < budget)
    g_usleep (G_USEC_PER_SEC / 4);
  ausculta_sync_worker_stop (worker);
  left = backlog (archive);
  cost_stop (cost, server, RUSAGE_SELF, n - (guint) left);
  if (sync_test_mongo_count (server, "production", "catch_up") != (gint64) cost->n)
    g_error ("the server holds %" G_GINT64_FORMAT " documents, %u were delivered",
             sync_test_mongo_count (server, "production", "catch_up"), cost->n);
  g_clear_object (&worker);
  g_clear_object (&archive);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (folder);
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text ? (guint) atoi (text) : fallback;
}

static void
print_cost (const char *label,
            const Cost *cost,
            const char *what)
{
  printf ("%s: %.0f docs/s (%s); CPU per document: client %.3f ms, server %.3f ms\n", label,
          cost->n / cost->wall, what, ms_per (cost->client, cost->n), ms_per (cost->server, cost->n));
}

int
main (int    argc,
      char **argv)
{
  guint n = env_uint ("AUSCULTA_BENCH_N", 2000);
  guint n_catch_up = env_uint ("AUSCULTA_BENCH_CATCHUP", 100000);
  double budget = env_uint ("AUSCULTA_BENCH_BUDGET", 300);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, "--store=dict");
  g_autofree char *uri_arg = g_strdup_printf ("--uri=%s", server->uri);
  g_autofree char *port_arg = g_strdup_printf ("--port=%u", server->port);
  Cost client, reference, limit, catch_up;
  double client_only, total, doc_size, load[1];

  /* the server alone first: it also warms the server up for the others */
  bench_script (server, "server_limit.py", port_arg, n, &limit);
  bench_client (server, n, &client, &doc_size);
  bench_script (server, "sync_reference.py", uri_arg, n, &reference);
  bench_catch_up (server, n_catch_up, budget, &catch_up, &client_only);

  {
    g_autofree char *what = g_strdup_printf ("libmongoc unordered bulk upserts of 500 432-feature "
                                             "documents of %.1f kB", doc_size / 1000.0);

    print_cost ("ausculta", &client, what);
  }
  print_cost ("reference", &reference, "pymongo bulk_write ReplaceOne upsert, same documents, same server");
  printf ("ratio: %.2fx (wall time, reference / ausculta)\n", reference.wall / client.wall);
  printf ("ratio: %.2fx (client CPU per document, pymongo / ausculta)\n",
          reference.client / MAX (client.client, 1e-9));
  printf ("server limit: %.0f docs/s alone on pre-encoded OP_MSG batches (server_limit.py), "
          "%.3f ms server CPU per document, i.e. at most %.0f docs/s on one idle core\n",
          limit.n / limit.wall, ms_per (limit.server, limit.n), limit.n / MAX (limit.server, 1e-9));
  total = catch_up.wall * n_catch_up / MAX (catch_up.n, 1);
  if (catch_up.n == n_catch_up)
    printf ("ausculta: catch-up of %u queued measurements (archive -> outbox -> MongoDB): "
            "%.0f s measured, %.0f measurements/s\n", n_catch_up, catch_up.wall,
            catch_up.n / catch_up.wall);
  else
    printf ("ausculta: catch-up of %u queued measurements: about %.0f s, EXTRAPOLATED linearly "
            "from %u delivered in %.0f s (budget %.0f s), %.0f measurements/s\n", n_catch_up,
            total, catch_up.n, catch_up.wall, budget, catch_up.n / catch_up.wall);
  printf ("ausculta: catch-up CPU per measurement: client %.3f ms (archive read, document, "
          "libmongoc; of which %.3f ms archive read + document build), server %.3f ms\n",
          ms_per (catch_up.client, catch_up.n), client_only * 1000.0,
          ms_per (catch_up.server, catch_up.n));
  printf ("ausculta: CPU-bound ceilings on one idle core each: client %.0f measurements/s, "
          "test server %.0f docs/s: the %s is the limit\n",
          catch_up.n / MAX (catch_up.client, 1e-9), catch_up.n / MAX (catch_up.server, 1e-9),
          catch_up.client > catch_up.server ? "client" : "test server");
  if (getloadavg (load, 1) == 1)
    printf ("machine: load average %.1f on %u cores at the end: wall times are that much "
            "pessimistic; the CPU times per document are not\n", load[0], g_get_num_processors ());
  return 0;
}
