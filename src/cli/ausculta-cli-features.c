/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-features"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-cli.h"
#include "ausculta-feature-extractor.h"
#include "ausculta-profile.h"

#define FEATURES_ERROR (features_error_quark ())
static GQuark features_error_quark (void);
G_DEFINE_QUARK (ausculta-cli-features-error-quark, features_error)

enum {
  FEATURES_ERROR_FILE,      /* unreadable, empty, truncated, NaN */
  FEATURES_ERROR_CHANNELS,  /* a channel count the profile cannot use */
  FEATURES_ERROR_MAP,       /* a --map the user must fix */
};

/* One audio file, read whole, samples interleaved. */
typedef struct {
  char   *path;
  double  sample_rate;
  guint   n_channels;
  gsize   n_frames;
  float  *samples;
} AudioFile;

static void
audio_file_free (AudioFile *file)
{
  g_free (file->path);
  g_free (file->samples);
  g_free (file);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AudioFile, audio_file_free)

static gboolean
check_finite (AudioFile  *file,
              GError    **error)
{
  for (gsize i = 0; i < file->n_frames * file->n_channels; i++)
    if (!isfinite (file->samples[i]))
      {
        g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                     _("%s: sample %" G_GSIZE_FORMAT " of channel %u is not a number; "
                       "expected finite samples"), file->path,
                     i / file->n_channels + 1, (guint) (i % file->n_channels) + 1);
        return FALSE;
      }
  return TRUE;
}

/* libsndfile reads a WAV cut short up to where it ends, and notes in its
 * log "data : <announced> (should be <present>)": a truncated file, not a
 * shorter recording. */
static gboolean
check_not_truncated (SNDFILE     *sound,
                     const char  *path,
                     GError     **error)
{
  char log[4096] = "";
  const char *line;
  gint64 announced, present;

  sf_command (sound, SFC_GET_LOG_INFO, log, sizeof log);
  for (line = log; line != NULL; line = strchr (line + 1, '\n'))
    if (sscanf (line + (*line == '\n'), "data : %" G_GINT64_MODIFIER "d (should be %" G_GINT64_MODIFIER "d)",
                &announced, &present) == 2 && present < announced)
      {
        g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                     _("%s: truncated: the header announces %" G_GINT64_FORMAT " bytes of samples, "
                       "the file holds %" G_GINT64_FORMAT), path, announced, present);
        return FALSE;
      }
  return TRUE;
}

/* Reads a WAV, FLAC or any libsndfile format: integers scaled to ±1,
 * floats as they are. */
static AudioFile *
audio_file_read (const char  *path,
                 GError     **error)
{
  g_autoptr(AudioFile) file = g_new0 (AudioFile, 1);
  SF_INFO info = { 0 };
  SNDFILE *sound = sf_open (path, SFM_READ, &info);
  sf_count_t got;

  file->path = g_strdup (path);
  if (sound == NULL)
    {
      g_autofree char *reason = g_strdup (sf_strerror (NULL));

      g_strdelimit (g_strchomp (reason), ".", ' ');
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                   _("%s: cannot read as audio (%s); expected a WAV or FLAC file"),
                   path, g_strchomp (reason));
      return NULL;
    }
  if (!check_not_truncated (sound, path, error))
    {
      sf_close (sound);
      return NULL;
    }
  if (info.frames <= 0 || info.channels <= 0)
    {
      sf_close (sound);
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                   _("%s: the file holds no samples; expected a recording"), path);
      return NULL;
    }
  file->sample_rate = info.samplerate;
  file->n_channels = (guint) info.channels;
  file->n_frames = (gsize) info.frames;
  file->samples = g_try_new (float, file->n_frames * file->n_channels);
  if (file->samples == NULL)
    {
      sf_close (sound);
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                   _("%s: %" G_GINT64_FORMAT " frames of %d channels do not fit in memory"),
                   path, (gint64) info.frames, info.channels);
      return NULL;
    }
  got = sf_readf_float (sound, file->samples, info.frames);
  sf_close (sound);
  if (got != info.frames)
    {
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_FILE,
                   _("%s: truncated: the header announces %" G_GINT64_FORMAT " frames, "
                     "only %" G_GINT64_FORMAT " could be read"),
                   path, (gint64) info.frames, (gint64) got);
      return NULL;
    }
  return check_finite (file, error) ? g_steal_pointer (&file) : NULL;
}

