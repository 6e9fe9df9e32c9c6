/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_LIVE_VIEW (ausculta_live_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaLiveView, ausculta_live_view, AUSCULTA, LIVE_VIEW, GtkWidget)

GtkWidget *ausculta_live_view_new        (void);
void       ausculta_live_view_set_channel (AuscultaLiveView *self,
                                           const char       *title,
                                           const char       *unit,
                                           double            reference);
void       ausculta_live_view_set_range  (AuscultaLiveView *self,
                                          double            db_min,
                                          double            db_max);
void       ausculta_live_view_reset      (AuscultaLiveView *self);
void       ausculta_live_view_process    (AuscultaLiveView *self,
                                          const float      *samples,
                                          gsize             n_samples,
                                          double            sample_rate);
guint      ausculta_live_view_get_n_spectra (AuscultaLiveView *self);

G_END_DECLS
