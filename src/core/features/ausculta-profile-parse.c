/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-profile-parse"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-feature-layout.h"
#include "ausculta-profile-private.h"

#define STANDARD_GRAVITY 9.80665
#define MAX_BANDS_PER_SET 1024

static gboolean
load_spectrum (AuscultaProfile *profile,
               const Source    *source,
               GError         **error)
{
  AuscultaSpectrumConfig *config = &profile->spectrum;
  g_autofree char *window = NULL;
  double fft_size, overlap;

  if (!ausculta_keys_double (source, "spectrum", "fft-size", NAN, 256, 262144, &fft_size, error)
      || !ausculta_keys_double (source, "spectrum", "overlap", 50.0, 0.0, 93.75, &overlap, error)
      || !(window = ausculta_keys_string (source, "spectrum", "window", "hann", error)))
    return FALSE;
  config->fft_size = (gsize) fft_size;
  config->overlap = overlap / 100.0;
  config->sample_rate = profile->sample_rate;
  config->averaging = AUSCULTA_AVERAGING_LINEAR;
  config->n_average = 1;
  if (!ausculta_window_from_string (window, &config->window))
    return ausculta_keys_invalid (source, "spectrum", "window", window,
                         "rectangular, hann, flattop, blackmanharris", error);
  return TRUE;
}

static gboolean
load_run (AuscultaProfile *profile,
          const Source    *source,
          const char      *name,
          GError         **error)
{
  g_autofree char *group = g_strdup_printf ("run %s", name);
  AuscultaProfileRun run = { NULL, 0.0 };

  if (!ausculta_keys_double (source, group, "duration", NAN, 0.01, 3600.0, &run.duration, error))
    return FALSE;
  run.name = g_strdup (name);
  g_array_append_val (profile->runs, run);
  return TRUE;
}

/* The dB reference of ISO 1683: 20 µPa for sound, 1 µm/s² for acceleration. */
static gboolean
default_reference (const Source           *source,
                   const char             *group,
                   AuscultaProfileChannel *channel,
                   GError                **error)
{
  if (channel->kind == AUSCULTA_CHANNEL_TACHO)
    channel->reference = 1.0;
  else if (channel->kind == AUSCULTA_CHANNEL_MICROPHONE && g_str_equal (channel->unit, "Pa"))
    channel->reference = 20e-6;
  else if (channel->kind == AUSCULTA_CHANNEL_ACCELEROMETER
           && (g_str_equal (channel->unit, "m/s²") || g_str_equal (channel->unit, "m/s2")))
    channel->reference = 1e-6;
  else if (channel->kind == AUSCULTA_CHANNEL_ACCELEROMETER && g_str_equal (channel->unit, "g"))
    channel->reference = 1e-6 / STANDARD_GRAVITY;
  else
    return ausculta_keys_invalid (source, group, "unit", channel->unit,
                         channel->kind == AUSCULTA_CHANNEL_MICROPHONE ? "Pa" : "m/s², g", error);
  return TRUE;
}

/* The words of a profile file for a channel's kind and scale, by their
 * enums: the parser reads them, the hash writes them. */
static const char * const kind_words[] = {
  [AUSCULTA_CHANNEL_MICROPHONE] = "microphone",
  [AUSCULTA_CHANNEL_ACCELEROMETER] = "accelerometer",
  [AUSCULTA_CHANNEL_TACHO] = "tacho",
};
static const char * const scale_words[] = {
  [AUSCULTA_LEVEL_LINEAR] = "linear",
  [AUSCULTA_LEVEL_DB] = "db",
};

const char *
ausculta_profile_kind_word (AuscultaChannelKind kind)
{
  return kind_words[kind];
}

const char *
ausculta_profile_scale_word (AuscultaLevelScale scale)
{
  return scale_words[scale];
}

/* The index of @word in @words, or -1. */
static int
word_index (const char * const *words,
            guint               n_words,
            const char         *word)
{
  for (guint i = 0; i < n_words; i++)
    if (g_str_equal (words[i], word))
      return (int) i;
  return -1;
}

