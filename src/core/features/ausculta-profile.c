/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-profile"

#include "config.h"

#include <string.h>

#include "ausculta-data-paths.h"
#include "ausculta-profile-private.h"


G_DEFINE_QUARK (ausculta-profile-error-quark, ausculta_profile_error)

static void
run_clear (gpointer data)
{
  g_free (((AuscultaProfileRun *) data)->name);
}

static void
channel_clear (gpointer data)
{
  AuscultaProfileChannel *channel = data;

  g_free (channel->name);
  g_free (channel->unit);
}

static void
band_set_clear (gpointer data)
{
  AuscultaProfileBandSet *set = data;

  g_free (set->name);
  g_free (set->shaft_channel);
}

static void
profile_clear (gpointer data)
{
  AuscultaProfile *profile = data;

  g_free (profile->name);
  g_free (profile->path);
  g_free (profile->hash);
  g_array_unref (profile->runs);
  g_array_unref (profile->channels);
  g_array_unref (profile->band_sets);
  g_clear_pointer (&profile->feature_names, g_ptr_array_unref);
}

static AuscultaProfile *
profile_new (const char *path)
{
  AuscultaProfile *profile = g_atomic_rc_box_new0 (AuscultaProfile);

  profile->path = g_strdup (path);
  profile->runs = g_array_new (FALSE, TRUE, sizeof (AuscultaProfileRun));
  g_array_set_clear_func (profile->runs, run_clear);
  profile->channels = g_array_new (FALSE, TRUE, sizeof (AuscultaProfileChannel));
  g_array_set_clear_func (profile->channels, channel_clear);
  profile->band_sets = g_array_new (FALSE, TRUE, sizeof (AuscultaProfileBandSet));
  g_array_set_clear_func (profile->band_sets, band_set_clear);
  return profile;
}

/* A bare name ("default") is a bundled profile; anything with a slash or
 * an .ini suffix is a path. */
static char *
resolve_path (const char *name_or_path)
{
  g_autofree char *relative = NULL;

  if (strchr (name_or_path, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (name_or_path, ".ini"))
    return g_strdup (name_or_path);
  relative = g_strdup_printf ("profiles/%s.ini", name_or_path);
  return ausculta_data_path (relative);
}

static AuscultaProfile *
load_data (const char  *data,
           gsize        length,
           const char  *path,
           GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;
  Source source;

  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_PARSE,
                   "%s: not a profile key file: %s", path, local_error->message);
      return NULL;
    }
  profile = profile_new (path);
  source.file = file;
  source.path = path;
  if (!ausculta_profile_parse (profile, &source, error))
    return NULL;
  profile->hash = ausculta_profile_definition_hash (profile);
  return g_steal_pointer (&profile);
}

/**
 * ausculta_profile_load:
 * @name_or_path: "default", "third-octave", or the path of a profile file
 *
 * Returns: (transfer full): the profile, or %NULL with @error naming the
 *   file, group and key at fault.
 */
AuscultaProfile *
ausculta_profile_load (const char  *name_or_path,
                       GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (name_or_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = resolve_path (name_or_path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_NOT_FOUND,
                   "Profile “%s”: cannot read %s: %s", name_or_path, path,
                   local_error->message);
      return NULL;
    }
  return load_data (contents, length, path, error);
}

/**
 * ausculta_profile_load_from_data:
 * @data: the text of a profile file
 * @length: its length, or -1 when nul-terminated
 * @path: the file it stands for (errors name it; get_path returns it)
 *
 * A profile from text, e.g. a profile file's text with other sensitivities,
 * without writing it anywhere. Its hash is that of the definitions in @data
 * (see ausculta_profile_get_hash()): other sensitivities keep it.
 *
 * Returns: (transfer full): the profile, or %NULL with @error as
 *   ausculta_profile_load() sets it.
 */
AuscultaProfile *
ausculta_profile_load_from_data (const char  *data,
                                 gssize       length,
                                 const char  *path,
                                 GError     **error)
{
  g_return_val_if_fail (data != NULL && path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_data (data, length < 0 ? strlen (data) : (gsize) length, path, error);
}

AuscultaProfile *
ausculta_profile_ref (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return g_atomic_rc_box_acquire (profile);
}

void
ausculta_profile_unref (AuscultaProfile *profile)
{
  g_return_if_fail (profile != NULL);
  g_atomic_rc_box_release_full (profile, profile_clear);
}

const char *
ausculta_profile_get_name (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->name;
}

const char *
ausculta_profile_get_path (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->path;
}

/* See the header for what the hash covers. */
const char *
ausculta_profile_get_hash (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->hash;
}

double
ausculta_profile_get_sample_rate (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0.0);
  return profile->sample_rate;
}

guint
ausculta_profile_get_n_runs (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->runs->len;
}

const AuscultaProfileRun *
ausculta_profile_get_run (AuscultaProfile *profile,
                          guint            index)
{
  g_return_val_if_fail (profile != NULL && index < profile->runs->len, NULL);
  return &g_array_index (profile->runs, AuscultaProfileRun, index);
}

guint
ausculta_profile_get_n_channels (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->channels->len;
}

const AuscultaProfileChannel *
ausculta_profile_get_channel (AuscultaProfile *profile,
                              guint            index)
{
  g_return_val_if_fail (profile != NULL && index < profile->channels->len, NULL);
  return &g_array_index (profile->channels, AuscultaProfileChannel, index);
}

const AuscultaProfileChannel *
ausculta_profile_find_channel (AuscultaProfile *profile,
                               const char      *name)
{
  g_return_val_if_fail (profile != NULL && name != NULL, NULL);

  for (guint i = 0; i < profile->channels->len; i++)
    if (g_str_equal (g_array_index (profile->channels, AuscultaProfileChannel, i).name, name))
      return &g_array_index (profile->channels, AuscultaProfileChannel, i);
  return NULL;
}

guint
ausculta_profile_get_n_band_sets (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->band_sets->len;
}

const AuscultaProfileBandSet *
ausculta_profile_get_band_set (AuscultaProfile *profile,
                               guint            index)
{
  g_return_val_if_fail (profile != NULL && index < profile->band_sets->len, NULL);
  return &g_array_index (profile->band_sets, AuscultaProfileBandSet, index);
}

const AuscultaSpectrumConfig *
ausculta_profile_get_spectrum (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return &profile->spectrum;
}

const char * const *
ausculta_profile_get_feature_names (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return (const char * const *) profile->feature_names->pdata;
}

guint
ausculta_profile_get_n_features (AuscultaProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->n_features;
}

double
ausculta_profile_channel_full_scale (const AuscultaProfileChannel *channel)
{
  g_return_val_if_fail (channel != NULL, 0.0);
  return channel->input_range * 1000.0 / channel->sensitivity;
}

/**
 * ausculta_profile_channel_calibrate:
 *
 * Converts @n raw values (volts, or converter values where ±1 is
 * ±input_range volts) into the channel's unit through its sensitivity.
 * @raw and @calibrated may be the same buffer.
 */
void
ausculta_profile_channel_calibrate (const AuscultaProfileChannel *channel,
                                    AuscultaRawScale              scale,
                                    const float                  *raw,
                                    float                        *calibrated,
                                    gsize                         n)
{
  double volts_per_value;
  double factor;

  g_return_if_fail (channel != NULL && channel->sensitivity > 0.0);

  volts_per_value = scale == AUSCULTA_RAW_NORMALISED ? channel->input_range : 1.0;
  factor = volts_per_value * 1000.0 / channel->sensitivity;
  for (gsize i = 0; i < n; i++)
    calibrated[i] = (float) (raw[i] * factor);
}
