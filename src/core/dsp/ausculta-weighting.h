/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Frequency weightings of IEC 61672-1 (Annex E analytic forms). */
typedef enum {
  AUSCULTA_WEIGHTING_Z,
  AUSCULTA_WEIGHTING_A,
  AUSCULTA_WEIGHTING_C,
} AuscultaWeighting;

double       ausculta_weighting_db           (AuscultaWeighting  weighting,
                                              double             frequency);
/* Power gains (10^(dB/10)) of bins 0..n_bins-1 spaced bin_width Hz apart. */
void         ausculta_weighting_fill_power   (AuscultaWeighting  weighting,
                                              double             bin_width,
                                              double            *gains,
                                              gsize              n_bins);
const char  *ausculta_weighting_to_string    (AuscultaWeighting  weighting);
gboolean     ausculta_weighting_from_string  (const char        *text,
                                              AuscultaWeighting *weighting);

G_END_DECLS
