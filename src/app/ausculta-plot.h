/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the plot widgets share: the plot area inside the axes, the mapping
 * of log-frequency and level to pixels, axes with labels, colours, and the
 * reduction of many points to a min/max pair per pixel column. */
typedef struct
{
  double x, y, width, height;   /* the data area, in widget pixels */
  double f_min, f_max;          /* Hz, log axis */
  double v_min, v_max;          /* level, linear axis (dB or units) */
} AuscultaPlotArea;

typedef struct
{
  float min;
  float max;
  gboolean filled;
} AuscultaColumnRange;

void    ausculta_plot_area_init         (AuscultaPlotArea  *area,
                                         int                widget_width,
                                         int                widget_height,
                                         gboolean           with_x_labels);
double  ausculta_plot_x_for_frequency   (const AuscultaPlotArea *area,
                                         double             frequency);
double  ausculta_plot_frequency_for_x   (const AuscultaPlotArea *area,
                                         double             x);
double  ausculta_plot_y_for_value       (const AuscultaPlotArea *area,
                                         double             value);
void    ausculta_plot_draw_log_f_axes   (cairo_t           *cr,
                                         const AuscultaPlotArea *area,
                                         const GdkRGBA     *ink,
                                         double             v_step,
                                         const char        *v_unit);
void    ausculta_plot_draw_title        (cairo_t           *cr,
                                         const AuscultaPlotArea *area,
                                         const GdkRGBA     *ink,
                                         const char        *title);
void    ausculta_plot_get_ink           (GtkWidget         *widget,
                                         GdkRGBA           *ink);
char   *ausculta_plot_format_frequency  (double             frequency);

/* Merges @n_in column ranges into @n_out of them, whichever is larger:
 * an output column takes the input columns under it, or the one under its
 * centre when it is narrower than an input column. */
void    ausculta_plot_merge_columns     (const AuscultaColumnRange *in,
                                         guint              n_in,
                                         AuscultaColumnRange *out,
                                         guint              n_out);
/* Writes the columns straight into @image, an ARGB32 (or RGB24) image of
 * the area (its pixel 0, 0 at the area's corner, any device scale), in the
 * opaque @color: column c is one box from its max to its min level,
 * stretched to meet the previous column so that the trace stays connected,
 * @thickness pixels wide and at least as tall, without antialiasing.
 * Hundreds of small boxes through cairo's path filling cost about ten
 * times as much. */
void    ausculta_plot_paint_columns     (cairo_surface_t           *image,
                                         const AuscultaPlotArea    *area,
                                         const AuscultaColumnRange *columns,
                                         guint                      n_columns,
                                         double                     thickness,
                                         const GdkRGBA             *color);
/* Paints a box (in the widget's coordinates, like @area) into @image, an
 * ARGB32 image of the area as above, rounded to whole device pixels; a
 * translucent @color is laid over what is there. */
void    ausculta_plot_paint_box         (cairo_surface_t           *image,
                                         const AuscultaPlotArea    *area,
                                         double                     x,
                                         double                     y,
                                         double                     width,
                                         double                     height,
                                         const GdkRGBA             *color);

/* One point of a spectrum reduced for the screen: the strongest bin of a
 * slice of log-frequency, at its own frequency. */
typedef struct
{
  double frequency;
  double level;
} AuscultaSpectrumPoint;

/* Reduces bins 0..n_bins-1 (bin_width Hz apart, bin 0 ignored) to
 * n_points equal slices of log-frequency between f_min and f_max: the
 * strongest bin in each, or the bin under the slice where bins are wider
 * than slices. Pure: safe from any thread. */
void    ausculta_plot_reduce_spectrum   (const double      *levels,
                                         gsize              n_bins,
                                         double             bin_width,
                                         double             f_min,
                                         double             f_max,
                                         AuscultaSpectrumPoint *points,
                                         guint              n_points);
/* The same reduction with the slices' bins worked out once for a
 * spectrum's size and range: the live views reduce 120 spectra a second,
 * and placing the slices costs three logarithms or powers each. */
typedef struct _AuscultaSpectrumSlices AuscultaSpectrumSlices;

AuscultaSpectrumSlices *ausculta_spectrum_slices_new    (gsize                         n_bins,
                                                         double                        bin_width,
                                                         double                        f_min,
                                                         double                        f_max,
                                                         guint                         n_points);
void                    ausculta_spectrum_slices_free   (AuscultaSpectrumSlices       *slices);
void                    ausculta_spectrum_slices_reduce (const AuscultaSpectrumSlices *slices,
                                                         const double                 *levels,
                                                         AuscultaSpectrumPoint        *points);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaSpectrumSlices, ausculta_spectrum_slices_free)
/* Reduces n samples to one min/max range per column (n_columns of them,
 * fewer when there are fewer samples); returns the largest absolute
 * finite sample. Pure: safe from any thread. */
double  ausculta_plot_reduce_samples    (const float       *samples,
                                         gsize              n,
                                         AuscultaColumnRange *columns,
                                         guint              n_columns);

/* A dark-blue → green → yellow colour map for t in 0..1. */
void    ausculta_plot_colormap          (double             t,
                                         guint8            *r,
                                         guint8            *g,
                                         guint8            *b);

#define AUSCULTA_PLOT_BLUE   "#3584e4"
#define AUSCULTA_PLOT_ORANGE "#ff7800"
#define AUSCULTA_PLOT_RED    "#e01b24"
#define AUSCULTA_PLOT_GREEN  "#2ec27e"

G_END_DECLS
