/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-dsp-error.h"
#include "ausculta-envelope.h"
#include "ausculta-fft.h"
#include "ausculta-spectrum.h"
#include "ausculta-statistics.h"
#include "ausculta-weighting.h"

#define FS 51200.0

static float *
sine (gsize  n,
      double fs,
      double frequency,
      double amplitude,
      double phase)
{
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float) (amplitude * sin (2.0 * G_PI * frequency * (double) i / fs + phase));
  return x;
}

static float *
white_noise (gsize   n,
             guint32 seed,
             double  std)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *x = g_new (float, n);

  /* Box–Muller: Gaussian noise of the given standard deviation. */
  for (gsize i = 0; i < n; i++)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);

      x[i] = (float) (std * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
    }
  return x;
}

static void
spectrum_init (AuscultaSpectrum *spectrum,
               gsize             n,
               AuscultaWindow    window,
               double            overlap)
{
  AuscultaSpectrumConfig config = { n, FS, window, overlap, AUSCULTA_AVERAGING_LINEAR, 1, FALSE };
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_spectrum_init (spectrum, &config, &error));
  g_assert_no_error (error);
}

/* The FFT path against the direct DFT, on sizes FFTW factors differently. */
static void
test_fft_naive (void)
{
  static const gsize sizes[] = { 255, 256, 1000, 1536 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      AuscultaFft fft;
      g_autofree float *x = white_noise (n, 7 + s, 1.0);
      g_autofree double *in = g_new (double, n);
      g_autofree double *re = g_new (double, n / 2 + 1);
      g_autofree double *im = g_new (double, n / 2 + 1);
      g_autoptr(GError) error = NULL;

      g_assert_true (ausculta_fft_init (&fft, n, &error));
      for (gsize i = 0; i < n; i++)
        fft.in[i] = in[i] = x[i];
      ausculta_fft_process (&fft);
      ausculta_dft_naive (in, n, re, im);
      for (gsize k = 0; k <= n / 2; k++)
        {
          g_assert_cmpfloat_with_epsilon (fft.out[k][0], re[k], 1e-9 * sqrt ((double) n));
          g_assert_cmpfloat_with_epsilon (fft.out[k][1], im[k], 1e-9 * sqrt ((double) n));
        }
      ausculta_fft_clear (&fft);
    }
}

static void
test_window_gains (void)
{
  static const struct { AuscultaWindow window; double gain, enbw; } cases[] = {
    { AUSCULTA_WINDOW_RECTANGULAR, 1.0, 1.0 },
    { AUSCULTA_WINDOW_HANN, 0.5, 1.5 },
    { AUSCULTA_WINDOW_FLAT_TOP, 0.2156, 3.77 },
    { AUSCULTA_WINDOW_BLACKMAN_HARRIS, 0.35875, 2.004 },
  };
  gsize n = 4096;
  g_autofree double *w = g_new (double, n);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double sum = 0.0, sum2 = 0.0;

      ausculta_window_fill (cases[c].window, w, n);
      for (gsize i = 0; i < n; i++)
        {
          sum += w[i];
          sum2 += w[i] * w[i];
        }
      /* The published gains, and the same from the coefficients written. */
      g_assert_cmpfloat_with_epsilon (ausculta_window_coherent_gain (cases[c].window), cases[c].gain, 1e-3);
      g_assert_cmpfloat_with_epsilon (ausculta_window_enbw (cases[c].window), cases[c].enbw, 5e-3);
      g_assert_cmpfloat_with_epsilon (sum / n, ausculta_window_coherent_gain (cases[c].window), 1e-12);
      g_assert_cmpfloat_with_epsilon (n * sum2 / (sum * sum), ausculta_window_enbw (cases[c].window), 1e-9);
    }
}

/* 1 kHz, 1 Pa RMS reads 93.98 dB re 20 µPa in the flat-top spectrum and
 * in its third-octave band, whatever the FFT size and bin offset. */
