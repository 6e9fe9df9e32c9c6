/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ausculta-feature-extractor.h"
#include "ausculta-feature-layout.h"
#include "ausculta-profile.h"

static AuscultaProfile *
load (const char *name)
{
  g_autoptr(GError) error = NULL;
  AuscultaProfile *profile = ausculta_profile_load (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static void
test_default_profile (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  const char * const *names = ausculta_profile_get_feature_names (profile);
  const char * const *historical = ausculta_feature_layout_historical ();
  const AuscultaProfileChannel *ac, *vib;

  g_assert_cmpstr (ausculta_profile_get_name (profile), ==, "default");
  g_assert_cmpuint (ausculta_profile_get_n_features (profile), ==, 432);
  for (guint i = 0; i < 432; i++)
    g_assert_cmpstr (names[i], ==, historical[i]);
  g_assert_null (names[432]);
  g_assert_cmpstr (names[207], ==, "G29vib_down");

  g_assert_cmpuint (ausculta_profile_get_n_runs (profile), ==, 2);
  g_assert_cmpstr (ausculta_profile_get_run (profile, 0)->name, ==, "down");
  g_assert_cmpfloat (ausculta_profile_get_run (profile, 1)->duration, ==, 5.0);
  g_assert_cmpfloat (ausculta_profile_get_sample_rate (profile), ==, 51200.0);
  ac = ausculta_profile_find_channel (profile, "AC");
  vib = ausculta_profile_find_channel (profile, "vib");
  g_assert_cmpint (ac->kind, ==, AUSCULTA_CHANNEL_MICROPHONE);
  g_assert_cmpint (ac->scale, ==, AUSCULTA_LEVEL_DB);
  g_assert_cmpfloat (ac->reference, ==, 20e-6);
  g_assert_cmpint (vib->kind, ==, AUSCULTA_CHANNEL_ACCELEROMETER);
  g_assert_cmpint (vib->scale, ==, AUSCULTA_LEVEL_LINEAR);
  g_assert_cmpuint (vib->input, ==, 1);
  /* The hash is that of the definitions, not of the file: tests/features. */
}

static void
test_third_octave_profile (void)
{
  g_autoptr(AuscultaProfile) profile = load ("third-octave");
  const char * const *names = ausculta_profile_get_feature_names (profile);

  g_assert_cmpuint (ausculta_profile_get_n_features (profile), ==, 2 * 33 * 2);
  g_assert_cmpstr (names[0], ==, "T12.5_AC_down");
  g_assert_cmpstr (names[1], ==, "T12.5_vib_down");
  g_assert_cmpstr (names[38], ==, "T1k_AC_down");
  g_assert_cmpstr (names[131], ==, "T20k_vib_up");
  g_assert_cmpint (ausculta_profile_find_channel (profile, "AC")->weighting, ==, AUSCULTA_WEIGHTING_A);
}

/* A profile file with one line changed from a valid one. */
static void
check_bad_profile (const char *find,
                   const char *replace,
                   int         code,
                   const char *message_part)
{
  g_autofree char *source = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "profiles", "default.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "bad.ini", NULL);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (text, find, replace, 1), ==, 1);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  profile = ausculta_profile_load (path, &error);
  g_assert_null (profile);
  g_assert_error (error, AUSCULTA_PROFILE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_profile_errors (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ausculta_profile_load ("no-such-profile", &error));
  g_assert_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-profile.ini"));

  check_bad_profile ("sensitivity=50", "sensitivity=fifty", AUSCULTA_PROFILE_ERROR_INVALID,
                     "[channel AC] sensitivity=fifty");
  check_bad_profile ("kind=microphone", "kind=camera", AUSCULTA_PROFILE_ERROR_INVALID,
                     "[channel AC] kind=camera is not one of microphone, accelerometer");
  check_bad_profile ("[run up]\nduration=5", "[run up]\n", AUSCULTA_PROFILE_ERROR_MISSING,
                     "[run up] has no key “duration”");
  check_bad_profile ("band-sets=V;G", "band-sets=V;G;H", AUSCULTA_PROFILE_ERROR_MISSING,
                     "group [bands H] is missing");
  check_bad_profile ("count=33", "count=32", AUSCULTA_PROFILE_ERROR_INVALID,
                     "naming=historical needs");
  check_bad_profile ("shaft-channel=vib", "shaft-channel=tacho", AUSCULTA_PROFILE_ERROR_INVALID,
                     "shaft-channel=tacho");
  check_bad_profile ("[profile]", "[profile", AUSCULTA_PROFILE_ERROR_PARSE, "not a profile key file");
}

/* Calibration: 50 mV/Pa with a ±5 V input; converter value 0.01 = 50 mV = 1 Pa. */
static void
test_calibrate (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  const AuscultaProfileChannel *ac = ausculta_profile_find_channel (profile, "AC");
  float raw[2] = { 0.01f, -0.05f }, out[2];

  ausculta_profile_channel_calibrate (ac, AUSCULTA_RAW_NORMALISED, raw, out, 2);
  g_assert_cmpfloat_with_epsilon (out[0], 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[1], -5.0, 1e-6);
  ausculta_profile_channel_calibrate (ac, AUSCULTA_RAW_VOLTS, raw, out, 2);
  g_assert_cmpfloat_with_epsilon (out[0], 0.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (ausculta_profile_channel_full_scale (ac), 100.0, 1e-9);
}

typedef struct {
  double rate;
  double seconds;
  double shaft[2];       /* per run */
  double ac_dc;
  gboolean ac_dead;
  double vib_clip;       /* clip vib at this level when > 0 */
} Synthetic;

/* vib: orders 1 (2 m/s² peak) and 3 (0.5 m/s² peak) of the shaft rate;
 * AC: 1 kHz at 1 Pa RMS; both over a little noise. */
static AuscultaMeasurement *
synthetic_measurement (const Synthetic *spec)
{
  static const char * const runs[] = { "down", "up" };
  AuscultaMeasurement *measurement = ausculta_measurement_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gsize n = (gsize) (spec->rate * spec->seconds);

  for (guint r = 0; r < 2; r++)
    {
      AuscultaSignal *ac = ausculta_measurement_add_signal (measurement, runs[r], "AC", "Pa", spec->rate, n);
      AuscultaSignal *vib = ausculta_measurement_add_signal (measurement, runs[r], "vib", "m/s²", spec->rate, n);

      for (gsize i = 0; i < n; i++)
        {
          double t = i / spec->rate, w = 2.0 * G_PI * spec->shaft[r] * t;
          double v = 2.0 * sin (w) + 0.5 * sin (3.0 * w + 1.0) + g_rand_double_range (rand, -0.01, 0.01);

          if (spec->vib_clip > 0.0)
            v = CLAMP (v, -spec->vib_clip, spec->vib_clip);
          vib->samples[i] = (float) v;
          ac->samples[i] = spec->ac_dead ? 0.0f
                           : (float) (sqrt (2.0) * sin (2.0 * G_PI * 1000.0 * t)
                                      + g_rand_double_range (rand, -0.01, 0.01) + spec->ac_dc);
        }
    }
  return measurement;
}

static double
feature (AuscultaMeasurement *measurement,
         const char          *name)
{
  for (guint i = 0; i < measurement->n_features; i++)
    if (g_str_equal (measurement->feature_names[i], name))
      return measurement->features[i];
  g_assert_not_reached ();
}

static void
test_extract_default (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);
  Synthetic spec = { 51200, 5.0, { 47.0, 53.3 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_feature_extractor_extract (extractor, measurement, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (measurement->n_features, ==, 432);
  g_assert_cmpstr (measurement->feature_names[207], ==, "G29vib_down");
  g_assert_cmpstr (measurement->profile_name, ==, "default");
  g_assert_cmpstr (measurement->profile_hash, ==, ausculta_profile_get_hash (profile));
  g_assert_nonnull (g_hash_table_lookup (measurement->timings_ms, "features"));
  g_assert_cmpuint (measurement->health, ==, 0);

  /* Orders follow each run's own shaft rate; values are band RMS. */
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V1_vib_down"), 2.0 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V3_vib_down"), 0.5 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V1_vib_up"), 2.0 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V3_vib_up"), 0.5 / sqrt (2.0), 0.01);
  g_assert_cmpfloat (feature (measurement, "V2_vib_up"), <, 0.01);
  /* 1 kHz at 1 Pa RMS falls in G2 (600–1200 Hz): 93.98 dB re 20 µPa. */
  g_assert_cmpfloat_with_epsilon (feature (measurement, "G2_AC_down"), 93.98, 0.05);
  g_assert_cmpfloat (feature (measurement, "G5_AC_down"), <, 60.0);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "G1_vib_up"), sqrt (2.0 + 0.125), 0.01);
}

static void
test_extract_health (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);
  Synthetic dead = { 51200, 5.0, { 47.0, 47.0 }, 0.0, TRUE, 0.0 };
  Synthetic offset = { 51200, 5.0, { 47.0, 47.0 }, 30.0, FALSE, 0.0 };
  Synthetic clipped = { 51200, 5.0, { 47.0, 47.0 }, 0.0, FALSE, 1.5 };
  Synthetic shortened = { 51200, 3.0, { 47.0, 47.0 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) a = synthetic_measurement (&dead);
  g_autoptr(AuscultaMeasurement) b = synthetic_measurement (&offset);
  g_autoptr(AuscultaMeasurement) c = synthetic_measurement (&clipped);
  g_autoptr(AuscultaMeasurement) d = synthetic_measurement (&shortened);
  const AuscultaProfileChannel *vib = ausculta_profile_find_channel (profile, "vib");
  AuscultaSignal *ac_down;

  g_assert_true (ausculta_feature_extractor_extract (extractor, a, NULL));
  ac_down = g_ptr_array_index (a->signals, 0);
  g_assert_cmpuint (ac_down->health, ==, AUSCULTA_HEALTH_DEAD_CHANNEL);
  g_assert_cmpuint (((AuscultaSignal *) g_ptr_array_index (a->signals, 1))->health, ==, 0);
  g_assert_cmpuint (a->health, ==, AUSCULTA_HEALTH_DEAD_CHANNEL);

  g_assert_true (ausculta_feature_extractor_extract (extractor, b, NULL));
  g_assert_cmpuint (b->health, ==, AUSCULTA_HEALTH_DC_OFFSET);

  /* The clipping level is the channel's full scale: clip there. */
  clipped.vib_clip = ausculta_profile_channel_full_scale (vib);
  g_clear_pointer (&c, ausculta_measurement_unref);
  clipped.shaft[0] = clipped.shaft[1] = 47.0;
  {
    g_autoptr(AuscultaMeasurement) loud = synthetic_measurement (&clipped);

    for (guint i = 0; i < loud->signals->len; i++)
      {
        AuscultaSignal *signal = g_ptr_array_index (loud->signals, i);

        if (g_str_equal (signal->channel, "vib"))
          for (gsize k = 0; k < signal->n_samples; k++)
            signal->samples[k] = (float) CLAMP (signal->samples[k] * 400.0, -clipped.vib_clip, clipped.vib_clip);
      }
    g_assert_true (ausculta_feature_extractor_extract (extractor, loud, NULL));
    g_assert_cmpuint (loud->health, ==, AUSCULTA_HEALTH_CLIPPING);
  }

  g_assert_true (ausculta_feature_extractor_extract (extractor, d, NULL));
  g_assert_cmpuint (d->health, ==, AUSCULTA_HEALTH_SHORT_RUN);
}

/* One run alone gives exactly that run's slice of the whole vector, and
 * the health of that run's signals only. */
static void
test_extract_run (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  g_autoptr(AuscultaFeatureExtractor) whole = ausculta_feature_extractor_new (profile, NULL);
  g_autoptr(AuscultaFeatureExtractor) one = ausculta_feature_extractor_new (profile, NULL);
  Synthetic spec = { 51200, 5.0, { 47.0, 53.3 }, 30.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) reference = synthetic_measurement (&spec);
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);
  AuscultaSignal **signals = (AuscultaSignal **) measurement->signals->pdata;
  double features[216];
  guint health = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_feature_extractor_extract (whole, reference, NULL));
  g_assert_cmpuint (ausculta_feature_extractor_get_run_size (one), ==, 216);
  g_assert_true (ausculta_feature_extractor_extract_run (one, 1, signals, measurement->signals->len,
                                                         features, &health, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (features, sizeof features, reference->features + 216, sizeof features);
  g_assert_cmpfloat (features[0], ==, feature (reference, "V1_AC_up"));
  g_assert_cmpuint (health, ==, AUSCULTA_HEALTH_DC_OFFSET);
  for (guint i = 0; i < measurement->signals->len; i++)
    g_assert_cmpuint (signals[i]->health, ==, g_str_equal (signals[i]->run, "up")
                      && g_str_equal (signals[i]->channel, "AC") ? AUSCULTA_HEALTH_DC_OFFSET : 0);

  /* The down run's signals alone cannot give the up run. */
  g_assert_false (ausculta_feature_extractor_extract_run (one, 1, signals, 2, features, &health, &error));
  g_assert_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_MISSING_SIGNAL);
  g_assert_nonnull (strstr (error->message, "“up”"));
}

