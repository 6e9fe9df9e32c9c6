/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AUSCULTA_DSP_ERROR (ausculta_dsp_error_quark ())

typedef enum {
  AUSCULTA_DSP_ERROR_FFT_SIZE,      /* an FFT size outside 256..262144 */
  AUSCULTA_DSP_ERROR_OVERLAP,       /* an overlap outside 0..93.75 % */
  AUSCULTA_DSP_ERROR_PLAN,          /* FFTW could not plan the transform */
  AUSCULTA_DSP_ERROR_BANDS,         /* a band range or fraction that gives no band */
} AuscultaDspError;

GQuark ausculta_dsp_error_quark (void);

G_END_DECLS
