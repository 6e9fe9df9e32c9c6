/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-schema"

#include "config.h"

#include <string.h>

#include "archive-test-util.h"
#include "ausculta-archive-private.h"

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

/* An archive left at each earlier schema version, with a measurement in
 * it when the version has measurements, opens migrated and keeps it. */
static void
test_migrate_from_every_version (void)
{
  for (int version = 0; version < AUSCULTA_ARCHIVE_SCHEMA_VERSION; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("v%d.sqlite", version);
      g_autofree char *path = archive_test_path (name);
      g_autoptr(AuscultaArchive) archive = NULL;
      g_autoptr(AuscultaMeasurement) m = NULL;
      g_autoptr(GArray) days = NULL;
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      char *sql_error = NULL;
      sqlite3 *db = raw_open (path);

      g_test_message ("from schema version %d", version);
      archive_test_exec (db, "BEGIN");
      if (!ausculta_archive_schema_migrate (db, 0, version, &sql_error))
        g_error ("building schema version %d: %s", version, sql_error);
      if (version >= 1)   /* every version from 1 has this table and these columns */
        archive_test_exec (db, "PRAGMA application_id = " G_STRINGIFY (AUSCULTA_ARCHIVE_APPLICATION_ID) ";"
                      "INSERT INTO measurements (id, serial, started_at, verdict)"
                      " VALUES ('0190f000-0000-7000-8000-000000000001', 'OLD-1',"
                      " 1767312000000000, 1)");
      archive_test_exec (db, "COMMIT");
      sqlite3_close (db);

      archive = ausculta_archive_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ausculta_archive_get_schema_version (archive), ==,
                       AUSCULTA_ARCHIVE_SCHEMA_VERSION);
      g_assert_true (ausculta_archive_check (archive, problems, &error));
      if (version == 0)
        continue;
      m = ausculta_archive_load_measurement (archive, "0190f000-0000-7000-8000-000000000001",
                                             FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (m->serial, ==, "OLD-1");
      days = ausculta_archive_count_per_day (archive, NULL, &error);
      g_assert_cmpuint (days->len, ==, 1);
      g_assert_cmpuint (g_array_index (days, AuscultaDayCounts, 0).counts[AUSCULTA_VERDICT_OK],
                        ==, 1);
    }
}

static void
assert_refused (const char          *path,
                AuscultaArchiveError code,
                const char          *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  g_assert_null (ausculta_archive_open (path, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_not_an_archive (void)
{
  g_autofree char *text = archive_test_path ("notes.txt");
  g_autofree char *other = archive_test_path ("other.sqlite");
  sqlite3 *db;

  g_assert_true (g_file_set_contents (text, "index,target\nmotor,1\n" 
                                      "this is a CSV file, not a database\n", -1, NULL));
  assert_refused (text, AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE, "not an Ausculta archive");

  db = raw_open (other);
  archive_test_exec (db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')");
  sqlite3_close (db);
  assert_refused (other, AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE, "another program");
}

static void
test_newer_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("newer.sqlite", &path);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-1", "b", "a", 0, 1,
                                                              AUSCULTA_VERDICT_OK, 0);
  g_autoptr(AuscultaArchive) reopened = NULL;
  g_autoptr(AuscultaMeasurement) back = NULL;
  sqlite3 *db;

  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  g_clear_object (&archive);
  db = raw_open (path);
  archive_test_exec (db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99");
  sqlite3_close (db);

  assert_refused (path, AUSCULTA_ARCHIVE_ERROR_TOO_NEW, "newer Ausculta (archive version 99");

  /* Nothing lost: put the version back and the measurement is there. */
  db = raw_open (path);
  archive_test_exec (db, "PRAGMA user_version = " G_STRINGIFY (AUSCULTA_ARCHIVE_SCHEMA_VERSION));
  sqlite3_close (db);
  reopened = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  back = ausculta_archive_load_measurement (reopened, m->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->serial, ==, "SN-1");
}

static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("ro.sqlite", &path);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-1", "b", "a", 0, 1,
                                                              AUSCULTA_VERDICT_OK, 0);
  g_autoptr(AuscultaMeasurement) other = archive_test_measurement ("SN-2", "b", "a", 0, 2,
                                                                  AUSCULTA_VERDICT_OK, 0);
  g_autoptr(AuscultaArchive) ro = NULL;
  guint64 count = 0;

  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  g_clear_object (&archive);

  ro = ausculta_archive_open_read_only (path, &error);
  g_assert_no_error (error);
  g_assert_false (ausculta_archive_insert_measurement (ro, other, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);
  g_assert_false (ausculta_outbox_state_set (ro, "mongodb", "k", "v", &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_READ_ONLY);
  g_clear_error (&error);
  ausculta_archive_count (ro, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  g_assert_null (ausculta_archive_open_read_only ("/nonexistent/archive.sqlite", &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_OPEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/schema/migrate-from-every-version",
                   test_migrate_from_every_version);
  g_test_add_func ("/ausculta/archive/schema/not-an-archive", test_not_an_archive);
  g_test_add_func ("/ausculta/archive/schema/newer-version", test_newer_version);
  g_test_add_func ("/ausculta/archive/schema/read-only", test_read_only);
  return g_test_run ();
}
