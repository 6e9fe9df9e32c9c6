/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-sync"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-private.h"
#include "ausculta-sync-error.h"

/* MLflow 2.7.1 limits (DagsHub): a log-batch holds at most 100 params and
 * 1000 items; param values <= 500 characters, tag values <= 5000. */
#define MAX_PARAMS       90
#define MAX_METRICS      800
#define MAX_PARAM_VALUE  500
#define MAX_TAG_VALUE    5000

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

/* JSON helpers ------------------------------------------------------------ */

JsonNode *
mlflow_object (const char *first_key,
               ...)
{
  JsonObject *object = json_object_new ();
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      JsonNode *value = va_arg (args, JsonNode *);

      json_object_set_member (object, key, value);
    }
  va_end (args);
  return json_node_init_object (json_node_alloc (), object);
}

JsonNode *
mlflow_string (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

/* [{"key": k, "value": v}, ...] from NULL-terminated key/value pairs. */
JsonNode *
mlflow_key_values (const char * const *pairs)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    json_array_add_element (array, mlflow_object ("key", mlflow_string (pairs[i]),
                                                  "value", mlflow_string (pairs[i + 1]), NULL));
  return json_node_init_array (json_node_alloc (), array);
}

/* The node at a dotted @path of objects, or NULL when any step is missing. */
static JsonNode *
get_path (JsonNode   *node,
          const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return node;
}