/* Copies channel `channel` (from 0) of `file` into a new signal of the
 * measurement, calibrated unless the samples already are. */
static void
add_signal (AuscultaMeasurement          *measurement,
            const AudioFile              *file,
            guint                         channel,
            const char                   *run,
            const AuscultaProfileChannel *profile_channel,
            gboolean                      calibrated)
{
  AuscultaSignal *signal = ausculta_measurement_add_signal (measurement, run, profile_channel->name,
                                                            profile_channel->unit, file->sample_rate,
                                                            file->n_frames);

  for (gsize i = 0; i < file->n_frames; i++)
    signal->samples[i] = file->samples[i * file->n_channels + channel];
  if (!calibrated)
    ausculta_profile_channel_calibrate (profile_channel, AUSCULTA_RAW_NORMALISED, signal->samples,
                                        signal->samples, signal->n_samples);
}

static guint
max_input (AuscultaProfile *profile)
{
  guint highest = 0;

  for (guint c = 0; c < ausculta_profile_get_n_channels (profile); c++)
    highest = MAX (highest, ausculta_profile_get_channel (profile, c)->input);
  return highest;
}

/* The default mapping: file channel `input` (from 0) feeds the profile
 * channel of that input in every run; a file with runs × channels
 * channels gives each run its own group of channels instead. */
static gboolean
map_whole_file (AuscultaMeasurement  *measurement,
                AuscultaProfile      *profile,
                const AudioFile      *file,
                gboolean              calibrated,
                GError              **error)
{
  guint n_runs = ausculta_profile_get_n_runs (profile);
  guint n_channels = ausculta_profile_get_n_channels (profile);
  gboolean per_run = n_runs > 1 && file->n_channels == n_runs * n_channels;

  if (!per_run && file->n_channels <= max_input (profile))
    {
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_CHANNELS,
                   _("%s: %u channel(s); the profile “%s” needs %u (one per input, inputs 1–%u), "
                     "or %u (one group per run), or a --map"),
                   file->path, file->n_channels, ausculta_profile_get_name (profile),
                   max_input (profile) + 1, max_input (profile) + 1, n_runs * n_channels);
      return FALSE;
    }
  for (guint r = 0; r < n_runs; r++)
    for (guint c = 0; c < n_channels; c++)
      {
        const AuscultaProfileChannel *channel = ausculta_profile_get_channel (profile, c);
        guint source = per_run ? r * n_channels + c : channel->input;

        add_signal (measurement, file, source, ausculta_profile_get_run (profile, r)->name, channel,
                    calibrated);
      }
  return TRUE;
}

static AudioFile *
cached_file (GHashTable  *files,
             const char  *path,
             GError     **error)
{
  AudioFile *file = g_hash_table_lookup (files, path);

  if (file == NULL && (file = audio_file_read (path, error)) != NULL)
    g_hash_table_insert (files, file->path, file);
  return file;
}

