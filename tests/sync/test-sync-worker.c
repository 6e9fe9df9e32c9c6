/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-worker"

#include "config.h"

#include "ausculta-mongo-sync.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-worker.h"
#include "sync-test-archive.h"
#include "sync-test-mongo.h"

#define DB   "production"
#define COLL "api_mesures"

/* A free loopback port: taken by a server that is then killed. */
static guint16
free_port (void)
{
  g_autoptr(SyncTestMongo) probe = sync_test_mongo_start (NULL, 0, NULL);

  return probe->port;
}

static char *
uri_for_port (guint16     port,
              const char *extra)
{
  return g_strdup_printf ("mongodb://127.0.0.1:%u/?replicaSet=rs0&serverSelectionTimeoutMS=100"
                          "&connectTimeoutMS=200%s", port, extra ? extra : "");
}

static AuscultaSyncWorker *
mongo_worker_new (AuscultaArchive *archive,
                  const char      *uri,
                  SyncTestClock   *clock)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoSync) target = ausculta_mongo_sync_new (uri, NULL, DB, COLL, NULL, &error);
  AuscultaSyncWorker *worker;

  g_assert_no_error (error);
  worker = ausculta_sync_worker_new (archive, AUSCULTA_SYNC_TARGET (target));
  ausculta_sync_worker_set_clock (worker, sync_test_clock_now, clock);
  return worker;
}

static void
advance_past_backoff (AuscultaSyncWorker *worker,
                      SyncTestClock      *clock)
{
  g_autoptr(AuscultaSyncStatus) status = ausculta_sync_worker_get_status (worker);

  g_assert_nonnull (status->next_attempt);
  clock->now = g_date_time_to_unix (status->next_attempt) * G_USEC_PER_SEC + G_USEC_PER_SEC;
}

static void
test_backoff_delay (void)
{
  GTimeSpan base = 5 * G_TIME_SPAN_SECOND, max = 15 * G_TIME_SPAN_MINUTE;

  /* the first retry comes after half to all of base, with jitter */
  g_assert_cmpint (ausculta_sync_backoff_delay (1, base, max, 0.0), ==, base / 2);
  g_assert_cmpint (ausculta_sync_backoff_delay (1, base, max, 0.999), <=, base);
  /* doubling */
  g_assert_cmpint (ausculta_sync_backoff_delay (3, base, max, 0.0), ==, 2 * base);
  /* capped however long the outage */
  g_assert_cmpint (ausculta_sync_backoff_delay (50, base, max, 0.999), <=, max);
  g_assert_cmpint (ausculta_sync_backoff_delay (50, base, max, 0.0), ==, max / 2);
}

static void
test_server_down_at_start (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (30);
  guint16 port = free_port ();
  g_autofree char *uri = uri_for_port (port, NULL);
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(AuscultaSyncWorker) worker = mongo_worker_new (archive, uri, &clock);
  g_autoptr(SyncTestMongo) server = NULL;
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  guint delivered = 0;

  g_assert_false (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  status = ausculta_sync_worker_get_status (worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (status->backlog, ==, 30);
  g_assert_nonnull (status->oldest_pending);
  g_assert_null (status->last_success);
  g_assert_nonnull (strstr (status->last_error, "127.0.0.1"));
  g_assert_nonnull (status->next_attempt);

  /* within the backoff, a pass sends nothing and counts no new attempt */
  clock.now += G_USEC_PER_SEC;
  g_assert_true (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_cmpuint (delivered, ==, 0);
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), ==, 1);

  server = sync_test_mongo_start (NULL, port, NULL);
  advance_past_backoff (worker, &clock);
  ausculta_sync_worker_run_once (worker, &delivered, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (delivered, ==, 30);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 30);
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = ausculta_sync_worker_get_status (worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_ONLINE);
  g_assert_cmpuint (status->backlog, ==, 0);
  g_assert_nonnull (status->last_success);
  g_assert_null (status->last_error);
  g_assert_null (status->next_attempt);
}

static void
test_killed_mid_batch (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (60);
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "mongo.bson", NULL);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (data, 0, "--die-after=25");
  g_autofree char *uri = uri_for_port (server->port, NULL);
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(AuscultaSyncWorker) worker = mongo_worker_new (archive, uri, &clock);
  g_autoptr(GError) error = NULL;
  guint delivered = 0;
  guint16 port = server->port;

  g_assert_false (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_true (sync_test_mongo_wait_exit (server, 5000));
  g_clear_pointer (&server, sync_test_mongo_free);

  /* restarted with the 25 documents it wrote before dying */
  server = sync_test_mongo_start (data, port, NULL);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 25);
  advance_past_backoff (worker, &clock);
  g_assert_true (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (delivered, ==, 60);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 60);
  /* the replayed 25 were updates of what was there, not new documents */
  g_assert_cmpint (sync_test_mongo_stat (server, "upserted"), ==, 35);
}

