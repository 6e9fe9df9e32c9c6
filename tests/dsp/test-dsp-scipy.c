/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-spectrum.h"

/* Parity with Debian's scipy (run with /usr/bin/python3) on the same
 * input: Welch PSD within 1e-9 relative, third-octave bands within 0.01 dB. */

#define RATE 51200.0

static float *
test_signal (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float) (0.3 * sin (2.0 * G_PI * 1234.5 * i / RATE) + 0.05 * sin (2.0 * G_PI * 97.0 * i / RATE)
                    + g_rand_double_range (rand, -0.2, 0.2) + 0.01);
  return x;
}

static char **
run_scipy (const char   *samples,
           gsize         fft_size,
           gsize         overlap_samples,
           const char   *window,
           const double *edges,
           guint         n_edges)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "dsp", "scipy-reference.py", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup (samples));
  g_ptr_array_add (argv, g_strdup_printf ("%g", RATE));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GSIZE_FORMAT, fft_size));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GSIZE_FORMAT, overlap_samples));
  g_ptr_array_add (argv, g_strdup (window));
  for (guint i = 0; i < n_edges; i++)
    g_ptr_array_add (argv, g_strdup_printf ("%.17g", edges[i]));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("scipy reference failed: %s", err);
  return g_strsplit (g_strchomp (out), "\n", -1);
}

static void
check_parity (const char     *samples,
              const float    *x,
              gsize           n,
              gsize           fft_size,
              double          overlap,
              AuscultaWindow  window)
{
  AuscultaSpectrumConfig config = { fft_size, RATE, window, overlap, AUSCULTA_AVERAGING_LINEAR, 1, FALSE };
  AuscultaSpectrum spectrum;
  AuscultaBand bands[40];
  double edges[41], ours[40];
  g_autofree double *psd = g_new (double, fft_size / 2 + 1);
  g_autofree double *power = g_new (double, fft_size / 2 + 1);
  g_auto(GStrv) lines = NULL;
  guint n_bands = ausculta_bands_fractional_octave (3, 25, 20000, bands, 40, NULL);
  double worst = 0.0;

  g_assert_true (ausculta_spectrum_init (&spectrum, &config, NULL));
  ausculta_spectrum_process (&spectrum, x, n);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_PSD, psd);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, power);
  ausculta_bands_sum_power (bands, n_bands, power, NULL, spectrum.n_bins, RATE / fft_size, ours);
  for (guint b = 0; b < n_bands; b++)
    edges[b] = bands[b].lower;
  edges[n_bands] = bands[n_bands - 1].upper;

  lines = run_scipy (samples, fft_size, fft_size - spectrum.hop, ausculta_window_to_string (window),
                     edges, n_bands + 1);
  g_assert_cmpuint (g_strv_length (lines), ==, spectrum.n_bins + 1 + n_bands);
  for (gsize k = 0; k < spectrum.n_bins; k++)
    {
      double reference = g_ascii_strtod (lines[k], NULL);

      worst = MAX (worst, fabs (psd[k] - reference) / reference);
    }
  g_test_message ("%s, %zu points, %.1f %% overlap: worst PSD relative difference %.3g",
                  ausculta_window_to_string (window), fft_size, overlap * 100, worst);
  g_assert_cmpfloat (worst, <, 1e-9);
  g_assert_cmpstr (lines[spectrum.n_bins], ==, "bands");
  for (guint b = 0; b < n_bands; b++)
    {
      double reference = g_ascii_strtod (lines[spectrum.n_bins + 1 + b], NULL);

      g_assert_cmpfloat_with_epsilon (10.0 * log10 (ours[b] / reference), 0.0, 0.01);
    }
  ausculta_spectrum_clear (&spectrum);
}

static void
test_scipy_parity (void)
{
  gsize n = 3 * 51200;
  g_autofree float *x = test_signal (n);
  g_autofree char *samples = g_build_filename (g_get_user_cache_dir (), "samples.f32", NULL);

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("Debian's /usr/bin/python3 with scipy is needed");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (samples, (const char *) x, n * sizeof (float), NULL));

  check_parity (samples, x, n, 8192, 0.5, AUSCULTA_WINDOW_HANN);
  check_parity (samples, x, n, 4096, 0.75, AUSCULTA_WINDOW_FLAT_TOP);
  check_parity (samples, x, n, 3000, 0.0, AUSCULTA_WINDOW_BLACKMAN_HARRIS);
  check_parity (samples, x, n, 16384, 0.9375, AUSCULTA_WINDOW_RECTANGULAR);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/dsp/scipy-parity", test_scipy_parity);
  return g_test_run ();
}
