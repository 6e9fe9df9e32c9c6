/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-envelope.h"
#include "../ausculta-test-shared.h"
#include "ausculta-feature-extractor.h"

/* The real recordings of ../shared/data/signals (see its README). */

typedef struct {
  double  rate;
  guint   channels;
  gsize   frames;
  float  *samples;   /* interleaved */
} Recording;

static void
recording_read (Recording  *recording,
                const char *folder,
                const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "signals", folder, name, NULL);
  SF_INFO info = { 0 };
  SNDFILE *file = sf_open (path, SFM_READ, &info);

  g_assert_nonnull (file);
  recording->rate = info.samplerate;
  recording->channels = (guint) info.channels;
  recording->frames = (gsize) info.frames;
  recording->samples = g_new (float, recording->frames * recording->channels);
  g_assert_cmpint (sf_readf_float (file, recording->samples, info.frames), ==, info.frames);
  sf_close (file);
}

static float *
channel_of (const Recording *recording,
            guint            channel,
            gsize            n)
{
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = recording->samples[i * recording->channels + channel];
  return x;
}

/* The strongest envelope line between 100 and 200 Hz of the drive-end
 * accelerometer, demodulated in 2–10 kHz. */
static double
envelope_peak (const char *name)
{
  Recording recording;
  gsize n = 131072;
  g_autofree float *x = NULL;
  g_autofree double *spectrum = g_new (double, n / 2 + 1);
  AuscultaEnvelope envelope;
  double bin_width;
  gsize best = 0;

  recording_read (&recording, "cwru", name);
  g_assert_cmpuint (recording.frames, >=, n);
  x = channel_of (&recording, 0, n);
  g_assert_true (ausculta_envelope_init (&envelope, n, recording.rate, NULL));
  ausculta_envelope_process (&envelope, x, 2000.0, 10000.0, spectrum);
  bin_width = recording.rate / n;
  for (gsize k = (gsize) ceil (100.0 / bin_width); k <= (gsize) floor (200.0 / bin_width); k++)
    if (best == 0 || spectrum[k] > spectrum[best])
      best = k;
  ausculta_envelope_clear (&envelope);
  g_free (recording.samples);
  return best * bin_width;
}

/* Inner-race fault: BPFI = 5.415 × 29.95 Hz ≈ 162 Hz dominates the
 * envelope; the healthy bearing's strongest line is elsewhere. */
static void
test_cwru_envelope (void)
{
  double faulty = envelope_peak ("cwru_48k_0hp_IR007_109.wav");
  double normal = envelope_peak ("cwru_48k_0hp_normal_97.wav");

  g_test_message ("envelope peak 100–200 Hz: inner race %.2f Hz, normal %.2f Hz", faulty, normal);
  g_assert_cmpfloat_with_epsilon (faulty, 162.2, 2.0);
  g_assert_cmpfloat (fabs (normal - 162.2), >, 5.0);
}

/* A recording as both runs of a measurement, channels as given. */
static AuscultaMeasurement *
measurement_of (const Recording *recording,
                guint            ac,
                guint            vib)
{
  static const char * const runs[] = { "down", "up" };
  AuscultaMeasurement *measurement = ausculta_measurement_new ();

  for (guint r = 0; r < 2; r++)
    {
      AuscultaSignal *a = ausculta_measurement_add_signal (measurement, runs[r], "AC", "Pa",
                                                           recording->rate, recording->frames);
      AuscultaSignal *v = ausculta_measurement_add_signal (measurement, runs[r], "vib", "m/s²",
                                                           recording->rate, recording->frames);
      g_autofree float *x = channel_of (recording, ac, recording->frames);
      g_autofree float *y = channel_of (recording, vib, recording->frames);

      memcpy (a->samples, x, recording->frames * sizeof (float));
      memcpy (v->samples, y, recording->frames * sizeof (float));
    }
  return measurement;
}

/* The BLDC microphone files at 44.1 and 16 kHz go through the default
 * profile: same 432 names, orders found, bands beyond Nyquist missing. */
static void
test_bldc_rates (void)
{
  static const struct { const char *name; double rate; guint n_missing_g; } files[] = {
    { "healthy_M1_1400.wav", 44100, 0 },
    { "healthy_M2_1400.wav", 16000, 19 },
    { "propeller_M1_1400.wav", 16000, 19 },
  };
  g_autoptr(AuscultaProfile) profile = ausculta_profile_load ("default", NULL);
  g_autoptr(AuscultaFeatureExtractor) extractor = ausculta_feature_extractor_new (profile, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      Recording recording;
      g_autoptr(AuscultaMeasurement) measurement = NULL;
      g_autoptr(GError) error = NULL;
      guint missing_g = 0;

      recording_read (&recording, "bldc", files[f].name);
      g_assert_cmpfloat (recording.rate, ==, files[f].rate);
      /* int16 read as ±1; 1.0 = 100 Pa at this profile's calibration. */
      for (gsize i = 0; i < recording.frames * recording.channels; i++)
        recording.samples[i] *= 100.0f;
      measurement = measurement_of (&recording, 0, 1);
      g_assert_true (ausculta_feature_extractor_extract (extractor, measurement, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (measurement->n_features, ==, 432);
      for (guint i = 150; i < 216; i += 2)
        missing_g += isnan (measurement->features[i]);
      g_assert_cmpuint (missing_g, ==, files[f].n_missing_g);
      g_assert_false (isnan (measurement->features[0]));
      g_assert_cmpuint (measurement->health & AUSCULTA_HEALTH_DEAD_CHANNEL, ==, 0);
      g_free (recording.samples);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();

  g_test_add_func ("/ausculta/dsp/cwru-envelope", test_cwru_envelope);
  g_test_add_func ("/ausculta/dsp/bldc-rates", test_bldc_rates);
  return g_test_run ();
}
