/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-migrate"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "archive-test-util.h"
#include "ausculta-archive-private.h"

#define N_ROWS 500
/* Version 4 drops the six indexes of version 3 and builds ten; then the
 * result is written (committed). */
#define V3_TO_V4_STEPS 17

static int
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* An archive as version 3 left it, with N_ROWS measurements. */
static char *
make_v3_archive (const char *name)
{
  char *path = archive_test_path (name);
  char *sql_error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  archive_test_exec (db, "PRAGMA journal_mode = WAL; BEGIN");
  if (!ausculta_archive_schema_migrate (db, 0, 3, &sql_error))
    g_error ("building schema version 3: %s", sql_error);
  archive_test_exec (db, "PRAGMA application_id = " G_STRINGIFY (AUSCULTA_ARCHIVE_APPLICATION_ID) ";"
                "INSERT INTO stations (name, created_at) VALUES ('bench-1', 0);"
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                "                        WHERE i < " G_STRINGIFY (N_ROWS) ")"
                "INSERT INTO measurements (id, serial, station, model_version, started_at, verdict)"
                "  SELECT printf ('0190f000-0000-7000-8000-%012d', i), 'SN-' || i, 'bench-1',"
                "         'knn-1', 1767312000000000 + i * 1000000, i % 3 FROM n;"
                "COMMIT");
  sqlite3_close (db);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 3);
  return path;
}

/* What the user would miss if an upgrade lost or half-did something. */
static void
assert_still_v3 (const char *path)
{
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM measurements"), ==, N_ROWS);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                  " ('measurements_verdict', 'measurements_label')"), ==, 2);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM sqlite_schema"
                                  " WHERE name = 'measurements_verdict_station'"), ==, 0);
}

static void
assert_upgraded (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  AuscultaArchiveFilter filter;
  guint64 count = 0;

  g_assert_no_error (error);
  g_assert_cmpint (ausculta_archive_get_schema_version (archive), ==, AUSCULTA_ARCHIVE_SCHEMA_VERSION);
  ausculta_archive_filter_init (&filter);
  filter.verdict = AUSCULTA_VERDICT_NOK;
  g_assert_true (ausculta_archive_count (archive, &filter, &count, &error));
  g_assert_cmpuint (count, ==, 167);   /* verdict i % 3 == NOK for 167 of i = 1..500 */
  g_assert_true (ausculta_archive_check (archive, problems, &error) || problems->len > 0);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM sqlite_schema"
                                  " WHERE name = 'measurements_verdict_station'"), ==, 1);
}

typedef struct {
  GArray          *reports;    /* of guint pairs (done, total) */
  GThread         *thread;
  gboolean         other_thread;
  guint            reports_at_result;
  AuscultaArchive *archive;
  GError          *error;
  gboolean         finished;
} Watch;

static void
on_progress (guint    done,
             guint    total,
             gpointer data)
{
  Watch *watch = data;
  guint pair[2] = { done, total };

  g_array_append_vals (watch->reports, pair, 2);
  watch->other_thread |= g_thread_self () != watch->thread;
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Watch *watch = data;

  watch->archive = ausculta_archive_open_finish (result, &watch->error);
  watch->reports_at_result = watch->reports->len / 2;
  watch->finished = TRUE;
}

/* The upgrade runs in a worker; the opener's thread hears step 0 of n,
 * then every step in order up to n of n, then gets the archive. */