/* One "FILE[#N]=RUN:CHANNEL" entry of a --map. */
static gboolean
map_entry (AuscultaMeasurement  *measurement,
           AuscultaProfile      *profile,
           GHashTable           *files,
           const char           *entry,
           gboolean              calibrated,
           GError              **error)
{
  const char *equals = strrchr (entry, '=');
  g_autofree char *source = equals ? g_strndup (entry, equals - entry) : NULL;
  g_auto(GStrv) target = equals ? g_strsplit (equals + 1, ":", 2) : NULL;
  char *hash = source ? strrchr (source, '#') : NULL;
  guint64 number = 1;
  const AuscultaProfileChannel *channel;
  AudioFile *file;

  if (target == NULL || g_strv_length (target) != 2 || *source == '\0'
      || (hash != NULL && !g_ascii_string_to_unsigned (hash + 1, 10, 1, 1024, &number, NULL)))
    {
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_MAP,
                   _("--map entry “%s”: expected FILE[#CHANNEL]=RUN:CHANNEL, "
                     "e.g. down.wav#2=down:vib"), entry);
      return FALSE;
    }
  if (hash != NULL)
    *hash = '\0';
  channel = ausculta_profile_find_channel (profile, target[1]);
  if (channel == NULL)
    {
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_MAP,
                   _("--map entry “%s”: the profile “%s” has no channel “%s”"),
                   entry, ausculta_profile_get_name (profile), target[1]);
      return FALSE;
    }
  if ((file = cached_file (files, source, error)) == NULL)
    return FALSE;
  if (number > file->n_channels)
    {
      g_set_error (error, FEATURES_ERROR, FEATURES_ERROR_CHANNELS,
                   _("%s: has %u channel(s), --map asks for channel %u"), source,
                   file->n_channels, (guint) number);
      return FALSE;
    }
  add_signal (measurement, file, (guint) number - 1, target[0], channel, calibrated);
  return TRUE;
}

static char *
index_of (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';
  return g_steal_pointer (&name);
}

/* A measurement from a --map value "FILE=RUN:CHANNEL,...". */
static AuscultaMeasurement *
measurement_from_map (AuscultaProfile  *profile,
                      const char       *map,
                      gboolean          calibrated,
                      GError          **error)
{
  g_autoptr(AuscultaMeasurement) measurement = ausculta_measurement_new ();
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) audio_file_free);
  g_auto(GStrv) entries = g_strsplit (map, ",", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    if (!map_entry (measurement, profile, files, g_strstrip (entries[i]), calibrated, error))
      return NULL;
  if (entries[0] != NULL)
    {
      g_autofree char *first = g_strndup (entries[0], strcspn (entries[0], "#="));

      measurement->source_index = index_of (first);
      measurement->source = g_strdup_printf ("file:%s", first);
    }
  return g_steal_pointer (&measurement);
}

static AuscultaMeasurement *
measurement_from_file (AuscultaProfile  *profile,
                       const char       *path,
                       gboolean          calibrated,
                       GError          **error)
{
  g_autoptr(AuscultaMeasurement) measurement = ausculta_measurement_new ();
  g_autoptr(AudioFile) file = audio_file_read (path, error);

  if (file == NULL || !map_whole_file (measurement, profile, file, calibrated, error))
    return NULL;
  measurement->source_index = index_of (path);
  measurement->source = g_strdup_printf ("file:%s", path);
  return g_steal_pointer (&measurement);
}

static void
append_number (GString *out,
               double   value,
               gboolean json)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, json ? "null" : "");
  else
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.9g", value));
}

/* The health cell: empty when every signal is healthy, else one
 * RUN/CHANNEL:FLAG+FLAG item per flagged signal, separated by spaces (no
 * comma or semicolon: the cell must survive either CSV dialect). */
static void
append_csv_health (GString             *out,
                   AuscultaMeasurement *measurement)
{
  gboolean first = TRUE;

  for (guint s = 0; s < measurement->signals->len; s++)
    {
      AuscultaSignal *signal = g_ptr_array_index (measurement->signals, s);
      g_autofree char *words = NULL;

      if (signal->health == 0)
        continue;
      words = ausculta_health_to_string (signal->health);
      g_strdelimit (words, ",", '+');
      g_string_append_printf (out, "%s%s/%s:%s", first ? "" : " ", signal->run, signal->channel, words);
      first = FALSE;
    }
}

/* The historical layout: index, then the features (an empty cell where a
 * band lies beyond the recording's Nyquist frequency), then the sensor
 * health as a trailing column. */