static gboolean
load_channel_words (const Source           *source,
                    const char             *group,
                    AuscultaProfileChannel *channel,
                    GError                **error)
{
  g_autofree char *kind = NULL, *scale = NULL, *weighting = NULL;
  int kind_index, scale_index;

  if (!(kind = ausculta_keys_string (source, group, "kind", NULL, error))
      || !(channel->unit = ausculta_keys_string (source, group, "unit", NULL, error))
      || !(scale = ausculta_keys_string (source, group, "scale", "linear", error))
      || !(weighting = ausculta_keys_string (source, group, "weighting", "Z", error)))
    return FALSE;
  if ((kind_index = word_index (kind_words, G_N_ELEMENTS (kind_words), kind)) < 0)
    return ausculta_keys_invalid (source, group, "kind", kind,
                                          "microphone, accelerometer, tacho", error);
  if ((scale_index = word_index (scale_words, G_N_ELEMENTS (scale_words), scale)) < 0)
    return ausculta_keys_invalid (source, group, "scale", scale, "db, linear", error);
  channel->kind = kind_index;
  channel->scale = scale_index;
  if (!ausculta_weighting_from_string (weighting, &channel->weighting))
    return ausculta_keys_invalid (source, group, "weighting", weighting, "A, C, Z", error);
  return default_reference (source, group, channel, error);
}

static gboolean
load_channel (AuscultaProfile *profile,
              const Source    *source,
              const char      *name,
              GError         **error)
{
  g_autofree char *group = g_strdup_printf ("channel %s", name);
  AuscultaProfileChannel channel = { 0 };
  double dc_percent;

  channel.name = g_strdup (name);
  if (!load_channel_words (source, group, &channel, error)
      || !ausculta_keys_double (source, group, "sensitivity", NAN, 1e-6, 1e6,
                                &channel.sensitivity, error)
      || !ausculta_keys_uint (source, group, "input", NAN, 0, 1023, &channel.input, error)
      || !ausculta_keys_double (source, group, "input-range", 1.0, 1e-6, 1e3,
                                &channel.input_range, error)
      || !ausculta_keys_double (source, group, "reference", channel.reference, 1e-30, 1e30,
                                &channel.reference, error)
      || !ausculta_keys_double (source, group, "dead-below", 0.0, 0.0, 1e30,
                                &channel.dead_below, error)
      || !ausculta_keys_double (source, group, "dc-offset-max", 5.0, 0.0, 100.0, &dc_percent, error)
      || !ausculta_keys_range (source, group, "noise-floor", "-400;400", &channel.noise_floor_min,
                               &channel.noise_floor_max, error)
      || !ausculta_keys_double (source, group, "pulses-per-revolution", 1.0, 0.01, 1e4,
                                &channel.pulses_per_revolution, error))
    {
      g_free (channel.name);
      g_free (channel.unit);
      return FALSE;
    }
  channel.dc_offset_max = dc_percent / 100.0;
  g_array_append_val (profile->channels, channel);
  return TRUE;
}

static gboolean
load_orders (const Source           *source,
             const char             *group,
             AuscultaProfileBandSet *set,
             GError                **error)
{
  if (!ausculta_keys_uint (source, group, "first", 1, 1, 10000, &set->first_order, error)
      || !ausculta_keys_uint (source, group, "count", NAN, 1, MAX_BANDS_PER_SET, &set->count, error)
      || !ausculta_keys_double (source, group, "width", 1.0, 0.01, 10.0, &set->order_width, error)
      || !ausculta_keys_double (source, group, "shaft-rate", 0.0, 0.0, 1e5, &set->shaft_rate, error))
    return FALSE;
  if (set->shaft_rate > 0.0)
    return TRUE;
  /* The range is where to look for the strongest line; a tacho channel
   * needs none. */
  set->shaft_channel = ausculta_keys_string (source, group, "shaft-channel", NULL, error);
  return set->shaft_channel != NULL
         && ausculta_keys_range (source, group, "shaft-range", "5;500", &set->shaft_low,
                                 &set->shaft_high, error);
}

