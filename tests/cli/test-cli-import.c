/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "../ausculta-test-shared.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

/* ausculta-cli as a user runs it: exit codes, output, one-line errors. */

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
run_cli (Run *run, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
seed_path (const char *name)
{
  return g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed", name, NULL);
}

static void
assert_one_line_error (Run *run, const char *expected)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "ausculta-cli"));
  g_assert_nonnull (strstr (run->err, expected));
  /* exactly one line */
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
}

static void
test_dry_run_real_files (void)
{
  g_autofree char *ng = seed_path ("DATASET_NG_dev.csv");
  g_autofree char *validation = seed_path ("DATASET_VALIDATION_dev.csv");
  g_auto(Run) run = { 0 };

  run_cli (&run, "import", "--dry-run", ng, validation, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out,
    "DATASET_NG_dev.csv: 352 rows (0 OK, 352 NG), 432 features (historical layout)\n"
    "  labels: defect class\n"
    "  defect classes: 1: 80 2: 90 3: 13 4: 75 5: 26 6: 33 7: 35\n"
    "  motors: 227 (0 OK, 227 NG)\n"
    "  missing values: 0 cells in 0 rows\n"));
  g_assert_nonnull (strstr (run.out,
    "DATASET_VALIDATION_dev.csv: 650 rows (298 OK, 352 NG), 432 features (historical layout)\n"
    "  labels: OK/NG\n"
    "  motors: 525 (298 OK, 227 NG)\n"));
}

static void
test_dry_run_bad_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (path, "index,target,a,b\nm1,0,1.5,2\nm2,0,1.5,x\n", -1,
                                      NULL));
  run_cli (&run, "import", "--dry-run", path, NULL);
  expected = g_strdup_printf ("%s:3: column 4 (b): \"x\" is not a number", path);
  assert_one_line_error (&run, expected);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_dry_run_header_only (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "header.csv", NULL);
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (path, "index,target,a\n", -1, NULL));
  run_cli (&run, "import", "--dry-run", path, NULL);
  assert_one_line_error (&run, "header.csv: no data rows after the header");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_usage_errors (void)
{
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) no_file = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) missing = { 0 };

  run_cli (&none, NULL);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "Usage: ausculta-cli COMMAND"));

  run_cli (&unknown, "frobnicate", NULL);
  assert_one_line_error (&unknown, "unknown command “frobnicate”");

  run_cli (&no_file, "import", "--dry-run", NULL);
  assert_one_line_error (&no_file, "no file given");

  run_cli (&bad_option, "import", "--bogus", NULL);
  assert_one_line_error (&bad_option, "Unknown option --bogus");

  run_cli (&missing, "import", "--dry-run", "/nonexistent/data.csv", NULL);
  assert_one_line_error (&missing, "/nonexistent/data.csv: cannot open: No such file or directory");
}

/* Every command listed by --help answers its own --help. */
static void
test_every_command_has_help (void)
{
  g_auto(Run) help = { 0 };
  g_auto(GStrv) lines = NULL;
  guint commands = 0;

  run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  lines = g_strsplit (help.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      g_auto(Run) run = { 0 };

      if (!g_str_has_prefix (lines[i], "  "))
        continue;
      words = g_strsplit_set (g_strstrip (lines[i]), " ", 2);
      run_cli (&run, words[0], "--help", NULL);
      g_test_message ("%s --help: exit %d", words[0], run.status);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "Usage:"));
      commands++;
    }
  g_assert_cmpuint (commands, >=, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();
  g_test_add_func ("/ausculta/cli/import/dry-run", test_dry_run_real_files);
  g_test_add_func ("/ausculta/cli/import/bad-file", test_dry_run_bad_file);
  g_test_add_func ("/ausculta/cli/import/header-only", test_dry_run_header_only);
  g_test_add_func ("/ausculta/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/ausculta/cli/every-command-has-help", test_every_command_has_help);
  return g_test_run ();
}