static void
test_tone_calibration (void)
{
  static const gsize sizes[] = { 1024, 4096, 8192, 32768 };
  static const double offsets[] = { 0.0, 0.25, 0.5, 0.37 };
  AuscultaBand band;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ausculta_bands_fractional_octave (3, 1000, 1000, &band, 1, &error), ==, 1);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
      {
        gsize n = sizes[s], total = MAX (4 * n, 65536);
        double df = FS / n;
        double f = (floor (1000.0 / df) + offsets[o]) * df;
        g_autofree float *x = sine (total, FS, f, sqrt (2.0), 0.3);
        g_autofree double *rms = g_new (double, n / 2 + 1);
        g_autofree double *power = g_new (double, n / 2 + 1);
        AuscultaSpectrum flat, hann;
        double peak = 0.0, in_band;

        spectrum_init (&flat, n, AUSCULTA_WINDOW_FLAT_TOP, 0.5);
        ausculta_spectrum_process (&flat, x, total);
        g_assert_true (ausculta_spectrum_get (&flat, AUSCULTA_SPECTRUM_RMS, rms));
        for (gsize k = 0; k <= n / 2; k++)
          peak = MAX (peak, rms[k]);
        ausculta_spectrum_to_db (&peak, 1, FALSE, 20e-6);
        g_assert_cmpfloat_with_epsilon (peak, 93.98, 0.05);

        spectrum_init (&hann, n, AUSCULTA_WINDOW_HANN, 0.5);
        ausculta_spectrum_process (&hann, x, total);
        ausculta_spectrum_get (&hann, AUSCULTA_SPECTRUM_POWER, power);
        ausculta_bands_sum_power (&band, 1, power, NULL, n / 2 + 1, df, &in_band);
        ausculta_spectrum_to_db (&in_band, 1, TRUE, 20e-6);
        g_assert_cmpfloat_with_epsilon (in_band, 93.98, 0.05);
        ausculta_spectrum_clear (&flat);
        ausculta_spectrum_clear (&hann);
      }
}

/* Parseval: with a rectangular window the per-bin powers of one frame sum
 * to the mean square exactly; with Hann the density integrates to it. */
static void
test_parseval (void)
{
  gsize n = 8192;
  g_autofree float *x = white_noise (64 * n, 3, 0.5);
  g_autofree double *power = g_new (double, n / 2 + 1);
  g_autofree double *psd = g_new (double, n / 2 + 1);
  AuscultaSpectrum rect, hann;
  double mean_square = 0.0, sum = 0.0, integral = 0.0, long_mean_square = 0.0;

  for (gsize i = 0; i < n; i++)
    mean_square += (double) x[i] * x[i] / n;
  for (gsize i = 0; i < 64 * n; i++)
    long_mean_square += (double) x[i] * x[i] / (64 * n);

  spectrum_init (&rect, n, AUSCULTA_WINDOW_RECTANGULAR, 0.0);
  ausculta_spectrum_process (&rect, x, n);
  ausculta_spectrum_get (&rect, AUSCULTA_SPECTRUM_POWER, power);
  for (gsize k = 0; k <= n / 2; k++)
    sum += power[k];
  g_assert_cmpfloat_with_epsilon (sum / mean_square, 1.0, 1e-9);

  spectrum_init (&hann, n, AUSCULTA_WINDOW_HANN, 0.5);
  ausculta_spectrum_process (&hann, x, 64 * n);
  ausculta_spectrum_get (&hann, AUSCULTA_SPECTRUM_PSD, psd);
  for (gsize k = 0; k <= n / 2; k++)
    integral += psd[k] * FS / n;
  g_assert_cmpfloat_with_epsilon (integral / long_mean_square, 1.0, 0.01);
  ausculta_spectrum_clear (&rect);
  ausculta_spectrum_clear (&hann);
}