static void
test_extract_other_rate (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);
  Synthetic spec = { 16000, 5.0, { 47.0, 47.0 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);

  g_assert_true (ausculta_feature_extractor_extract (extractor, measurement, NULL));
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V1_vib_down"), 2.0 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "G2_AC_up"), 93.98, 0.05);
  /* G14 starts at 7.8 kHz, under Nyquist; G15 starts above it. */
  g_assert_false (isnan (feature (measurement, "G14_AC_up")));
  g_assert_true (isnan (feature (measurement, "G15_AC_up")));
  g_assert_true (isnan (feature (measurement, "G29vib_up")));
}

static void
test_extract_errors (void)
{
  g_autoptr(AuscultaProfile) profile = load ("default");
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);
  Synthetic spec = { 51200, 1.0, { 47.0, 47.0 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);
  g_autoptr(AuscultaMeasurement) empty = ausculta_measurement_new ();
  AuscultaSignal *vib_up = g_ptr_array_index (measurement->signals, 3);
  g_autoptr(GError) error = NULL;

  g_assert_false (ausculta_feature_extractor_extract (extractor, empty, &error));
  g_assert_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_MISSING_SIGNAL);
  g_assert_cmpstr (error->message, ==, "The measurement has no signal for run “down”, channel “AC”");
  g_clear_error (&error);

  vib_up->samples[100] = NAN;
  g_assert_false (ausculta_feature_extractor_extract (extractor, measurement, &error));
  g_assert_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_SAMPLES);
  g_assert_cmpstr (error->message, ==, "Run “up”, channel “vib”: 1 of 51200 samples are NaN or infinite");
  g_clear_error (&error);

  vib_up->samples[100] = 0.0f;
  vib_up->sample_rate = 0.0;
  g_assert_false (ausculta_feature_extractor_extract (extractor, measurement, &error));
  g_assert_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_SAMPLE_RATE);
  g_assert_nonnull (strstr (error->message, "Run “up”, channel “vib”: sample rate 0 Hz"));
  g_clear_error (&error);

  vib_up->sample_rate = 51200.0;
  vib_up->n_samples = 5000;
  g_assert_false (ausculta_feature_extractor_extract (extractor, measurement, &error));
  g_assert_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, "5000 samples, fewer than one 8192-point FFT frame"));
}

