/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-run"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-private.h"
#include "ausculta-sync-error.h"

/* A model's training run in MLflow: found or created once, its parameters,
 * validation metrics and artifacts logged exactly once, then tagged. */

/* MLflow 2.7.1 limits (DagsHub): a log-batch holds at most 100 params and
 * 1000 items; param values <= 500 characters, tag values <= 5000. */
#define MAX_PARAMS       90
#define MAX_METRICS      800
#define MAX_PARAM_VALUE  500
#define MAX_TAG_VALUE    5000

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
  if (!ausculta_mlflow_client_upload (ausculta_mlflow_sync_get_client (self), model_path, model,
                                      error))
    return FALSE;
  if (info->validation_report != NULL)
    {
      g_autoptr(GBytes) report = g_bytes_new (info->validation_report,
                                              strlen (info->validation_report));
      g_autofree char *report_path = proxy_path (artifact_uri, MLFLOW_REPORT_ARTIFACT);

      if (!ausculta_mlflow_client_upload (ausculta_mlflow_sync_get_client (self), report_path,
                                          report, error))
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
                   ausculta_mlflow_client_get_uri (ausculta_mlflow_sync_get_client (self)),
                   info->id);
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
  const char *experiment_id = mlflow_ensure_experiment (self, error);
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
