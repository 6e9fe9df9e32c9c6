/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrogram-view"

#include "config.h"

#include <math.h>

#include "ausculta-spectrogram-view.h"

/* Time runs left to right, frequency (log) bottom to top, level as colour.
 * Each spectrum pushed becomes one column of a fixed-size image, reduced to
 * the strongest bin per pixel row when it is pushed: drawing is then one
 * scaled image, whatever the FFT size. */
#define HISTORY 400
#define ROWS    AUSCULTA_SPECTROGRAM_ROWS

struct _AuscultaSpectrogramView
{
  AuscultaPlotView  parent_instance;

  cairo_surface_t  *image;     /* HISTORY × ROWS, RGB24, a ring of columns */
  guint             next;      /* the column the next push writes */
  guint             n_columns; /* pushed since the last clear, up to HISTORY */
};

G_DEFINE_FINAL_TYPE (AuscultaSpectrogramView, ausculta_spectrogram_view, AUSCULTA_TYPE_PLOT_VIEW)

/* Copies image columns [from, to) to destination column dest. */
static void
draw_slice (AuscultaSpectrogramView *self,
            cairo_t                 *cr,
            guint                    from,
            guint                    to,
            guint                    dest)
{
  if (to <= from)
    return;
  cairo_set_source_surface (cr, self->image, (double) dest - from, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, dest, 0, to - from, ROWS);
  cairo_fill (cr);
}

static void
ausculta_spectrogram_view_snapshot_data (AuscultaPlotView       *view,
                                         GtkSnapshot            *snapshot,
                                         const AuscultaPlotArea *area)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (view);
  cairo_t *cr;

  if (self->n_columns == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (area->x, area->y, area->width, area->height));
  cairo_translate (cr, area->x, area->y);
  cairo_scale (cr, area->width / HISTORY, area->height / ROWS);
  /* Both slices snap to whole pixels: no seam where they meet. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  /* The newest column is always at the right edge. */
  if (self->n_columns < HISTORY)
    draw_slice (self, cr, 0, self->n_columns, HISTORY - self->n_columns);
  else
    {
      draw_slice (self, cr, self->next, HISTORY, 0);
      draw_slice (self, cr, 0, self->next, HISTORY - self->next);
    }
  cairo_destroy (cr);
}

static void
ausculta_spectrogram_view_finalize (GObject *object)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (object);

  cairo_surface_destroy (self->image);

  G_OBJECT_CLASS (ausculta_spectrogram_view_parent_class)->finalize (object);
}

static void
ausculta_spectrogram_view_class_init (AuscultaSpectrogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaPlotViewClass *plot_class = AUSCULTA_PLOT_VIEW_CLASS (klass);

  object_class->finalize = ausculta_spectrogram_view_finalize;
  plot_class->frame = AUSCULTA_PLOT_FRAME_FILLED;
  plot_class->snapshot_data = ausculta_spectrogram_view_snapshot_data;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "spectrogram-view");
}

static void
ausculta_spectrogram_view_init (AuscultaSpectrogramView *self)
{
  self->image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, HISTORY, ROWS);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 120);
}

GtkWidget *
ausculta_spectrogram_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_SPECTROGRAM_VIEW, NULL);
}

/**
 * ausculta_spectrogram_view_push_rows:
 * @rows: (array length=n_rows): AUSCULTA_SPECTROGRAM_ROWS points reduced
 *   by ausculta_plot_reduce_spectrum() over @f_min..@f_max, lowest first
 *
 * Appends one column. Cheap: meant for the main thread once per frame.
 */
void
ausculta_spectrogram_view_push_rows (AuscultaSpectrogramView     *self,
                                     const AuscultaSpectrumPoint *rows,
                                     guint                        n_rows,
                                     double                       f_min,
                                     double                       f_max)
{
  AuscultaPlotArea area;
  guint32 *pixels;
  int stride;

  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (n_rows == ROWS);
  g_return_if_fail (0 < f_min && f_min < f_max);

  ausculta_plot_view_set_frequency_range (AUSCULTA_PLOT_VIEW (self), f_min, f_max);
  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  cairo_surface_flush (self->image);
  pixels = (guint32 *) cairo_image_surface_get_data (self->image);
  stride = cairo_image_surface_get_stride (self->image) / 4;
  for (guint r = 0; r < ROWS; r++)
    {
      guint8 red, green, blue;
      double level = rows[r].level;
      double t = isfinite (level) ? (level - area.v_min) / (area.v_max - area.v_min) : 0.0;

      ausculta_plot_colormap (t, &red, &green, &blue);
      pixels[(ROWS - 1 - r) * stride + self->next] = (guint32) red << 16 | (guint32) green << 8 | blue;
    }
  cairo_surface_mark_dirty (self->image);
  self->next = (self->next + 1) % HISTORY;
  self->n_columns = MIN (self->n_columns + 1, HISTORY);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Appends one spectrum as the newest column (the oldest scrolls out). */
void
ausculta_spectrogram_view_push (AuscultaSpectrogramView *self,
                                const double            *levels_db,
                                gsize                    n_bins,
                                double                   bin_width)
{
  AuscultaSpectrumPoint rows[ROWS];
  AuscultaPlotArea area;

  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (levels_db != NULL && n_bins > 1 && bin_width > 0);

  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  ausculta_plot_reduce_spectrum (levels_db, n_bins, bin_width, area.f_min, area.f_max, rows, ROWS);
  ausculta_spectrogram_view_push_rows (self, rows, ROWS, area.f_min, area.f_max);
}

void
ausculta_spectrogram_view_clear (AuscultaSpectrogramView *self)
{
  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));

  self->next = 0;
  self->n_columns = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ausculta_spectrogram_view_get_n_columns (AuscultaSpectrogramView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self), 0);

  return self->n_columns;
}