static gboolean
load_fractional_octave (const Source           *source,
                        const char             *group,
                        AuscultaProfileBandSet *set,
                        GError                **error)
{
  AuscultaBand bands[MAX_BANDS_PER_SET];
  g_autoptr(GError) local_error = NULL;

  if (!ausculta_keys_uint (source, group, "fraction", NAN, 1, 24, &set->fraction, error)
      || !ausculta_keys_range (source, group, "range", NULL, &set->f_low, &set->f_high, error))
    return FALSE;
  set->count = ausculta_bands_fractional_octave (set->fraction, set->f_low, set->f_high,
                                                 bands, G_N_ELEMENTS (bands), &local_error);
  if (set->count == 0)
    {
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
                   "%s: [%s] %s", source->path, group, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_band_set (AuscultaProfile *profile,
               const Source    *source,
               const char      *name,
               GError         **error)
{
  g_autofree char *group = g_strdup_printf ("bands %s", name);
  g_autofree char *kind = ausculta_keys_string (source, group, "kind", NULL, error);
  AuscultaProfileBandSet set = { 0 };
  gboolean ok;

  if (kind == NULL)
    return FALSE;
  set.name = g_strdup (name);
  if (g_str_equal (kind, "orders"))
    {
      set.kind = AUSCULTA_BAND_SET_ORDERS;
      ok = load_orders (source, group, &set, error);
    }
  else if (g_str_equal (kind, "constant-width"))
    {
      set.kind = AUSCULTA_BAND_SET_CONSTANT_WIDTH;
      ok = ausculta_keys_double (source, group, "start", 0.0, 0.0, 1e6, &set.start, error)
           && ausculta_keys_double (source, group, "width", NAN, 1e-3, 1e6, &set.width, error)
           && ausculta_keys_uint (source, group, "count", NAN, 1, MAX_BANDS_PER_SET, &set.count, error);
    }
  else if (g_str_equal (kind, "fractional-octave"))
    {
      set.kind = AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE;
      ok = load_fractional_octave (source, group, &set, error);
    }
  else
    ok = ausculta_keys_invalid (source, group, "kind", kind, "orders, constant-width, fractional-octave",
                       error);
  if (!ok)
    {
      g_free (set.name);
      g_free (set.shaft_channel);
      return FALSE;
    }
  g_array_append_val (profile->band_sets, set);
  return TRUE;
}

/* The labels of a band set's bands, in order: "V1".."V75", "T12.5".."T20k". */
static void
band_set_labels (const AuscultaProfileBandSet *set,
                 AuscultaBand                 *bands)
{
  switch (set->kind)
    {
    case AUSCULTA_BAND_SET_ORDERS:
      ausculta_bands_orders (1.0, set->first_order, set->count, set->order_width, set->name, bands);
      break;
    case AUSCULTA_BAND_SET_CONSTANT_WIDTH:
      ausculta_bands_constant_width (set->start, set->width, set->count, set->name, bands);
      break;
    case AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE:
    default:
      ausculta_bands_fractional_octave (set->fraction, set->f_low, set->f_high, bands, set->count,
                                        NULL);
      for (guint i = 0; i < set->count; i++)
        {
          g_autofree char *label = g_strconcat (set->name, bands[i].label, NULL);

          g_strlcpy (bands[i].label, label, sizeof bands[i].label);
        }
      break;
    }
}

static void
add_feature_names (AuscultaProfile              *profile,
                   const AuscultaProfileBandSet *set,
                   const AuscultaBand           *bands,
                   const char                   *run)
{
  for (guint b = 0; b < set->count; b++)
    for (guint c = 0; c < profile->channels->len; c++)
      {
        const AuscultaProfileChannel *channel = &g_array_index (profile->channels,
                                                                 AuscultaProfileChannel, c);

        if (channel->kind != AUSCULTA_CHANNEL_TACHO)
          g_ptr_array_add (profile->feature_names,
                           g_strdup_printf ("%s_%s_%s", bands[b].label, channel->name, run));
      }
}

/* For each run, band set, band, channel (but tachometers):
 * "{band}_{channel}_{run}". */
static void
build_feature_names (AuscultaProfile *profile)
{
  AuscultaBand bands[MAX_BANDS_PER_SET];

  profile->feature_names = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; r < profile->runs->len; r++)
    for (guint s = 0; s < profile->band_sets->len; s++)
      {
        const AuscultaProfileBandSet *set = &g_array_index (profile->band_sets,
                                                             AuscultaProfileBandSet, s);

        band_set_labels (set, bands);
        add_feature_names (profile, set, bands, g_array_index (profile->runs, AuscultaProfileRun, r).name);
      }
}

/* naming=historical: the profile must give the bench's 432 columns, and
 * takes their spelling (G29vib_*) from the one historical layout. */
static gboolean
apply_historical_names (AuscultaProfile *profile,
                        const Source    *source,
                        GError         **error)
{
  const char * const *historical = ausculta_feature_layout_historical ();

  if (profile->feature_names->len != AUSCULTA_HISTORICAL_N_FEATURES)
    goto mismatch;
  for (guint i = 0; i < profile->feature_names->len; i++)
    {
      const char *ours = profile->feature_names->pdata[i];

      /* The one historical misspelling: G29_vib_* was written G29vib_*. */
      if (!g_str_equal (ours, historical[i])
          && !(g_str_has_prefix (ours, "G29_vib_") && g_str_has_prefix (historical[i], "G29vib_")
               && g_str_equal (ours + 8, historical[i] + 7)))
        goto mismatch;
      g_free (profile->feature_names->pdata[i]);
      profile->feature_names->pdata[i] = g_strdup (historical[i]);
    }
  return TRUE;

mismatch:
  g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
               "%s: [profile] naming=historical needs runs down;up, channels AC;vib and "
               "band sets V (75 orders) and G (33 bands): %u features here, 432 expected",
               source->path, profile->feature_names->len);
  return FALSE;
}

