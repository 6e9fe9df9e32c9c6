/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Periodic (DFT-even) windows, as spectrum analysers and scipy's
 * get_window() use them. */
typedef enum {
  AUSCULTA_WINDOW_RECTANGULAR,
  AUSCULTA_WINDOW_HANN,
  AUSCULTA_WINDOW_FLAT_TOP,          /* 5-term flat top (scipy's "flattop") */
  AUSCULTA_WINDOW_BLACKMAN_HARRIS,   /* 4-term, −92 dB side lobes */
} AuscultaWindow;

void         ausculta_window_fill           (AuscultaWindow  window,
                                             double         *coefficients,
                                             gsize           n);
double       ausculta_window_coherent_gain  (AuscultaWindow  window);
double       ausculta_window_enbw           (AuscultaWindow  window);
const char  *ausculta_window_to_string      (AuscultaWindow  window);
gboolean     ausculta_window_from_string    (const char     *text,
                                             AuscultaWindow *window);

G_END_DECLS
