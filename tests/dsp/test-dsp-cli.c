/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "../ausculta-test-shared.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ausculta-cli features as a user runs it, on files written here and on
 * the real recordings of ../shared/data/signals. */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
}

static char *
temp_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

/* Writes `seconds` of `channels` channels: channel 0 a 1 kHz sine of
 * `amplitude` (converter units), channel 1 a 97 Hz sine, others silent. */
static char *
write_audio (const char *name,
             int         format,
             int         rate,
             int         channels,
             double      seconds,
             double      amplitude)
{
  char *path = temp_path (name);
  SF_INFO info = { 0, rate, channels, format, 0, 0 };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);
  gsize frames = (gsize) (rate * seconds);
  g_autofree float *samples = g_new0 (float, frames * channels);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  /* A little noise, as any real input has: a pure quantised tone leaves
   * empty bins that read as an abnormal noise floor. */
  g_assert_nonnull (file);
  for (gsize i = 0; i < frames; i++)
    {
      samples[i * channels] = (float) (amplitude * sin (2.0 * G_PI * 1000.0 * i / rate)
                                       + g_rand_double_range (rand, -1e-4, 1e-4));
      if (channels > 1)
        samples[i * channels + 1] = (float) (0.2 * sin (2.0 * G_PI * 97.0 * i / rate)
                                             + g_rand_double_range (rand, -1e-4, 1e-4));
    }
  g_assert_cmpint (sf_writef_float (file, samples, frames), ==, frames);
  sf_close (file);
  return path;
}

static double
csv_value (const char *csv,
           const char *column)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);
  g_auto(GStrv) row = g_strsplit (lines[1], ",", -1);

  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], column))
      return *row[i] == '\0' ? NAN : g_ascii_strtod (row[i], NULL);
  g_assert_not_reached ();
}

/* A 2-channel int16 WAV: AC and vib of both runs, calibrated with the
 * profile's sensitivity: 0.01·√2 full scale = 1 Pa RMS = 93.98 dB. */
static void
test_csv_layout (void)
{
  g_autofree char *wav = write_audio ("motor.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 51200, 2, 5.0,
                                      0.01 * sqrt (2.0));
  g_autofree char *csv = temp_path ("motor.csv");
  g_auto(Run) run = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, "features", wav, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "index,V1_AC_down,V1_vib_down,V2_AC_down"));
  g_assert_nonnull (strstr (lines[0], ",G28_vib_down,G29_AC_down,G29vib_down,G30_AC_down"));
  g_assert_true (g_str_has_suffix (lines[0], ",G33_AC_up,G33_vib_up,health"));
  g_assert_true (g_str_has_prefix (lines[1], "motor,"));
  /* Healthy: an empty health cell, nothing on stderr. */
  g_assert_true (g_str_has_suffix (lines[1], ","));
  g_assert_cmpfloat_with_epsilon (csv_value (run.out, "G2_AC_down"), 93.98, 0.05);
  g_assert_cmpfloat_with_epsilon (csv_value (run.out, "G2_AC_up"), 93.98, 0.05);
  /* 0.2 full scale of 490 m/s², at 97 Hz: in G1, 69.3 m/s² RMS. */
  g_assert_cmpfloat_with_epsilon (csv_value (run.out, "G1_vib_up"), 0.2 * 5000 / 10.2 / sqrt (2.0), 0.1);

  g_assert_true (g_file_set_contents (csv, run.out, -1, NULL));
  run_cli (&import, "import", "--dry-run", csv, NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_nonnull (strstr (import.out, "1 rows"));
  g_assert_nonnull (strstr (import.out, "432 features (historical layout)"));
}

static const char *
last_cell (const char *line)
{
  const char *comma = strrchr (line, ',');

  g_assert_nonnull (comma);
  return comma + 1;
}

/* Sensor health is part of the CSV result: a silent accelerometer and a
 * clipped microphone are named in the trailing health cell, per signal. */
static void
test_csv_health (void)
{
  g_autofree char *clipped = write_audio ("clipped.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 51200, 1, 5.0, 1.5);
  g_autofree char *three = write_audio ("three.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 51200, 3, 5.0, 0.1);
  g_autofree char *map = g_strdup_printf ("%s=down:AC,%s#2=down:vib,%s=up:AC,%s#3=up:vib",
                                          three, three, clipped, three);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, "features", "--map", map, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_suffix (lines[0], ",health"));
  g_assert_cmpstr (last_cell (lines[1]), ==, "up/AC:clipping up/vib:dead-channel");
  /* Also on stderr, for a pipeline's operator. */
  g_assert_nonnull (strstr (run.err, "run up, channel vib: dead-channel"));
}

/* Several files into one measurement; a silent channel is flagged dead
 * in the JSON output. */
static void
test_map_json (void)
{
  g_autofree char *flac = write_audio ("ac.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 1, 5.0, 0.1);
  g_autofree char *vib = write_audio ("vib.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 3, 5.0, 0.1);
  g_autofree char *map = g_strdup_printf ("%s=down:AC,%s#2=down:vib,%s=up:AC,%s#3=up:vib",
                                          flac, vib, flac, vib);
  g_auto(Run) run = { 0 };

  run_cli (&run, "features", "--format", "json", "--map", map, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"index\": \"ac\""));
  g_assert_nonnull (strstr (run.out, "\"health\": [\"dead-channel\"]"));
  g_assert_nonnull (strstr (run.out, "{\"run\": \"up\", \"channel\": \"vib\", \"sample_rate\": 44100, "
                                     "\"samples\": 220500, \"health\": [\"dead-channel\"]}"));
  g_assert_nonnull (strstr (run.out, "{\"run\": \"down\", \"channel\": \"vib\", \"sample_rate\": 44100, "
                                     "\"samples\": 220500, \"health\": []}"));
  g_assert_nonnull (strstr (run.out, "\"G29vib_up\": "));
  /* 44.1 kHz: G33 (19.2–19.8 kHz) is still under Nyquist. */
  g_assert_null (strstr (run.out, "\"G33_AC_up\": null"));
}

static void
assert_fails (const char *expected,
              const char *first,
              ...)
{
  const char *argv[12] = { NULL };
  guint n = 0;
  g_auto(Run) run = { 0 };
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL && n < G_N_ELEMENTS (argv) - 1; arg = va_arg (args, const char *))
    argv[n++] = arg;
  va_end (args);
  run_cli (&run, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], NULL);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, expected));
  g_assert_true (g_str_has_prefix (run.err, "ausculta-cli: "));
  /* One line, no crash trace. */
  g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, (int) strlen (run.err) - 1);
}

