/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-sync"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-private.h"
#include "ausculta-sync-error.h"

struct _AuscultaMlflowSync {
  GObject               parent_instance;
  AuscultaMlflowClient *client;
  char                 *experiment;
  char                 *model_name;
  char                 *experiment_id;
  GTimeSpan             pull_interval;
  gint64                last_pull_us;   /* worker clock; 0: not pulled yet */
  gboolean              pull_failed;    /* the last pull's outcome */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (AuscultaMlflowSync, ausculta_mlflow_sync, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUSCULTA_TYPE_SYNC_TARGET,
                                                      mlflow_sync_iface_init))

static void
ausculta_mlflow_sync_finalize (GObject *object)
{
  AuscultaMlflowSync *self = AUSCULTA_MLFLOW_SYNC (object);

  g_clear_pointer (&self->client, ausculta_mlflow_client_free);
  g_free (self->experiment);
  g_free (self->model_name);
  g_free (self->experiment_id);
  G_OBJECT_CLASS (ausculta_mlflow_sync_parent_class)->finalize (object);
}

static void
ausculta_mlflow_sync_class_init (AuscultaMlflowSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ausculta_mlflow_sync_finalize;
}

static void
ausculta_mlflow_sync_init (AuscultaMlflowSync *self)
{
  self->pull_interval = AUSCULTA_MLFLOW_DEFAULT_PULL_INTERVAL;
}

/**
 * ausculta_mlflow_sync_set_pull_interval:
 * @interval: how often the worker looks at the champion alias (> 0)
 */
void
ausculta_mlflow_sync_set_pull_interval (AuscultaMlflowSync *self,
                                        GTimeSpan           interval)
{
  g_return_if_fail (AUSCULTA_IS_MLFLOW_SYNC (self));
  g_return_if_fail (interval > 0);
  self->pull_interval = interval;
}

/* The worker's periodic hook: the first pass of the process pulls, then
 * one pull per interval; the outcome goes to the status, not the outbox. */
void
mlflow_sync_poll (AuscultaSyncTarget *target,
                  AuscultaArchive    *archive,
                  gint64              now_us)
{
  AuscultaMlflowSync *self = AUSCULTA_MLFLOW_SYNC (target);
  g_autoptr(GError) error = NULL;

  if (self->last_pull_us != 0 && now_us - self->last_pull_us < self->pull_interval)
    return;
  self->last_pull_us = now_us;
  self->pull_failed = !ausculta_mlflow_sync_pull_champion (self, archive, NULL, &error);
  if (self->pull_failed)
    g_info ("champion not pulled: %s", error->message);
}

/**
 * ausculta_mlflow_sync_get_pull_failed:
 *
 * Returns: whether the worker's last pull of the champion failed (what
 *   happened, in words, is in the status); FALSE before any pull.
 */
gboolean
ausculta_mlflow_sync_get_pull_failed (AuscultaMlflowSync *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MLFLOW_SYNC (self), FALSE);
  return self->pull_failed;
}

const char *
mlflow_sync_get_model_name (AuscultaMlflowSync *self)
{
  return self->model_name;
}

AuscultaMlflowClient *
ausculta_mlflow_sync_get_client (AuscultaMlflowSync *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MLFLOW_SYNC (self), NULL);
  return self->client;
}

JsonNode *
mlflow_call (AuscultaMlflowSync *self,
             const char         *method,
             const char         *path,
             JsonNode           *body,
             GError            **error)
{
  JsonNode *reply = ausculta_mlflow_client_call (self->client, method, path, body, error);

  g_clear_pointer (&body, json_node_unref);
  return reply;
}

gboolean
mlflow_post (AuscultaMlflowSync *self,
             const char         *path,
             JsonNode           *body,
             GError            **error)
{
  g_autoptr(JsonNode) reply = mlflow_call (self, "POST", path, body, error);

  return reply != NULL;
}

/* The experiment of training runs, created when missing; its id is kept. */
const char *
mlflow_ensure_experiment (AuscultaMlflowSync *self,
                          GError            **error)
{
  g_autofree char *escaped = ausculta_mlflow_escape (self->experiment);
  g_autofree char *path = g_strdup_printf ("experiments/get-by-name?experiment_name=%s", escaped);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *tags[] = { "created_by", "ausculta", NULL };

  if (self->experiment_id != NULL)
    return self->experiment_id;
  reply = mlflow_call (self, "GET", path, NULL, &local_error);
  if (reply == NULL && g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND))
    {
      g_clear_error (&local_error);
      reply = mlflow_call (self, "POST", "experiments/create",
                           mlflow_object ("name", mlflow_string (self->experiment),
                                          "tags", mlflow_key_values (tags), NULL),
                           &local_error);
      if (reply != NULL)
        self->experiment_id = g_strdup (mlflow_get_string (reply, "experiment_id"));
    }
  else if (reply != NULL)
    self->experiment_id = g_strdup (mlflow_get_string (reply, "experiment.experiment_id"));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (self->experiment_id == NULL)
    g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER,
                 "MLflow %s: no experiment_id for experiment “%s”",
                 ausculta_mlflow_client_get_uri (self->client), self->experiment);
  return self->experiment_id;
}

/**
 * ausculta_mlflow_sync_new:
 * @tracking_uri: e.g. "https://dagshub.com/OWNER/REPO.mlflow"
 * @token: (nullable): from the credential store, never from a setting
 * @experiment: the experiment of training runs (created when missing)
 * @model_name: the registered model of candidates
 */
AuscultaMlflowSync *
ausculta_mlflow_sync_new (const char *tracking_uri,
                          const char *username,
                          const char *token,
                          const char *experiment,
                          const char *model_name)
{
  AuscultaMlflowSync *self;

  g_return_val_if_fail (tracking_uri != NULL && experiment != NULL && model_name != NULL, NULL);

  self = g_object_new (AUSCULTA_TYPE_MLFLOW_SYNC, NULL);
  self->client = ausculta_mlflow_client_new (tracking_uri, username, token);
  self->experiment = g_strdup (experiment);
  self->model_name = g_strdup (model_name);
  return self;
}
