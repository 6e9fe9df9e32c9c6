/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-status"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "ausculta-credentials.h"
#include "ausculta-mlflow-client.h"
#include "ausculta-mongo-target.h"
#include "ausculta-sync-config.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-status.h"

#define POLL_SECONDS 2

struct _AuscultaSyncMonitor
{
  GObject          parent_instance;

  AuscultaArchive *archive;
  char            *config_path;   /* NULL: the default sync.ini */
  GPtrArray       *workers;       /* AuscultaSyncWorker, started */
  char            *summary;
  char            *config_error;
  gboolean         online;
  gboolean         configured;
  guint64          backlog;
  guint            poll_id;
};

enum {
  PROP_0,
  PROP_SUMMARY,
  PROP_ONLINE,
  PROP_CONFIGURED,
  PROP_BACKLOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AuscultaSyncMonitor, ausculta_sync_monitor, G_TYPE_OBJECT)

static void
ausculta_sync_monitor_dispose (GObject *object)
{
  AuscultaSyncMonitor *self = AUSCULTA_SYNC_MONITOR (object);

  ausculta_sync_monitor_stop (self);
  g_clear_object (&self->archive);
  G_OBJECT_CLASS (ausculta_sync_monitor_parent_class)->dispose (object);
}

static void
ausculta_sync_monitor_finalize (GObject *object)
{
  AuscultaSyncMonitor *self = AUSCULTA_SYNC_MONITOR (object);

  g_free (self->config_path);
  g_free (self->summary);
  g_free (self->config_error);
  G_OBJECT_CLASS (ausculta_sync_monitor_parent_class)->finalize (object);
}

static void
ausculta_sync_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AuscultaSyncMonitor *self = AUSCULTA_SYNC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_CONFIGURED:
      g_value_set_boolean (value, self->configured);
      break;
    case PROP_BACKLOG:
      g_value_set_uint64 (value, self->backlog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_sync_monitor_class_init (AuscultaSyncMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_sync_monitor_dispose;
  object_class->finalize = ausculta_sync_monitor_finalize;
  object_class->get_property = ausculta_sync_monitor_get_property;
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIGURED] = g_param_spec_boolean ("configured", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKLOG] = g_param_spec_uint64 ("backlog", NULL, NULL, 0, G_MAXUINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ausculta_sync_monitor_init (AuscultaSyncMonitor *self)
{
  self->summary = g_strdup (_("offline: no sync configured"));
}

/* One target in words: "mongodb online", "mlflow offline: <error>". */
static void
append_status (GString                  *text,
               const AuscultaSyncStatus *status)
{
  if (text->len > 0)
    g_string_append (text, " · ");
  switch (status->state)
    {
    case AUSCULTA_SYNC_STATE_ONLINE:
      /* Translators: a sync target ("mongodb", "mlflow") that works */
      g_string_append_printf (text, _("%s online"), status->target);
      break;
    case AUSCULTA_SYNC_STATE_IDLE:
      /* Translators: a sync target not tried yet */
      g_string_append_printf (text, _("%s: connecting…"), status->target);
      break;
    case AUSCULTA_SYNC_STATE_AUTH:
      /* Translators: a sync target whose credentials were refused */
      g_string_append_printf (text, _("%s: credentials refused"), status->target);
      break;
    case AUSCULTA_SYNC_STATE_OFFLINE:
    case AUSCULTA_SYNC_STATE_ERROR:
    default:
      /* Translators: a sync target, then what went wrong */
      g_string_append_printf (text, _("%s offline: %s"), status->target,
                              status->last_error != NULL ? status->last_error : "?");
      break;
    }
  if (status->backlog > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, status->backlog);

      /* Translators: how many items wait to be sent */
      g_string_append_printf (text, _(" (%s waiting)"), count);
    }
}

static void
set_state (AuscultaSyncMonitor *self,
           const char          *summary,
           gboolean             online,
           guint64              backlog)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->summary, summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_strdup (summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  if (self->configured != (self->workers != NULL))
    {
      self->configured = self->workers != NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
    }
  if (self->backlog != backlog)
    {
      self->backlog = backlog;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ausculta_sync_monitor_refresh:
 * Reads each worker's status (a copy under its lock) into the summary.
 */
void
ausculta_sync_monitor_refresh (AuscultaSyncMonitor *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean online = TRUE;
  guint64 backlog = 0;

  g_return_if_fail (AUSCULTA_IS_SYNC_MONITOR (self));

  if (self->workers == NULL)
    {
      g_autofree char *summary = self->config_error == NULL
        ? g_strdup (_("offline: no sync configured"))
        /* Translators: the sync configuration file cannot be used, then why */
        : g_strdup_printf (_("offline: %s"), self->config_error);

      set_state (self, summary, FALSE, 0);
      return;
    }
  for (guint i = 0; i < self->workers->len; i++)
    {
      g_autoptr(AuscultaSyncStatus) status = ausculta_sync_worker_get_status (self->workers->pdata[i]);

      append_status (text, status);
      backlog += status->backlog;
      online = online && status->state == AUSCULTA_SYNC_STATE_ONLINE;
    }
  set_state (self, text->str, online, backlog);
}

static gboolean
poll_cb (gpointer user_data)
{
  ausculta_sync_monitor_refresh (AUSCULTA_SYNC_MONITOR (user_data));
  return G_SOURCE_CONTINUE;
}

/**
 * ausculta_sync_monitor_start:
 * Loads the sync configuration and starts one worker per configured
 * target; with none the summary says "offline: no sync configured".
 */
void
ausculta_sync_monitor_start (AuscultaSyncMonitor *self)
{
  g_autoptr(AuscultaSyncConfig) config = NULL;
  g_autoptr(GPtrArray) workers = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AUSCULTA_IS_SYNC_MONITOR (self));

  ausculta_sync_monitor_stop (self);
  g_clear_pointer (&self->config_error, g_free);
  config = ausculta_sync_config_load (self->config_path, &error);
  if (config != NULL && self->archive != NULL)
    workers = ausculta_sync_config_create_workers (config, self->archive, &error);
  if (error != NULL)
    self->config_error = g_strdup (error->message);
  if (workers != NULL && workers->len > 0)
    {
      for (guint i = 0; i < workers->len; i++)
        ausculta_sync_worker_start (workers->pdata[i]);
      self->workers = g_steal_pointer (&workers);
    }
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  ausculta_sync_monitor_refresh (self);
}

/* Stops and drops the workers (their threads joined). */
void
ausculta_sync_monitor_stop (AuscultaSyncMonitor *self)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_MONITOR (self));

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->workers != NULL)
    {
      for (guint i = 0; i < self->workers->len; i++)
        ausculta_sync_worker_stop (self->workers->pdata[i]);
      g_clear_pointer (&self->workers, g_ptr_array_unref);
    }
}

