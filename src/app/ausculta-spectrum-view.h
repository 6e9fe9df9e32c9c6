/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-plot-view.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_SPECTRUM_VIEW (ausculta_spectrum_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaSpectrumView, ausculta_spectrum_view, AUSCULTA, SPECTRUM_VIEW, AuscultaPlotView)

GtkWidget *ausculta_spectrum_view_new             (void);
void       ausculta_spectrum_view_set_spectrum    (AuscultaSpectrumView *self,
                                                   const double         *levels_db,
                                                   gsize                 n_bins,
                                                   double                bin_width);
void       ausculta_spectrum_view_set_points      (AuscultaSpectrumView        *self,
                                                   const AuscultaSpectrumPoint *points,
                                                   guint                        n_points,
                                                   double                       f_min,
                                                   double                       f_max);
void       ausculta_spectrum_view_reset_peak_hold (AuscultaSpectrumView *self);
void       ausculta_spectrum_view_set_cursor      (AuscultaSpectrumView *self,
                                                   double                x);
gboolean   ausculta_spectrum_view_get_readout     (AuscultaSpectrumView *self,
                                                   double               *frequency,
                                                   double               *level_db);
char      *ausculta_spectrum_view_dup_readout_text (AuscultaSpectrumView *self);

G_END_DECLS