/* A unit impulse has a flat spectrum: every bin of the PSD the same. */
static void
test_impulse (void)
{
  gsize n = 1024;
  g_autofree float *x = g_new0 (float, n);
  g_autofree double *psd = g_new (double, n / 2 + 1);
  AuscultaSpectrum rect;

  x[100] = 1.0f;
  spectrum_init (&rect, n, AUSCULTA_WINDOW_RECTANGULAR, 0.0);
  ausculta_spectrum_process (&rect, x, n);
  ausculta_spectrum_get (&rect, AUSCULTA_SPECTRUM_PSD, psd);
  for (gsize k = 1; k < n / 2; k++)
    g_assert_cmpfloat_with_epsilon (psd[k], 2.0 / (FS * n), 1e-15);
  g_assert_cmpfloat_with_epsilon (psd[0], 1.0 / (FS * n), 1e-15);
  /* The amplitude density is the density's square root, in U/√Hz. */
  g_assert_true (ausculta_spectrum_get (&rect, AUSCULTA_SPECTRUM_ASD, psd));
  g_assert_cmpfloat_with_epsilon (psd[7], sqrt (2.0 / (FS * n)), 1e-15);
  ausculta_spectrum_clear (&rect);
}

/* Feeding the samples in odd chunks gives exactly what one call gives. */
static void
test_streaming (void)
{
  gsize n = 2048, total = 20000;
  g_autofree float *x = white_noise (total, 11, 1.0);
  g_autofree double *once = g_new (double, n / 2 + 1);
  g_autofree double *chunked = g_new (double, n / 2 + 1);
  AuscultaSpectrum a, b;

  spectrum_init (&a, n, AUSCULTA_WINDOW_HANN, 0.75);
  spectrum_init (&b, n, AUSCULTA_WINDOW_HANN, 0.75);
  ausculta_spectrum_process (&a, x, total);
  for (gsize i = 0; i < total; i += 333)
    ausculta_spectrum_process (&b, x + i, MIN (333, total - i));
  g_assert_cmpuint (a.n_frames, ==, (total - n) / 512 + 1);
  g_assert_cmpuint (a.n_frames, ==, b.n_frames);
  ausculta_spectrum_get (&a, AUSCULTA_SPECTRUM_PSD, once);
  ausculta_spectrum_get (&b, AUSCULTA_SPECTRUM_PSD, chunked);
  for (gsize k = 0; k <= n / 2; k++)
    g_assert_cmpfloat_with_epsilon (once[k], chunked[k], 1e-12 * once[k]);
  ausculta_spectrum_clear (&a);
  ausculta_spectrum_clear (&b);
}

/* Exponential averaging follows a level change; peak hold keeps the top. */
static void
test_exponential_peak_hold (void)
{
  gsize n = 1024;
  AuscultaSpectrumConfig config = { n, FS, AUSCULTA_WINDOW_FLAT_TOP, 0.0,
                                    AUSCULTA_AVERAGING_EXPONENTIAL, 4, TRUE };
  double f = 40 * FS / n;
  g_autofree float *loud = sine (n * 10, FS, f, 1.0, 0.0);
  g_autofree float *quiet = sine (n * 40, FS, f, 0.1, 0.0);
  g_autofree double *peak = g_new (double, n / 2 + 1);
  g_autofree double *held = g_new (double, n / 2 + 1);
  AuscultaSpectrum spectrum;

  g_assert_true (ausculta_spectrum_init (&spectrum, &config, NULL));
  ausculta_spectrum_process (&spectrum, loud, n * 10);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_PEAK, peak);
  g_assert_cmpfloat_with_epsilon (peak[40], 1.0, 0.002);
  ausculta_spectrum_process (&spectrum, quiet, n * 40);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_PEAK, peak);
  ausculta_spectrum_get_peak_hold (&spectrum, AUSCULTA_SPECTRUM_PEAK, held);
  /* 40 frames at 1/4 weight: (3/4)^40 of the loud power is left. */
  g_assert_cmpfloat_with_epsilon (peak[40], 0.1, 0.002);
  g_assert_cmpfloat_with_epsilon (held[40], 1.0, 0.002);
  ausculta_spectrum_clear (&spectrum);
}

