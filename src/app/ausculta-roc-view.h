/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_ROC_VIEW (ausculta_roc_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaRocView, ausculta_roc_view, AUSCULTA, ROC_VIEW, GtkWidget)

GtkWidget *ausculta_roc_view_new       (void);
/* @roc: AuscultaRocPoint values, fpr increasing (copied); NULL clears. */
void       ausculta_roc_view_set_curve (AuscultaRocView *self,
                                        GArray          *roc);
/* The operating point marked on the curve (false-reject rate, recall of
 * bad units), or NaN for none. */
void       ausculta_roc_view_set_point (AuscultaRocView *self,
                                        double           fpr,
                                        double           tpr);

G_END_DECLS
