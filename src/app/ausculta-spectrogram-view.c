/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrogram-view"

#include "config.h"

#include <math.h>

#include "ausculta-spectrogram-view.h"

/* Time runs left to right, frequency (log) bottom to top, level as colour.
 * Each spectrum pushed becomes one column of a fixed-size ring of pixels,
 * reduced to the strongest bin per pixel row when it is pushed: drawing is
 * then one scaled image, whatever the FFT size. The frame's render node
 * keeps the image it drew from (cairo copies an image a recording still
 * uses before it is written to): two images take turns, so the one written
 * is never the one the previous frame uses, and each gets only the columns
 * pushed since its last turn. */
#define HISTORY 400
#define ROWS    AUSCULTA_SPECTROGRAM_ROWS

struct _AuscultaSpectrogramView
{
  AuscultaPlotView  parent_instance;

  guint32          *pixels;    /* ROWS × HISTORY, RGB24, a ring of columns */
  cairo_surface_t  *images[2]; /* HISTORY × ROWS copies of it, taking turns */
  guint64           synced[2]; /* pushes each image holds */
  guint             turn;      /* the image the next frame draws */
  guint64           n_pushed;  /* since the last clear */
  guint             next;      /* the column the next push writes */
  guint             n_columns; /* pushed since the last clear, up to HISTORY */
};

G_DEFINE_FINAL_TYPE (AuscultaSpectrogramView, ausculta_spectrogram_view, AUSCULTA_TYPE_PLOT_VIEW)

/* Brings this turn's image up to date: the columns pushed since it was
 * last drawn. */
static cairo_surface_t *
sync_image (AuscultaSpectrogramView *self)
{
  cairo_surface_t *image = self->images[self->turn];
  guint64 missing = MIN (self->n_pushed - self->synced[self->turn], (guint64) HISTORY);
  guint32 *pixels;
  int stride;

  self->synced[self->turn] = self->n_pushed;
  self->turn = 1 - self->turn;
  if (missing == 0)
    return image;
  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  for (guint64 i = 0; i < missing; i++)
    {
      guint column = (self->next + HISTORY - 1 - (guint) i) % HISTORY;

      for (guint r = 0; r < ROWS; r++)
        pixels[r * stride + column] = self->pixels[r * HISTORY + column];
    }
  cairo_surface_mark_dirty (image);
  return image;
}

static void
ausculta_spectrogram_view_snapshot_data (AuscultaPlotView       *view,
                                         GtkSnapshot            *snapshot,
                                         const AuscultaPlotArea *area)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (view);
  cairo_surface_t *image;
  cairo_t *cr;

  if (self->n_columns == 0)
    return;
  image = sync_image (self);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (area->x, area->y, area->width, area->height));
  cairo_translate (cr, area->x, area->y);
  cairo_scale (cr, area->width / HISTORY, area->height / ROWS);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  /* The ring repeated from its oldest column on puts the newest column at
   * the right edge, in one piece: no seam where the ring wraps. */
  cairo_set_source_surface (cr, image, -(double) self->next, 0);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_REPEAT);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, HISTORY - self->n_columns, 0, self->n_columns, ROWS);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
ausculta_spectrogram_view_finalize (GObject *object)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (object);

  cairo_surface_destroy (self->images[0]);
  cairo_surface_destroy (self->images[1]);
  g_free (self->pixels);

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
  self->pixels = g_new0 (guint32, (gsize) ROWS * HISTORY);
  self->images[0] = cairo_image_surface_create (CAIRO_FORMAT_RGB24, HISTORY, ROWS);
  self->images[1] = cairo_image_surface_create (CAIRO_FORMAT_RGB24, HISTORY, ROWS);
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

  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (n_rows == ROWS);
  g_return_if_fail (0 < f_min && f_min < f_max);

  ausculta_plot_view_set_frequency_range (AUSCULTA_PLOT_VIEW (self), f_min, f_max);
  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  for (guint r = 0; r < ROWS; r++)
    {
      guint8 red, green, blue;
      double level = rows[r].level;
      double t = isfinite (level) ? (level - area.v_min) / (area.v_max - area.v_min) : 0.0;

      ausculta_plot_colormap (t, &red, &green, &blue);
      self->pixels[(ROWS - 1 - r) * HISTORY + self->next] = (guint32) red << 16 | (guint32) green << 8 | blue;
    }
  self->n_pushed++;
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
  self->n_pushed = 0;
  self->synced[0] = self->synced[1] = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ausculta_spectrogram_view_get_n_columns (AuscultaSpectrogramView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self), 0);

  return self->n_columns;
}