/* After the endpoints or the secrets changed. */
void
ausculta_sync_monitor_restart (AuscultaSyncMonitor *self)
{
  ausculta_sync_monitor_start (self);
}

/* Something new to send (a measurement archived): try now. */
void
ausculta_sync_monitor_wake (AuscultaSyncMonitor *self)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_MONITOR (self));

  for (guint i = 0; self->workers != NULL && i < self->workers->len; i++)
    ausculta_sync_worker_wake (self->workers->pdata[i]);
}

/**
 * ausculta_sync_monitor_new:
 * @archive: (nullable): the outbox the workers drain
 * @config_path: (nullable): the sync.ini; NULL for the default one
 *
 * Not started: call ausculta_sync_monitor_start().
 */
AuscultaSyncMonitor *
ausculta_sync_monitor_new (AuscultaArchive *archive,
                           const char      *config_path)
{
  AuscultaSyncMonitor *self = g_object_new (AUSCULTA_TYPE_SYNC_MONITOR, NULL);

  self->archive = archive != NULL ? g_object_ref (archive) : NULL;
  self->config_path = g_strdup (config_path);
  return self;
}

static AuscultaSyncMonitor *default_monitor;

/**
 * ausculta_sync_monitor_get_default:
 * Returns: (transfer none) (nullable): the app's monitor, once started by
 *   ausculta_sync_monitor_start_default().
 */
AuscultaSyncMonitor *
ausculta_sync_monitor_get_default (void)
{
  return default_monitor;
}

/* At app start: the workers of the default sync.ini on @archive. */
void
ausculta_sync_monitor_start_default (AuscultaArchive *archive)
{
  if (default_monitor == NULL)
    default_monitor = ausculta_sync_monitor_new (archive, NULL);
  ausculta_sync_monitor_start (default_monitor);
}

const char *
ausculta_sync_monitor_get_summary (AuscultaSyncMonitor *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_MONITOR (self), NULL);
  return self->summary;
}

gboolean
ausculta_sync_monitor_get_online (AuscultaSyncMonitor *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_MONITOR (self), FALSE);
  return self->online;
}

gboolean
ausculta_sync_monitor_get_configured (AuscultaSyncMonitor *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_MONITOR (self), FALSE);
  return self->configured;
}

guint64
ausculta_sync_monitor_get_backlog (AuscultaSyncMonitor *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_MONITOR (self), 0);
  return self->backlog;
}

/* ------------------------------------------------------------------ */

