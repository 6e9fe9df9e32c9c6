/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-pull"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-private.h"
#include "ausculta-model.h"
#include "ausculta-sync-error.h"

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

/* The champion's model version, with its tags. */
static JsonNode *
get_champion (AuscultaMlflowSync *self,
              GError            **error)
{
  g_autofree char *name = ausculta_mlflow_escape (mlflow_sync_get_model_name (self));
  g_autofree char *path = g_strdup_printf ("registered-models/alias?name=%s&alias=%s",
                                           name, MLFLOW_ALIAS_CHAMPION);
  g_autoptr(JsonNode) reply = mlflow_call (self, "GET", path, NULL, error);
  const char *version;
  g_autofree char *get_path = NULL;

  if (reply == NULL)
    return NULL;
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

static GBytes *
download_verified (AuscultaMlflowSync *self,
                   JsonNode           *champion,
                   const char         *sha256,
                   GError            **error)
{
  const char *source = mlflow_get_string (champion, "model_version.source");
  const char *prefix = "mlflow-artifacts:";
  g_autofree char *path = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(GError) load_error = NULL;

  if (source == NULL || !g_str_has_prefix (source, prefix))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "champion source “%s” is not an mlflow-artifacts URI", source ? source : "");
      return NULL;
    }
  source += strlen (prefix);
  while (*source == '/')
    source++;
  path = g_strdup_printf ("%s/%s", source, strrchr (MLFLOW_MODEL_ARTIFACT, '/') + 1);
  bytes = ausculta_mlflow_client_download (ausculta_mlflow_sync_get_client (self), path, error);
  if (bytes == NULL)
    return NULL;
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_ascii_strcasecmp (actual, sha256) != 0)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "downloaded champion has SHA-256 %s, its version tag says %s: not used",
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

static gboolean
keep_model (AuscultaArchive *archive,
            const char      *path,
            GBytes          *bytes,
            const char      *version,
            const char      *sha256,
            GError         **error)
{
  g_autofree char *detail = g_strdup_printf ("MLflow champion version %s, sha256 %s, saved as %s",
                                             version, sha256, path);
  g_autofree char *folder = g_path_get_dirname (path);

  g_mkdir_with_parents (folder, 0755);
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                            error)
      || !ausculta_archive_append_audit (archive, NULL, "model.pulled", sha256, detail, error))
    return FALSE;
  ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, "champion.version", version, NULL);
  ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, "champion.sha256", sha256, NULL);
  ausculta_outbox_state_set (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, "champion.path", path, NULL);
  return TRUE;
}

/**
 * ausculta_mlflow_sync_pull_champion:
 * @folder: where verified model files are kept
 * @version: (out) (optional): the champion's version
 *
 * Looks at the alias `champion`; when it names a version this station has
 * not pulled yet, downloads its model file, checks the SHA-256 against the
 * version's ausculta_sha256 tag, the safetensors layout and that the ML
 * module loads it as a model (ausculta_model_load_bytes), saves it as
 * @folder/champion-<version>.safetensors, and records it in the audit log
 * and the outbox state (champion.version/.sha256/.path).
 *
 * Returns: (transfer full) (nullable): the new file's path; NULL without
 *   error when there is nothing new.
 */
char *
ausculta_mlflow_sync_pull_champion (AuscultaMlflowSync *self,
                                    AuscultaArchive    *archive,
                                    const char         *folder,
                                    char              **version,
                                    GError            **error)
{
  g_autoptr(JsonNode) champion = get_champion (self, error);
  g_autofree char *seen = ausculta_outbox_state_get (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW,
                                                     "champion.version", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  const char *number, *sha256;

  if (champion == NULL)
    return NULL;
  number = mlflow_get_string (champion, "model_version.version");
  sha256 = mlflow_find_tag (mlflow_get_object (champion, "model_version"), "tags", MLFLOW_TAG_SHA256);
  if (version != NULL)
    *version = g_strdup (number);
  if (number == NULL || g_strcmp0 (seen, number) == 0)
    return NULL;
  if (strspn (number, "0123456789") != strlen (number))
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "champion version “%s” is not a version number", number);
      return NULL;
    }
  if (sha256 == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY,
                   "champion version %s has no %s tag: its file cannot be verified",
                   number, MLFLOW_TAG_SHA256);
      return NULL;
    }
  bytes = download_verified (self, champion, sha256, error);
  if (bytes == NULL)
    return NULL;
  path = g_strdup_printf ("%s/champion-%s.safetensors", folder, number);
  if (!keep_model (archive, path, bytes, number, sha256, error))
    return NULL;
  return g_steal_pointer (&path);
}
