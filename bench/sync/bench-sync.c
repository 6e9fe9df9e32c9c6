/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "ausculta-feature-layout.h"
#include "ausculta-mongo-sync.h"
#include "ausculta-mongo-target.h"
#include "ausculta-outbox.h"
#include "ausculta-sync-worker.h"
#include "sync-test-mongo.h"

/* Issue 6 item 6: documents per second to the MongoDB test server, and the
 * catch-up time of a queued backlog, extrapolated to 100,000 measurements.
 * The server is the wire-protocol test server (mockupdb + mongomock in one
 * Python process): it scans its documents on every operation, so it, not
 * the client, is the limit, and it slows down as the collection grows.
 * $AUSCULTA_BENCH_N sets the document count (default 2000). */

#define BATCH 500

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
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

static double
bench_client (SyncTestMongo *server,
              guint          n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoTarget) target =
    ausculta_mongo_target_new (server->uri, NULL, "production", "api_mesures", &error);
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) bson_destroy);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);
  double start;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AuscultaMeasurement) m = measurement_new (i);

      g_ptr_array_add (documents, ausculta_mongo_document_new (m, NULL, NULL));
    }
  g_assert_true (ausculta_mongo_target_ensure_indexes (target, &error));
  start = now_s ();
  for (guint i = 0; i < n; i += BATCH)
    if (!ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata + i, MIN (BATCH, n - i),
                                       rejections, &error))
      g_error ("upsert failed: %s", error->message);
  return now_s () - start;
}

static double
bench_reference (SyncTestMongo *server,
                 guint          n)
{
  g_autofree char *script = g_build_filename (g_getenv ("BENCH_SRCDIR"), "sync",
                                              "sync_reference.py", NULL);
  g_autofree char *uri = g_strdup_printf ("--uri=%s", server->uri);
  g_autofree char *count = g_strdup_printf ("--n=%u", n);
  g_autofree char *out = NULL;
  const char *argv[] = { "/usr/bin/python3", script, uri, count, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("reference failed: %s", error->message);
  return g_ascii_strtod (out, NULL);
}

/* The client's own ceiling: load each queued measurement from the archive
 * and build its document, without sending. */
static double
bench_load_and_build (AuscultaArchive *archive,
                      guint            n)
{
  g_autoptr(GDateTime) far = g_date_time_new_utc (2200, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = ausculta_outbox_peek (archive, "mongodb", n, far, &error);
  double start = now_s ();

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
  return now_s () - start;
}

/* The whole path: archive rows -> outbox -> documents -> server. */
static double
bench_catch_up (SyncTestMongo *server,
                guint          n,
                double        *client_only)
{
  g_autofree char *folder = g_dir_make_tmp ("bench-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "archive.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(AuscultaMongoSync) target = NULL;
  g_autoptr(AuscultaSyncWorker) worker = NULL;
  guint delivered = 0;
  double start;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (batch, measurement_new (i));
  g_assert_true (ausculta_archive_insert_measurements (archive, (AuscultaMeasurement **) batch->pdata,
                                                       batch->len, &error));
  *client_only = bench_load_and_build (archive, n);
  target = ausculta_mongo_sync_new (server->uri, NULL, "production", "catch_up", NULL, &error);
  worker = ausculta_sync_worker_new (archive, AUSCULTA_SYNC_TARGET (target));
  start = now_s ();
  if (!ausculta_sync_worker_run_once (worker, &delivered, &error) || delivered != n)
    g_error ("catch-up failed after %u: %s", delivered, error ? error->message : "short");
  start = now_s () - start;
  g_clear_object (&worker);
  g_clear_object (&archive);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (folder);
  return start;
}

int
main (int    argc,
      char **argv)
{
  const char *env = g_getenv ("AUSCULTA_BENCH_N");
  guint n = env ? (guint) atoi (env) : 2000;
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, NULL);
  double client, reference, catch_up, client_only;

  client = bench_client (server, n);
  reference = bench_reference (server, n);
  catch_up = bench_catch_up (server, n, &client_only);
  printf ("ausculta: %.0f docs/s (%u upserts of 432-feature documents, unordered bulks of %d)\n",
          n / client, n, BATCH);
  printf ("reference: %.0f docs/s (pymongo bulk_write ReplaceOne upsert, same documents, same server)\n",
          n / reference);
  printf ("ratio: %.2fx\n", reference / client);
  printf ("ausculta: catch-up of %u queued measurements in %.2f s (archive -> outbox -> MongoDB), "
          "%.0f measurements/s\n", n, catch_up, n / catch_up);
  printf ("ausculta: 100,000 queued measurements: about %.0f s, extrapolated linearly from %u "
          "(the test server scans per operation and gets slower as it fills; a real mongod "
          "indexes _id)\n", catch_up * 100000.0 / n, n);
  printf ("ausculta: client side alone (archive load + document build): %.0f measurements/s, "
          "100,000 in %.0f s\n", n / client_only, client_only * 100000.0 / n);
  printf ("server limit: mockupdb + mongomock, one Python process, one operation at a time\n");
  return 0;
}