static void
test_progress (void)
{
  g_autofree char *path = make_v3_archive ("v3.sqlite");
  Watch watch = { g_array_new (FALSE, FALSE, sizeof (guint)), g_thread_self () };
  guint n;

  ausculta_archive_open_async (path, on_progress, &watch, NULL, on_opened, &watch);
  while (!watch.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (watch.error);
  g_assert_nonnull (watch.archive);
  g_assert_false (watch.other_thread);
  n = watch.reports->len / 2;
  g_assert_cmpuint (n, ==, V3_TO_V4_STEPS + 1);
  g_assert_cmpuint (watch.reports_at_result, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (g_array_index (watch.reports, guint, 2 * i), ==, i);
      g_assert_cmpuint (g_array_index (watch.reports, guint, 2 * i + 1), ==, V3_TO_V4_STEPS);
    }
  g_assert_cmpint (ausculta_archive_get_schema_version (watch.archive), ==,
                   AUSCULTA_ARCHIVE_SCHEMA_VERSION);
  g_clear_object (&watch.archive);
  g_array_unref (watch.reports);
  assert_upgraded (path);
  g_assert_false (ausculta_archive_needs_upgrade (path));
}

/* A current archive opens without a report. */
static void
test_current_no_progress (void)
{
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) created = archive_test_open_new ("v4.sqlite", &path);
  Watch watch = { g_array_new (FALSE, FALSE, sizeof (guint)), g_thread_self () };

  ausculta_archive_open_async (path, on_progress, &watch, NULL, on_opened, &watch);
  while (!watch.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (watch.error);
  g_assert_cmpuint (watch.reports->len, ==, 0);
  g_clear_object (&watch.archive);
  g_array_unref (watch.reports);
}

static void
cancel_at_step_8 (guint    done,
                  guint    total,
                  gpointer data)
{
  if (done == 8)
    g_cancellable_cancel (data);
}

/* Cancelled half way (indexes dropped, some built): nothing changed, and
 * the next opening upgrades. */
static void
test_cancel (void)
{
  g_autofree char *path = make_v3_archive ("cancelled.sqlite");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AuscultaArchiveObserver observer = { cancel_at_step_8, cancellable, cancellable };
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_archive_needs_upgrade (path));
  g_assert_null (ausculta_archive_open_observed (path, &observer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  assert_still_v3 (path);
  g_assert_true (ausculta_archive_needs_upgrade (path));
  assert_upgraded (path);
}

static void
kill_at_step_8 (guint    done,
                guint    total,
                gpointer data)
{
  if (done == 8)
    {
      g_printerr ("killed at step %u of %u\n", done, total);
      raise (SIGKILL);
    }
}

/* The process killed half way through the upgrade (as a power cut or a
 * user closing a frozen-looking app would): the archive is as it was. */
static void
test_killed (void)
{
  g_autofree char *path = NULL;

  if (g_test_subprocess ())
    {
      AuscultaArchiveObserver observer = { kill_at_step_8, NULL, NULL };

      ausculta_archive_open_observed (g_getenv ("TEST_ARCHIVE"), &observer, NULL);
      g_error ("the upgrade went past step 8");
    }
  path = make_v3_archive ("killed.sqlite");
  g_setenv ("TEST_ARCHIVE", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*killed at step 8 of " G_STRINGIFY (V3_TO_V4_STEPS) "*");
  g_test_trap_assert_stderr_unmatched ("*went past*");
  assert_still_v3 (path);
  assert_upgraded (path);
}

static void
test_needs_upgrade (void)
{
  g_autofree char *missing = archive_test_path ("missing.sqlite");
  g_autofree char *text = archive_test_path ("notes.csv");
  g_autofree char *current = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("current.sqlite", &current);

  g_assert_false (ausculta_archive_needs_upgrade (missing));
  g_assert_true (g_file_set_contents (text, "index,target\nmotor,1\n", -1, NULL));
  g_assert_false (ausculta_archive_needs_upgrade (text));
  g_assert_false (ausculta_archive_needs_upgrade (current));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/migrate/progress", test_progress);
  g_test_add_func ("/ausculta/archive/migrate/current-no-progress", test_current_no_progress);
  g_test_add_func ("/ausculta/archive/migrate/cancel", test_cancel);
  g_test_add_func ("/ausculta/archive/migrate/killed", test_killed);
  g_test_add_func ("/ausculta/archive/migrate/needs-upgrade", test_needs_upgrade);
  return g_test_run ();
}
