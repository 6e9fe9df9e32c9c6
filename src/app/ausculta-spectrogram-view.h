/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-plot-view.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_SPECTROGRAM_VIEW (ausculta_spectrogram_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaSpectrogramView, ausculta_spectrogram_view, AUSCULTA, SPECTROGRAM_VIEW, AuscultaPlotView)

GtkWidget *ausculta_spectrogram_view_new         (void);
void       ausculta_spectrogram_view_push        (AuscultaSpectrogramView *self,
                                                  const double            *levels_db,
                                                  gsize                    n_bins,
                                                  double                   bin_width);
/* The rows of one column, bottom (f_min) to top (f_max). */
#define AUSCULTA_SPECTROGRAM_ROWS 256
void       ausculta_spectrogram_view_push_rows   (AuscultaSpectrogramView     *self,
                                                  const AuscultaSpectrumPoint *rows,
                                                  guint                        n_rows,
                                                  double                       f_min,
                                                  double                       f_max);
void       ausculta_spectrogram_view_clear       (AuscultaSpectrogramView *self);
guint      ausculta_spectrogram_view_get_n_columns (AuscultaSpectrogramView *self);

G_END_DECLS
