/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrum"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-dsp-error.h"
#include "ausculta-simd.h"
#include "ausculta-spectrum.h"

#define MIN_FFT_SIZE 256
#define MAX_FFT_SIZE 262144
#define MAX_OVERLAP 0.9375

static gboolean
check_config (const AuscultaSpectrumConfig *config,
              GError                      **error)
{
  if (config->fft_size < MIN_FFT_SIZE || config->fft_size > MAX_FFT_SIZE)
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_FFT_SIZE,
                   "FFT size %" G_GSIZE_FORMAT " is outside %d–%d",
                   config->fft_size, MIN_FFT_SIZE, MAX_FFT_SIZE);
      return FALSE;
    }
  if (!(config->overlap >= 0.0 && config->overlap <= MAX_OVERLAP))
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_OVERLAP,
                   "Overlap %g %% is outside 0–%g %%", config->overlap * 100.0, MAX_OVERLAP * 100.0);
      return FALSE;
    }
  return TRUE;
}

/**
 * ausculta_spectrum_init:
 *
 * Plans the FFT and allocates every buffer: _process never allocates.
 */
gboolean
ausculta_spectrum_init (AuscultaSpectrum             *spectrum,
                        const AuscultaSpectrumConfig *config,
                        GError                      **error)
{
  gsize n;

  g_return_val_if_fail (spectrum != NULL && config != NULL, FALSE);

  memset (spectrum, 0, sizeof *spectrum);
  if (!check_config (config, error))
    return FALSE;

  n = config->fft_size;
  spectrum->config = *config;
  spectrum->config.n_average = MAX (config->n_average, 1);
  /* Hop rounded as scipy does: noverlap = floor(overlap · n). */
  spectrum->hop = n - (gsize) floor (config->overlap * (double) n);
  spectrum->n_bins = n / 2 + 1;
  if (!ausculta_fft_init (&spectrum->fft, n, error))
    return FALSE;

  spectrum->window = g_new (double, n);
  ausculta_window_fill (config->window, spectrum->window, n);
  for (gsize i = 0; i < n; i++)
    {
      spectrum->sum_w += spectrum->window[i];
      spectrum->sum_w2 += spectrum->window[i] * spectrum->window[i];
    }
  spectrum->pending = g_new (float, n);
  spectrum->sum = g_new0 (double, spectrum->n_bins);
  spectrum->squares = g_new0 (double, 2 * spectrum->n_bins);
  spectrum->peak = g_new0 (double, spectrum->n_bins);
  return TRUE;
}

void
ausculta_spectrum_reset (AuscultaSpectrum *spectrum)
{
  g_return_if_fail (spectrum != NULL);

  spectrum->n_pending = 0;
  spectrum->n_frames = 0;
  /* Only the accumulators this configuration uses. */
  if (spectrum->config.averaging == AUSCULTA_AVERAGING_EXPONENTIAL)
    memset (spectrum->sum, 0, spectrum->n_bins * sizeof (double));
  else
    memset (spectrum->squares, 0, 2 * spectrum->n_bins * sizeof (double));
  if (spectrum->config.peak_hold)
    memset (spectrum->peak, 0, spectrum->n_bins * sizeof (double));
}

static inline double
squared_magnitude (const fftw_complex value)
{
  return value[0] * value[0] + value[1] * value[1];
}

/* Linear averaging adds re² and im² of every bin into their own slots,
 * one multiply-add per double with no shuffle across lanes; the pairs are
 * added once, when the estimate is read. */
AUSCULTA_SIMD_CLONES static void
add_squares (double       *squares,
             const double *out,
             gsize         n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      AuscultaDoubles4 a, b, sum_a, sum_b;

      ausculta_doubles4_load (&a, out + i);
      ausculta_doubles4_load (&b, out + i + 4);
      ausculta_doubles4_load (&sum_a, squares + i);
      ausculta_doubles4_load (&sum_b, squares + i + 4);
      sum_a += a * a;
      sum_b += b * b;
      ausculta_doubles4_store (squares + i, &sum_a);
      ausculta_doubles4_store (squares + i + 4, &sum_b);
    }
  for (; i < n; i++)
    squares[i] += out[i] * out[i];
}

/* The FFT input already holds one windowed frame. */
static void
accumulate_frame (AuscultaSpectrum *spectrum)
{
  const fftw_complex *out = spectrum->fft.out;
  double *sum = spectrum->sum;
  gsize n_bins = spectrum->n_bins;

  ausculta_fft_process (&spectrum->fft);
  spectrum->n_frames++;

  if (spectrum->config.averaging == AUSCULTA_AVERAGING_EXPONENTIAL)
    {
      /* Until n_average frames are in, a plain mean: no start-up ramp. */
      double weight = 1.0 / (double) MIN (spectrum->n_frames, (guint64) spectrum->config.n_average);

      for (gsize k = 0; k < n_bins; k++)
        sum[k] += weight * (squared_magnitude (out[k]) - sum[k]);
    }
  else
    add_squares (spectrum->squares, (const double *) out, 2 * n_bins);

  if (spectrum->config.peak_hold)
    for (gsize k = 0; k < n_bins; k++)
      spectrum->peak[k] = MAX (spectrum->peak[k], squared_magnitude (out[k]));
}

/* The window fused into the copy: float samples in, windowed doubles out. */
AUSCULTA_SIMD_CLONES static void
window_samples (double       *in,
                const double *w,
                const float  *samples,
                gsize         n)
{
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      AuscultaDoubles4 a, b, w_a, w_b;

      ausculta_doubles4_from_floats (&a, samples + i);
      ausculta_doubles4_from_floats (&b, samples + i + 4);
      ausculta_doubles4_load (&w_a, w + i);
      ausculta_doubles4_load (&w_b, w + i + 4);
      a *= w_a;
      b *= w_b;
      ausculta_doubles4_store (in + i, &a);
      ausculta_doubles4_store (in + i + 4, &b);
    }
  for (; i < n; i++)
    in[i] = w[i] * (double) samples[i];
}

