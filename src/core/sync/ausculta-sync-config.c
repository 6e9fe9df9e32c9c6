/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-config"

#include "config.h"

#include <mongoc/mongoc.h>

#include "ausculta-credentials.h"
#include "ausculta-mlflow-sync.h"
#include "ausculta-mongo-sync.h"
#include "ausculta-sync-config.h"
#include "ausculta-sync-error.h"

char *
ausculta_sync_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "ausculta", "sync.ini", NULL);
}

void
ausculta_sync_config_free (AuscultaSyncConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->mongo_uri);
  g_free (config->mongo_database);
  g_free (config->mongo_collection);
  g_free (config->mongo_client);
  g_free (config->mlflow_uri);
  g_free (config->mlflow_username);
  g_free (config->mlflow_experiment);
  g_free (config->mlflow_model);
  g_free (config);
}

static char *
get_or (GKeyFile   *file,
        const char *group,
        const char *key,
        const char *fallback)
{
  char *value = g_key_file_get_string (file, group, key, NULL);

  if (value != NULL && *g_strstrip (value) != '\0')
    return value;
  g_free (value);
  return g_strdup (fallback);
}

static gboolean
check_mongo_uri (const char *path,
                 const char *uri,
                 GError    **error)
{
  bson_error_t bson_error;
  mongoc_uri_t *parsed = mongoc_uri_new_with_error (uri, &bson_error);
  gboolean has_password;

  if (parsed == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "%s: [mongodb] uri is not a MongoDB URI: %s", path, bson_error.message);
      return FALSE;
    }
  has_password = mongoc_uri_get_password (parsed) != NULL;
  mongoc_uri_destroy (parsed);
  if (has_password)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "%s: [mongodb] uri holds a password; remove it and store it with "
                   "“ausculta-cli sync --store-secret mongodb” (read from standard input)", path);
      return FALSE;
    }
  return TRUE;
}

/* [mlflow] pull-minutes: a whole number of minutes, 1 to a week. */
static gboolean
get_pull_minutes (GKeyFile   *file,
                  const char *path,
                  guint      *minutes,
                  GError    **error)
{
  g_autofree char *text = get_or (file, "mlflow", "pull-minutes", NULL);
  guint64 value = 0;

  *minutes = 10;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, 7 * 24 * 60, &value, NULL))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "%s: [mlflow] pull-minutes is “%s”; expected a whole number of minutes "
                   "from 1 to 10080", path, text);
      return FALSE;
    }
  *minutes = (guint) value;
  return TRUE;
}

/**
 * ausculta_sync_config_load:
 * @path: (nullable): the file; the default path when NULL
 *
 * A missing file is an empty configuration (nothing to sync to).
 */
AuscultaSyncConfig *
ausculta_sync_config_load (const char *path,
                           GError    **error)
{
  g_autofree char *default_path = path ? NULL : ausculta_sync_config_default_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(AuscultaSyncConfig) config = g_new0 (AuscultaSyncConfig, 1);
  g_autoptr(GError) local_error = NULL;

  path = path ? path : default_path;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "%s: %s", path, local_error->message);
      return NULL;
    }
  config->mongo_uri = get_or (file, "mongodb", "uri", NULL);
  config->mongo_database = get_or (file, "mongodb", "database", "production");
  config->mongo_collection = get_or (file, "mongodb", "collection", "api_mesures");
  config->mongo_client = get_or (file, "mongodb", "client", NULL);
  config->mlflow_uri = get_or (file, "mlflow", "tracking-uri", NULL);
  config->mlflow_username = get_or (file, "mlflow", "username", NULL);
  config->mlflow_experiment = get_or (file, "mlflow", "experiment", "ausculta");
  config->mlflow_model = get_or (file, "mlflow", "model-name", "ausculta-detector");
  if (!get_pull_minutes (file, path, &config->mlflow_pull_minutes, error))
    return NULL;
  if (config->mongo_uri != NULL && !check_mongo_uri (path, config->mongo_uri, error))
    return NULL;
  return g_steal_pointer (&config);
}