/* IEC 61672-1 Table 3 nominal weightings. */
static void
test_weighting_table (void)
{
  static const struct { double f, a, c; } table[] = {
    { 10, -70.4, -14.3 }, { 31.5, -39.4, -3.0 }, { 63, -26.2, -0.8 }, { 100, -19.1, -0.3 },
    { 250, -8.6, 0.0 }, { 500, -3.2, 0.0 }, { 1000, 0.0, 0.0 }, { 2000, 1.2, -0.2 },
    { 4000, 1.0, -0.8 }, { 8000, -1.1, -3.0 }, { 10000, -2.5, -4.4 }, { 16000, -6.6, -8.5 },
    { 20000, -9.3, -11.2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      /* The table is at the exact base-10 mid-band frequencies. */
      double f = 1000.0 * pow (10.0, round (10.0 * log10 (table[i].f / 1000.0)) / 10.0);

      g_assert_cmpfloat_with_epsilon (ausculta_weighting_db (AUSCULTA_WEIGHTING_A, f), table[i].a, 0.1);
      g_assert_cmpfloat_with_epsilon (ausculta_weighting_db (AUSCULTA_WEIGHTING_C, f), table[i].c, 0.1);
      g_assert_cmpfloat (ausculta_weighting_db (AUSCULTA_WEIGHTING_Z, f), ==, 0.0);
    }
}

static void
test_bands_iec (void)
{
  AuscultaBand bands[512];
  g_autoptr(GError) error = NULL;
  guint n;

  n = ausculta_bands_fractional_octave (3, 12.5, 20000, bands, G_N_ELEMENTS (bands), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 33);
  g_assert_cmpstr (bands[0].label, ==, "12.5");
  g_assert_cmpstr (bands[8].label, ==, "80");
  g_assert_cmpstr (bands[10].label, ==, "125");
  g_assert_cmpstr (bands[19].label, ==, "1k");
  g_assert_cmpstr (bands[22].label, ==, "2k");
  g_assert_cmpstr (bands[25].label, ==, "4k");
  g_assert_cmpstr (bands[28].label, ==, "8k");
  g_assert_cmpstr (bands[32].label, ==, "20k");
  g_assert_cmpfloat_with_epsilon (bands[19].center, 1000.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (bands[0].center, 12.589254, 1e-5);
  g_assert_cmpfloat_with_epsilon (bands[19].lower, 891.2509, 1e-3);
  g_assert_cmpfloat_with_epsilon (bands[19].upper, 1122.0185, 1e-3);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat_with_epsilon (bands[i].lower, bands[i - 1].upper, 1e-9 * bands[i].lower);

  n = ausculta_bands_fractional_octave (1, 31.5, 16000, bands, G_N_ELEMENTS (bands), &error);
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpstr (bands[0].label, ==, "31.5");
  g_assert_cmpstr (bands[1].label, ==, "63");
  g_assert_cmpstr (bands[9].label, ==, "16k");

  /* Even fractions have no band centred on 1 kHz (IEC 61260-1 eq. 3). */
  n = ausculta_bands_fractional_octave (6, 900, 1100, bands, G_N_ELEMENTS (bands), &error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat_with_epsilon (bands[0].center, 1000.0 * pow (10.0, -0.3 / 12.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (bands[0].upper, 1000.0, 1e-9);
  g_assert_cmpuint (ausculta_bands_fractional_octave (12, 1000, 2000, bands, 512, NULL), ==, 12);
  g_assert_cmpuint (ausculta_bands_fractional_octave (24, 1000, 2000, bands, 512, NULL), ==, 24);

  g_assert_cmpuint (ausculta_bands_fractional_octave (5, 10, 100, bands, 512, &error), ==, 0);
  g_assert_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_BANDS);
  g_assert_nonnull (strstr (error->message, "1/5"));
}

/* Broadband noise: the bands of every fraction sum to the power of the
 * range they tile, partial bins included, within 0.01 dB. */
static void
test_bands_energy (void)
{
  static const guint fractions[] = { 1, 3, 6, 12, 24 };
  gsize n = 4096, total = 32 * 4096;
  g_autofree float *x = white_noise (total, 5, 1.0);
  g_autofree double *power = g_new (double, n / 2 + 1);
  AuscultaBand bands[1024], whole;
  double levels[1024];
  AuscultaSpectrum spectrum;

  spectrum_init (&spectrum, n, AUSCULTA_WINDOW_HANN, 0.5);
  ausculta_spectrum_process (&spectrum, x, total);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, power);
  for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
    {
      guint count = ausculta_bands_fractional_octave (fractions[f], 63, 16000, bands, 1024, NULL);
      double sum = 0.0, expected;

      whole.lower = bands[0].lower;
      whole.upper = bands[count - 1].upper;
      ausculta_bands_sum_power (&whole, 1, power, NULL, n / 2 + 1, FS / n, &expected);
      ausculta_bands_sum_power (bands, count, power, NULL, n / 2 + 1, FS / n, levels);
      for (guint i = 0; i < count; i++)
        sum += levels[i];
      g_assert_cmpfloat_with_epsilon (10.0 * log10 (sum / expected), 0.0, 0.01);
    }
  /* Constant-width bands tiling 0..Nyquist hold the whole spectrum. */
  {
    double sum = 0.0, all = 0.0;

    ausculta_bands_constant_width (0.0, 800.0, 32, "G", bands);
    g_assert_cmpstr (bands[31].label, ==, "G32");
    ausculta_bands_sum_power (bands, 32, power, NULL, n / 2 + 1, FS / n, levels);
    for (guint i = 0; i < 32; i++)
      sum += levels[i];
    for (gsize k = 0; k <= n / 2; k++)
      all += power[k];
    g_assert_cmpfloat_with_epsilon (sum / all, 1.0, 1e-12);
  }
  ausculta_spectrum_clear (&spectrum);
}

/* Pink noise (−3 dB per octave) gives equal third-octave levels. */
static void
test_pink_noise (void)
{
  gsize n = 16384, total = 16 * 16384;
  g_autofree float *x = white_noise (total, 9, 1.0);
  g_autofree double *power = g_new (double, n / 2 + 1);
  AuscultaBand bands[64];
  double levels[64];
  AuscultaSpectrum spectrum;
  AuscultaFft fft;
  guint count;

  /* Shape white noise to 1/f through one big FFT. */
  g_assert_true (ausculta_fft_init (&fft, total, NULL));
  {
    g_autofree fftw_complex *shaped = fftw_alloc_complex (total / 2 + 1);
    fftw_plan back;

    for (gsize i = 0; i < total; i++)
      fft.in[i] = x[i];
    ausculta_fft_process (&fft);
    shaped[0][0] = shaped[0][1] = 0.0;
    for (gsize k = 1; k <= total / 2; k++)
      {
        shaped[k][0] = fft.out[k][0] / sqrt ((double) k);
        shaped[k][1] = fft.out[k][1] / sqrt ((double) k);
      }
    ausculta_fft_planner_lock ();
    back = fftw_plan_dft_c2r_1d ((int) total, shaped, fft.in, FFTW_ESTIMATE);
    ausculta_fft_planner_unlock ();
    fftw_execute (back);
    for (gsize i = 0; i < total; i++)
      x[i] = (float) (fft.in[i] / total);
    ausculta_fft_planner_lock ();
    fftw_destroy_plan (back);
    ausculta_fft_planner_unlock ();
    fftw_free (g_steal_pointer (&shaped));
  }
  ausculta_fft_clear (&fft);

  spectrum_init (&spectrum, n, AUSCULTA_WINDOW_HANN, 0.5);
  ausculta_spectrum_process (&spectrum, x, total);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, power);
  count = ausculta_bands_fractional_octave (3, 100, 10000, bands, 64, NULL);
  ausculta_bands_sum_power (bands, count, power, NULL, n / 2 + 1, FS / n, levels);
  ausculta_spectrum_to_db (levels, count, TRUE, 1.0);
  for (guint i = 1; i < count; i++)
    g_assert_cmpfloat_with_epsilon (levels[i], levels[0], 1.0);
  ausculta_spectrum_clear (&spectrum);
}

/* A 1–5 kHz linear sweep puts its energy in 1–5 kHz and nowhere else. */
static void
test_sweep (void)
{
  gsize n = 4096, total = 5 * 51200;
  g_autofree float *x = g_new (float, total);
  g_autofree double *power = g_new (double, n / 2 + 1);
  AuscultaBand bands[3] = { { 0, 0, 900, "" }, { 1000, 0, 5000, "" }, { 5100, 0, 25600, "" } };
  double levels[3];
  AuscultaSpectrum spectrum;
  double duration = (double) total / FS;

  for (gsize i = 0; i < total; i++)
    {
      double t = i / FS;

      x[i] = (float) sin (2.0 * G_PI * (1000.0 * t + 0.5 * 4000.0 / duration * t * t));
    }
  spectrum_init (&spectrum, n, AUSCULTA_WINDOW_BLACKMAN_HARRIS, 0.5);
  ausculta_spectrum_process (&spectrum, x, total);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, power);
  ausculta_bands_sum_power (bands, 3, power, NULL, n / 2 + 1, FS / n, levels);
  g_assert_cmpfloat_with_epsilon (levels[1], 0.5, 0.01);
  g_assert_cmpfloat (levels[0], <, 1e-5);
  g_assert_cmpfloat (levels[2], <, 1e-5);
  ausculta_spectrum_clear (&spectrum);
}

/* An amplitude-modulated carrier: the envelope spectrum shows the
 * modulation frequency, with the modulation's amplitude. */
static void
test_envelope (void)
{
  gsize n = 65536;
  double fs = 48000.0;
  g_autofree float *x = g_new (float, n);
  g_autofree double *spectrum = g_new (double, n / 2 + 1);
  AuscultaEnvelope envelope;
  gsize best = 1;

  for (gsize i = 0; i < n; i++)
    {
      double t = i / fs;

      x[i] = (float) ((1.0 + 0.5 * cos (2.0 * G_PI * 120.0 * t)) * sin (2.0 * G_PI * 6000.0 * t));
    }
  g_assert_true (ausculta_envelope_init (&envelope, n, fs, NULL));
  ausculta_envelope_process (&envelope, x, 4000.0, 8000.0, spectrum);
  for (gsize k = 2; k <= n / 2; k++)
    if (spectrum[k] > spectrum[best])
      best = k;
  g_assert_cmpfloat_with_epsilon (best * fs / n, 120.0, fs / n);
  /* Hann's scalloping is at most 1.42 dB. */
  g_assert_cmpfloat (spectrum[best], >, 0.5 * 0.84);
  g_assert_cmpfloat (spectrum[best], <, 0.5 * 1.01);
  ausculta_envelope_clear (&envelope);
}

static void
test_statistics (void)
{
  gsize n = 51200;
  g_autofree float *x = sine (n, FS, 100.0, 2.0, 0.0);
  g_autofree float *noise = white_noise (n * 4, 13, 1.0);
  g_autofree double *power = g_new (double, 8192 / 2 + 1);
  AuscultaStatistics stats;
  AuscultaSpectrum spectrum;

  ausculta_statistics_compute (x, n, &stats);
  g_assert_cmpfloat_with_epsilon (stats.rms, sqrt (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.peak, 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.crest, sqrt (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.kurtosis, 1.5, 1e-4);
  ausculta_statistics_compute (noise, n * 4, &stats);
  g_assert_cmpfloat_with_epsilon (stats.kurtosis, 3.0, 0.05);

  /* A 100 Hz acceleration of 2 m/s² peak: 2 / (2π·100) / √2 m/s RMS. */
  spectrum_init (&spectrum, 8192, AUSCULTA_WINDOW_HANN, 0.5);
  ausculta_spectrum_process (&spectrum, x, n);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, power);
  g_assert_cmpfloat_with_epsilon (ausculta_statistics_velocity_rms (power, 4097, FS / 8192, 10, 1000),
                                  2.0 / (2.0 * G_PI * 100.0) / sqrt (2.0), 1e-5);
  g_assert_cmpfloat (ausculta_statistics_velocity_rms (power, 4097, FS / 8192, 200, 1000), <, 1e-6);
  ausculta_spectrum_clear (&spectrum);
}

static void
test_config_errors (void)
{
  AuscultaSpectrumConfig config = { 128, FS, AUSCULTA_WINDOW_HANN, 0.5, AUSCULTA_AVERAGING_LINEAR, 1, FALSE };
  AuscultaSpectrum spectrum;
  g_autoptr(GError) error = NULL;

  g_assert_false (ausculta_spectrum_init (&spectrum, &config, &error));
  g_assert_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_FFT_SIZE);
  g_assert_nonnull (strstr (error->message, "128"));
  g_clear_error (&error);
  config.fft_size = 262144;
  config.overlap = 0.95;
  g_assert_false (ausculta_spectrum_init (&spectrum, &config, &error));
  g_assert_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_OVERLAP);
}

