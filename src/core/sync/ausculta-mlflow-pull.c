/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-pull"

#include "config.h"

#include <string.h>

#include "ausculta-archive-champion.h"
#include "ausculta-mlflow-private.h"
#include "ausculta-model.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-private.h"

#define MAX_HEADER (100 * 1024 * 1024)

/**
 * ausculta_model_bytes_check_format:
 *
 * The safetensors layout (DESIGN.md §5): an 8-byte little-endian header
 * length, a JSON object header that fits in the file and names its tensors'
 * byte ranges, then the tensors. Enough to refuse an HTML error page, a
 * truncated download or a pickle before anything tries to score with it.
 */
gboolean
ausculta_model_bytes_check_format (GBytes  *bytes,
                                   GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint64 header = 0;

  if (size >= 8)
    for (int i = 7; i >= 0; i--)
      header = (header << 8) | data[i];
  if (size < 8 || header < 2 || header > MAX_HEADER || header > size - 8)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "downloaded model (%" G_GSIZE_FORMAT " bytes) is not in the safetensors "
                   "layout: bad header length", size);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, (const char *) data + 8, (gssize) header, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "downloaded model header is not a JSON object (safetensors layout expected)");
      return FALSE;
    }
  return TRUE;
}

/* The model version the alias `champion` names, with its tags; NULL and
 * no error when no champion is set (MLflow answers 400 for an unset alias). */
static JsonNode *
get_champion (AuscultaMlflowSync *self,
              GError            **error)
{
  g_autofree char *name = ausculta_mlflow_escape (mlflow_sync_get_model_name (self));
  g_autofree char *path = g_strdup_printf ("registered-models/alias?name=%s&alias=%s",
                                           name, MLFLOW_ALIAS_CHAMPION);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) reply = mlflow_call (self, "GET", path, NULL, &local_error);
  const char *version;
  g_autofree char *get_path = NULL;

  if (g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_REJECTED))
    return NULL;
  if (g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND)
      || g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_UNSUPPORTED))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_UNSUPPORTED,
                   "MLflow %s has no model registry (HTTP 404): no champion to pull",
                   ausculta_mlflow_client_get_uri (ausculta_mlflow_sync_get_client (self)));
      return NULL;
    }
  if (reply == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (mlflow_find_tag (mlflow_get_object (reply, "model_version"), "tags", MLFLOW_TAG_SHA256))
    return g_steal_pointer (&reply);
  /* tags not in the alias reply: ask for the version itself */
  version = mlflow_get_string (reply, "model_version.version");
  if (version == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER,
                   "MLflow %s: the champion alias names no version",
                   ausculta_mlflow_client_get_uri (ausculta_mlflow_sync_get_client (self)));
      return NULL;
    }
  get_path = g_strdup_printf ("model-versions/get?name=%s&version=%s", name, version);
  return mlflow_call (self, "GET", get_path, NULL, error);
}

static const char *
champion_tag (JsonNode   *champion,
              const char *key)
{
  return mlflow_find_tag (mlflow_get_object (champion, "model_version"), "tags", key);
}

/* "mlflow-artifacts:/1/R/artifacts/model" -> "1/R/artifacts", the run's
 * artifact folder as the proxy names it. */
static char *
artifact_root (JsonNode  *champion,
               GError   **error)
{
  const char *source = mlflow_get_string (champion, "model_version.source");
  const char *prefix = "mlflow-artifacts:";

  if (source == NULL || !g_str_has_prefix (source, prefix)
      || strchr (source + strlen (prefix), '/') == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "champion source “%s” is not an mlflow-artifacts URI", source ? source : "");
      return NULL;
    }
  source += strlen (prefix);
  while (*source == '/')
    source++;
  return g_path_get_dirname (source);
}

