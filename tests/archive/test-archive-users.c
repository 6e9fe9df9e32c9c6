/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-users"

#include "config.h"

#include <string.h>

#include "archive-test-util.h"
#include "ausculta-archive-private.h"

static void
test_users_and_roles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("users.sqlite", NULL);
  g_autoptr(AuscultaUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;

  g_assert_false (ausculta_archive_add_user (archive, NULL, "first", NULL,
                                             AUSCULTA_ROLE_INSPECTOR, "secret1", NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "first user"));
  g_clear_error (&error);
  archive_test_add_users (archive);

  user = ausculta_archive_authenticate (archive, "root", "rootpass", &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->role, ==, AUSCULTA_ROLE_ADMIN);
  g_assert_cmpstr (user->full_name, ==, "Root Admin");
  g_clear_pointer (&user, ausculta_user_free);
  user = ausculta_archive_authenticate (archive, "root", "1234", &error);   /* PIN */
  g_assert_no_error (error);
  g_clear_pointer (&user, ausculta_user_free);
  g_assert_null (ausculta_archive_authenticate (archive, "root", "wrong!", &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (ausculta_archive_authenticate (archive, "ghost", "rootpass", &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH);
  g_clear_error (&error);

  /* Only an admin manages users; nobody removes the last admin. */
  g_assert_false (ausculta_archive_add_user (archive, "sup", "x", NULL, AUSCULTA_ROLE_ADMIN,
                                             "secret1", NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "“sup” is supervisor"));
  g_clear_error (&error);
  g_assert_false (ausculta_archive_set_user_role (archive, "root", "root",
                                                  AUSCULTA_ROLE_ENGINEER, &error));
  g_assert_nonnull (strstr (error->message, "no enabled admin"));
  g_clear_error (&error);
  g_assert_false (ausculta_archive_add_user (archive, "root", "eng", NULL, AUSCULTA_ROLE_ENGINEER,
                                             "secret1", NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS);
  g_clear_error (&error);

  ausculta_archive_set_user_role (archive, "root", "insp", AUSCULTA_ROLE_SUPERVISOR, &error);
  g_assert_no_error (error);
  ausculta_archive_set_user_disabled (archive, "root", "eng", TRUE, &error);
  g_assert_no_error (error);
  g_assert_null (ausculta_archive_authenticate (archive, "eng", "engpass", &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);
  g_assert_false (ausculta_archive_check_role (archive, "eng", AUSCULTA_ROLE_INSPECTOR, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* A user changes their own password, not someone else's. */
  ausculta_archive_set_user_secret (archive, "sup", "sup", "newsecret", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ausculta_archive_set_user_secret (archive, "sup", "root", "hijack1", NULL,
                                                    &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_clear_error (&error);
  user = ausculta_archive_authenticate (archive, "sup", "newsecret", &error);
  g_assert_no_error (error);

  users = ausculta_archive_list_users (archive, &error);
  g_assert_cmpuint (users->len, ==, 4);
  g_assert_cmpstr (((AuscultaUser *) users->pdata[0])->name, ==, "eng");
  g_assert_true (((AuscultaUser *) users->pdata[0])->disabled);
  g_assert_cmpint (((AuscultaUser *) users->pdata[1])->role, ==, AUSCULTA_ROLE_SUPERVISOR);
  g_assert_true (((AuscultaUser *) users->pdata[2])->has_pin);
}

static void
run_sql (const char *path,
         const char *sql,
         int         expected)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, expected);
  sqlite3_close (db);
}

static char *
check_problems (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  ausculta_archive_check (archive, problems, &error);
  g_assert_no_error (error);
  g_ptr_array_add (problems, NULL);
  return g_strjoinv ("\n", (char **) problems->pdata);
}

static void
test_audit_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("audit.sqlite", &path);
  g_autofree char *problems = NULL;

  ausculta_archive_add_user (archive, NULL, "root", NULL, AUSCULTA_ROLE_ADMIN, "rootpass", NULL,
                             &error);
  for (guint i = 0; i < 5; i++)
    ausculta_archive_append_audit (archive, "root", "login", "root", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&archive);
  problems = check_problems (path);
  g_assert_cmpstr (problems, ==, "");
  g_clear_pointer (&problems, g_free);

  /* The triggers refuse edits; with them dropped, the chain tells. */
  run_sql (path, "UPDATE audit SET actor = 'mallory' WHERE seq = 3", SQLITE_CONSTRAINT);
  run_sql (path, "DELETE FROM audit WHERE seq = 6", SQLITE_CONSTRAINT);
  run_sql (path, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                 "UPDATE audit SET actor = 'mallory' WHERE seq = 3", SQLITE_OK);
  problems = check_problems (path);
  g_assert_cmpstr (problems, ==, "audit log: entry 3 was altered (hash mismatch)");
  g_clear_pointer (&problems, g_free);

  run_sql (path, "DELETE FROM audit WHERE seq IN (4, 6)", SQLITE_OK);
  problems = check_problems (path);
  g_assert_nonnull (strstr (problems, "audit log: entries 4 to 4 deleted"));
  g_assert_nonnull (strstr (problems, "audit log: entries after 5 to 6 deleted"));
}

static void
test_check_orphans (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("orphans.sqlite", &path);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-1", "b", "a", 0, 1,
                                                              AUSCULTA_VERDICT_OK, 32);
  g_autofree char *problems = NULL;
  g_autofree char *sql = NULL;

  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  g_clear_object (&archive);

  /* A measurement row deleted by hand, without its signals and features. */
  sql = g_strdup_printf ("PRAGMA foreign_keys = OFF; DELETE FROM measurements WHERE id = '%s'",
                         m->id);
  run_sql (path, sql, SQLITE_OK);
  problems = check_problems (path);
  g_assert_nonnull (strstr (problems, "foreign key: row 1 of features refers to a missing "
                                      "measurements"));
  g_assert_nonnull (strstr (problems, "of signals refers to a missing measurements"));
  g_assert_nonnull (strstr (problems, "outbox: row 1 refers to missing measurement"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/users/roles", test_users_and_roles);
  g_test_add_func ("/ausculta/archive/users/audit-chain", test_audit_chain);
  g_test_add_func ("/ausculta/archive/users/check-orphans", test_check_orphans);
  return g_test_run ();
}