static void
write_csv (GPtrArray *measurements,
           GString   *out)
{
  AuscultaMeasurement *first = g_ptr_array_index (measurements, 0);

  g_string_append (out, "index");
  for (guint f = 0; f < first->n_features; f++)
    g_string_append_printf (out, ",%s", first->feature_names[f]);
  g_string_append (out, ",health\n");
  for (guint m = 0; m < measurements->len; m++)
    {
      AuscultaMeasurement *measurement = g_ptr_array_index (measurements, m);

      g_string_append (out, measurement->source_index);
      for (guint f = 0; f < measurement->n_features; f++)
        {
          g_string_append_c (out, ',');
          append_number (out, measurement->features[f], FALSE);
        }
      g_string_append_c (out, ',');
      append_csv_health (out, measurement);
      g_string_append_c (out, '\n');
    }
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_json_health (GString *out,
                    guint    health)
{
  g_autofree char *words = ausculta_health_to_string (health);
  g_auto(GStrv) flags = g_strsplit (words, ",", -1);

  g_string_append_c (out, '[');
  for (guint i = 0; flags[i] != NULL && *flags[i] != '\0'; i++)
    {
      g_string_append (out, i > 0 ? ", " : "");
      append_json_string (out, flags[i]);
    }
  g_string_append_c (out, ']');
}

static void
append_json_measurement (GString             *out,
                         AuscultaMeasurement *measurement)
{
  g_string_append (out, "  {\"index\": ");
  append_json_string (out, measurement->source_index);
  g_string_append (out, ", \"source\": ");
  append_json_string (out, measurement->source);
  g_string_append (out, ", \"profile\": ");
  append_json_string (out, measurement->profile_name);
  g_string_append (out, ", \"profile_hash\": ");
  append_json_string (out, measurement->profile_hash);
  g_string_append (out, ",\n   \"health\": ");
  append_json_health (out, measurement->health);
  g_string_append (out, ", \"signals\": [");
  for (guint s = 0; s < measurement->signals->len; s++)
    {
      AuscultaSignal *signal = g_ptr_array_index (measurement->signals, s);

      g_string_append (out, s > 0 ? ", {\"run\": " : "{\"run\": ");
      append_json_string (out, signal->run);
      g_string_append (out, ", \"channel\": ");
      append_json_string (out, signal->channel);
      g_string_append_printf (out, ", \"sample_rate\": %g, \"samples\": %" G_GSIZE_FORMAT
                              ", \"health\": ", signal->sample_rate, signal->n_samples);
      append_json_health (out, signal->health);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\n   \"features\": {");
  for (guint f = 0; f < measurement->n_features; f++)
    {
      g_string_append (out, f > 0 ? ", " : "");
      append_json_string (out, measurement->feature_names[f]);
      g_string_append (out, ": ");
      append_number (out, measurement->features[f], TRUE);
    }
  g_string_append (out, "}}");
}

static void
write_json (GPtrArray *measurements,
            GString   *out)
{
  g_string_append (out, "[\n");
  for (guint m = 0; m < measurements->len; m++)
    {
      append_json_measurement (out, g_ptr_array_index (measurements, m));
      g_string_append (out, m + 1 < measurements->len ? ",\n" : "\n");
    }
  g_string_append (out, "]\n");
}

/* With CSV, flagged signals are also said on stderr, so that a
 * measurement to repeat is never silent in a pipeline. */
static void
warn_health (AuscultaMeasurement *measurement)
{
  for (guint s = 0; s < measurement->signals->len; s++)
    {
      AuscultaSignal *signal = g_ptr_array_index (measurement->signals, s);
      g_autofree char *words = NULL;

      if (signal->health == 0)
        continue;
      words = ausculta_health_to_string (signal->health);
      g_printerr (_("ausculta-cli: %s: run %s, channel %s: %s\n"), measurement->source_index,
                  signal->run, signal->channel, words);
    }
}

static const char summary[] =
  N_("Computes the profile's feature vector of each recording (WAV, FLAC, any\n"
     "sample rate, 16/24-bit integer or float) and prints one row per measurement:\n"
     "CSV in the historical layout (index, the features, then a health column),\n"
     "or JSON with the sensor health of each signal. Integer samples are read as converter values\n"
     "(±1 = the channel's input-range volts) and calibrated with its sensitivity;\n"
     "--calibrated takes the samples as already in the channel's unit.\n"
     "\n"
     "What a file maps to, without --map: file channel N feeds the profile channel\n"
     "whose input is N−1, and the same recording serves every run (for the default\n"
     "profile a 2-channel file is AC, vib, used for both “down” and “up”). A file\n"
     "with runs × channels channels gives each run its own group, in the profile's\n"
     "order (down/AC, down/vib, up/AC, up/vib).\n"
     "\n"
     "--map FILE[#N]=RUN:CHANNEL,... builds one measurement from several files\n"
     "(#N: the file's channel, from 1; default 1); repeat --map for more rows.\n"
     "\n"
     "Health flags (dead-channel, clipping, dc-offset, noise-floor, short-run)\n"
     "are in the JSON output; in CSV the last column, health, is empty for a\n"
     "healthy measurement, else lists RUN/CHANNEL:FLAG+FLAG for each flagged\n"
     "signal, space-separated (also said on stderr). Bands beyond a recording's\n"
     "Nyquist frequency are empty cells (null in JSON).");

int
ausculta_cli_features (int    argc,
                       char **argv)
{
  g_autofree char *profile_name = NULL, *format = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean calibrated = FALSE;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Profile name (default, third-octave) or .ini file; default: default"), N_("NAME|FILE") },
    { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("One measurement from several files"), N_("FILE[#N]=RUN:CHANNEL,…") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: csv (default) or json"),
      N_("FORMAT") },
    { "calibrated", 0, 0, G_OPTION_ARG_NONE, &calibrated,
      N_("Samples are already in the channels' units"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[FILE…] — feature vectors of recordings"));
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autoptr(AuscultaFeatureExtractor) extractor = NULL;
  g_autoptr(GPtrArray) measurements = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(GString) out = g_string_new (NULL);
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(summary));
  if ((status = ausculta_cli_parse_options (context, &argc, &argv)) != AUSCULTA_CLI_OK)
    return status;
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr (_("ausculta-cli: --format %s: expected csv or json\n"), format);
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (argc < 2 && maps == NULL)
    {
      g_printerr ("%s\n", _("ausculta-cli: features: no file given; expected FILE… or --map"));
      return AUSCULTA_CLI_USER_ERROR;
    }

  if (!(profile = ausculta_profile_load (profile_name ? profile_name : "default", &error))
      || !(extractor = ausculta_feature_extractor_new (profile, &error)))
    return ausculta_cli_fail (error);

  for (int i = 1; i < argc + (maps ? (int) g_strv_length (maps) : 0); i++)
    {
      g_autoptr(AuscultaMeasurement) measurement = NULL;
      const char *name = i < argc ? argv[i] : maps[i - argc];

      measurement = i < argc ? measurement_from_file (profile, name, calibrated, &error)
                             : measurement_from_map (profile, name, calibrated, &error);
      if (measurement == NULL)
        return ausculta_cli_fail (error);
      if (!ausculta_feature_extractor_extract (extractor, measurement, &error))
        {
          g_prefix_error (&error, "%s: ", name);
          return ausculta_cli_fail (error);
        }
      g_ptr_array_add (measurements, g_steal_pointer (&measurement));
    }

  if (format != NULL && g_str_equal (format, "json"))
    write_json (measurements, out);
  else
    {
      write_csv (measurements, out);
      for (guint m = 0; m < measurements->len; m++)
        warn_health (g_ptr_array_index (measurements, m));
    }
  fwrite (out->str, 1, out->len, stdout);
  return AUSCULTA_CLI_OK;
}
