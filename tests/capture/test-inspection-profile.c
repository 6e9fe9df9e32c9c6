/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new profile (a calibration saved in the Preferences) applies from the
 * next inspection cycle, never to the running one. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-inspection.h"
#include "ausculta-simulator.h"
#include "ausculta-source-spec.h"

#define RATE 51200
#define SECONDS 2.5

typedef struct {
  char            *dir;
  char            *wav;
  AuscultaProfile *profile;    /* the default profile, runs of 1 s */
  AuscultaProfile *doubled;    /* the same with the microphone's sensitivity doubled */
} Fixture;

/* The default profile with 1 s runs, the microphone at @sensitivity mV/Pa. */
static AuscultaProfile *
short_profile (double sensitivity)
{
  g_autoptr(AuscultaProfile) bundled = ausculta_profile_load ("default", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  AuscultaProfile *profile;
  gsize length = 0;

  g_assert_nonnull (bundled);
  g_assert_true (g_key_file_load_from_file (file, ausculta_profile_get_path (bundled), G_KEY_FILE_NONE, NULL));
  g_key_file_set_double (file, "run down", "duration", 1.0);
  g_key_file_set_double (file, "run up", "duration", 1.0);
  g_key_file_set_double (file, "channel AC", "sensitivity", sensitivity);
  data = g_key_file_to_data (file, &length, NULL);
  profile = ausculta_profile_load_from_data (data, (gssize) length, ausculta_profile_get_path (bundled), &error);
  g_assert_no_error (error);
  return profile;
}

/* A simulated motor as the converter records it: normalised to each
 * channel's full scale, so that the replay goes through the sensitivity. */
static void
record_motor (Fixture *fixture)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (11, 0);
  AuscultaSourceConfig config = { 2, { 0, 1 }, RATE, 1024 };
  gsize n = (gsize) (SECONDS * RATE);
  g_autofree float *frames = g_new (float, 2 * n);
  SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *file;
  double full_scale[2];

  for (guint c = 0; c < 2; c++)
    full_scale[c] = ausculta_profile_channel_full_scale (ausculta_profile_get_channel (fixture->profile, c));
  g_assert_true (ausculta_source_open (source, &config, NULL));
  g_assert_true (ausculta_source_start (source, "down", NULL));
  g_assert_cmpint (ausculta_source_read (source, frames, n, NULL), ==, n);
  ausculta_source_close (source);
  for (gsize i = 0; i < 2 * n; i++)
    frames[i] = (float) (frames[i] / full_scale[i % 2]);
  file = sf_open (fixture->wav, SFM_WRITE, &info);
  g_assert_nonnull (file);
  g_assert_cmpint (sf_writef_float (file, frames, n), ==, n);
  sf_close (file);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("ausculta-inspection-profile-XXXXXX", NULL);
  fixture->wav = g_build_filename (fixture->dir, "motor.wav", NULL);
  fixture->profile = short_profile (50.0);
  fixture->doubled = short_profile (100.0);
  record_motor (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unlink (fixture->wav);
  g_rmdir (fixture->dir);
  g_free (fixture->wav);
  g_free (fixture->dir);
  ausculta_profile_unref (fixture->profile);
  ausculta_profile_unref (fixture->doubled);
}

static AuscultaInspection *
new_inspection (Fixture  *fixture,
                gboolean  realtime)
{
  g_autofree char *spec = g_strconcat ("file:", fixture->wav, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec, &error);

  g_assert_no_error (error);
  ausculta_source_set_realtime (source, realtime);
  return ausculta_inspection_new (fixture->profile, source);
}

static AuscultaMeasurement *
inspect (AuscultaInspection *inspection)
{
  g_autoptr(GError) error = NULL;
  AuscultaMeasurement *measurement;

  ausculta_inspection_set_serial (inspection, "SN-CAL");
  measurement = ausculta_inspection_run (inspection, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (measurement);
  g_assert_cmpuint (measurement->n_features, ==, 432);
  return measurement;
}

/* Every microphone level of @after is @shift dB from @before's; the
 * accelerometer's are the same. */
static void
assert_microphone_shift (AuscultaMeasurement *before,
                         AuscultaMeasurement *after,
                         double               shift)
{
  guint n_microphone = 0;

  for (guint i = 0; i < before->n_features; i++)
    {
      const char *name = before->feature_names[i];

      g_assert_cmpstr (name, ==, after->feature_names[i]);
      if (isnan (before->features[i]))
        g_assert_true (isnan (after->features[i]));
      else if (strstr (name, "_AC_") != NULL)
        {
          g_assert_cmpfloat_with_epsilon (after->features[i] - before->features[i], shift, 1e-6);
          n_microphone++;
        }
      else
        g_assert_cmpfloat (after->features[i], ==, before->features[i]);
    }
  g_assert_cmpuint (n_microphone, >, 200);
}

/* Twice the sensitivity: half the pascals for the same volts, so every
 * microphone band level drops by 20·log10(2) = 6.02 dB from the next cycle. */
static void
test_next_cycle (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AuscultaInspection) inspection = new_inspection (fixture, FALSE);
  g_autoptr(AuscultaMeasurement) before = inspect (inspection);
  g_autoptr(AuscultaMeasurement) after = NULL;
  g_autoptr(AuscultaMeasurement) back = NULL;

  ausculta_inspection_set_profile (inspection, fixture->doubled);
  g_assert_true (ausculta_inspection_get_profile (inspection) == fixture->doubled);
  after = inspect (inspection);
  g_test_message ("%s: %.3f dB, then %.3f dB", before->feature_names[0], before->features[0],
                  after->features[0]);
  assert_microphone_shift (before, after, -20.0 * log10 (2.0));
  g_assert_cmpstr (after->profile_hash, ==, ausculta_profile_get_hash (fixture->doubled));
  /* A recalibration changes no band: the measurements stay comparable. */
  g_assert_cmpstr (after->profile_hash, ==, before->profile_hash);

  /* And back: the very same levels as before. */
  ausculta_inspection_set_profile (inspection, fixture->profile);
  back = inspect (inspection);
  g_assert_cmpmem (back->features, back->n_features * sizeof (double),
                   before->features, before->n_features * sizeof (double));
}

typedef struct {
  Fixture             *fixture;
  GMainLoop           *loop;
  gboolean             changed;        /* the profile was set during the cycle */
  GPtrArray           *live;           /* LiveCopy, every block of the AC channel */
  AuscultaMeasurement *result;
  GError              *error;
} MidCycle;

typedef struct {
  char    *run;
  float   *samples;   /* AC */
  gsize    n_frames;
  guint64  offset;
} LiveCopy;

static void
live_copy_free (gpointer data)
{
  LiveCopy *copy = data;

  g_free (copy->run);
  g_free (copy->samples);
  g_free (copy);
}

/* On the cycle's thread. */
static void
on_live_block (const AuscultaLiveBlock *block,
               gpointer                 data)
{
  MidCycle *test = data;
  LiveCopy *copy = g_new0 (LiveCopy, 1);

  g_assert_cmpuint (block->n_channels, ==, 2);
  copy->run = g_strdup (block->run);
  copy->samples = g_memdup2 (block->samples[0], block->n_frames * sizeof (float));
  copy->n_frames = block->n_frames;
  copy->offset = block->offset;
  g_ptr_array_add (test->live, copy);
}

/* At the first progress of the down run: well inside the cycle. */
static void
on_progress (AuscultaInspection *inspection,
             GParamSpec         *pspec,
             MidCycle           *test)
{
  if (!test->changed && ausculta_inspection_is_running (inspection)
      && ausculta_inspection_get_progress (inspection) > 0.0)
    {
      ausculta_inspection_set_profile (inspection, test->fixture->doubled);
      test->changed = TRUE;
    }
}

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  MidCycle *test = data;

  test->result = ausculta_inspection_run_finish (AUSCULTA_INSPECTION (object), result, &test->error);
  g_main_loop_quit (test->loop);
}

