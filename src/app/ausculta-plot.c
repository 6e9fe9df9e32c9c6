/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-plot"

#include "config.h"

#include <math.h>

#include "ausculta-plot.h"

#define MARGIN_LEFT   44.0
#define MARGIN_RIGHT  10.0
#define MARGIN_TOP    24.0
#define MARGIN_BOTTOM 22.0

void
ausculta_plot_area_init (AuscultaPlotArea *area,
                         int               widget_width,
                         int               widget_height,
                         gboolean          with_x_labels)
{
  double bottom = with_x_labels ? MARGIN_BOTTOM : 6.0;

  area->x = MARGIN_LEFT;
  area->y = MARGIN_TOP;
  area->width = MAX (1.0, widget_width - MARGIN_LEFT - MARGIN_RIGHT);
  area->height = MAX (1.0, widget_height - MARGIN_TOP - bottom);
}

double
ausculta_plot_x_for_frequency (const AuscultaPlotArea *area,
                               double                  frequency)
{
  double t = (log10 (frequency) - log10 (area->f_min))
             / (log10 (area->f_max) - log10 (area->f_min));

  return area->x + t * area->width;
}

double
ausculta_plot_frequency_for_x (const AuscultaPlotArea *area,
                               double                  x)
{
  double t = (x - area->x) / area->width;

  return pow (10.0, log10 (area->f_min) + t * (log10 (area->f_max) - log10 (area->f_min)));
}

double
ausculta_plot_y_for_value (const AuscultaPlotArea *area,
                           double                  value)
{
  double t = (value - area->v_min) / (area->v_max - area->v_min);

  t = CLAMP (t, 0.0, 1.0);
  return area->y + (1.0 - t) * area->height;
}

char *
ausculta_plot_format_frequency (double frequency)
{
  if (frequency >= 1000.0)
    return g_strdup_printf ("%.3g kHz", frequency / 1000.0);
  return g_strdup_printf ("%.3g Hz", frequency);
}

static void
show_text (cairo_t    *cr,
           double      x,
           double      y,
           double      align_x,
           const char *text)
{
  cairo_text_extents_t extents;

  cairo_text_extents (cr, text, &extents);
  cairo_move_to (cr, x - align_x * extents.width - extents.x_bearing, y);
  cairo_show_text (cr, text);
}

static void
draw_frequency_grid (cairo_t                *cr,
                     const AuscultaPlotArea *area,
                     const GdkRGBA          *ink)
{
  for (double decade = 1.0; decade <= area->f_max; decade *= 10.0)
    for (int m = 1; m <= 9; m++)
      {
        double f = decade * m;
        double x;

        if (f < area->f_min || f > area->f_max)
          continue;
        x = round (ausculta_plot_x_for_frequency (area, f)) + 0.5;
        cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, m == 1 ? 0.3 : 0.1);
        cairo_move_to (cr, x, area->y);
        cairo_line_to (cr, x, area->y + area->height);
        cairo_stroke (cr);
        if (m == 1 || m == 2 || m == 5)
          {
            g_autofree char *label = f >= 1000.0 ? g_strdup_printf ("%gk", f / 1000.0)
                                                 : g_strdup_printf ("%g", f);

            cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.8);
            show_text (cr, x, area->y + area->height + 14.0, 0.5, label);
          }
      }
}

void
ausculta_plot_draw_log_f_axes (cairo_t                *cr,
                               const AuscultaPlotArea *area,
                               const GdkRGBA          *ink,
                               double                  v_step,
                               const char             *v_unit)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 10.0);
  draw_frequency_grid (cr, area, ink);
  for (double v = ceil (area->v_min / v_step) * v_step; v <= area->v_max; v += v_step)
    {
      double y = round (ausculta_plot_y_for_value (area, v)) + 0.5;
      /* + 0.0 turns a -0 grid line into 0. */
      g_autofree char *label = g_strdup_printf ("%g", v + 0.0);

      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.12);
      cairo_move_to (cr, area->x, y);
      cairo_line_to (cr, area->x + area->width, y);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.8);
      show_text (cr, area->x - 4.0, y + 3.5, 1.0, label);
    }
  if (v_unit != NULL)
    show_text (cr, area->x - 4.0, area->y - 6.0, 1.0, v_unit);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.5);
  cairo_rectangle (cr, area->x + 0.5, area->y + 0.5, area->width - 1.0, area->height - 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
ausculta_plot_draw_title (cairo_t                *cr,
                          const AuscultaPlotArea *area,
                          const GdkRGBA          *ink,
                          const char             *title)
{
  if (title == NULL)
    return;
  cairo_save (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11.0);
  gdk_cairo_set_source_rgba (cr, ink);
  show_text (cr, area->x, area->y - 8.0, 0.0, title);
  cairo_restore (cr);
}

void
ausculta_plot_get_ink (GtkWidget *widget,
                       GdkRGBA   *ink)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), ink);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
