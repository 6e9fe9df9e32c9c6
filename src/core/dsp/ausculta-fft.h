/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <fftw3.h>

G_BEGIN_DECLS

/* A real-to-complex FFT of one size with its plan and aligned buffers.
 * _init plans (thread-safe, under the core's one planner lock, with the
 * wisdom cached under the user cache dir); _process runs the plan on
 * `in` into `out` (n / 2 + 1 bins) and never allocates. */
typedef struct {
  gsize         n;
  double       *in;
  fftw_complex *out;
  fftw_plan     plan;
} AuscultaFft;

gboolean  ausculta_fft_init          (AuscultaFft  *fft,
                                      gsize         n,
                                      GError      **error);
void      ausculta_fft_process       (AuscultaFft  *fft);
void      ausculta_fft_clear         (AuscultaFft  *fft);

/* The planner lock, for code that plans other FFTW transforms. */
void      ausculta_fft_planner_lock   (void);
void      ausculta_fft_planner_unlock (void);
void      ausculta_fft_save_wisdom    (void);

/* The reference the fast path is tested against: a direct O(n²) DFT of
 * a real input, bins 0..n/2. */
void      ausculta_dft_naive         (const double *in,
                                      gsize         n,
                                      double       *re,
                                      double       *im);

G_END_DECLS