static gboolean
check_shaft_channels (AuscultaProfile *profile,
                      const Source    *source,
                      GError         **error)
{
  for (guint s = 0; s < profile->band_sets->len; s++)
    {
      const AuscultaProfileBandSet *set = &g_array_index (profile->band_sets,
                                                           AuscultaProfileBandSet, s);

      if (set->shaft_channel != NULL && ausculta_profile_find_channel (profile, set->shaft_channel) == NULL)
        {
          g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
                       "%s: [bands %s] shaft-channel=%s is not one of the profile's channels",
                       source->path, set->name, set->shaft_channel);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_lists (AuscultaProfile *profile,
            const Source    *source,
            GError         **error)
{
  g_auto(GStrv) runs = ausculta_keys_list (source, "profile", "runs", error);
  g_auto(GStrv) channels = runs ? ausculta_keys_list (source, "profile", "channels", error) : NULL;
  g_auto(GStrv) band_sets = channels ? ausculta_keys_list (source, "profile", "band-sets", error) : NULL;

  if (band_sets == NULL)
    return FALSE;
  for (guint i = 0; runs[i] != NULL; i++)
    if (!load_run (profile, source, runs[i], error))
      return FALSE;
  for (guint i = 0; channels[i] != NULL; i++)
    if (!load_channel (profile, source, channels[i], error))
      return FALSE;
  for (guint i = 0; band_sets[i] != NULL; i++)
    if (!load_band_set (profile, source, band_sets[i], error))
      return FALSE;
  return check_shaft_channels (profile, source, error);
}

gboolean
ausculta_profile_parse (AuscultaProfile  *profile,
                        const Source     *source,
                        GError          **error)
{
  g_autofree char *naming = NULL;

  if (!(profile->name = ausculta_keys_string (source, "profile", "name", NULL, error))
      || !ausculta_keys_double (source, "profile", "sample-rate", NAN, 1000.0, 1e6,
                       &profile->sample_rate, error)
      || !load_spectrum (profile, source, error)
      || !load_lists (profile, source, error)
      || !(naming = ausculta_keys_string (source, "profile", "naming", "generated", error)))
    return FALSE;

  build_feature_names (profile);
  if (g_str_equal (naming, "historical"))
    {
      if (!apply_historical_names (profile, source, error))
        return FALSE;
    }
  else if (!g_str_equal (naming, "generated"))
    return ausculta_keys_invalid (source, "profile", "naming", naming, "historical, generated", error);
  profile->n_features = profile->feature_names->len;
  g_ptr_array_add (profile->feature_names, NULL);
  return TRUE;
}
