/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-plot.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_PLOT_VIEW (ausculta_plot_view_get_type ())

G_DECLARE_DERIVABLE_TYPE (AuscultaPlotView, ausculta_plot_view, AUSCULTA, PLOT_VIEW, GtkWidget)

/* What a view draws around and under its data; it changes only with the
 * size, the style, the title or the ranges, so it is drawn once into a
 * render node that every frame reuses. */
typedef enum
{
  AUSCULTA_PLOT_FRAME_BOX,     /* a border around the data area */
  AUSCULTA_PLOT_FRAME_LEVELS,  /* log-frequency and level grids with their labels */
  AUSCULTA_PLOT_FRAME_FILLED,  /* the data area filled with the colour map's floor */
} AuscultaPlotFrame;

/* The abstract base of the spectrum, bands, spectrogram and waveform views:
 * the title and level range properties, the plot area, the cached frame,
 * and a corner text (a readout, a peak) drawn with a reused layout.
 * Subclasses set @frame in class_init and draw only their data. */
struct _AuscultaPlotViewClass
{
  GtkWidgetClass    parent_class;

  AuscultaPlotFrame frame;

  /* Appends what changes with the data, over the frame. */
  void (*snapshot_data) (AuscultaPlotView       *self,
                         GtkSnapshot            *snapshot,
                         const AuscultaPlotArea *area);

  gpointer padding[4];
};

const char *ausculta_plot_view_get_title           (AuscultaPlotView *self);
void        ausculta_plot_view_set_title           (AuscultaPlotView *self,
                                                    const char       *title);
const char *ausculta_plot_view_get_unit            (AuscultaPlotView *self);
void        ausculta_plot_view_set_unit            (AuscultaPlotView *self,
                                                    const char       *unit);
double      ausculta_plot_view_get_db_min          (AuscultaPlotView *self);
double      ausculta_plot_view_get_db_max          (AuscultaPlotView *self);
void        ausculta_plot_view_set_db_range        (AuscultaPlotView *self,
                                                    double            db_min,
                                                    double            db_max);
void        ausculta_plot_view_set_frequency_range (AuscultaPlotView *self,
                                                    double            f_min,
                                                    double            f_max);
void        ausculta_plot_view_get_area            (AuscultaPlotView *self,
                                                    AuscultaPlotArea *area);
guint       ausculta_plot_view_get_n_frames_drawn  (AuscultaPlotView *self);

/* For subclasses, from snapshot_data. */
/* A cleared, transparent image of the data area (device scale set) to draw
 * this frame's data into, then shown with ausculta_plot_view_append_data():
 * one blit instead of a cairo node replaying every shape. */
cairo_surface_t *ausculta_plot_view_begin_data     (AuscultaPlotView       *self,
                                                    const AuscultaPlotArea *area);
void        ausculta_plot_view_append_data         (AuscultaPlotView       *self,
                                                    GtkSnapshot            *snapshot,
                                                    const AuscultaPlotArea *area);
void        ausculta_plot_view_snapshot_corner_text (AuscultaPlotView       *self,
                                                     GtkSnapshot            *snapshot,
                                                     const AuscultaPlotArea *area,
                                                     const char             *text);

G_END_DECLS