ausculta_plot_merge_columns (const AuscultaColumnRange *in,
                             guint                      n_in,
                             AuscultaColumnRange       *out,
                             guint                      n_out)
{
  for (guint c = 0; c < n_out; c++)
    {
      guint i0 = (guint) ((guint64) c * n_in / n_out);
      guint i1 = (guint) ((guint64) (c + 1) * n_in / n_out);

      if (i1 <= i0)
        {
          i0 = (guint) ((2 * (guint64) c + 1) * n_in / (2 * (guint64) n_out));
          i1 = i0 + 1;
        }
      out[c].filled = FALSE;
      for (guint i = i0; i < i1 && i < n_in; i++)
        {
          if (!in[i].filled)
            continue;
          out[c].min = out[c].filled ? MIN (out[c].min, in[i].min) : in[i].min;
          out[c].max = out[c].filled ? MAX (out[c].max, in[i].max) : in[i].max;
          out[c].filled = TRUE;
        }
    }
}

/* Premultiplied ARGB32 of an RGBA colour. */
static guint32
premultiplied (const GdkRGBA *color)
{
  double alpha = CLAMP (color->alpha, 0.0, 1.0);

  return (guint32) round (alpha * 255) << 24 | (guint32) round (alpha * color->red * 255) << 16
         | (guint32) round (alpha * color->green * 255) << 8 | (guint32) round (alpha * color->blue * 255);
}

/* Paints a box given in device pixels, clipped to the image: opaque
 * pixels are set, translucent ones laid over what is there. */
static void
fill_box (guint32 *pixels,
          int      stride,
          int      width,
          int      height,
          double   x,
          double   y,
          double   box_width,
          double   box_height,
          guint32  pixel)
{
  int x0 = MAX (0, (int) round (x)), x1 = MIN (width, (int) round (x + box_width));
  int y0 = MAX (0, (int) round (y)), y1 = MIN (height, (int) round (y + box_height));
  guint32 keep = 255 - (pixel >> 24);

  for (int row = y0; row < y1; row++)
    for (int column = x0; column < x1; column++)
      {
        guint32 *p = &pixels[(gsize) row * stride + column];
        guint32 blended = 0;

        if (keep == 0)
          {
            *p = pixel;
            continue;
          }
        for (int shift = 0; shift < 32; shift += 8)
          blended |= (((pixel >> shift) & 0xff) + (((*p >> shift) & 0xff) * keep + 127) / 255) << shift;
        *p = blended;
      }
}

void
ausculta_plot_paint_box (cairo_surface_t        *image,
                         const AuscultaPlotArea *area,
                         double                  x,
                         double                  y,
                         double                  width,
                         double                  height,
                         const GdkRGBA          *color)
{
  double scale_x, scale_y;

  cairo_surface_flush (image);
  cairo_surface_get_device_scale (image, &scale_x, &scale_y);
  fill_box ((guint32 *) cairo_image_surface_get_data (image), cairo_image_surface_get_stride (image) / 4,
            cairo_image_surface_get_width (image), cairo_image_surface_get_height (image),
            (x - area->x) * scale_x, (y - area->y) * scale_y, width * scale_x, height * scale_y,
            premultiplied (color));
  cairo_surface_mark_dirty (image);
}

void
ausculta_plot_paint_columns (cairo_surface_t           *image,
                             const AuscultaPlotArea    *area,
                             const AuscultaColumnRange *columns,
                             guint                      n_columns,
                             double                     thickness,
                             const GdkRGBA             *color)
{
  guint32 pixel = premultiplied (color);
  double previous_top = 0, previous_bottom = 0, scale_x, scale_y;
  gboolean connected = FALSE;
  guint32 *pixels;
  int width, height, stride;

  g_return_if_fail (cairo_image_surface_get_format (image) == CAIRO_FORMAT_ARGB32
                    || cairo_image_surface_get_format (image) == CAIRO_FORMAT_RGB24);
  g_return_if_fail (color->alpha == 1.0);

  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  cairo_surface_get_device_scale (image, &scale_x, &scale_y);
  for (guint c = 0; c < n_columns; c++)
    {
      double top, bottom, from, to;

      if (!columns[c].filled || !isfinite (columns[c].min) || !isfinite (columns[c].max))
        {
          connected = FALSE;
          continue;
        }
      top = round (ausculta_plot_y_for_value (area, columns[c].max));
      bottom = round (ausculta_plot_y_for_value (area, columns[c].min));
      from = connected ? MIN (top, previous_bottom) : top;
      to = connected ? MAX (bottom, previous_top) : bottom;
      fill_box (pixels, stride, width, height, c * scale_x,
                (from - floor (thickness / 2) - area->y) * scale_y,
                thickness * scale_x, (to - from + thickness) * scale_y, pixel);
      previous_top = top;
      previous_bottom = bottom;
      connected = TRUE;
    }
  cairo_surface_mark_dirty (image);
}