static void
test_slower_than_timeout (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (20);
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "mongo.bson", NULL);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (data, 0, "--delay=1.5");
  g_autofree char *uri = uri_for_port (server->port, "&socketTimeoutMS=400");
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(AuscultaSyncWorker) worker = mongo_worker_new (archive, uri, &clock);
  g_autoptr(GError) error = NULL;
  guint delivered = 0;
  guint16 port = server->port;

  g_assert_false (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_true (ausculta_sync_error_is_transient (error));
  g_clear_error (&error);
  g_assert_cmpuint (delivered, ==, 0);

  /* the slow server finished the writes after the client gave up */
  g_usleep (2 * G_USEC_PER_SEC);
  sync_test_mongo_kill (server);
  g_clear_pointer (&server, sync_test_mongo_free);
  server = sync_test_mongo_start (data, port, NULL);
  advance_past_backoff (worker, &clock);
  g_assert_true (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (delivered, ==, 20);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 20);
}

static void
test_wrong_credentials (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (5);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, "--reject-auth");
  g_autofree char *uri = g_strdup_printf ("mongodb://bench@127.0.0.1:%u/?replicaSet=rs0"
                                          "&serverSelectionTimeoutMS=300", server->port);
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoSync) target =
    ausculta_mongo_sync_new (uri, "wrong-pass", DB, COLL, NULL, &error);
  g_autoptr(AuscultaSyncWorker) worker = ausculta_sync_worker_new (archive, AUSCULTA_SYNC_TARGET (target));
  g_autoptr(AuscultaSyncStatus) status = NULL;

  ausculta_sync_worker_set_clock (worker, sync_test_clock_now, &clock);
  g_assert_false (ausculta_sync_worker_run_once (worker, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_AUTH);
  g_clear_error (&error);

  /* six hours of passes every minute: one attempt per hour, no storm */
  for (guint minute = 0; minute < 6 * 60; minute++)
    {
      clock.now += G_TIME_SPAN_MINUTE;
      ausculta_sync_worker_run_once (worker, NULL, NULL);
    }
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), <=, 7);
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), >=, 5);
  status = ausculta_sync_worker_get_status (worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_AUTH);
  g_assert_cmpuint (status->backlog, ==, 5);
  g_assert_nonnull (strstr (status->last_error, "check the user name and password"));
  g_assert_null (strstr (status->last_error, "wrong-pass"));
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 0);
}

static void
test_restart_keeps_backoff (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (3);
  g_autofree char *uri = uri_for_port (free_port (), NULL);
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(AuscultaSyncWorker) first = mongo_worker_new (archive, uri, &clock);
  g_autoptr(AuscultaSyncWorker) second = NULL;
  g_autoptr(AuscultaSyncStatus) status = NULL;

  ausculta_sync_worker_run_once (first, NULL, NULL);
  for (guint i = 0; i < 3; i++)
    {
      advance_past_backoff (first, &clock);
      ausculta_sync_worker_run_once (first, NULL, NULL);
    }
  g_clear_object (&first);

  /* a new process: same failures count, same next attempt, no attempt now */
  second = mongo_worker_new (archive, uri, &clock);
  g_assert_true (ausculta_sync_worker_run_once (second, NULL, NULL));
  status = ausculta_sync_worker_get_status (second);
  g_assert_cmpuint (status->failures, ==, 4);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_OFFLINE);
  g_assert_nonnull (status->next_attempt);
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), ==, 4);
}

static void
test_outage_72_hours (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (50);
  guint16 port = free_port ();
  g_autofree char *uri = g_strdup_printf ("mongodb://127.0.0.1:%u/?replicaSet=rs0"
                                          "&serverSelectionTimeoutMS=20", port);
  SyncTestClock clock = { g_get_real_time () };
  g_autoptr(AuscultaSyncWorker) worker = mongo_worker_new (archive, uri, &clock);
  g_autoptr(SyncTestMongo) server = NULL;
  gint64 end = clock.now + 72 * G_TIME_SPAN_HOUR;
  guint added = 50, delivered = 0, total = 0;

  ausculta_sync_worker_set_backoff (worker, G_TIME_SPAN_MINUTE, G_TIME_SPAN_HOUR, G_TIME_SPAN_HOUR);
  /* the bench keeps inspecting: 2 measurements an hour, a pass every 5 min */
  for (guint step = 0; clock.now < end; step++, clock.now += 5 * G_TIME_SPAN_MINUTE)
    {
      if (step % 6 == 0)
        {
          sync_test_archive_add (archive, added, 1);
          added++;
        }
      g_assert_false (ausculta_sync_worker_run_once (worker, &delivered, NULL) && delivered > 0);
    }
  /* backoff capped at an hour: about one attempt an hour, not one a pass */
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), <=, 72 * 2 + 10);
  g_assert_cmpuint (sync_test_outbox_attempts (archive, "mongodb"), >=, 60);

  server = sync_test_mongo_start (NULL, port, NULL);
  for (guint i = 0; i < 3 && total < added; i++)
    {
      clock.now += G_TIME_SPAN_HOUR;
      ausculta_sync_worker_run_once (worker, &delivered, NULL);
      total += delivered;
    }
  g_assert_cmpuint (total, ==, added);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, added);
  g_assert_cmpint (sync_test_mongo_stat (server, "upserted"), ==, added);
  g_assert_cmpint (sync_test_mongo_stat (server, "written"), ==, added);
}