static GBytes *
download_verified (AuscultaMlflowSync *self,
                   const char         *root,
                   const char         *sha256,
                   GError            **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s", root, MLFLOW_MODEL_ARTIFACT);
  g_autofree char *actual = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(GError) load_error = NULL;

  bytes = ausculta_mlflow_client_download (ausculta_mlflow_sync_get_client (self), path, error);
  if (bytes == NULL)
    return NULL;
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_ascii_strcasecmp (actual, sha256) != 0)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "hash mismatch: the downloaded file has SHA-256 %s, its version tag says %s",
                   actual, sha256);
      return NULL;
    }
  if (!ausculta_model_bytes_check_format (bytes, error))
    return NULL;
  model = ausculta_model_load_bytes (bytes, &load_error);
  if (model == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "downloaded champion is not a usable Ausculta model: %s", load_error->message);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

/* The model's own version name (the run's param "version"), or
 * "mlflow-vN" for a run that has none or that the server will not show. */
static char *
run_version (AuscultaMlflowSync *self,
             JsonNode           *champion,
             const char         *number,
             GError            **error)
{
  const char *run_id = mlflow_get_string (champion, "model_version.run_id");
  g_autofree char *escaped = run_id ? ausculta_mlflow_escape (run_id) : NULL;
  g_autofree char *path = g_strdup_printf ("runs/get?run_id=%s", escaped);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) run = NULL;
  const char *version = NULL;

  if (run_id != NULL && *run_id != '\0')
    run = mlflow_call (self, "GET", path, NULL, &local_error);
  if (local_error != NULL && !g_error_matches (local_error, AUSCULTA_SYNC_ERROR,
                                               AUSCULTA_SYNC_ERROR_REJECTED)
      && !g_error_matches (local_error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (run != NULL)
    version = mlflow_find_tag (mlflow_get_object (run, "run.data"), "params", "version");
  return version ? g_strdup (version) : g_strdup_printf ("mlflow-v%s", number);
}

static gboolean
is_json_object (const char *text,
                gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return text != NULL && json_parser_load_from_data (parser, text, length, NULL)
         && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
}

/* The validation report: the run's artifact, else the version tag when it
 * is whole (a tag is clipped at 5000 characters), else none. */
static char *
fetch_report (AuscultaMlflowSync *self,
              JsonNode           *champion,
              const char         *root)
{
  g_autofree char *path = g_strdup_printf ("%s/%s", root, MLFLOW_REPORT_ARTIFACT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ausculta_mlflow_client_download (ausculta_mlflow_sync_get_client (self),
                                                             path, &error);
  const char *summary = champion_tag (champion, "validation_summary");
  gsize size;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  if (data != NULL && g_utf8_validate (data, (gssize) size, NULL) && is_json_object (data, (gssize) size))
    return g_strndup (data, size);
  if (bytes == NULL)
    g_debug ("no validation report artifact for the champion: %s", error->message);
  return is_json_object (summary, -1) ? g_strdup (summary) : NULL;
}

static GDateTime *
tag_time (JsonNode *champion)
{
  const char *text = champion_tag (champion, "approved_at");

  return text != NULL && *text != '\0' ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* Downloads, verifies and installs the champion @number. */
static gboolean
install (AuscultaMlflowSync *self,
         AuscultaArchive    *archive,
         JsonNode           *champion,
         const char         *number,
         char              **summary,
         gboolean           *changed,
         GError            **error)
{
  const char *sha256 = champion_tag (champion, MLFLOW_TAG_SHA256);
  g_autofree char *root = artifact_root (champion, error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *version = NULL;
  g_autofree char *report = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) approved_at = tag_time (champion);
  AuscultaPulledModel pulled = { 0 };

  if (root == NULL || (bytes = download_verified (self, root, sha256, error)) == NULL
      || (version = run_version (self, champion, number, error)) == NULL)
    return FALSE;
  report = fetch_report (self, champion, root);
  origin = g_strdup_printf ("MLflow %s v%s", mlflow_sync_get_model_name (self), number);
  pulled = (AuscultaPulledModel) {
    .model_id = champion_tag (champion, MLFLOW_TAG_MODEL_ID), .version = version,
    .file = bytes, .sha256 = sha256, .validation_report = report,
    .approved_by = champion_tag (champion, "approved_by"), .approved_at = approved_at,
    .origin = origin,
  };
  id = ausculta_archive_install_champion (archive, &pulled, changed, error);
  if (id == NULL)
    return FALSE;
  *summary = g_strdup_printf ("champion v%s installed: production model %s (SHA-256 %.12s…)",
                              number, version, sha256);
  return TRUE;
}

/* What is already the production model needs no download. */
static gboolean
is_production (AuscultaArchive *archive,
               const char      *sha256,
               char           **version)
{
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, NULL);

  if (info == NULL || g_ascii_strcasecmp (info->sha256, sha256) != 0)
    return FALSE;
  *version = g_strdup (info->version);
  return TRUE;
}

static gboolean
pull (AuscultaMlflowSync *self,
      AuscultaArchive    *archive,
      char              **number,
      char              **summary,
      gboolean           *changed,
      GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) champion = get_champion (self, &local_error);
  g_autofree char *version = NULL;
  const char *sha256;

  if (champion == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (champion == NULL)
    {
      *summary = g_strdup_printf ("no champion set for %s in MLflow", mlflow_sync_get_model_name (self));
      return TRUE;
    }
  *number = g_strdup (mlflow_get_string (champion, "model_version.version"));
  sha256 = champion_tag (champion, MLFLOW_TAG_SHA256);
  if (*number == NULL || **number == '\0' || strspn (*number, "0123456789") != strlen (*number))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "champion version “%s” is not a version number", *number ? *number : "");
      g_clear_pointer (number, g_free);
      return FALSE;
    }
  if (sha256 == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "no %s tag: its file cannot be verified", MLFLOW_TAG_SHA256);
      return FALSE;
    }
  if (is_production (archive, sha256, &version))
    {
      *summary = g_strdup_printf ("champion v%s installed: production model %s (SHA-256 %.12s…)",
                                  *number, version, sha256);
      return TRUE;
    }
  return install (self, archive, champion, *number, summary, changed, error);
}

