/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-registry"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-private.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-private.h"

#define MAX_TAG_VALUE 5000
#define NO_REGISTRY_NOTE \
  "the MLflow server has no model registry (HTTP 404): candidates and approvals " \
  "are recorded as tags of their runs instead"

static gboolean
is_missing_registry (const GError *error)
{
  return g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_UNSUPPORTED)
         || g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND);
}

static AuscultaModelInfo *
find_model (AuscultaArchive *archive,
            const char      *model_id,
            GError         **error)
{
  g_autoptr(GPtrArray) models = ausculta_archive_list_models (archive, error);

  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      AuscultaModelInfo *info = g_ptr_array_index (models, i);

      if (g_strcmp0 (info->id, model_id) == 0)
        return g_ptr_array_steal_index (models, i);
    }
  if (models != NULL)
    g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_REJECTED,
                 "model %s is not in the archive", model_id);
  return NULL;
}

static gboolean
degrade_to_run_tags (AuscultaMlflowSync *self,
                     AuscultaArchive    *archive,
                     JsonNode           *run,
                     const char * const *pairs,
                     GError            **error)
{
  ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, SYNC_STATE_KEY_NOTE,
                             NO_REGISTRY_NOTE, NULL);
  return mlflow_set_run_tags (self, run, pairs, error);
}

static gboolean
create_registered_model (AuscultaMlflowSync *self,
                         GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  if (mlflow_post (self, "registered-models/create",
                   mlflow_object ("name", mlflow_string (mlflow_sync_get_model_name (self)), NULL),
                   &local_error)
      || g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_EXISTS))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The version already registered from this run, if a reply was lost. */
static char *
search_version (AuscultaMlflowSync *self,
                const char         *run_id,
                GError            **error)
{
  g_autofree char *filter = g_strdup_printf ("run_id='%s'", run_id);
  g_autofree char *escaped = ausculta_mlflow_escape (filter);
  g_autofree char *path = g_strdup_printf ("model-versions/search?filter=%s", escaped);
  g_autoptr(JsonNode) reply = mlflow_call (self, "GET", path, NULL, error);
  JsonArray *versions = reply ? mlflow_get_array (reply, "model_versions") : NULL;

  for (guint i = 0; versions != NULL && i < json_array_get_length (versions); i++)
    {
      JsonNode *version = json_array_get_element (versions, i);

      if (g_strcmp0 (mlflow_get_string (version, "name"), mlflow_sync_get_model_name (self)) == 0)
        return g_strdup (mlflow_get_string (version, "version"));
    }
  return NULL;
}

static char *
create_version (AuscultaMlflowSync      *self,
                const AuscultaModelInfo *info,
                JsonNode                *run,
                GError                 **error)
{
  const char *run_id = mlflow_get_string (run, "run.info.run_id");
  g_autofree char *source = g_strdup_printf ("%s/%s", mlflow_get_string (run, "run.info.artifact_uri"),
                                             "model");
  g_autofree char *description = g_strdup_printf ("Ausculta model %s", info->version);
  const char *tags[] = { MLFLOW_TAG_MODEL_ID, info->id, MLFLOW_TAG_SHA256, info->sha256, NULL };
  g_autoptr(JsonNode) reply = NULL;

  reply = mlflow_call (self, "POST", "model-versions/create",
                       mlflow_object ("name", mlflow_string (mlflow_sync_get_model_name (self)),
                                      "source", mlflow_string (source),
                                      "run_id", mlflow_string (run_id),
                                      "description", mlflow_string (description),
                                      "tags", mlflow_key_values (tags), NULL), error);
  if (reply == NULL)
    return NULL;
  return g_strdup (mlflow_get_string (reply, "model_version.version"));
}

/* The registered version of a model: remembered, found, or created once.
 * Returns NULL without error when the registry is missing (*@degraded). */
