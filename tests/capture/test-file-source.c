/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-file-source.h"
#include "ausculta-source-spec.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("ausculta-file-XXXXXX", NULL);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Writes frames of 3 channels: channel c of frame i is (i % 1000) / 1000 - c / 4. */
static char *
write_recording (Fixture    *fixture,
                 const char *name,
                 int         format,
                 int         rate,
                 gsize       n_frames)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  SF_INFO info = { .samplerate = rate, .channels = 3, .format = format };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);
  g_autofree float *frames = g_new (float, 3 * n_frames);

  g_assert_nonnull (file);
  for (gsize i = 0; i < n_frames; i++)
    for (guint c = 0; c < 3; c++)
      frames[3 * i + c] = (float) ((i % 1000) / 1000.0 - c / 4.0);
  g_assert_cmpint (sf_writef_float (file, frames, n_frames), ==, n_frames);
  sf_close (file);
  return path;
}

static void
test_replay_bit_exact (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, "run.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 9600);
  const char *paths[] = { path, NULL };
  g_autoptr(AuscultaSource) source = ausculta_file_source_new (paths);
  AuscultaSourceConfig config = { 2, { 2, 0 }, 48000, 512 };
  g_autofree float *frames = g_new (float, 2 * 4800);
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_source_open (source, &config, &error));
  /* Two runs from one file: the second continues where the first stopped. */
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, 4800, &error), ==, 4800);
  g_assert_cmpfloat (frames[2 * 123 + 0], ==, (float) (123 / 1000.0 - 0.5));
  g_assert_cmpfloat (frames[2 * 123 + 1], ==, (float) (123 / 1000.0));
  g_assert_true (ausculta_source_start (source, "down", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, 4800, &error), ==, 4800);
  g_assert_cmpfloat (frames[1], ==, (float) ((4800 % 1000) / 1000.0));
  g_assert_null (ausculta_source_get_channel_unit (source, 0));
}

static void
test_replay_flac_per_run (Fixture      *fixture,
                          gconstpointer data)
{
  g_autofree char *up = write_recording (fixture, "up.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 16000, 1600);
  g_autofree char *down = write_recording (fixture, "down.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 3200);
  g_autofree char *spec = g_strdup_printf ("file:%s,%s", up, down);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec, &error);
  AuscultaSourceConfig config = { 1, { 0 }, 16000, 256 };
  float frames[1600];

  g_assert_no_error (error);
  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, 1600, &error), ==, 1600);
  g_assert_cmpfloat_with_epsilon (frames[999], 0.999, 1e-6);
  /* Run 2 reads file 2 from its start. */
  g_assert_true (ausculta_source_start (source, "down", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, 1600, &error), ==, 1600);
  g_assert_cmpfloat_with_epsilon (frames[10], 0.010, 1e-4);
}

static void
test_short_recording (Fixture      *fixture,
                      gconstpointer data)
{
  g_autofree char *path = write_recording (fixture, "short.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 4000);
  const char *paths[] = { path, NULL };
  g_autoptr(AuscultaSource) source = ausculta_file_source_new (paths);
  AuscultaSourceConfig config = { 1, { 0 }, 8000, 256 };
  g_autofree float *frames = g_new (float, 8000);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("%s: the recording ends 0.500 s into run “up” (file length 0.500 s)", path);

  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, 8000, &error), ==, -1);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_SHORT);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

static void
test_bad_files (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *wav = write_recording (fixture, "ok.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 100);
  g_autofree char *junk = g_build_filename (fixture->dir, "junk.wav", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.wav", NULL);
  g_autofree char *truncated = g_build_filename (fixture->dir, "truncated.wav", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  AuscultaSourceConfig config = { 2, { 0, 1 }, 48000, 256 };
  AuscultaSourceConfig four = { 4, { 0, 1, 2, 3 }, 44100, 256 };
  struct { const char *path; const AuscultaSourceConfig *config; int code; const char *message; } cases[] = {
    { missing, &config, AUSCULTA_SOURCE_ERROR_NOT_FOUND, "no such file" },
    { junk, &config, AUSCULTA_SOURCE_ERROR_UNSUPPORTED, "not a WAV or FLAC recording: " },
    { truncated, &config, AUSCULTA_SOURCE_ERROR_UNSUPPORTED, "not a WAV or FLAC recording: " },
    { wav, &config, AUSCULTA_SOURCE_ERROR_UNSUPPORTED, "recorded at 44100 Hz, not 48000 Hz" },
    { wav, &four, AUSCULTA_SOURCE_ERROR_UNSUPPORTED, "no channel 3: the file has 3 channels (0 to 2)" },
  };

  g_assert_true (g_file_set_contents (junk, "RIFF\x10\0\0\0WAVEjunkjunkjunk", 24, NULL));
  g_assert_true (g_file_get_contents (wav, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, 30, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *paths[] = { cases[i].path, NULL };
      g_autoptr(AuscultaSource) source = ausculta_file_source_new (paths);
      g_autoptr(GError) error = NULL;

      g_assert_false (ausculta_source_open (source, cases[i].config, &error));
      g_assert_error (error, AUSCULTA_SOURCE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].path));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/ausculta/capture/file/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("bit-exact", test_replay_bit_exact);
  ADD ("flac-per-run", test_replay_flac_per_run);
  ADD ("short", test_short_recording);
  ADD ("bad-files", test_bad_files);
#undef ADD
  return g_test_run ();
}