/* The third-octave profile A-weights the microphone: 1 kHz reads as it
 * is, 100 Hz 19.1 dB lower. */
static void
test_extract_third_octave (void)
{
  g_autoptr(AuscultaProfile) profile = load ("third-octave");
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);
  Synthetic spec = { 51200, 5.0, { 100.0, 100.0 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);

  g_assert_true (ausculta_feature_extractor_extract (extractor, measurement, NULL));
  g_assert_cmpuint (measurement->n_features, ==, 132);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "T1k_AC_down"), 93.98, 0.05);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "T100_vib_down"), 2.0 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "T315_vib_down"), 0.5 / sqrt (2.0), 0.01);
}

/* A tachometer (2 pulses per revolution) gives the shaft rate even when
 * the vibration's strongest line is something else; it has no features. */
static void
test_extract_tacho (void)
{
  g_autofree char *source = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "profiles", "default.ini", NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "tacho.ini", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autoptr(AuscultaFeatureExtractor) extractor = NULL;
  Synthetic spec = { 51200, 5.0, { 47.0, 47.0 }, 0.0, FALSE, 0.0 };
  g_autoptr(AuscultaMeasurement) measurement = synthetic_measurement (&spec);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_string_replace (text, "channels=AC;vib", "channels=AC;vib;tacho", 1);
  g_string_replace (text, "shaft-channel=vib", "shaft-channel=tacho", 1);
  g_string_append (text, "\n[channel tacho]\nkind=tacho\nunit=V\nsensitivity=1000\ninput=2\n"
                         "input-range=10\npulses-per-revolution=2\n");
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  profile = ausculta_profile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ausculta_profile_get_n_features (profile), ==, 432);
  extractor = ausculta_feature_extractor_new (profile, NULL);

  for (guint r = 0; r < 2; r++)
    {
      gsize n = 5 * 51200;
      AuscultaSignal *tacho = ausculta_measurement_add_signal (measurement, r ? "up" : "down", "tacho",
                                                               "V", 51200, n);
      AuscultaSignal *vib = g_ptr_array_index (measurement->signals, 2 * r + 1);

      for (gsize i = 0; i < n; i++)
        {
          double t = i / 51200.0;

          tacho->samples[i] = fmod (2.0 * 47.0 * t, 1.0) < 0.5 ? 5.0f : 0.0f;
          vib->samples[i] += (float) (5.0 * sin (2.0 * G_PI * 190.0 * t));
        }
    }
  g_assert_true (ausculta_feature_extractor_extract (extractor, measurement, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (measurement->health, ==, 0);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V1_vib_down"), 2.0 / sqrt (2.0), 0.01);
  g_assert_cmpfloat_with_epsilon (feature (measurement, "V3_vib_up"), 0.5 / sqrt (2.0), 0.01);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/features/default-profile", test_default_profile);
  g_test_add_func ("/ausculta/features/third-octave-profile", test_third_octave_profile);
  g_test_add_func ("/ausculta/features/profile-errors", test_profile_errors);
  g_test_add_func ("/ausculta/features/calibrate", test_calibrate);
  g_test_add_func ("/ausculta/features/extract-default", test_extract_default);
  g_test_add_func ("/ausculta/features/extract-health", test_extract_health);
  g_test_add_func ("/ausculta/features/extract-run", test_extract_run);
  g_test_add_func ("/ausculta/features/extract-other-rate", test_extract_other_rate);
  g_test_add_func ("/ausculta/features/extract-errors", test_extract_errors);
  g_test_add_func ("/ausculta/features/extract-third-octave", test_extract_third_octave);
  g_test_add_func ("/ausculta/features/extract-tacho", test_extract_tacho);
  return g_test_run ();
}