/**
 * ausculta_mlflow_sync_pull_champion:
 * @installed: (out) (optional): whether this call changed the archive
 *
 * Looks at the alias `champion`; unless its file already is the archive's
 * production model, downloads it, checks the SHA-256 against the version's
 * ausculta_sha256 tag, the safetensors layout and that the ML module loads
 * it (ausculta_model_load_bytes), then installs it as the production model
 * (ausculta_archive_install_champion: approval from the version tags, one
 * audit entry "model.pull"). The inspection reloads the production model
 * at the start of each cycle, so the next motor is scored with it.
 *
 * What happened, in words ("champion v3 installed: ...", "champion v4 not
 * installed: hash mismatch ...", "champion not checked: ... no model
 * registry (HTTP 404) ..."), is kept in the archive as the mlflow target's
 * AuscultaSyncStatus.champion.
 *
 * Returns: FALSE when the champion could not be checked or installed.
 */
gboolean
ausculta_mlflow_sync_pull_champion (AuscultaMlflowSync *self,
                                    AuscultaArchive    *archive,
                                    gboolean           *installed,
                                    GError            **error)
{
  g_autofree char *number = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) state_error = NULL;
  gboolean changed = FALSE;
  gboolean ok;

  g_return_val_if_fail (AUSCULTA_IS_MLFLOW_SYNC (self) && AUSCULTA_IS_ARCHIVE (archive), FALSE);

  ok = pull (self, archive, &number, &summary, &changed, &local_error);
  if (!ok)
    {
      g_free (summary);
      summary = number ? g_strdup_printf ("champion v%s not installed: %s", number, local_error->message)
                       : g_strdup_printf ("champion not checked: %s", local_error->message);
    }
  if (!ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, SYNC_STATE_KEY_CHAMPION,
                                  summary, &state_error))
    g_warning ("cannot keep the champion's status in the archive: %s", state_error->message);
  if (installed != NULL)
    *installed = changed;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