static char *
ensure_version (AuscultaMlflowSync      *self,
                AuscultaArchive         *archive,
                const AuscultaModelInfo *info,
                JsonNode                *run,
                gboolean                *degraded,
                GError                 **error)
{
  g_autofree char *key = g_strdup_printf ("version.%s", info->id);
  g_autoptr(GError) local_error = NULL;
  char *version = ausculta_outbox_state_get (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, key, NULL);

  *degraded = FALSE;
  if (version != NULL)
    return version;
  if (create_registered_model (self, &local_error))
    {
      version = search_version (self, mlflow_get_string (run, "run.info.run_id"), &local_error);
      if (version == NULL && local_error == NULL)
        version = create_version (self, info, run, &local_error);
    }
  if (is_missing_registry (local_error))
    {
      *degraded = TRUE;
      return NULL;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, key, version, NULL);
  return version;
}

/* An empty value is not sent: MLflow takes it for a missing one (400). */
static gboolean
set_version_tag (AuscultaMlflowSync *self,
                 const char         *version,
                 const char         *key,
                 const char         *value,
                 GError            **error)
{
  g_autofree char *clipped = g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, -1),
                                                              MAX_TAG_VALUE));

  if (*clipped == '\0')
    return TRUE;
  return mlflow_post (self, "model-versions/set-tag",
                      mlflow_object ("name", mlflow_string (mlflow_sync_get_model_name (self)),
                                     "version", mlflow_string (version),
                                     "key", mlflow_string (key),
                                     "value", mlflow_string (clipped), NULL), error);
}

/* The version an alias points to; NULL without error when unset (MLflow
 * answers 400, not 404, for an unknown alias). */
char *
mlflow_get_alias (AuscultaMlflowSync *self,
                  const char         *alias,
                  GError            **error)
{
  g_autofree char *name = ausculta_mlflow_escape (mlflow_sync_get_model_name (self));
  g_autofree char *path = g_strdup_printf ("registered-models/alias?name=%s&alias=%s", name, alias);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) reply = mlflow_call (self, "GET", path, NULL, &local_error);

  if (reply != NULL)
    return g_strdup (mlflow_get_string (reply, "model_version.version"));
  if (!g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_REJECTED)
      && !g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
set_alias (AuscultaMlflowSync *self,
           const char         *alias,
           const char         *version,
           GError            **error)
{
  return mlflow_post (self, "registered-models/alias",
                      mlflow_object ("name", mlflow_string (mlflow_sync_get_model_name (self)),
                                     "alias", mlflow_string (alias),
                                     "version", mlflow_string (version), NULL), error);
}

static gboolean
delete_alias (AuscultaMlflowSync *self,
              const char         *alias,
              GError            **error)
{
  g_autoptr(JsonNode) reply =
    mlflow_call (self, "DELETE", "registered-models/alias",
                 mlflow_object ("name", mlflow_string (mlflow_sync_get_model_name (self)),
                                "alias", mlflow_string (alias), NULL), error);

  return reply != NULL;
}

/* champion -> @version, the one before kept as previous; a replay finds
 * champion already there and moves nothing. */
static gboolean
promote (AuscultaMlflowSync      *self,
         const AuscultaModelInfo *info,
         const char              *version,
         GError                 **error)
{
  g_autofree char *approved_at = info->approved_at ? g_date_time_format_iso8601 (info->approved_at)
                                                   : NULL;
  g_autofree char *champion = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!set_version_tag (self, version, "approved_by", info->approved_by ? info->approved_by : "", error)
      || !set_version_tag (self, version, "approved_at", approved_at ? approved_at : "", error)
      || !set_version_tag (self, version, "validation_summary",
                           info->validation_report ? info->validation_report : "", error))
    return FALSE;
  champion = mlflow_get_alias (self, MLFLOW_ALIAS_CHAMPION, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (champion, version) == 0)
    return TRUE;
  if (champion != NULL && !set_alias (self, MLFLOW_ALIAS_PREVIOUS, champion, error))
    return FALSE;
  return set_alias (self, MLFLOW_ALIAS_CHAMPION, version, error);
}

/* A retired champion hands the alias back to the previous version. */
static gboolean
retire (AuscultaMlflowSync *self,
        const char         *version,
        GError            **error)
{
  g_autofree char *champion = NULL;
  g_autofree char *previous = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!set_version_tag (self, version, "ausculta_status", "retired", error))
    return FALSE;
  champion = mlflow_get_alias (self, MLFLOW_ALIAS_CHAMPION, &local_error);
  if (local_error == NULL && g_strcmp0 (champion, version) == 0)
    previous = mlflow_get_alias (self, MLFLOW_ALIAS_PREVIOUS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (champion, version) != 0)
    return TRUE;
  if (previous == NULL || g_strcmp0 (previous, version) == 0)
    return delete_alias (self, MLFLOW_ALIAS_CHAMPION, error);
  return set_alias (self, MLFLOW_ALIAS_CHAMPION, previous, error)
         && delete_alias (self, MLFLOW_ALIAS_PREVIOUS, error);
}

