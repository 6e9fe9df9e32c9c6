/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_SCATTER_VIEW (ausculta_scatter_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaScatterView, ausculta_scatter_view, AUSCULTA, SCATTER_VIEW, GtkWidget)

GtkWidget *ausculta_scatter_view_new          (void);
/* @groups: a colour index per point (0..7); @legend: NULL-terminated names
 * of the groups, in index order. */
void       ausculta_scatter_view_set_points   (AuscultaScatterView *self,
                                               const double        *x,
                                               const double        *y,
                                               const guint8        *groups,
                                               guint                n_points,
                                               const char * const  *legend);
void       ausculta_scatter_view_set_axes     (AuscultaScatterView *self,
                                               const char          *x_title,
                                               const char          *y_title);
int        ausculta_scatter_view_pick         (AuscultaScatterView *self,
                                               double               x,
                                               double               y);
int        ausculta_scatter_view_get_selected (AuscultaScatterView *self);
void       ausculta_scatter_view_select       (AuscultaScatterView *self,
                                               int                  index);
guint      ausculta_scatter_view_get_n_points (AuscultaScatterView *self);

G_END_DECLS