JsonArray *
mlflow_get_array (JsonNode   *node,
                  const char *path)
{
  node = get_path (node, path);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
mlflow_get_object (JsonNode   *node,
                   const char *path)
{
  node = get_path (node, path);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
mlflow_get_string (JsonNode   *node,
                   const char *path)
{
  node = get_path (node, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
mlflow_member_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The value of tag @key in a [{"key","value"}] array member, or NULL. */
const char *
mlflow_find_tag (JsonObject *object,
                 const char *member,
                 const char *key)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  JsonArray *tags = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *element = json_array_get_element (tags, i);
      JsonObject *tag = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (tag != NULL
          && g_strcmp0 (mlflow_member_string (tag, "key"), key) == 0)
        return mlflow_member_string (tag, "value");
    }
  return NULL;
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

/* Experiment ---------------------------------------------------------------- */

static const char *
ensure_experiment (AuscultaMlflowSync *self,
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

/* Runs ---------------------------------------------------------------------- */

static JsonNode *
get_run (AuscultaMlflowSync *self,
         const char         *run_id,
         GError            **error)
{
  g_autofree char *escaped = ausculta_mlflow_escape (run_id);
  g_autofree char *path = g_strdup_printf ("runs/get?run_id=%s", escaped);

  return mlflow_call (self, "GET", path, NULL, error);
}

/* The run of a model if it exists: remembered in the outbox state, else
 * searched by tag (a run created just before a lost reply is found too). */
static JsonNode *
find_run (AuscultaMlflowSync *self,
          AuscultaArchive    *archive,
          const char         *experiment_id,
          const char         *model_id,
          GError            **error)
{
  g_autofree char *key = g_strdup_printf ("run.%s", model_id);
  g_autofree char *run_id = ausculta_outbox_state_get (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW,
                                                       key, NULL);
  g_autofree char *filter = g_strdup_printf ("tags.%s = '%s'", MLFLOW_TAG_MODEL_ID, model_id);
  g_autoptr(JsonNode) found = NULL;
  JsonArray *runs;
  JsonArray *ids = json_array_new ();

  if (run_id != NULL)
    {
      json_array_unref (ids);
      return get_run (self, run_id, error);
    }
  json_array_add_string_element (ids, experiment_id);
  found = mlflow_call (self, "POST", "runs/search",
                       mlflow_object ("experiment_ids", json_node_init_array (json_node_alloc (), ids),
                                      "filter", mlflow_string (filter),
                                      "max_results", json_node_init_int (json_node_alloc (), 10),
                                      NULL), error);
  if (found == NULL)
    return NULL;
  runs = mlflow_get_array (found, "runs");
  if (runs == NULL || json_array_get_length (runs) == 0)
    return json_node_new (JSON_NODE_NULL);
  return mlflow_object ("run", json_node_copy (json_array_get_element (runs, 0)), NULL);
}

static JsonNode *
create_run (AuscultaMlflowSync      *self,
            AuscultaArchive         *archive,
            const char              *experiment_id,
            const AuscultaModelInfo *info,
            GError                 **error)
{
  g_autofree char *name = g_strdup_printf ("ausculta-%s", info->version);
  g_autofree char *key = g_strdup_printf ("run.%s", info->id);
  const char *tags[] = { MLFLOW_TAG_MODEL_ID, info->id, MLFLOW_TAG_SHA256, info->sha256,
                         "mlflow.user", info->created_by ? info->created_by : "ausculta", NULL };
  gint64 start = info->created_at ? g_date_time_to_unix (info->created_at) * 1000 : 0;
  JsonNode *reply;

  reply = mlflow_call (self, "POST", "runs/create",
                       mlflow_object ("experiment_id", mlflow_string (experiment_id),
                                      "run_name", mlflow_string (name),
                                      "start_time", json_node_init_int (json_node_alloc (), start),
                                      "tags", mlflow_key_values (tags), NULL), error);
  if (reply != NULL)
    ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, key,
                               mlflow_get_string (reply, "run.info.run_id"), NULL);
  return reply;
}

/* "mlflow-artifacts:/1/R/artifacts" -> "1/R/artifacts" for the proxy. */
static char *
proxy_path (const char *artifact_uri,
            const char *file)
{
  const char *prefix = "mlflow-artifacts:";
  const char *path = g_str_has_prefix (artifact_uri, prefix)
                     ? artifact_uri + strlen (prefix) : artifact_uri;

  while (*path == '/')
    path++;
  return g_strdup_printf ("%s/%s", path, file);
}

static gboolean
upload_artifacts (AuscultaMlflowSync      *self,
                  AuscultaArchive         *archive,
                  const AuscultaModelInfo *info,
                  const char              *artifact_uri,
                  GError                 **error)
{
  g_autoptr(GBytes) model = ausculta_archive_get_model_file (archive, info->id, error);
  g_autofree char *model_path = proxy_path (artifact_uri, MLFLOW_MODEL_ARTIFACT);

  if (model == NULL)
    return FALSE;
  if (!ausculta_mlflow_client_upload (self->client, model_path, model, error))
    return FALSE;
  if (info->validation_report != NULL)
    {
      g_autoptr(GBytes) report = g_bytes_new (info->validation_report,
                                              strlen (info->validation_report));
      g_autofree char *report_path = proxy_path (artifact_uri, MLFLOW_REPORT_ARTIFACT);

      if (!ausculta_mlflow_client_upload (self->client, report_path, report, error))
        return FALSE;
    }
  return TRUE;
}

/* MLflow names allow alphanumerics, _ - . space and /. */
static char *
metric_name (const char *prefix,
             const char *member)
{
  char *name = prefix ? g_strdup_printf ("%s.%s", prefix, member) : g_strdup (member);

  for (char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && strchr ("_-. /", *c) == NULL)
      *c = '_';
  return name;
}

typedef struct {
  JsonArray  *metrics;
  JsonArray  *params;
  GHashTable *param_keys;
  gint64      timestamp;
} RunData;

static void
add_param (RunData    *data,
           const char *key,
           const char *value)
{
  g_autofree char *clipped = g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, -1),
                                                              MAX_PARAM_VALUE));

  if (json_array_get_length (data->params) >= MAX_PARAMS
      || !g_hash_table_add (data->param_keys, g_strdup (key)))
    return;
  json_array_add_element (data->params, mlflow_object ("key", mlflow_string (key),
                                                       "value", mlflow_string (clipped), NULL));
}

/* Numbers of the validation report become metrics (step 0, the model's
 * creation time: re-logging them is a no-op), strings and booleans params. */
static void
flatten_report (RunData    *data,
                const char *prefix,
                JsonObject *object,
                guint       depth)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *key = metric_name (prefix, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node) && depth < 2)
        flatten_report (data, key, json_node_get_object (node), depth + 1);
      else if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      else if ((json_node_get_value_type (node) == G_TYPE_DOUBLE
                || json_node_get_value_type (node) == G_TYPE_INT64)
               && json_array_get_length (data->metrics) < MAX_METRICS)
        json_array_add_element (data->metrics,
                                mlflow_object ("key", mlflow_string (key),
                                               "value", json_node_init_double (json_node_alloc (),
                                                                               json_node_get_double (node)),
                                               "timestamp", json_node_init_int (json_node_alloc (),
                                                                                data->timestamp),
                                               "step", json_node_init_int (json_node_alloc (), 0),
                                               NULL));
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        add_param (data, key, json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        add_param (data, key, json_node_get_boolean (node) ? "true" : "false");
    }
}