static void
test_bad_files (void)
{
  g_autofree char *empty = temp_path ("empty.wav");
  g_autofree char *no_frames = write_audio ("no-frames.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 51200, 2, 0.0, 0.1);
  g_autofree char *mono = write_audio ("mono.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 51200, 1, 1.0, 0.1);
  g_autofree char *brief = write_audio ("brief.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 51200, 2, 0.1, 0.1);
  g_autofree char *nan_wav = write_audio ("nan.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 51200, 2, 1.0, NAN);
  g_autofree char *truncated = write_audio ("truncated.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 51200, 2, 1.0, 0.1);
  g_autofree char *message = NULL;

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_cmpint (truncate (truncated, 100000), ==, 0);

  message = g_strdup_printf ("%s: cannot read as audio", empty);
  assert_fails (message, "features", empty, NULL);
  g_free (message);
  message = g_strdup_printf ("%s: the file holds no samples", no_frames);
  assert_fails (message, "features", no_frames, NULL);
  g_free (message);
  message = g_strdup_printf ("%s: 1 channel(s); the profile “default” needs 2", mono);
  assert_fails (message, "features", mono, NULL);
  g_free (message);
  message = g_strdup_printf ("%s: Run “down”, channel “AC”: 5120 samples, fewer than one 8192-point", brief);
  assert_fails (message, "features", brief, NULL);
  g_free (message);
  message = g_strdup_printf ("%s: sample 1 of channel 1 is not a number", nan_wav);
  assert_fails (message, "features", nan_wav, NULL);
  g_free (message);
  message = g_strdup_printf ("%s: truncated: the header announces 204800 bytes of samples, the file holds 99956", truncated);
  assert_fails (message, "features", truncated, NULL);

  assert_fails ("--map entry “x.wav”: expected FILE[#CHANNEL]=RUN:CHANNEL", "features", "--map", "x.wav", NULL);
  assert_fails ("the profile “default” has no channel “mic”", "features", "--map", "x.wav=down:mic", NULL);
  assert_fails ("Profile “nope”: cannot read", "features", "--profile", "nope", mono, NULL);
  assert_fails ("--format xml: expected csv or json", "features", "--format", "xml", mono, NULL);
  assert_fails ("no file given", "features", NULL);
}

/* The real BLDC recordings (44.1 and 16 kHz) go through the same profile;
 * bands beyond 8 kHz are empty at 16 kHz, not invented. */
static void
test_real_recordings (void)
{
  const char *shared = g_getenv ("AUSCULTA_SHARED_DATA");
  g_autofree char *m1 = g_build_filename (shared, "signals", "bldc", "healthy_M1_1400.wav", NULL);
  g_autofree char *m2 = g_build_filename (shared, "signals", "bldc", "healthy_M2_1400.wav", NULL);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL, second = NULL;

  run_cli (&run, "features", m1, m2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  first = g_strsplit (lines[1], ",", -1);
  second = g_strsplit (lines[2], ",", -1);
  /* index, 432 features, health */
  g_assert_cmpuint (g_strv_length (first), ==, 434);
  g_assert_cmpuint (g_strv_length (second), ==, 434);
  g_assert_cmpstr (first[0], ==, "healthy_M1_1400");
  /* G14 = 7.8–8.4 kHz straddles 16 kHz's Nyquist, G15 lies beyond it. */
  g_assert_cmpstr (first[1 + 150 + 2 * 14], !=, "");
  g_assert_cmpstr (second[1 + 150 + 2 * 14], ==, "");
  g_assert_cmpstr (second[1 + 150 + 2 * 13], !=, "");
  /* A microphone in a room: band levels in a plausible dB range. */
  for (guint g = 0; g < 14; g++)
    {
      double level = g_ascii_strtod (second[1 + 150 + 2 * g], NULL);

      g_assert_cmpfloat (level, >, 0.0);
      g_assert_cmpfloat (level, <, 120.0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();

  g_test_add_func ("/ausculta/cli/features/csv-layout", test_csv_layout);
  g_test_add_func ("/ausculta/cli/features/csv-health", test_csv_health);
  g_test_add_func ("/ausculta/cli/features/map-json", test_map_json);
  g_test_add_func ("/ausculta/cli/features/bad-files", test_bad_files);
  g_test_add_func ("/ausculta/cli/features/real-recordings", test_real_recordings);
  return g_test_run ();
}
