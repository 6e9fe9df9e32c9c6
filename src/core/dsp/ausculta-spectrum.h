/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-fft.h"
#include "ausculta-window.h"

G_BEGIN_DECLS

typedef enum {
  AUSCULTA_AVERAGING_LINEAR,        /* Welch: the mean of every frame since the reset */
  AUSCULTA_AVERAGING_EXPONENTIAL,   /* each frame weighs 1 / n_average */
} AuscultaAveraging;

/* What ausculta_spectrum_get() returns, per bin, in calibrated units U. */
typedef enum {
  AUSCULTA_SPECTRUM_PEAK,    /* amplitude spectrum, peak: a sine of amplitude A reads A */
  AUSCULTA_SPECTRUM_RMS,     /* amplitude spectrum, RMS: the same sine reads A/√2 */
  AUSCULTA_SPECTRUM_POWER,   /* mean square per bin, U² (sums to the band's power) */
  AUSCULTA_SPECTRUM_PSD,     /* power spectral density, U²/Hz */
  AUSCULTA_SPECTRUM_ASD,     /* amplitude spectral density, U/√Hz */
} AuscultaSpectrumScale;

typedef struct {
  gsize              fft_size;      /* 256..262144, any size */
  double             sample_rate;
  AuscultaWindow     window;
  double             overlap;       /* fraction, 0..0.9375 */
  AuscultaAveraging  averaging;
  guint              n_average;     /* exponential averaging constant, in frames (≥ 1) */
  gboolean           peak_hold;
} AuscultaSpectrumConfig;

/* A streaming averaged spectrum (Welch when linear): feed any number of
 * samples with _process, read the estimate with _get. The estimate has
 * no detrending: it matches scipy.signal.welch(..., detrend=False). */
typedef struct {
  AuscultaSpectrumConfig config;
  gsize        hop;
  gsize        n_bins;
  AuscultaFft  fft;
  double      *window;
  float       *pending;      /* samples of a frame not complete yet */
  gsize        n_pending;
  double      *sum;          /* exponential averaging: |X|² averaged */
  double      *squares;      /* linear averaging: re², im² of each bin summed */
  double      *peak;         /* |X|² maxima when peak_hold */
  guint64      n_frames;
  double       sum_w;        /* Σw, for amplitude scaling */
  double       sum_w2;       /* Σw², for density scaling */
} AuscultaSpectrum;

gboolean  ausculta_spectrum_init       (AuscultaSpectrum             *spectrum,
                                        const AuscultaSpectrumConfig *config,
                                        GError                      **error);
void      ausculta_spectrum_reset      (AuscultaSpectrum             *spectrum);
void      ausculta_spectrum_process    (AuscultaSpectrum             *spectrum,
                                        const float                  *samples,
                                        gsize                         n_samples);
/* Writes spectrum->n_bins values; FALSE (and nothing) before the first frame. */
gboolean  ausculta_spectrum_get        (const AuscultaSpectrum       *spectrum,
                                        AuscultaSpectrumScale         scale,
                                        double                       *out);
gboolean  ausculta_spectrum_get_peak_hold (const AuscultaSpectrum    *spectrum,
                                        AuscultaSpectrumScale         scale,
                                        double                       *out);
double    ausculta_spectrum_bin_width  (const AuscultaSpectrum       *spectrum);
void      ausculta_spectrum_clear      (AuscultaSpectrum             *spectrum);

/* In place: values (amplitudes if `power` is FALSE, powers if TRUE) to dB
 * re `reference` (an amplitude, e.g. 20e-6 Pa); zeros give -inf clamped
 * to -400 dB. */
void      ausculta_spectrum_to_db      (double                       *values,
                                        gsize                         n,
                                        gboolean                      power,
                                        double                        reference);

G_END_DECLS
