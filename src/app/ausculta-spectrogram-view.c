/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrogram-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-plot.h"
#include "ausculta-spectrogram-view.h"

/* Time runs left to right, frequency (log) bottom to top, level as colour.
 * Each spectrum pushed becomes one column of a fixed-size image, reduced to
 * the strongest bin per pixel row when it is pushed: drawing is then one
 * scaled image, whatever the FFT size. */
#define HISTORY 400
#define ROWS    AUSCULTA_SPECTROGRAM_ROWS

struct _AuscultaSpectrogramView
{
  GtkWidget        parent_instance;

  char            *title;
  cairo_surface_t *image;     /* HISTORY × ROWS, RGB24, a ring of columns */
  guint            next;      /* the column the next push writes */
  guint            n_columns; /* pushed since the last clear, up to HISTORY */
  double           f_min, f_max;
  double           db_min, db_max;
};

G_DEFINE_FINAL_TYPE (AuscultaSpectrogramView, ausculta_spectrogram_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DB_MIN,
  PROP_DB_MAX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
draw_image (AuscultaSpectrogramView *self,
            cairo_t                 *cr,
            const AuscultaPlotArea  *area)
{
  cairo_save (cr);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_clip (cr);
  cairo_translate (cr, area->x, area->y);
  cairo_scale (cr, area->width / HISTORY, area->height / ROWS);
  /* The newest column is always at the right edge. */
  if (self->n_columns < HISTORY)
    draw_slice (self, cr, 0, self->n_columns, HISTORY - self->n_columns);
  else
    {
      draw_slice (self, cr, self->next, HISTORY, 0);
      draw_slice (self, cr, 0, self->next, HISTORY - self->next);
    }
  cairo_restore (cr);
}

static void
ausculta_spectrogram_view_snapshot (GtkWidget   *widget,
                                    GtkSnapshot *snapshot)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  AuscultaPlotArea area;
  GdkRGBA ink;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  ausculta_plot_area_init (&area, width, height, FALSE);
  area.f_min = self->f_min;
  area.f_max = self->f_max;
  area.v_min = 0.0;
  area.v_max = 1.0;
  ausculta_plot_get_ink (widget, &ink);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgb (cr, 13 / 255.0, 8 / 255.0, 64 / 255.0);
  cairo_rectangle (cr, area.x, area.y, area.width, area.height);
  cairo_fill (cr);
  if (self->n_columns > 0)
    draw_image (self, cr, &area);
  ausculta_plot_draw_title (cr, &area, &ink, self->title);
  cairo_destroy (cr);
}

static void
ausculta_spectrogram_view_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PROP_DB_MIN:
      self->db_min = g_value_get_double (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PROP_DB_MAX:
      self->db_max = g_value_get_double (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_spectrogram_view_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DB_MIN:
      g_value_set_double (value, self->db_min);
      break;
    case PROP_DB_MAX:
      g_value_set_double (value, self->db_max);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_spectrogram_view_finalize (GObject *object)
{
  AuscultaSpectrogramView *self = AUSCULTA_SPECTROGRAM_VIEW (object);

  g_free (self->title);
  cairo_surface_destroy (self->image);

  G_OBJECT_CLASS (ausculta_spectrogram_view_parent_class)->finalize (object);
}

static void
ausculta_spectrogram_view_class_init (AuscultaSpectrogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = ausculta_spectrogram_view_set_property;
  object_class->get_property = ausculta_spectrogram_view_get_property;
  object_class->finalize = ausculta_spectrogram_view_finalize;
  widget_class->snapshot = ausculta_spectrogram_view_snapshot;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB_MIN] =
    g_param_spec_double ("db-min", NULL, NULL, -400.0, 400.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB_MAX] =
    g_param_spec_double ("db-max", NULL, NULL, -400.0, 400.0, 100.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "spectrogram-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ausculta_spectrogram_view_init (AuscultaSpectrogramView *self)
{
  self->image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, HISTORY, ROWS);
  self->f_min = 10.0;
  self->f_max = 24000.0;
  self->db_min = 0.0;
  self->db_max = 100.0;
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 120);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
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
  guint32 *pixels;
  int stride;

  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (n_rows == ROWS);
  g_return_if_fail (0 < f_min && f_min < f_max);

  self->f_min = f_min;
  self->f_max = f_max;
  cairo_surface_flush (self->image);
  pixels = (guint32 *) cairo_image_surface_get_data (self->image);
  stride = cairo_image_surface_get_stride (self->image) / 4;
  for (guint r = 0; r < ROWS; r++)
    {
      guint8 red, green, blue;
      double level = rows[r].level;
      double t = isfinite (level) ? (level - self->db_min) / (self->db_max - self->db_min) : 0.0;

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

  g_return_if_fail (AUSCULTA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (levels_db != NULL && n_bins > 1 && bin_width > 0);

  ausculta_plot_reduce_spectrum (levels_db, n_bins, bin_width, self->f_min, self->f_max, rows, ROWS);
  ausculta_spectrogram_view_push_rows (self, rows, ROWS, self->f_min, self->f_max);
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
