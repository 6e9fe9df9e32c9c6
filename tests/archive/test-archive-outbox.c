/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-outbox"

#include "config.h"

#include "archive-test-util.h"
#include "ausculta-outbox.h"

static void
insert_n (AuscultaArchive *archive,
          guint            n,
          int              first_second)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *serial = g_strdup_printf ("SN-%u", first_second + i);
      g_autoptr(AuscultaMeasurement) m = archive_test_measurement (serial, "b", "a", 0,
                                                                  first_second + (int) i,
                                                                  AUSCULTA_VERDICT_OK, 0);

      ausculta_archive_insert_measurement (archive, m, &error);
      g_assert_no_error (error);
    }
}

static void
test_peek_defer_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("outbox.sqlite", NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(AuscultaOutboxStats) stats = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_an_hour = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) in_two_hours = g_date_time_add_hours (now, 2);
  g_autoptr(AuscultaMeasurement) loaded = NULL;
  AuscultaOutboxItem *first;
  gint64 done[2];

  insert_n (archive, 3, 0);
  items = ausculta_outbox_peek (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  first = items->pdata[0];
  g_assert_cmpint (first->kind, ==, AUSCULTA_OUTBOX_MEASUREMENT);
  g_assert_cmpuint (first->attempts, ==, 0);
  g_assert_null (first->last_error);
  g_assert_cmpint (first->id, <, ((AuscultaOutboxItem *) items->pdata[1])->id);
  loaded = ausculta_archive_load_measurement (archive, first->ref_id, FALSE, NULL);
  g_assert_cmpstr (loaded->serial, ==, "SN-0");

  /* The first fails: it is not due again before its time, and its error
   * is the target's last error. */
  ausculta_outbox_defer (archive, first->id, "HTTP 503 from server", in_an_hour, &error);
  g_assert_no_error (error);
  later = ausculta_outbox_peek (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, 10, NULL, &error);
  g_assert_cmpuint (later->len, ==, 2);
  g_assert_cmpint (((AuscultaOutboxItem *) later->pdata[0])->id, !=, first->id);
  g_clear_pointer (&later, g_ptr_array_unref);
  later = ausculta_outbox_peek (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, 10, in_two_hours,
                                &error);
  g_assert_cmpuint (later->len, ==, 3);
  g_assert_cmpint (((AuscultaOutboxItem *) later->pdata[0])->id, ==, first->id);
  g_assert_cmpuint (((AuscultaOutboxItem *) later->pdata[0])->attempts, ==, 1);
  g_assert_cmpstr (((AuscultaOutboxItem *) later->pdata[0])->last_error, ==,
                   "HTTP 503 from server");

  stats = ausculta_outbox_get_stats (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, &error);
  g_assert_cmpuint (stats->backlog, ==, 3);
  g_assert_nonnull (stats->oldest_pending);
  g_assert_null (stats->last_success);
  g_assert_cmpstr (stats->last_error, ==, "HTTP 503 from server");
  g_clear_pointer (&stats, ausculta_outbox_stats_free);

  done[0] = ((AuscultaOutboxItem *) later->pdata[1])->id;
  done[1] = ((AuscultaOutboxItem *) later->pdata[2])->id;
  ausculta_outbox_complete_many (archive, done, 2, now, &error);
  g_assert_no_error (error);
  ausculta_outbox_complete (archive, done[0], now, &error);   /* twice: no error */
  g_assert_no_error (error);
  stats = ausculta_outbox_get_stats (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, &error);
  g_assert_cmpuint (stats->backlog, ==, 1);
  g_assert_true (g_date_time_equal (stats->last_success, now));
  g_assert_null (stats->last_error);
  g_clear_pointer (&stats, ausculta_outbox_stats_free);

  stats = ausculta_outbox_get_stats (archive, "nowhere", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->backlog, ==, 0);
  g_assert_null (stats->oldest_pending);
}

static void
test_state_and_enqueue (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("state.sqlite", &path);
  g_autoptr(AuscultaArchive) reopened = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *value = NULL;

  g_assert_null (ausculta_outbox_state_get (archive, "mlflow", "experiment", &error));
  g_assert_no_error (error);
  ausculta_outbox_state_set (archive, "mlflow", "experiment", "17", &error);
  ausculta_outbox_state_set (archive, "mlflow", "experiment", "18", &error);
  ausculta_outbox_state_set (archive, "mongodb", "experiment", "other", &error);
  ausculta_outbox_enqueue (archive, "mlflow", AUSCULTA_OUTBOX_TRAINING_RUN, "run-1", &error);
  g_assert_no_error (error);
  g_clear_object (&archive);

  reopened = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  value = ausculta_outbox_state_get (reopened, "mlflow", "experiment", &error);
  g_assert_cmpstr (value, ==, "18");
  ausculta_outbox_state_set (reopened, "mlflow", "experiment", NULL, &error);
  g_assert_null (ausculta_outbox_state_get (reopened, "mlflow", "experiment", &error));
  items = ausculta_outbox_peek (reopened, "mlflow", 10, NULL, &error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (((AuscultaOutboxItem *) items->pdata[0])->kind, ==,
                   AUSCULTA_OUTBOX_TRAINING_RUN);
  g_assert_cmpstr (ausculta_outbox_kind_to_string (AUSCULTA_OUTBOX_TRAINING_RUN), ==,
                   "training-run");
}

typedef struct {
  AuscultaArchive *archive;
  guint            n_inserted;
  gboolean         done;
} Shared;

static gpointer
inspection_thread (gpointer data)
{
  Shared *shared = data;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *serial = g_strdup_printf ("T-%u", i);
      g_autoptr(AuscultaMeasurement) m = archive_test_measurement (serial, "b", "a", 0, (int) i,
                                                                  AUSCULTA_VERDICT_OK, 64);

      ausculta_archive_insert_measurement (shared->archive, m, &error);
      g_assert_no_error (error);
      g_atomic_int_inc (&shared->n_inserted);
    }
  g_atomic_int_set (&shared->done, TRUE);
  return NULL;
}

/* A sync worker drains the outbox on its own thread while inspections
 * insert on another: every measurement is sent exactly once. */
static void
test_concurrent_insert_and_drain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("threads.sqlite", NULL);
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Shared shared = { .archive = archive };
  GThread *thread = g_thread_new ("inspection", inspection_thread, &shared);

  for (;;)
    {
      gboolean finished = g_atomic_int_get (&shared.done);
      g_autoptr(GPtrArray) items = ausculta_outbox_peek (archive, "mongodb", 16, NULL, &error);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      g_assert_no_error (error);
      for (guint i = 0; i < items->len; i++)
        {
          AuscultaOutboxItem *item = items->pdata[i];

          g_assert_true (g_hash_table_add (sent, g_strdup (item->ref_id)));
          g_array_append_val (ids, item->id);
        }
      ausculta_outbox_complete_many (archive, (gint64 *) ids->data, ids->len, NULL, &error);
      g_assert_no_error (error);
      if (finished && items->len == 0)
        break;
    }
  g_thread_join (thread);
  g_assert_cmpuint (g_hash_table_size (sent), ==, 200);
  g_assert_cmpuint (shared.n_inserted, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/outbox/peek-defer-complete", test_peek_defer_complete);
  g_test_add_func ("/ausculta/archive/outbox/state-and-enqueue", test_state_and_enqueue);
  g_test_add_func ("/ausculta/archive/outbox/concurrent-insert-and-drain",
                   test_concurrent_insert_and_drain);
  return g_test_run ();
}
