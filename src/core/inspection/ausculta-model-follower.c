/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-model-follower"

#include "config.h"

#include "ausculta-model-follower.h"

struct _AuscultaModelFollower
{
  char          *id;       /* of the model loaded, in the archive */
  char          *sha256;
  AuscultaModel *model;
};

AuscultaModelFollower *
ausculta_model_follower_new (void)
{
  return g_new0 (AuscultaModelFollower, 1);
}

void
ausculta_model_follower_free (AuscultaModelFollower *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->sha256);
  g_clear_object (&self->model);
  g_free (self);
}

AuscultaModel *
ausculta_model_follower_get (AuscultaModelFollower *self)
{
  return self->model;
}

static AuscultaModel *
load (AuscultaArchive          *archive,
      const AuscultaModelInfo  *info,
      GError                  **error)
{
  g_autoptr(GBytes) file = ausculta_archive_get_model_file (archive, info->id, error);
  g_autofree char *sha256 = NULL;

  if (file == NULL)
    return NULL;
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
  if (g_strcmp0 (sha256, info->sha256) != 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT,
                   "its file's SHA-256 is %s, the archive recorded %s", sha256, info->sha256);
      return NULL;
    }
  return ausculta_model_load_bytes (file, error);
}

gboolean
ausculta_model_follower_update (AuscultaModelFollower  *self,
                                AuscultaArchive        *archive,
                                char                  **problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, &error);
  AuscultaModel *model;

  if (error != NULL)
    {
      *problem = g_strdup_printf ("the archive's production model cannot be looked up: %s",
                                  error->message);
      return FALSE;
    }
  if (info == NULL)
    {
      gboolean had = self->model != NULL;

      g_clear_pointer (&self->id, g_free);
      g_clear_pointer (&self->sha256, g_free);
      g_clear_object (&self->model);
      return had;
    }
  if (self->model != NULL && g_strcmp0 (info->id, self->id) == 0
      && g_strcmp0 (info->sha256, self->sha256) == 0)
    return FALSE;
  if (!(model = load (archive, info, &error)))
    {
      *problem = g_strdup_printf ("production model %s (id %s) cannot be read: %s",
                                  info->version, info->id, error->message);
      return FALSE;
    }
  g_free (self->id);
  self->id = g_strdup (info->id);
  g_free (self->sha256);
  self->sha256 = g_strdup (info->sha256);
  g_clear_object (&self->model);
  self->model = model;
  g_debug ("production model %s (id %s) loaded", info->version, info->id);
  return TRUE;
}