/**
 * ausculta_spectrum_process:
 *
 * Adds @n_samples to the estimate, one frame every hop samples; a frame
 * not complete yet waits for the next call.
 */
void
ausculta_spectrum_process (AuscultaSpectrum *spectrum,
                           const float      *samples,
                           gsize             n_samples)
{
  gsize n = spectrum->config.fft_size;
  gsize hop = spectrum->hop;

  while (n_samples > 0)
    {
      gsize take;

      if (spectrum->n_pending == 0 && n_samples >= n)
        {
          /* Whole frames straight from the caller's buffer. */
          window_samples (spectrum->fft.in, spectrum->window, samples, n);
          accumulate_frame (spectrum);
          take = MIN (hop, n_samples);
          samples += take;
          n_samples -= take;
          continue;
        }

      take = MIN (n - spectrum->n_pending, n_samples);
      memcpy (spectrum->pending + spectrum->n_pending, samples, take * sizeof (float));
      spectrum->n_pending += take;
      samples += take;
      n_samples -= take;
      if (spectrum->n_pending == n)
        {
          window_samples (spectrum->fft.in, spectrum->window, spectrum->pending, n);
          accumulate_frame (spectrum);
          memmove (spectrum->pending, spectrum->pending + hop, (n - hop) * sizeof (float));
          spectrum->n_pending = n - hop;
        }
    }
}

/* Converts averaged |X|² into the requested scale. */
static void
scale_power (const AuscultaSpectrum *spectrum,
             const double           *squared,
             double                  frames,
             AuscultaSpectrumScale   scale,
             double                 *out)
{
  gsize n = spectrum->config.fft_size;
  double fs = spectrum->config.sample_rate;
  double norm;

  /* Amplitudes read a line's level at its bin (Σw normalisation); densities
   * and per-bin powers conserve energy across bins (Σw² normalisation). */
  if (scale == AUSCULTA_SPECTRUM_PSD || scale == AUSCULTA_SPECTRUM_ASD)
    norm = 1.0 / (frames * fs * spectrum->sum_w2);
  else if (scale == AUSCULTA_SPECTRUM_POWER)
    norm = 1.0 / (frames * (double) n * spectrum->sum_w2);
  else
    norm = 1.0 / (frames * spectrum->sum_w * spectrum->sum_w);

  for (gsize k = 0; k < spectrum->n_bins; k++)
    {
      /* One-sided: every bin but DC and (even n) Nyquist holds both halves. */
      double one_sided = (k == 0 || (n % 2 == 0 && k == n / 2)) ? 1.0 : 2.0;
      double power = squared[k] * norm * one_sided;

      switch (scale)
        {
        case AUSCULTA_SPECTRUM_PEAK:
          out[k] = k == 0 ? sqrt (power) : sqrt (2.0 * power);
          break;
        case AUSCULTA_SPECTRUM_RMS:
        case AUSCULTA_SPECTRUM_ASD:
          out[k] = sqrt (power);
          break;
        case AUSCULTA_SPECTRUM_POWER:
        case AUSCULTA_SPECTRUM_PSD:
        default:
          out[k] = power;
          break;
        }
    }
}

gboolean
ausculta_spectrum_get (const AuscultaSpectrum *spectrum,
                       AuscultaSpectrumScale   scale,
                       double                 *out)
{
  g_return_val_if_fail (spectrum != NULL && out != NULL, FALSE);

  if (spectrum->n_frames == 0)
    return FALSE;
  if (spectrum->config.averaging == AUSCULTA_AVERAGING_EXPONENTIAL)
    {
      scale_power (spectrum, spectrum->sum, 1.0, scale, out);
      return TRUE;
    }
  for (gsize k = 0; k < spectrum->n_bins; k++)
    out[k] = spectrum->squares[2 * k] + spectrum->squares[2 * k + 1];
  scale_power (spectrum, out, (double) spectrum->n_frames, scale, out);
  return TRUE;
}

gboolean
ausculta_spectrum_get_peak_hold (const AuscultaSpectrum *spectrum,
                                 AuscultaSpectrumScale   scale,
                                 double                 *out)
{
  g_return_val_if_fail (spectrum != NULL && out != NULL, FALSE);

  if (spectrum->n_frames == 0 || !spectrum->config.peak_hold)
    return FALSE;
  scale_power (spectrum, spectrum->peak, 1.0, scale, out);
  return TRUE;
}

double
ausculta_spectrum_bin_width (const AuscultaSpectrum *spectrum)
{
  return spectrum->config.sample_rate / (double) spectrum->config.fft_size;
}

void
ausculta_spectrum_clear (AuscultaSpectrum *spectrum)
{
  g_return_if_fail (spectrum != NULL);

  ausculta_fft_clear (&spectrum->fft);
  g_clear_pointer (&spectrum->window, g_free);
  g_clear_pointer (&spectrum->pending, g_free);
  g_clear_pointer (&spectrum->sum, g_free);
  g_clear_pointer (&spectrum->squares, g_free);
  g_clear_pointer (&spectrum->peak, g_free);
  spectrum->n_bins = 0;
}

void
ausculta_spectrum_to_db (double   *values,
                         gsize     n,
                         gboolean  power,
                         double    reference)
{
  double factor = power ? 10.0 : 20.0;
  double reference_level = power ? reference * reference : reference;

  for (gsize k = 0; k < n; k++)
    if (!isnan (values[k]))
      values[k] = values[k] > 0.0 ? factor * log10 (values[k] / reference_level) : -400.0;
}