static gboolean
log_run_data (AuscultaMlflowSync      *self,
              const AuscultaModelInfo *info,
              const char              *run_id,
              GError                 **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RunData data = { json_array_new (), json_array_new (), keys,
                   info->created_at ? g_date_time_to_unix (info->created_at) * 1000 : 0 };

  add_param (&data, "version", info->version);
  add_param (&data, "sha256", info->sha256);
  if (info->validation_report != NULL
      && json_parser_load_from_data (parser, info->validation_report, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    flatten_report (&data, NULL, json_node_get_object (json_parser_get_root (parser)), 0);

  return mlflow_post (self, "runs/log-batch",
                      mlflow_object ("run_id", mlflow_string (run_id),
                                     "metrics", json_node_init_array (json_node_alloc (), data.metrics),
                                     "params", json_node_init_array (json_node_alloc (), data.params),
                                     NULL), error);
}

static gboolean
set_run_tag (AuscultaMlflowSync *self,
             const char         *run_id,
             const char         *key,
             const char         *value,
             GError            **error)
{
  return mlflow_post (self, "runs/set-tag",
                      mlflow_object ("run_id", mlflow_string (run_id), "key", mlflow_string (key),
                                     "value", mlflow_string (value), NULL), error);
}

/* Logs params, metrics and artifacts once, then closes the run. */
static gboolean
complete_run (AuscultaMlflowSync      *self,
              AuscultaArchive         *archive,
              const AuscultaModelInfo *info,
              JsonNode                *run,
              GError                 **error)
{
  JsonObject *data = mlflow_get_object (run, "run.data");
  const char *run_id = mlflow_get_string (run, "run.info.run_id");
  const char *artifact_uri = mlflow_get_string (run, "run.info.artifact_uri");
  gint64 end = g_get_real_time () / 1000;

  if (g_strcmp0 (mlflow_find_tag (data, "tags", MLFLOW_TAG_LOGGED), "true") == 0)
    return TRUE;
  if (run_id == NULL || artifact_uri == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER,
                   "MLflow %s: run of model %s has no run_id or artifact_uri",
                   ausculta_mlflow_client_get_uri (self->client), info->id);
      return FALSE;
    }
  return log_run_data (self, info, run_id, error)
         && upload_artifacts (self, archive, info, artifact_uri, error)
         && mlflow_post (self, "runs/update",
                         mlflow_object ("run_id", mlflow_string (run_id),
                                        "status", mlflow_string ("FINISHED"),
                                        "end_time", json_node_init_int (json_node_alloc (), end),
                                        NULL), error)
         && set_run_tag (self, run_id, MLFLOW_TAG_LOGGED, "true", error);
}

/* The model's run, complete: found or created, logged exactly once. */
JsonNode *
mlflow_ensure_run (AuscultaMlflowSync      *self,
                   AuscultaArchive         *archive,
                   const AuscultaModelInfo *info,
                   GError                 **error)
{
  const char *experiment_id = ensure_experiment (self, error);
  g_autoptr(JsonNode) run = NULL;

  if (experiment_id == NULL)
    return NULL;
  run = find_run (self, archive, experiment_id, info->id, error);
  if (run == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (run))
    {
      g_clear_pointer (&run, json_node_unref);
      run = create_run (self, archive, experiment_id, info, error);
      if (run == NULL)
        return NULL;
    }
  if (!complete_run (self, archive, info, run, error))
    return NULL;
  return g_steal_pointer (&run);
}

gboolean
mlflow_set_run_tags (AuscultaMlflowSync *self,
                     JsonNode           *run,
                     const char * const *pairs,
                     GError            **error)
{
  const char *run_id = mlflow_get_string (run, "run.info.run_id");

  /* an empty value would be a missing one to MLflow (400): not sent */
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    if (*pairs[i + 1] != '\0' && !set_run_tag (self, run_id, pairs[i], pairs[i + 1], error))
      return FALSE;
  return TRUE;
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