static gboolean
deliver_model (AuscultaMlflowSync *self,
               AuscultaArchive    *archive,
               AuscultaOutboxKind  kind,
               const char         *model_id,
               GError            **error)
{
  g_autoptr(AuscultaModelInfo) info = find_model (archive, model_id, error);
  g_autoptr(JsonNode) run = NULL;
  g_autofree char *version = NULL;
  g_autofree char *approved_at = NULL;
  gboolean degraded = FALSE;
  gboolean approved;

  if (info == NULL || (run = mlflow_ensure_run (self, archive, info, error)) == NULL)
    return FALSE;
  if (kind == AUSCULTA_OUTBOX_TRAINING_RUN)
    return TRUE;
  version = ensure_version (self, archive, info, run, &degraded, error);
  if (version == NULL && !degraded)
    return FALSE;
  approved = info->status == AUSCULTA_MODEL_APPROVED;
  approved_at = info->approved_at ? g_date_time_format_iso8601 (info->approved_at) : g_strdup ("");
  if (degraded)
    {
      const char *candidate[] = { "ausculta_candidate", "true", NULL };
      const char *approval[] = { "ausculta_candidate", "true",
                                 "ausculta_approved_by", info->approved_by ? info->approved_by : "",
                                 "ausculta_approved_at", approved_at,
                                 "ausculta_champion", approved ? "true" : "false", NULL };

      return degrade_to_run_tags (self, archive, run,
                                  kind == AUSCULTA_OUTBOX_MODEL ? candidate : approval, error);
    }
  if (kind == AUSCULTA_OUTBOX_MODEL)
    return TRUE;
  return approved ? promote (self, info, version, error) : retire (self, version, error);
}

static gboolean
deliver (AuscultaSyncTarget *target,
         AuscultaArchive    *archive,
         GPtrArray          *items,
         GPtrArray          *item_errors,
         GError            **error)
{
  AuscultaMlflowSync *self = AUSCULTA_MLFLOW_SYNC (target);

  g_ptr_array_set_size (item_errors, 0);
  for (guint i = 0; i < items->len; i++)
    {
      const AuscultaOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) local_error = NULL;

      if (item->kind != AUSCULTA_OUTBOX_MODEL && item->kind != AUSCULTA_OUTBOX_APPROVAL
          && item->kind != AUSCULTA_OUTBOX_TRAINING_RUN)
        local_error = g_error_new (AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_REJECTED,
                                   "MLflow does not take outbox rows of kind “%s”",
                                   ausculta_outbox_kind_to_string (item->kind));
      else if (!deliver_model (self, archive, item->kind, item->ref_id, &local_error)
               && (local_error->domain != AUSCULTA_SYNC_ERROR
                   || local_error->code != AUSCULTA_SYNC_ERROR_REJECTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_ptr_array_add (item_errors, g_steal_pointer (&local_error));
    }
  return TRUE;
}

static const char *
get_name (AuscultaSyncTarget *target)
{
  return AUSCULTA_OUTBOX_TARGET_MLFLOW;
}

static const char *
get_description (AuscultaSyncTarget *target)
{
  return ausculta_mlflow_client_get_uri (ausculta_mlflow_sync_get_client (AUSCULTA_MLFLOW_SYNC (target)));
}

/* One row at a time: a row is several requests, and a failure part-way
 * is replayed from that row (every step is found again, not redone). */
static guint
get_batch_size (AuscultaSyncTarget *target)
{
  return 1;
}

void
mlflow_sync_iface_init (AuscultaSyncTargetInterface *iface)
{
  iface->get_name = get_name;
  iface->get_description = get_description;
  iface->get_batch_size = get_batch_size;
  iface->deliver = deliver;
  iface->poll = mlflow_sync_poll;
}