void
ausculta_plot_colormap (double  t,
                        guint8 *r,
                        guint8 *g,
                        guint8 *b)
{
  /* Control points of a perceptually ordered map, dark to bright. */
  static const guint8 stops[][3] = {
    { 13, 8, 64 }, { 41, 60, 145 }, { 32, 128, 142 }, { 53, 183, 121 },
    { 170, 220, 50 }, { 253, 231, 37 },
  };
  const int last = G_N_ELEMENTS (stops) - 1;
  double position = CLAMP (t, 0.0, 1.0) * last;
  int i = MIN ((int) position, last - 1);
  double f = position - i;

  *r = (guint8) lround (stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
  *g = (guint8) lround (stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
  *b = (guint8) lround (stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
}

struct _AuscultaSpectrumSlices
{
  guint   n_points;
  double  bin_width;
  gsize  *first;   /* per point, its bins first..last */
  gsize  *last;
};

AuscultaSpectrumSlices *
ausculta_spectrum_slices_new (gsize  n_bins,
                              double bin_width,
                              double f_min,
                              double f_max,
                              guint  n_points)
{
  AuscultaSpectrumSlices *slices;
  AuscultaPlotArea axis = { .x = 0, .y = 0, .width = n_points, .height = 1,
                            .f_min = f_min, .f_max = f_max };

  g_return_val_if_fail (n_bins > 0, NULL);

  slices = g_new0 (AuscultaSpectrumSlices, 1);
  slices->n_points = n_points;
  slices->bin_width = bin_width;
  slices->first = g_new (gsize, n_points);
  slices->last = g_new (gsize, n_points);
  for (guint p = 0; p < n_points; p++)
    {
      double f0 = ausculta_plot_frequency_for_x (&axis, p);
      double f1 = ausculta_plot_frequency_for_x (&axis, p + 1);
      gsize i0 = (gsize) MAX (1.0, floor (f0 / bin_width + 0.5));
      gsize i1 = (gsize) MAX ((double) i0, floor (f1 / bin_width + 0.5));

      slices->first[p] = MIN (i0, n_bins - 1);
      slices->last[p] = MIN (i1, n_bins - 1);
    }
  return slices;
}

void
ausculta_spectrum_slices_free (AuscultaSpectrumSlices *slices)
{
  if (slices == NULL)
    return;
  g_free (slices->first);
  g_free (slices->last);
  g_free (slices);
}

void
ausculta_spectrum_slices_reduce (const AuscultaSpectrumSlices *slices,
                                 const double                 *levels,
                                 AuscultaSpectrumPoint        *points)
{
  for (guint p = 0; p < slices->n_points; p++)
    {
      gsize best = slices->first[p];

      for (gsize i = best + 1; i <= slices->last[p]; i++)
        if (levels[i] > levels[best] || !isfinite (levels[best]))
          best = i;
      points[p].frequency = best * slices->bin_width;
      points[p].level = levels[best];
    }
}

void
ausculta_plot_reduce_spectrum (const double          *levels,
                               gsize                  n_bins,
                               double                 bin_width,
                               double                 f_min,
                               double                 f_max,
                               AuscultaSpectrumPoint *points,
                               guint                  n_points)
{
  g_autoptr(AuscultaSpectrumSlices) slices = NULL;

  g_return_if_fail (n_bins > 0);

  slices = ausculta_spectrum_slices_new (n_bins, bin_width, f_min, f_max, n_points);
  ausculta_spectrum_slices_reduce (slices, levels, points);
}

double
ausculta_plot_reduce_samples (const float         *samples,
                              gsize                n,
                              AuscultaColumnRange *columns,
                              guint                n_columns)
{
  double peak = 0.0;

  n_columns = (guint) MIN ((gsize) n_columns, n);
  for (guint c = 0; c < n_columns; c++)
    columns[c].filled = FALSE;
  for (gsize i = 0; i < n; i++)
    {
      AuscultaColumnRange *column = &columns[i * n_columns / n];

      if (!isfinite (samples[i]))
        continue;
      if (!column->filled)
        {
          column->min = column->max = samples[i];
          column->filled = TRUE;
        }
      column->min = MIN (column->min, samples[i]);
      column->max = MAX (column->max, samples[i]);
      peak = MAX (peak, fabs (samples[i]));
    }
  return peak;
}