/* The credential store's account of a target: "user@host1,host2" for
 * MongoDB, the user name (or "token") for MLflow; NULL when unconfigured. */
char *
ausculta_sync_config_account (const AuscultaSyncConfig *config,
                              const char               *target)
{
  if (g_strcmp0 (target, AUSCULTA_OUTBOX_TARGET_MLFLOW) == 0)
    return config->mlflow_uri ? g_strdup (config->mlflow_username ? config->mlflow_username
                                                                  : "token") : NULL;
  if (g_strcmp0 (target, AUSCULTA_OUTBOX_TARGET_MONGODB) == 0 && config->mongo_uri != NULL)
    {
      mongoc_uri_t *uri = mongoc_uri_new (config->mongo_uri);
      GString *account = g_string_new (uri ? mongoc_uri_get_username (uri) : NULL);

      g_string_append_c (account, '@');
      for (const mongoc_host_list_t *host = uri ? mongoc_uri_get_hosts (uri) : NULL; host;
           host = host->next)
        g_string_append_printf (account, "%s%s", host == mongoc_uri_get_hosts (uri) ? "" : ",",
                                host->host_and_port);
      g_clear_pointer (&uri, mongoc_uri_destroy);
      return g_string_free (account, FALSE);
    }
  return NULL;
}

/**
 * ausculta_sync_config_create_targets:
 *
 * Returns: (transfer full) (element-type AuscultaSyncTarget): one target per
 *   configured section, with its secret from the credential store.
 */
GPtrArray *
ausculta_sync_config_create_targets (const AuscultaSyncConfig *config,
                                     GError                  **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);

  if (config->mongo_uri != NULL)
    {
      g_autofree char *account = ausculta_sync_config_account (config, AUSCULTA_OUTBOX_TARGET_MONGODB);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *password = ausculta_credentials_lookup (AUSCULTA_OUTBOX_TARGET_MONGODB,
                                                               account, &local_error);
      AuscultaMongoSync *mongo;

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      mongo = ausculta_mongo_sync_new (config->mongo_uri, password, config->mongo_database,
                                       config->mongo_collection, config->mongo_client, error);
      if (mongo == NULL)
        return NULL;
      g_ptr_array_add (targets, mongo);
    }
  if (config->mlflow_uri != NULL)
    {
      g_autofree char *account = ausculta_sync_config_account (config, AUSCULTA_OUTBOX_TARGET_MLFLOW);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *token = ausculta_credentials_lookup (AUSCULTA_OUTBOX_TARGET_MLFLOW,
                                                            account, &local_error);
      AuscultaMlflowSync *mlflow;

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      mlflow = ausculta_mlflow_sync_new (config->mlflow_uri, config->mlflow_username, token,
                                         config->mlflow_experiment, config->mlflow_model);
      if (config->mlflow_pull_minutes > 0)
        ausculta_mlflow_sync_set_pull_interval (mlflow, config->mlflow_pull_minutes
                                                        * G_TIME_SPAN_MINUTE);
      g_ptr_array_add (targets, mlflow);
    }
  return g_steal_pointer (&targets);
}

/**
 * ausculta_sync_config_create_workers:
 *
 * What the app starts at launch: one worker per configured target, not
 * started yet (call ausculta_sync_worker_start() on each, and wake() when
 * an inspection is archived or a secret changes).
 *
 * Returns: (transfer full) (element-type AuscultaSyncWorker): the workers.
 */
GPtrArray *
ausculta_sync_config_create_workers (const AuscultaSyncConfig *config,
                                     AuscultaArchive          *archive,
                                     GError                  **error)
{
  g_autoptr(GPtrArray) targets = ausculta_sync_config_create_targets (config, error);
  GPtrArray *workers;

  if (targets == NULL)
    return NULL;
  workers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (workers, ausculta_sync_worker_new (archive, targets->pdata[i]));
  return workers;
}