/* Plans made from several threads at once (the inspection worker, the
 * live view, the CLI) go through one lock: every transform still right. */
static gpointer
plan_and_check (gpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);

  for (guint round = 0; round < 12; round++)
    {
      gsize n = 256 + 2 * ((seed * 31 + round * 17) % 200);
      AuscultaSpectrum spectrum;
      g_autofree float *x = sine (n, FS, 8 * FS / n, 1.0, 0.0);
      g_autofree double *peak = g_new (double, n / 2 + 1);

      spectrum_init (&spectrum, n, AUSCULTA_WINDOW_RECTANGULAR, 0.0);
      ausculta_spectrum_process (&spectrum, x, n);
      ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_PEAK, peak);
      g_assert_cmpfloat_with_epsilon (peak[8], 1.0, 1e-6);
      ausculta_spectrum_clear (&spectrum);
    }
  return NULL;
}

static void
test_planner_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("planner", plan_and_check, GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/dsp/fft-naive-dft", test_fft_naive);
  g_test_add_func ("/ausculta/dsp/window-gains", test_window_gains);
  g_test_add_func ("/ausculta/dsp/tone-calibration", test_tone_calibration);
  g_test_add_func ("/ausculta/dsp/parseval", test_parseval);
  g_test_add_func ("/ausculta/dsp/impulse", test_impulse);
  g_test_add_func ("/ausculta/dsp/streaming", test_streaming);
  g_test_add_func ("/ausculta/dsp/exponential-peak-hold", test_exponential_peak_hold);
  g_test_add_func ("/ausculta/dsp/weighting-table", test_weighting_table);
  g_test_add_func ("/ausculta/dsp/bands-iec", test_bands_iec);
  g_test_add_func ("/ausculta/dsp/bands-energy", test_bands_energy);
  g_test_add_func ("/ausculta/dsp/pink-noise", test_pink_noise);
  g_test_add_func ("/ausculta/dsp/sweep", test_sweep);
  g_test_add_func ("/ausculta/dsp/envelope", test_envelope);
  g_test_add_func ("/ausculta/dsp/statistics", test_statistics);
  g_test_add_func ("/ausculta/dsp/config-errors", test_config_errors);
  g_test_add_func ("/ausculta/dsp/planner-threads", test_planner_threads);
  return g_test_run ();
}