static void
set_or_remove (GKeyFile   *file,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (file, group, key, value);
  else
    g_key_file_remove_key (file, group, key, NULL);
}

/**
 * ausculta_sync_settings_save:
 * @path: (nullable): the sync.ini; NULL for the default one
 *
 * Writes the endpoints of @config (empty strings remove a key), keeping
 * the file's other keys, then checks that it loads again.
 */
gboolean
ausculta_sync_settings_save (const char               *path,
                             const AuscultaSyncConfig *config,
                             GError                  **error)
{
  g_autofree char *default_path = path ? NULL : ausculta_sync_config_default_path ();
  g_autofree char *folder = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(AuscultaSyncConfig) check = NULL;

  path = path ? path : default_path;
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  set_or_remove (file, "mongodb", "uri", config->mongo_uri);
  set_or_remove (file, "mongodb", "database", config->mongo_database);
  set_or_remove (file, "mongodb", "collection", config->mongo_collection);
  set_or_remove (file, "mlflow", "tracking-uri", config->mlflow_uri);
  set_or_remove (file, "mlflow", "username", config->mlflow_username);
  set_or_remove (file, "mlflow", "experiment", config->mlflow_experiment);
  set_or_remove (file, "mlflow", "model-name", config->mlflow_model);
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "%s: cannot create the folder: %s", folder, g_strerror (errno));
      return FALSE;
    }
  if (!g_key_file_save_to_file (file, path, error))
    return FALSE;
  check = ausculta_sync_config_load (path, error);
  return check != NULL;
}

/* Stores @secret for @target under the account the saved endpoints name. */
gboolean
ausculta_sync_settings_store_secret (const char  *path,
                                     const char  *target,
                                     const char  *secret,
                                     GError     **error)
{
  g_autoptr(AuscultaSyncConfig) config = ausculta_sync_config_load (path, error);
  g_autofree char *account = NULL;

  if (config == NULL)
    return FALSE;
  account = ausculta_sync_config_account (config, target);
  if (account == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   _("%s: no endpoint set, so no account to store the secret for"), target);
      return FALSE;
    }
  return ausculta_credentials_store (target, account, secret, error);
}

static char *
test_mongo (const AuscultaSyncConfig *config)
{
  g_autofree char *account = ausculta_sync_config_account (config, AUSCULTA_OUTBOX_TARGET_MONGODB);
  g_autofree char *password = ausculta_credentials_lookup (AUSCULTA_OUTBOX_TARGET_MONGODB, account, NULL);
  g_autoptr(AuscultaMongoTarget) target = NULL;
  g_autoptr(GError) error = NULL;

  target = ausculta_mongo_target_new (config->mongo_uri, password, config->mongo_database,
                                      config->mongo_collection, &error);
  if (target != NULL && ausculta_mongo_target_ping (target, &error))
    return g_strdup (_("MongoDB reached"));
  /* Translators: the MongoDB test failed, then why */
  return g_strdup_printf (_("MongoDB: %s"), error->message);
}

static char *
test_mlflow (const AuscultaSyncConfig *config)
{
  g_autofree char *account = ausculta_sync_config_account (config, AUSCULTA_OUTBOX_TARGET_MLFLOW);
  g_autofree char *token = ausculta_credentials_lookup (AUSCULTA_OUTBOX_TARGET_MLFLOW, account, NULL);
  g_autoptr(AuscultaMlflowClient) client = ausculta_mlflow_client_new (config->mlflow_uri,
                                                                       config->mlflow_username, token);
  g_autofree char *name = ausculta_mlflow_escape (config->mlflow_experiment);
  g_autofree char *path = g_strdup_printf ("experiments/get-by-name?experiment_name=%s", name);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  ausculta_mlflow_client_set_timeout (client, 10000);
  reply = ausculta_mlflow_client_call (client, "GET", path, NULL, &error);
  if (reply != NULL || g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND))
    return g_strdup (_("MLflow reached"));
  /* Translators: the MLflow test failed, then why */
  return g_strdup_printf (_("MLflow: %s"), error->message);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(AuscultaSyncConfig) config = ausculta_sync_config_load (task_data, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (config->mongo_uri != NULL)
    {
      g_autofree char *line = test_mongo (config);
      g_string_append (text, line);
    }
  if (config->mlflow_uri != NULL)
    {
      g_autofree char *line = test_mlflow (config);
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", line);
    }
  if (text->len == 0)
    g_string_append (text, _("offline: no sync configured"));
  g_task_return_pointer (task, g_string_free (g_steal_pointer (&text), FALSE), g_free);
}

/* Tries each configured endpoint once (on a thread) and says how it went. */
void
ausculta_sync_test_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, test_thread);
}

char *
ausculta_sync_test_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
