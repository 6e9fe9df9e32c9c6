/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-calibrator"

#include "config.h"

#include <math.h>

#include "ausculta-calibrator.h"

#define RATE     48000.0
#define SECONDS  3.0
/* A microphone of 50 mV/Pa read through an input of 2 V full scale. */
#define SENSITIVITY   50.0
#define FULL_SCALE_V  2.0

/* A 94 dB tone of @frequency seen by the microphone, in full-scale units,
 * its amplitude multiplied by @gain and by 1 + @wobble over the second half. */
static float *
make_tone (double frequency,
           double gain,
           double wobble,
           gsize *n_samples)
{
  gsize n = (gsize) (RATE * SECONDS);
  float *samples = g_new (float, n);
  double volts_rms = SENSITIVITY / 1000.0 * ausculta_calibrator_reference_pa (94.0);
  double amplitude = gain * volts_rms * G_SQRT2 / FULL_SCALE_V;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (gsize i = 0; i < n; i++)
    {
      double a = amplitude * (i >= n / 2 ? 1.0 + wobble : 1.0);
      double value = a * sin (2.0 * G_PI * frequency * i / RATE) + 1e-5 * g_rand_double_range (rand, -1.0, 1.0);

      samples[i] = (float) CLAMP (value, -1.0, 1.0);
    }
  *n_samples = n;
  return samples;
}

static void
settings_for_input (AuscultaCalibratorSettings *settings)
{
  ausculta_calibrator_settings_init (settings, 94.0, RATE);
  settings->full_scale = 1.0;
  settings->volts_per_unit = FULL_SCALE_V;
}

static void
test_good_tone (void)
{
  AuscultaCalibratorSettings settings;
  AuscultaCalibration result = { 0 };
  g_autoptr(GError) error = NULL;
  gsize n;
  g_autofree float *samples = make_tone (1000.0, 1.0, 0.0, &n);

  settings_for_input (&settings);
  g_assert_true (ausculta_calibrator_judge (&settings, samples, n, &result, &error));
  g_assert_no_error (error);
  g_test_message ("sensitivity %.4f mV/Pa, %.3f Hz, spread %.4f dB",
                  result.sensitivity, result.frequency, result.spread_db);
  g_assert_cmpfloat (fabs (result.sensitivity / SENSITIVITY - 1.0), <, 0.005);
  g_assert_cmpfloat (fabs (result.frequency - 1000.0), <, 1.0);
  g_assert_cmpfloat (result.spread_db, <, 0.05);
}

static void
test_114_db (void)
{
  AuscultaCalibratorSettings settings;
  AuscultaCalibration result = { 0 };
  g_autoptr(GError) error = NULL;
  gsize n;
  g_autofree float *samples = make_tone (1000.0, 10.0, 0.0, &n);

  settings_for_input (&settings);
  settings.reference_db = 114.0;
  g_assert_true (ausculta_calibrator_judge (&settings, samples, n, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (result.sensitivity / SENSITIVITY - 1.0), <, 0.005);
}

static void
expect_refusal (float                   *samples,
                gsize                    n,
                int                      code,
                const char              *words)
{
  AuscultaCalibratorSettings settings;
  AuscultaCalibration result = { 0 };
  g_autoptr(GError) error = NULL;

  settings_for_input (&settings);
  g_assert_false (ausculta_calibrator_judge (&settings, samples, n, &result, &error));
  g_assert_error (error, AUSCULTA_CALIBRATOR_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_clipped (void)
{
  gsize n;
  /* 40 × the 94 dB level peaks at 1.4 of full scale */
  g_autofree float *samples = make_tone (1000.0, 40.0, 0.0, &n);

  expect_refusal (samples, n, AUSCULTA_CALIBRATOR_ERROR_CLIPPED, "clipped");
}

static void
test_off_frequency (void)
{
  gsize n;
  g_autofree float *samples = make_tone (1100.0, 1.0, 0.0, &n);

  expect_refusal (samples, n, AUSCULTA_CALIBRATOR_ERROR_OFF_FREQUENCY, "1100.0 Hz");
}

static void
test_slightly_off_is_accepted (void)
{
  AuscultaCalibratorSettings settings;
  AuscultaCalibration result = { 0 };
  gsize n;
  g_autofree float *samples = make_tone (1015.0, 1.0, 0.0, &n);

  settings_for_input (&settings);
  g_assert_true (ausculta_calibrator_judge (&settings, samples, n, &result, NULL));
  g_assert_cmpfloat (fabs (result.frequency - 1015.0), <, 1.0);
}

static void
test_unsteady (void)
{
  gsize n;
  /* +0.5 dB over the second half */
  g_autofree float *samples = make_tone (1000.0, 1.0, pow (10.0, 0.5 / 20.0) - 1.0, &n);

  expect_refusal (samples, n, AUSCULTA_CALIBRATOR_ERROR_UNSTEADY, "unsteady");
}

static void
test_silence_and_short (void)
{
  gsize n = (gsize) (RATE * SECONDS);
  g_autofree float *silence = g_new0 (float, n);

  expect_refusal (silence, n, AUSCULTA_CALIBRATOR_ERROR_NO_SIGNAL, "no calibrator tone");
  expect_refusal (silence, (gsize) (RATE / 2), AUSCULTA_CALIBRATOR_ERROR_TOO_SHORT, "0.50 s");
}

static void
test_bad_level (void)
{
  AuscultaCalibratorSettings settings;
  AuscultaCalibration result = { 0 };
  g_autoptr(GError) error = NULL;
  gsize n;
  g_autofree float *samples = make_tone (1000.0, 1.0, 0.0, &n);

  settings_for_input (&settings);
  settings.reference_db = 100.0;
  g_assert_false (ausculta_calibrator_judge (&settings, samples, n, &result, &error));
  g_assert_error (error, AUSCULTA_CALIBRATOR_ERROR, AUSCULTA_CALIBRATOR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "expected 94 or 114 dB"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/calibrator/good-94db", test_good_tone);
  g_test_add_func ("/ausculta/calibrator/good-114db", test_114_db);
  g_test_add_func ("/ausculta/calibrator/clipped", test_clipped);
  g_test_add_func ("/ausculta/calibrator/off-frequency", test_off_frequency);
  g_test_add_func ("/ausculta/calibrator/within-tolerance", test_slightly_off_is_accepted);
  g_test_add_func ("/ausculta/calibrator/unsteady", test_unsteady);
  g_test_add_func ("/ausculta/calibrator/silence-and-short", test_silence_and_short);
  g_test_add_func ("/ausculta/calibrator/bad-level", test_bad_level);
  return g_test_run ();
}
