/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bench"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-bench.h"
#include "ausculta-data-paths.h"
#include "ausculta-simulator.h"
#include "ausculta-source-spec.h"

/* The model shipped for this source: the simulated bench's own
 * (tools/train-simulator-model) for the simulator, the one trained on the
 * original bench's motors (data/models/demo.model) for real captures. */
static AuscultaModel *
load_demo_model (AuscultaSource *source,
                 GPtrArray      *notes)
{
  gboolean simulated = source != NULL && AUSCULTA_IS_SIMULATOR (source);
  g_autofree char *path = ausculta_data_path (simulated ? "models/simulator.model"
                                                        : "models/demo.model");
  g_autoptr(GError) error = NULL;
  AuscultaModel *model = ausculta_model_load (path, &error);

  if (model == NULL)
    g_ptr_array_add (notes, g_strdup_printf (_("No model (%s): measurements are archived "
                                               "without a verdict"), error->message));
  return model;
}

/* A bench setting: the environment variable when set (scripts, tests),
 * else what the Preferences saved in bench.ini, else @fallback. */
static char *
bench_setting (const char *variable,
               const char *group,
               const char *key,
               const char *fallback)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "ausculta", "bench.ini", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  const char *value = g_getenv (variable);
  char *saved;

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL)
      && (saved = g_key_file_get_string (file, group, key, NULL)) != NULL)
    return saved;
  return g_strdup (fallback);
}

static AuscultaSource *
open_source (GPtrArray *notes)
{
  g_autofree char *spec = bench_setting ("AUSCULTA_SOURCE", "capture", "source", "simulator");
  g_autoptr(GError) error = NULL;
  AuscultaSource *source;

  source = ausculta_source_new_from_spec (spec, &error);
  if (source == NULL)
    {
      g_ptr_array_add (notes, g_strdup (error->message));
      return NULL;
    }
  /* The bench's pace: the simulator delivers in real time, as a motor
   * would, unless a script asks for it as fast as possible. */
  ausculta_source_set_realtime (source, g_strcmp0 (g_getenv ("AUSCULTA_SOURCE_PACE"), "fast") != 0);
  return source;
}

/* The model the archive says is in production, if any. */
static AuscultaModel *
load_production_model (AuscultaArchive *archive)
{
  g_autoptr(AuscultaModelInfo) info = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  AuscultaModel *model;

  if (archive == NULL || (info = ausculta_archive_get_production_model (archive, NULL)) == NULL)
    return NULL;
  file = ausculta_archive_get_model_file (archive, info->id, &error);
  model = file != NULL ? ausculta_model_load_bytes (file, &error) : NULL;
  if (model == NULL)
    g_warning ("Production model %s cannot be read: %s", info->version, error->message);
  return model;
}

AuscultaInspection *
ausculta_bench_new_inspection (AuscultaArchive **archive,
                               GPtrArray        *notes)
{
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autofree char *profile_name = NULL;
  g_autoptr(AuscultaSource) source = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(GError) error = NULL;
  AuscultaInspection *inspection;

  *archive = ausculta_archive_open_default (&error);
  if (*archive == NULL)
    {
      g_ptr_array_add (notes, g_strdup (error->message));
      g_clear_error (&error);
    }
  profile_name = bench_setting ("AUSCULTA_PROFILE", "profile", "name", "default");
  profile = ausculta_profile_load (profile_name, &error);
  if (profile == NULL)
    {
      g_ptr_array_add (notes, g_strdup (error->message));
      return NULL;
    }
  source = open_source (notes);
  model = load_production_model (*archive);
  if (model == NULL)
    model = load_demo_model (source, notes);
  inspection = ausculta_inspection_new (profile, source);
  ausculta_inspection_set_model (inspection, model);
  ausculta_inspection_set_archive (inspection, *archive);
  return inspection;
}
