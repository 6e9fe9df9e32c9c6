/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

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

/* The sensitivity the Preferences saved for device input @input (from 0),
 * or 0 when none is saved. */
static double
saved_sensitivity (GKeyFile *bench,
                   guint     input)
{
  g_autofree char *key = g_strdup_printf ("input-%u", input + 1);
  g_autoptr(GError) error = NULL;
  double value = g_key_file_get_double (bench, "calibration", key, &error);

  return error == NULL && isfinite (value) && value > 0 ? value : 0;
}

/* @profile's file with the saved sensitivities in place of its own, as
 * text; NULL (and no error) when the profile already has them. */
static char *
calibrated_text (AuscultaProfile  *profile,
                 GKeyFile         *bench,
                 gsize            *length,
                 GError          **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gboolean changed = FALSE;

  if (!g_key_file_load_from_file (file, ausculta_profile_get_path (profile), G_KEY_FILE_KEEP_COMMENTS, error))
    return NULL;
  for (guint c = 0; c < ausculta_profile_get_n_channels (profile); c++)
    {
      const AuscultaProfileChannel *channel = ausculta_profile_get_channel (profile, c);
      double saved = saved_sensitivity (bench, channel->input);
      g_autofree char *group = g_strconcat ("channel ", channel->name, NULL);

      if (saved > 0 && fabs (saved - channel->sensitivity) > 1e-9 * saved)
        {
          g_key_file_set_double (file, group, "sensitivity", saved);
          changed = TRUE;
        }
    }
  return changed ? g_key_file_to_data (file, length, error) : NULL;
}

/**
 * ausculta_bench_load_profile:
 * @notes: (nullable): where a problem is reported, one line each
 *
 * The profile the bench measures with: the one chosen in the Preferences
 * (or $AUSCULTA_PROFILE), with the per-input sensitivities the Preferences
 * saved in bench.ini ([calibration] input-N, mV per unit) in place of the
 * profile's own (in memory: nothing is written). A saved sensitivity that
 * cannot be applied is reported in @notes and the profile's own is used.
 *
 * Returns: (transfer full) (nullable): the profile, NULL when it cannot be
 *   loaded (reported in @notes)
 */
AuscultaProfile *
ausculta_bench_load_profile (GPtrArray *notes)
{
  g_autofree char *name = bench_setting ("AUSCULTA_PROFILE", "profile", "name", "default");
  g_autofree char *bench_path = g_build_filename (g_get_user_config_dir (), "ausculta", "bench.ini", NULL);
  g_autoptr(GKeyFile) bench = g_key_file_new ();
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *calibrated = NULL;
  AuscultaProfile *result = NULL;
  gsize length = 0;

  profile = ausculta_profile_load (name, &error);
  if (profile == NULL)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup (error->message));
      return NULL;
    }
  if (!g_key_file_load_from_file (bench, bench_path, G_KEY_FILE_NONE, NULL))
    return g_steal_pointer (&profile);
  calibrated = calibrated_text (profile, bench, &length, &error);
  if (calibrated != NULL)
    result = ausculta_profile_load_from_data (calibrated, (gssize) length,
                                              ausculta_profile_get_path (profile), &error);
  if (error != NULL && notes != NULL)
    /* Translators: %s says why the saved sensitivities cannot be used */
    g_ptr_array_add (notes, g_strdup_printf (_("Calibrated sensitivities not applied: %s"), error->message));
  return result != NULL ? result : g_steal_pointer (&profile);
}

/**
 * ausculta_bench_apply_profile:
 * @inspection: the bench's inspection
 * @notes: (nullable): where a problem is reported, one line each
 *
 * Gives @inspection the profile and sensitivities saved now (see
 * ausculta_bench_load_profile()) for its next cycle; a running cycle
 * finishes with its own. Nothing changes when they are the ones in use.
 *
 * Returns: %FALSE when the profile cannot be loaded (reported in @notes):
 *   the inspection keeps its profile
 */
gboolean
ausculta_bench_apply_profile (AuscultaInspection *inspection,
                              GPtrArray          *notes)
{
  g_autoptr(AuscultaProfile) profile = NULL;
  AuscultaProfile *in_use;

  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (inspection), FALSE);

  profile = ausculta_bench_load_profile (notes);
  if (profile == NULL)
    return FALSE;
  in_use = ausculta_inspection_get_profile (inspection);
  if (!ausculta_profile_equal (profile, in_use)
      || g_strcmp0 (ausculta_profile_get_path (profile), ausculta_profile_get_path (in_use)) != 0)
    ausculta_inspection_set_profile (inspection, profile);
  return TRUE;
}

AuscultaInspection *
ausculta_bench_new_inspection (AuscultaArchive **archive,
                               GPtrArray        *notes)
{
  g_autoptr(AuscultaProfile) profile = NULL;
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
  profile = ausculta_bench_load_profile (notes);
  if (profile == NULL)
    return NULL;
  source = open_source (notes);
  /* The built-in model decides while the archive has no production model;
   * the inspection itself switches to the archive's production model (a
   * local approval, a pulled champion) at the start of each cycle. */
  model = load_demo_model (source, notes);
  inspection = ausculta_inspection_new (profile, source);
  ausculta_inspection_set_model (inspection, model);
  ausculta_inspection_set_archive (inspection, *archive);
  return inspection;
}
