/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-fft"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ausculta-dsp-error.h"
#include "ausculta-fft.h"

/* FFTW's planner is not thread-safe, its executor is: every plan made or
 * destroyed anywhere in the core goes through this one lock. */
static GMutex planner_lock;
static gboolean wisdom_loaded;

/* Measuring finds faster plans but takes seconds for the largest sizes;
 * above this size an estimated plan is already within a few percent. */
#define MEASURE_MAX_SIZE 65536

static char *
wisdom_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "ausculta", "fftw-wisdom", NULL);
}

void
ausculta_fft_planner_lock (void)
{
  g_mutex_lock (&planner_lock);
  if (!wisdom_loaded)
    {
      g_autofree char *path = wisdom_path ();

      wisdom_loaded = TRUE;
      if (g_file_test (path, G_FILE_TEST_EXISTS) && !fftw_import_wisdom_from_filename (path))
        g_debug ("Ignoring unreadable FFTW wisdom %s", path);
    }
}

void
ausculta_fft_planner_unlock (void)
{
  g_mutex_unlock (&planner_lock);
}

/* Called with the planner lock held. */
static void
save_wisdom_locked (void)
{
  g_autofree char *path = wisdom_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  char *wisdom = fftw_export_wisdom_to_string ();

  /* Written whole and renamed into place: the app and the CLI may save at
   * the same time, and a reader must never see half a file. */
  if (wisdom == NULL || g_mkdir_with_parents (folder, 0700) != 0
      || !g_file_set_contents (path, wisdom, -1, NULL))
    g_debug ("Could not cache FFTW wisdom in %s", path);
  free (wisdom);
}

/**
 * ausculta_fft_save_wisdom:
 *
 * Writes what the planner learnt to the user cache dir, so the next
 * process plans instantly.
 */
void
ausculta_fft_save_wisdom (void)
{
  ausculta_fft_planner_lock ();
  save_wisdom_locked ();
  ausculta_fft_planner_unlock ();
}

gboolean
ausculta_fft_init (AuscultaFft  *fft,
                   gsize         n,
                   GError      **error)
{
  unsigned flags = n <= MEASURE_MAX_SIZE ? FFTW_MEASURE : FFTW_ESTIMATE;

  g_return_val_if_fail (fft != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fft->n = n;
  fft->in = fftw_alloc_real (n);
  fft->out = fftw_alloc_complex (n / 2 + 1);

  ausculta_fft_planner_lock ();
  /* A plan made from wisdom does not touch the buffers; measuring does. */
  fft->plan = fftw_plan_dft_r2c_1d ((int) n, fft->in, fft->out, flags | FFTW_WISDOM_ONLY);
  if (fft->plan == NULL)
    {
      fft->plan = fftw_plan_dft_r2c_1d ((int) n, fft->in, fft->out, flags);
      if (fft->plan != NULL && flags == FFTW_MEASURE)
        save_wisdom_locked ();
    }
  ausculta_fft_planner_unlock ();

  if (fft->plan == NULL)
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_PLAN,
                   "FFTW could not plan a real FFT of %" G_GSIZE_FORMAT " points", n);
      ausculta_fft_clear (fft);
      return FALSE;
    }
  return TRUE;
}

void
ausculta_fft_process (AuscultaFft *fft)
{
  fftw_execute (fft->plan);
}

void
ausculta_fft_clear (AuscultaFft *fft)
{
  g_return_if_fail (fft != NULL);

  if (fft->plan != NULL)
    {
      g_mutex_lock (&planner_lock);
      fftw_destroy_plan (fft->plan);
      g_mutex_unlock (&planner_lock);
      fft->plan = NULL;
    }
  g_clear_pointer (&fft->in, fftw_free);
  g_clear_pointer (&fft->out, fftw_free);
  fft->n = 0;
}

void
ausculta_dft_naive (const double *in,
                    gsize         n,
                    double       *re,
                    double       *im)
{
  for (gsize k = 0; k <= n / 2; k++)
    {
      long double sum_re = 0.0L, sum_im = 0.0L;

      for (gsize i = 0; i < n; i++)
        {
          /* Reduce k·i modulo n first: the phase stays exact for large n. */
          long double phase = 2.0L * (long double) G_PI * (long double) ((k * i) % n) / (long double) n;

          sum_re += in[i] * cosl (phase);
          sum_im -= in[i] * sinl (phase);
        }
      re[k] = (double) sum_re;
      im[k] = (double) sum_im;
    }
}