/* A label set after the measurement was sent re-sends its document. */
static void
test_label_change_updates_document (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (0);
  g_autoptr(AuscultaMeasurement) measurement = sync_test_measurement_new (7);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, NULL);
  g_autofree char *uri = uri_for_port (server->port, NULL);
  SyncTestClock clock = { 0 };
  g_autoptr(AuscultaSyncWorker) worker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = ausculta_label_to_string (3);
  guint delivered = 0;

  g_assert_true (ausculta_archive_add_user (archive, NULL, "admin", "Admin", AUSCULTA_ROLE_ADMIN,
                                            "admin-pass", NULL, &error));
  g_assert_true (ausculta_archive_insert_measurement (archive, measurement, &error));
  g_assert_no_error (error);
  worker = mongo_worker_new (archive, uri, &clock);
  clock.now = g_get_real_time ();
  g_assert_true (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_cmpuint (delivered, ==, 1);
  g_assert_cmpint (sync_test_mongo_count_where (server, DB, COLL, "labels", label), ==, 0);

  g_assert_true (ausculta_archive_set_label (archive, "admin", measurement->id, 3, "whistle", &error));
  g_assert_no_error (error);
  clock.now = g_get_real_time ();
  g_assert_true (ausculta_sync_worker_run_once (worker, &delivered, &error));
  g_assert_cmpuint (delivered, ==, 1);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 1);
  g_assert_cmpint (sync_test_mongo_count_where (server, DB, COLL, "labels", label), ==, 1);
  g_assert_cmpint (sync_test_mongo_count_where (server, DB, COLL, "label_changes.by", "admin"), ==, 1);
}

static void
on_status (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  AuscultaSyncStatus **last = data;

  g_clear_pointer (last, ausculta_sync_status_free);
  g_object_get (object, "status", last, NULL);
}

static gboolean
wait_for_state (AuscultaSyncStatus **last,
                AuscultaSyncState    state,
                guint64              backlog)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (*last != NULL && (*last)->state == state && (*last)->backlog == backlog)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return FALSE;
}

/* The worker's thread, observed as the GUI does: notify::status. */
static void
test_thread_notifies_status (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (10);
  guint16 port = free_port ();
  g_autofree char *uri = uri_for_port (port, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoSync) target = ausculta_mongo_sync_new (uri, NULL, DB, COLL, NULL, &error);
  g_autoptr(AuscultaSyncWorker) worker = ausculta_sync_worker_new (archive, AUSCULTA_SYNC_TARGET (target));
  g_autoptr(SyncTestMongo) server = NULL;
  AuscultaSyncStatus *last = NULL;

  ausculta_sync_worker_set_backoff (worker, 50 * G_TIME_SPAN_MILLISECOND,
                                    200 * G_TIME_SPAN_MILLISECOND, G_TIME_SPAN_HOUR);
  g_signal_connect (worker, "notify::status", G_CALLBACK (on_status), &last);
  ausculta_sync_worker_start (worker);
  g_assert_true (wait_for_state (&last, AUSCULTA_SYNC_STATE_OFFLINE, 10));

  server = sync_test_mongo_start (NULL, port, NULL);
  ausculta_sync_worker_wake (worker);
  g_assert_true (wait_for_state (&last, AUSCULTA_SYNC_STATE_ONLINE, 0));
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 10);

  /* a new inspection is picked up by the poll or a wake */
  sync_test_archive_add (archive, 10, 2);
  ausculta_sync_worker_wake (worker);
  for (guint i = 0; i < 400 && sync_test_mongo_count (server, DB, COLL) < 12; i++)
    g_usleep (50000);
  g_assert_cmpint (sync_test_mongo_count (server, DB, COLL), ==, 12);
  g_assert_true (wait_for_state (&last, AUSCULTA_SYNC_STATE_ONLINE, 0));
  ausculta_sync_worker_stop (worker);
  g_clear_pointer (&last, ausculta_sync_status_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/ausculta/sync/worker/backoff-delay", test_backoff_delay);
  g_test_add_func ("/ausculta/sync/worker/server-down-at-start", test_server_down_at_start);
  g_test_add_func ("/ausculta/sync/worker/killed-mid-batch", test_killed_mid_batch);
  g_test_add_func ("/ausculta/sync/worker/slower-than-timeout", test_slower_than_timeout);
  g_test_add_func ("/ausculta/sync/worker/wrong-credentials", test_wrong_credentials);
  g_test_add_func ("/ausculta/sync/worker/restart-keeps-backoff", test_restart_keeps_backoff);
  g_test_add_func ("/ausculta/sync/worker/outage-72-hours", test_outage_72_hours);
  g_test_add_func ("/ausculta/sync/worker/thread-notifies-status", test_thread_notifies_status);
  g_test_add_func ("/ausculta/sync/worker/label-change-updates-document",
                   test_label_change_updates_document);
  return g_test_run ();
}
