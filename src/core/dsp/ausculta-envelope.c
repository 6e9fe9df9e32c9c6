/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-envelope"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-dsp-error.h"
#include "ausculta-envelope.h"
#include "ausculta-window.h"

gboolean
ausculta_envelope_init (AuscultaEnvelope  *envelope,
                        gsize              n,
                        double             sample_rate,
                        GError           **error)
{
  g_return_val_if_fail (envelope != NULL && n >= 16, FALSE);

  memset (envelope, 0, sizeof *envelope);
  envelope->n = n;
  envelope->sample_rate = sample_rate;
  if (!ausculta_fft_init (&envelope->forward, n, error))
    return FALSE;

  envelope->analytic = fftw_alloc_complex (n);
  ausculta_fft_planner_lock ();
  envelope->inverse = fftw_plan_dft_1d ((int) n, envelope->analytic, envelope->analytic,
                                        FFTW_BACKWARD, FFTW_ESTIMATE);
  ausculta_fft_planner_unlock ();
  if (envelope->inverse == NULL)
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_PLAN,
                   "FFTW could not plan an inverse FFT of %" G_GSIZE_FORMAT " points", n);
      ausculta_envelope_clear (envelope);
      return FALSE;
    }
  envelope->window = g_new (double, n);
  ausculta_window_fill (AUSCULTA_WINDOW_HANN, envelope->window, n);
  return TRUE;
}

/* Keeps the positive frequencies of the band, doubled: the inverse FFT of
 * that is the analytic signal of the band-passed input. */
static void
band_analytic_spectrum (AuscultaEnvelope *envelope,
                        double            band_low,
                        double            band_high)
{
  gsize n = envelope->n;
  double bin_width = envelope->sample_rate / (double) n;
  gsize first = (gsize) MAX (ceil (band_low / bin_width), 1.0);
  gsize last = (gsize) MIN (floor (band_high / bin_width), (double) ((n - 1) / 2));

  memset (envelope->analytic, 0, n * sizeof (fftw_complex));
  for (gsize k = first; k <= last; k++)
    {
      envelope->analytic[k][0] = 2.0 * envelope->forward.out[k][0];
      envelope->analytic[k][1] = 2.0 * envelope->forward.out[k][1];
    }
}

void
ausculta_envelope_process (AuscultaEnvelope  *envelope,
                           const float       *samples,
                           double             band_low,
                           double             band_high,
                           double            *spectrum)
{
  gsize n = envelope->n;
  double *in = envelope->forward.in;
  double mean = 0.0, sum_w = 0.0;

  for (gsize i = 0; i < n; i++)
    in[i] = samples[i];
  ausculta_fft_process (&envelope->forward);
  band_analytic_spectrum (envelope, band_low, band_high);
  fftw_execute (envelope->inverse);

  for (gsize i = 0; i < n; i++)
    {
      in[i] = hypot (envelope->analytic[i][0], envelope->analytic[i][1]) / (double) n;
      mean += in[i];
    }
  mean /= (double) n;
  for (gsize i = 0; i < n; i++)
    {
      in[i] = (in[i] - mean) * envelope->window[i];
      sum_w += envelope->window[i];
    }
  ausculta_fft_process (&envelope->forward);
  for (gsize k = 0; k <= n / 2; k++)
    spectrum[k] = (k == 0 ? 1.0 : 2.0)
                  * hypot (envelope->forward.out[k][0], envelope->forward.out[k][1]) / sum_w;
}

void
ausculta_envelope_clear (AuscultaEnvelope *envelope)
{
  g_return_if_fail (envelope != NULL);

  ausculta_fft_clear (&envelope->forward);
  if (envelope->inverse != NULL)
    {
      ausculta_fft_planner_lock ();
      fftw_destroy_plan (envelope->inverse);
      ausculta_fft_planner_unlock ();
      envelope->inverse = NULL;
    }
  g_clear_pointer (&envelope->analytic, fftw_free);
  g_clear_pointer (&envelope->window, g_free);
}
