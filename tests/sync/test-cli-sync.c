/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ausculta-mlflow-sync.h"
#include "ausculta-sync-worker.h"
#include "sync-test-archive.h"
#include "sync-test-mlflow.h"
#include "sync-test-mongo.h"

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

/* ausculta-cli sync ARGS... as a user runs it, with @input on stdin. */
static void
cli_sync (Run         *run,
          const char  *input,
          const char  *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("AUSCULTA_CLI"));
  g_ptr_array_add (argv, "sync");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* the isolated folders of this test, for the child too */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\n--- stdout\n%s--- stderr\n%s", run->status, run->out, run->err);
}

static char *
write_config (const char *uri)
{
  g_autofree char *text = g_strdup_printf ("[mongodb]\nuri=%s\ncollection=api_mesures\n", uri);
  char *path = g_build_filename (g_get_user_data_dir (), "sync.ini", NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
archive_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "archive.sqlite", NULL);
}

static void
test_status_once_status (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (5);
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, NULL);
  g_autofree char *config = write_config (server->uri);
  g_autofree char *path = archive_path ();
  g_auto(Run) before = { 0 }, once = { 0 }, after = { 0 };

  cli_sync (&before, NULL, "--status", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "mongodb: idle"));
  g_assert_nonnull (strstr (before.out, "backlog: 5"));
  g_assert_nonnull (strstr (before.out, "last success: never"));
  g_assert_nonnull (strstr (before.out, "mlflow: idle (not configured)"));

  cli_sync (&once, NULL, "--once", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (once.status, ==, 0);
  g_assert_nonnull (strstr (once.out, "mongodb: 5 sent, 0 still queued (online)"));
  g_assert_cmpint (sync_test_mongo_count (server, "production", "api_mesures"), ==, 5);

  cli_sync (&after, NULL, "--status", "--archive", path, "--config", config, NULL);
  g_assert_nonnull (strstr (after.out, "mongodb: online"));
  g_assert_nonnull (strstr (after.out, "backlog: 0\n  last success: 20"));
}

static void
test_offline_once_fails_and_status_says_why (void)
{
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (3);
  g_autofree char *config = write_config ("mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200");
  g_autofree char *path = archive_path ();
  g_auto(Run) once = { 0 }, status = { 0 };

  cli_sync (&once, NULL, "--once", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (once.status, ==, 1);
  g_assert_nonnull (strstr (once.out, "mongodb: 0 sent, 3 still queued (offline)"));
  g_assert_nonnull (strstr (once.err, "127.0.0.1:9"));

  cli_sync (&status, NULL, "--status", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (status.status, ==, 0);
  g_assert_nonnull (strstr (status.out, "mongodb: offline"));
  g_assert_nonnull (strstr (status.out, "last error: MongoDB 127.0.0.1:9/production.api_mesures"));
  g_assert_nonnull (strstr (status.out, "next attempt:"));
}

static void
test_store_secret_from_stdin (void)
{
  g_autofree char *config = write_config ("mongodb://bench@127.0.0.1:27017/");
  g_autofree char *credentials = g_build_filename (g_get_user_config_dir (), "ausculta",
                                                   "credentials", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) store = { 0 };
  GStatBuf st;

  cli_sync (&store, "pa55-word\n", "--store-secret", "mongodb", "--config", config, NULL);
  g_assert_cmpint (store.status, ==, 0);
  g_assert_nonnull (strstr (store.out, "mongodb: secret stored for bench@127.0.0.1:27017"));
  g_assert_null (strstr (store.out, "pa55-word"));
  g_assert_cmpint (g_stat (credentials, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (credentials, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "pa55-word"));
}

static void
test_password_in_uri_refused (void)
{
  g_autofree char *config = write_config ("mongodb://bench:pa55@127.0.0.1:27017/");
  g_autofree char *path = archive_path ();
  g_auto(Run) once = { 0 };

  cli_sync (&once, NULL, "--once", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (once.status, ==, 1);
  g_assert_nonnull (strstr (once.err, "holds a password"));
  g_assert_null (strstr (once.err, "pa55"));
}

static char *
write_mlflow_config (const char *uri,
                     const char *pull_minutes)
{
  g_autofree char *text = g_strdup_printf ("[mlflow]\ntracking-uri=%s\npull-minutes=%s\n",
                                           uri, pull_minutes);
  char *path = g_build_filename (g_get_user_data_dir (), "sync.ini", NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Another station approved the demo model; this one's `--once` installs
 * it as its production model and says so, and `--status` remembers. */
static void
test_once_pulls_champion (void)
{
  g_autoptr(SyncTestMlflow) server = sync_test_mlflow_start (0, NULL);
  g_autofree char *plant_path = g_build_filename (g_get_user_data_dir (), "plant.sqlite", NULL);
  g_autoptr(AuscultaArchive) plant = ausculta_archive_open (plant_path, NULL);
  g_autoptr(AuscultaMlflowSync) target = ausculta_mlflow_sync_new (server->uri, NULL, NULL,
                                                                   "ausculta", "ausculta-detector");
  g_autoptr(AuscultaSyncWorker) worker = ausculta_sync_worker_new (plant, AUSCULTA_SYNC_TARGET (target));
  g_autoptr(GBytes) demo = sync_test_data_model ("demo.model");
  g_autoptr(AuscultaArchive) archive = sync_test_archive_new (0);
  g_autofree char *config = write_mlflow_config (server->uri, "10");
  g_autofree char *bad_config = NULL;
  g_autofree char *path = archive_path ();
  g_autofree char *id = NULL;
  g_autoptr(AuscultaModelInfo) production = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) once = { 0 }, status = { 0 }, bad = { 0 };

  g_assert_true (ausculta_archive_add_user (plant, NULL, "admin", "Admin", AUSCULTA_ROLE_ADMIN,
                                            "admin-pass", NULL, &error));
  id = ausculta_archive_add_model (plant, "admin", "demo", demo, NULL, &error);
  g_assert_true (ausculta_archive_approve_model (plant, "admin", id, &error));
  g_assert_true (ausculta_sync_worker_run_once (worker, NULL, &error));
  g_assert_no_error (error);

  cli_sync (&once, NULL, "--once", "--archive", path, "--config", config, NULL);
  g_assert_cmpint (once.status, ==, 0);
  g_assert_nonnull (strstr (once.out, "mlflow: champion v1 installed: production model demo"));
  production = ausculta_archive_get_production_model (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (production->id, ==, id);

  cli_sync (&status, NULL, "--status", "--archive", path, "--config", config, NULL);
  g_assert_nonnull (strstr (status.out, "  pull: champion v1 installed: production model demo"));

  bad_config = write_mlflow_config (server->uri, "0");
  cli_sync (&bad, NULL, "--once", "--archive", path, "--config", bad_config, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "[mlflow] pull-minutes is “0”; expected a whole number"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("AUSCULTA_CREDENTIALS", "file", TRUE);
  g_test_add_func ("/ausculta/cli/sync/status-once-status", test_status_once_status);
  g_test_add_func ("/ausculta/cli/sync/offline-once-fails-and-status-says-why",
                   test_offline_once_fails_and_status_says_why);
  g_test_add_func ("/ausculta/cli/sync/store-secret-from-stdin", test_store_secret_from_stdin);
  g_test_add_func ("/ausculta/cli/sync/password-in-uri-refused", test_password_in_uri_refused);
  g_test_add_func ("/ausculta/cli/sync/once-pulls-champion", test_once_pulls_champion);
  return g_test_run ();
}
