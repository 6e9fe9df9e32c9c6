/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrum"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-dsp-error.h"
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
  spectrum->pending = g_new (double, n);
  spectrum->sum = g_new0 (double, spectrum->n_bins);
  spectrum->peak = g_new0 (double, spectrum->n_bins);
  return TRUE;
}

void
ausculta_spectrum_reset (AuscultaSpectrum *spectrum)
{
  g_return_if_fail (spectrum != NULL);

  spectrum->n_pending = 0;
  spectrum->n_frames = 0;
  memset (spectrum->sum, 0, spectrum->n_bins * sizeof (double));
  memset (spectrum->peak, 0, spectrum->n_bins * sizeof (double));
}

/* Pairs of doubles (GCC/Clang vector extensions, any target): the two
 * loops around the FFT take half the time they take one value at a time. */
typedef double DoublePair __attribute__ ((vector_size (16)));

static inline DoublePair
load_pair (const double *p)
{
  DoublePair v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
store_pair (double     *p,
            DoublePair  v)
{
  memcpy (p, &v, sizeof v);
}

static inline double
squared_magnitude (const fftw_complex value)
{
  return value[0] * value[0] + value[1] * value[1];
}

static void
add_squared_magnitudes (double             *sum,
                        const fftw_complex *out,
                        gsize               n_bins)
{
  gsize k = 0;

  for (; k + 2 <= n_bins; k += 2)
    {
      DoublePair a = load_pair (out[k]), b = load_pair (out[k + 1]);
      DoublePair both;

      a *= a;
      b *= b;
      both = (DoublePair) { a[0] + a[1], b[0] + b[1] };
      store_pair (sum + k, load_pair (sum + k) + both);
    }
  for (; k < n_bins; k++)
    sum[k] += squared_magnitude (out[k]);
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
    add_squared_magnitudes (sum, out, n_bins);

  if (spectrum->config.peak_hold)
    for (gsize k = 0; k < n_bins; k++)
      spectrum->peak[k] = MAX (spectrum->peak[k], squared_magnitude (out[k]));
}

static void
window_frame (AuscultaSpectrum *spectrum,
              const float      *samples)
{
  double *in = spectrum->fft.in;
  const double *w = spectrum->window;
  gsize n = spectrum->config.fft_size, i = 0;

  for (; i + 2 <= n; i += 2)
    store_pair (in + i, load_pair (w + i) * (DoublePair) { samples[i], samples[i + 1] });
  for (; i < n; i++)
    in[i] = w[i] * (double) samples[i];
}

static void
window_pending (AuscultaSpectrum *spectrum)
{
  double *in = spectrum->fft.in;
  const double *w = spectrum->window;

  for (gsize i = 0; i < spectrum->config.fft_size; i++)
    in[i] = w[i] * spectrum->pending[i];
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
          window_frame (spectrum, samples);
          accumulate_frame (spectrum);
          take = MIN (hop, n_samples);
          samples += take;
          n_samples -= take;
          continue;
        }

      take = MIN (n - spectrum->n_pending, n_samples);
      for (gsize i = 0; i < take; i++)
        spectrum->pending[spectrum->n_pending + i] = samples[i];
      spectrum->n_pending += take;
      samples += take;
      n_samples -= take;
      if (spectrum->n_pending == n)
        {
          window_pending (spectrum);
          accumulate_frame (spectrum);
          memmove (spectrum->pending, spectrum->pending + hop, (n - hop) * sizeof (double));
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
  gboolean linear;

  g_return_val_if_fail (spectrum != NULL && out != NULL, FALSE);

  if (spectrum->n_frames == 0)
    return FALSE;
  linear = spectrum->config.averaging == AUSCULTA_AVERAGING_LINEAR;
  scale_power (spectrum, spectrum->sum, linear ? (double) spectrum->n_frames : 1.0, scale, out);
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
