/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ausculta-credentials.h"
#include "ausculta-sync-config.h"
#include "ausculta-sync-error.h"

static void
test_file_owner_only (void)
{
  g_autofree char *path = ausculta_credentials_file_path ();
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (ausculta_credentials_store ("mongodb", "bench@db:27017", "s3cret", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  secret = ausculta_credentials_lookup ("mongodb", "bench@db:27017", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret");
  g_clear_pointer (&secret, g_free);
  secret = ausculta_credentials_lookup ("mlflow", "bench", &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (ausculta_credentials_clear ("mongodb", "bench@db:27017", &error));
  secret = ausculta_credentials_lookup ("mongodb", "bench@db:27017", &error);
  g_assert_null (secret);
}

static void
test_readable_file_refused (void)
{
  g_autofree char *path = ausculta_credentials_file_path ();
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert_true (ausculta_credentials_store ("mlflow", "bench", "tok", &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  secret = ausculta_credentials_lookup ("mlflow", "bench", &error);
  g_assert_null (secret);
  g_assert_error (error, AUSCULTA_CREDENTIALS_ERROR, AUSCULTA_CREDENTIALS_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
}

static void
write_config (const char *text,
              char      **path)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_config_dir (), 0700);
  *path = g_build_filename (g_get_user_config_dir (), "sync.ini", NULL);
  g_assert_true (g_file_set_contents (*path, text, -1, &error));
}

static void
test_config_refuses_password_in_uri (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  AuscultaSyncConfig *config;

  write_config ("[mongodb]\nuri=mongodb://bench:s3cret@db.plant:27017/?tls=true\n", &path);
  config = ausculta_sync_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "holds a password"));
  g_assert_null (strstr (error->message, "s3cret"));
}

static void
test_config_defaults_and_account (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSyncConfig) config = NULL;
  g_autofree char *mongo = NULL;
  g_autofree char *mlflow = NULL;

  write_config ("[mongodb]\nuri=mongodb://bench@db1:27017,db2:27017/?replicaSet=rs0&tls=true\n"
                "[mlflow]\ntracking-uri=https://dagshub.com/plant/motors.mlflow\nusername=plant\n",
                &path);
  config = ausculta_sync_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->mongo_database, ==, "production");
  g_assert_cmpstr (config->mongo_collection, ==, "api_mesures");
  g_assert_cmpstr (config->mlflow_experiment, ==, "ausculta");
  mongo = ausculta_sync_config_account (config, "mongodb");
  mlflow = ausculta_sync_config_account (config, "mlflow");
  g_assert_cmpstr (mongo, ==, "bench@db1:27017,db2:27017");
  g_assert_cmpstr (mlflow, ==, "plant");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("AUSCULTA_CREDENTIALS", "file", TRUE);
  g_test_add_func ("/ausculta/sync/credentials/file-owner-only", test_file_owner_only);
  g_test_add_func ("/ausculta/sync/credentials/readable-file-refused", test_readable_file_refused);
  g_test_add_func ("/ausculta/sync/config/refuses-password-in-uri", test_config_refuses_password_in_uri);
  g_test_add_func ("/ausculta/sync/config/defaults-and-account", test_config_defaults_and_account);
  return g_test_run ();
}