/* The live views showed the cycle's own calibration, as the same motor
 * measured before the change. */
static void
assert_live_matches (MidCycle            *test,
                     AuscultaMeasurement *before)
{
  g_assert_cmpuint (test->live->len, >, 5);
  for (guint i = 0; i < test->live->len; i++)
    {
      LiveCopy *copy = g_ptr_array_index (test->live, i);
      const AuscultaSignal *ac = ausculta_measurement_find_signal (before, copy->run, "AC");

      g_assert_nonnull (ac);
      g_assert_cmpuint (copy->offset + copy->n_frames, <=, ac->n_samples);
      for (gsize f = 0; f < copy->n_frames; f++)
        g_assert_cmpfloat (copy->samples[f], ==, ac->samples[copy->offset + f]);
    }
}

/* Set while a cycle captures (paced in real time): that cycle keeps its
 * profile for its capture, live blocks and features; the next one takes
 * the new one. */
static void
test_mid_cycle (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(AuscultaInspection) reference = new_inspection (fixture, FALSE);
  g_autoptr(AuscultaMeasurement) before = inspect (reference);
  g_autoptr(AuscultaInspection) inspection = new_inspection (fixture, TRUE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  MidCycle test = { fixture, loop, FALSE, g_ptr_array_new_with_free_func (live_copy_free), NULL, NULL };
  g_autoptr(AuscultaMeasurement) next = NULL;

  g_signal_connect (inspection, "notify::progress", G_CALLBACK (on_progress), &test);
  ausculta_inspection_set_block_sink (inspection, on_live_block, &test, NULL);
  ausculta_inspection_set_serial (inspection, "SN-CAL");
  ausculta_inspection_run_async (inspection, NULL, on_finished, &test);
  g_main_loop_run (loop);
  g_assert_no_error (test.error);
  g_assert_true (test.changed);

  g_assert_cmpmem (test.result->features, test.result->n_features * sizeof (double),
                   before->features, before->n_features * sizeof (double));
  g_assert_cmpstr (test.result->profile_hash, ==, ausculta_profile_get_hash (fixture->profile));
  assert_live_matches (&test, before);

  g_signal_handlers_disconnect_by_data (inspection, &test);
  ausculta_inspection_set_block_sink (inspection, NULL, NULL, NULL);
  ausculta_source_set_realtime (ausculta_inspection_get_source (inspection), FALSE);
  next = inspect (inspection);
  assert_microphone_shift (before, next, -20.0 * log10 (2.0));
  g_ptr_array_unref (test.live);
  ausculta_measurement_unref (test.result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ausculta/inspection/profile-next-cycle", Fixture, NULL, fixture_set_up, test_next_cycle,
              fixture_tear_down);
  g_test_add ("/ausculta/inspection/profile-mid-cycle", Fixture, NULL, fixture_set_up, test_mid_cycle,
              fixture_tear_down);
  return g_test_run ();
}
