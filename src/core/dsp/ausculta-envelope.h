/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-fft.h"

G_BEGIN_DECLS

/* Envelope spectrum for bearing diagnosis: band-pass the signal, take the
 * magnitude of its analytic signal (Hilbert transform through the FFT),
 * remove its mean and return the amplitude spectrum of that envelope
 * (peak amplitude per bin, Hann window). Works on blocks of n samples. */
typedef struct {
  gsize          n;
  double         sample_rate;
  AuscultaFft    forward;
  fftw_complex  *analytic;
  fftw_plan      inverse;
  double        *window;
} AuscultaEnvelope;

gboolean ausculta_envelope_init     (AuscultaEnvelope  *envelope,
                                     gsize              n,
                                     double             sample_rate,
                                     GError           **error);
/* Reads n samples, writes n / 2 + 1 amplitudes, bin k at k·sample_rate/n Hz. */
void     ausculta_envelope_process  (AuscultaEnvelope  *envelope,
                                     const float       *samples,
                                     double             band_low,
                                     double             band_high,
                                     double            *spectrum);
void     ausculta_envelope_clear    (AuscultaEnvelope  *envelope);

G_END_DECLS
