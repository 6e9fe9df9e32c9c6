/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-cli"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "archive-test-util.h"
#include "../ausculta-test-shared.h"

/* ausculta-cli import / archive / users as a user runs them. */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
cli (Run        *run,
     const char *input,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err,
                                 &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  err = g_strstrip (g_strdup (run->err));
  g_test_message ("ausculta-cli %s: exit %d; stderr: %s", (const char *) argv->pdata[1],
                  run->status, err);
}

static char *
seed (const char *name)
{
  return g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed", name, NULL);
}

/* The file as the archive holds it: rows repeated exactly are one
 * measurement, so they appear once. */
static char *
without_repeated_rows (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *kept = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && g_hash_table_add (seen, lines[i]))
      g_string_append_printf (kept, "%s\n", lines[i]);
  return g_string_free (kept, FALSE);
}

static void
test_import_export_round_trip (void)
{
  g_autofree char *archive = archive_test_path ("cli.sqlite");
  g_autofree char *again = archive_test_path ("again.sqlite");
  g_autofree char *validation = seed ("DATASET_VALIDATION_dev.csv");
  g_autofree char *ng = seed ("DATASET_NG_dev.csv");
  g_autofree char *exported = archive_test_path ("exported.csv");
  g_autofree char *ng_out = archive_test_path ("ng.csv");
  g_autofree char *ng_again = archive_test_path ("ng-again.csv");
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 }, r6 = { 0 },
              r7 = { 0 }, r8 = { 0 }, r9 = { 0 };

  cli (&r1, NULL, "import", "--archive", archive, validation, ng, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_nonnull (strstr (r1.out, "DATASET_VALIDATION_dev.csv: 650 rows, 642 added"));
  g_assert_nonnull (strstr (r1.out, "DATASET_NG_dev.csv: 352 rows, 0 added, 344 labels refined"));

  /* The same files again add nothing. */
  cli (&r2, NULL, "import", "--archive", archive, ng, validation, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_nonnull (strstr (r2.out, "352 rows, 0 added, 0 labels refined, 0 label conflicts"));
  g_assert_nonnull (strstr (r2.out, "650 rows, 0 added, 0 labels refined, 0 label conflicts"));

  cli (&r3, NULL, "archive", "stats", "--archive", archive, NULL);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_nonnull (strstr (r3.out, "measurements: 642\n"));
  g_assert_nonnull (strstr (r3.out, "labels: OK 298, NG 344, unlabelled 0"));
  g_assert_nonnull (strstr (r3.out, "outbox mongodb: 1628 pending"));   /* 642 + 986 labels */

  cli (&r4, NULL, "archive", "check", "--archive", archive, NULL);
  g_assert_cmpint (r4.status, ==, 0);
  g_assert_nonnull (strstr (r4.out, "audit chain: OK"));

  /* Exported in the validation layout: the original file, byte for byte
   * (less its 8 rows that repeat another exactly). */
  cli (&r5, NULL, "archive", "export", "--archive", archive, "--csv", exported,
       "--source", "csv:DATASET_VALIDATION_dev.csv", NULL);
  g_assert_cmpint (r5.status, ==, 0);
  expected = without_repeated_rows (validation);
  g_assert_true (g_file_get_contents (exported, &actual, NULL, NULL));
  g_assert_cmpstr (actual, ==, expected);

  /* Defect-class layout: exporting, importing and exporting again gives
   * the same file, with the NG rows' classes. */
  cli (&r6, NULL, "archive", "export", "--archive", archive, "--csv", ng_out, "--layout",
       "defect-class", NULL);
  g_assert_cmpint (r6.status, ==, 0);
  g_assert_nonnull (strstr (r6.out, "642 rows"));
  cli (&r7, NULL, "import", "--archive", again, ng_out, NULL);
  g_assert_cmpint (r7.status, ==, 0);
  g_assert_nonnull (strstr (r7.out, "642 rows, 642 added"));
  cli (&r8, NULL, "archive", "export", "--archive", again, "--csv", ng_again, "--layout",
       "defect-class", NULL);
  g_assert_cmpint (r8.status, ==, 0);
  g_assert_true (g_file_get_contents (ng_out, &first, NULL, NULL));
  g_assert_true (g_file_get_contents (ng_again, &second, NULL, NULL));
  g_assert_cmpstr (first, ==, second);
  g_assert_true (g_str_has_prefix (first, "\xef\xbb\xbftarget;index;V1_AC_down;"));

  cli (&r9, NULL, "archive", "stats", "--archive", again, NULL);
  g_assert_nonnull (strstr (r9.out, "labels: OK 298, NG 344"));
}

static void
test_bad_files (void)
{
  g_autofree char *archive = archive_test_path ("bad.sqlite");
  g_autofree char *broken = archive_test_path ("broken.csv");
  g_autofree char *notes = archive_test_path ("notes.txt");
  g_autofree char *validation = seed ("DATASET_VALIDATION_dev.csv");
  g_autofree char *text = NULL;
  g_autofree char *cut = NULL;
  g_auto(Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 };

  /* A file cut in the middle of a row: the import stops with the line,
   * and none of the file's earlier rows stay half imported. */
  g_assert_true (g_file_get_contents (validation, &text, NULL, NULL));
  cut = g_strndup (text, strlen (text) / 2);
  g_assert_true (g_file_set_contents (broken, cut, -1, NULL));
  cli (&r1, NULL, "import", "--archive", archive, broken, NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.err, "broken.csv:"));
  cli (&r2, NULL, "archive", "stats", "--archive", archive, NULL);
  g_assert_nonnull (strstr (r2.out, "measurements: 0\n"));

  g_assert_true (g_file_set_contents (notes, "shopping list\nmilk\n", -1, NULL));
  cli (&r3, NULL, "archive", "check", "--archive", notes, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_nonnull (strstr (r3.err, "is not an Ausculta archive"));
  cli (&r4, NULL, "import", "--archive", notes, validation, NULL);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_nonnull (strstr (r4.err, "is not an Ausculta archive"));
}

static void
test_users_and_check (void)
{
  g_autofree char *archive = archive_test_path ("users.sqlite");
  g_autofree char *validation = seed ("DATASET_VALIDATION_dev.csv");
  g_auto(Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 }, r6 = { 0 },
              r7 = { 0 }, r8 = { 0 }, r9 = { 0 }, r10 = { 0 }, r11 = { 0 }, r12 = { 0 };
  sqlite3 *db = NULL;

  cli (&r1, "rootpass\n", "users", "add", "root", "--role", "admin", "--archive", archive, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_nonnull (strstr (r1.out, "added root (admin)"));
  cli (&r2, "rootpass\ninsppass\n4321\n", "users", "add", "insp", "--pin", "--as", "root",
       "--archive", archive, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  cli (&r3, "wrongpass\nxxxxxxx\n", "users", "add", "eve", "--as", "root", "--archive",
       archive, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_nonnull (strstr (r3.err, "wrong password/PIN for “root”"));

  /* An inspector cannot import (supervisor) nor manage users. */
  cli (&r4, "4321\n", "import", "--as", "insp", "--archive", archive, validation, NULL);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_nonnull (strstr (r4.err, "importing refused: it needs the role supervisor"));
  cli (&r5, "rootpass\n", "users", "role", "insp", "supervisor", "--as", "root", "--archive",
       archive, NULL);
  g_assert_cmpint (r5.status, ==, 0);
  cli (&r6, "insppass\n", "import", "--as", "insp", "--archive", archive, validation, NULL);
  g_assert_cmpint (r6.status, ==, 0);
  cli (&r7, "rootpass\n", "users", "disable", "insp", "--as", "root", "--archive", archive, NULL);
  g_assert_cmpint (r7.status, ==, 0);
  cli (&r8, NULL, "users", "list", "--archive", archive, NULL);
  g_assert_nonnull (strstr (r8.out, "insp             supervisor disabled"));
  g_assert_nonnull (strstr (r8.out, "root             admin      enabled"));
  cli (&r11, "rootpass\nnewroot1\n", "users", "passwd", "root", "--archive", archive, NULL);
  g_assert_cmpint (r11.status, ==, 0);
  cli (&r12, "rootpass\n", "users", "disable", "insp", "--enable", "--as", "root", "--archive",
       archive, NULL);
  g_assert_cmpint (r12.status, ==, 1);   /* the old password no longer works */

  /* Someone edits the audit log behind the archive's back. */
  cli (&r9, NULL, "archive", "check", "--archive", archive, NULL);
  g_assert_cmpint (r9.status, ==, 0);
  g_assert_cmpint (sqlite3_open (archive, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                 "UPDATE audit SET detail = 'role=admin' WHERE action = 'user.role'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  cli (&r10, NULL, "archive", "check", "--archive", archive, NULL);
  g_assert_cmpint (r10.status, ==, 1);
  g_assert_nonnull (strstr (r10.out, "problem: audit log: entry 3 was altered"));
  g_assert_nonnull (strstr (r10.err, "1 problems found"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();

  g_test_add_func ("/ausculta/archive/cli/import-export-round-trip",
                   test_import_export_round_trip);
  g_test_add_func ("/ausculta/archive/cli/bad-files", test_bad_files);
  g_test_add_func ("/ausculta/archive/cli/users-and-check", test_users_and_check);
  return g_test_run ();
}
