/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_SPECTROGRAM_VIEW (ausculta_spectrogram_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaSpectrogramView, ausculta_spectrogram_view, AUSCULTA, SPECTROGRAM_VIEW, GtkWidget)

GtkWidget *ausculta_spectrogram_view_new         (void);
void       ausculta_spectrogram_view_push        (AuscultaSpectrogramView *self,
                                                  const double            *levels_db,
                                                  gsize                    n_bins,
                                                  double                   bin_width);
void       ausculta_spectrogram_view_clear       (AuscultaSpectrogramView *self);
guint      ausculta_spectrogram_view_get_n_columns (AuscultaSpectrogramView *self);

G_END_DECLS
