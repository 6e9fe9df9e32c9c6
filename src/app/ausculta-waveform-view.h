/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-plot-view.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_WAVEFORM_VIEW (ausculta_waveform_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaWaveformView, ausculta_waveform_view, AUSCULTA, WAVEFORM_VIEW, AuscultaPlotView)

GtkWidget *ausculta_waveform_view_new         (void);
void       ausculta_waveform_view_set_samples (AuscultaWaveformView *self,
                                               const float          *samples,
                                               gsize                 n_samples,
                                               double                sample_rate);
#define AUSCULTA_WAVEFORM_COLUMNS 2048
void       ausculta_waveform_view_set_columns (AuscultaWaveformView      *self,
                                               const AuscultaColumnRange *columns,
                                               guint                      n_columns,
                                               double                     duration,
                                               double                     peak);
double     ausculta_waveform_view_get_peak    (AuscultaWaveformView *self);

G_END_DECLS
