/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-waveform-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ausculta-plot.h"
#include "ausculta-waveform-view.h"

/* The signal of the last block as a min/max envelope per pixel column,
 * scaled symmetrically to its own peak (written in the corner). The
 * samples are reduced to COLUMNS ranges when set, so drawing costs the
 * same whatever the block length. */
#define COLUMNS AUSCULTA_WAVEFORM_COLUMNS

struct _AuscultaWaveformView
{
  GtkWidget            parent_instance;

  char                *title;
  char                *unit;
  AuscultaColumnRange  columns[COLUMNS];
  guint                n_columns;
  double               peak;
  double               duration;
};

G_DEFINE_FINAL_TYPE (AuscultaWaveformView, ausculta_waveform_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_UNIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
draw_envelope (AuscultaWaveformView *self,
               cairo_t              *cr,
               double                x,
               double                y,
               double                width,
               double                height)
{
  double middle = y + height / 2;
  double scale = self->peak > 0 ? (height / 2 - 2) / self->peak : 0;
  GdkRGBA blue;

  gdk_rgba_parse (&blue, AUSCULTA_PLOT_BLUE);
  gdk_cairo_set_source_rgba (cr, &blue);
  cairo_set_line_width (cr, 1.0);
  for (guint px = 0; px < (guint) width; px++)
    {
      /* Several stored columns may fall in one pixel: merge them. */
      guint c0 = px * self->n_columns / (guint) width;
      guint c1 = MAX (c0 + 1, (px + 1) * self->n_columns / (guint) width);
      float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;

      for (guint c = c0; c < c1 && c < self->n_columns; c++)
        if (self->columns[c].filled)
          {
            lo = MIN (lo, self->columns[c].min);
            hi = MAX (hi, self->columns[c].max);
          }
      if (lo > hi)
        continue;
      cairo_move_to (cr, x + px + 0.5, middle - hi * scale - 0.5);
      cairo_line_to (cr, x + px + 0.5, middle - lo * scale + 0.5);
    }
  cairo_stroke (cr);
}

static void
ausculta_waveform_view_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autofree char *peak_text = NULL;
  AuscultaPlotArea area;
  cairo_text_extents_t extents;
  GdkRGBA ink;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  ausculta_plot_area_init (&area, width, height, FALSE);
  ausculta_plot_get_ink (widget, &ink);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgba (cr, ink.red, ink.green, ink.blue, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, area.x + 0.5, area.y + 0.5, area.width - 1, area.height - 1);
  cairo_stroke (cr);
  ausculta_plot_draw_title (cr, &area, &ink, self->title);
  if (self->n_columns > 0)
    {
      draw_envelope (self, cr, area.x, area.y, area.width, area.height);
      /* Translators: the peak of the waveform shown, its unit, and the
       * duration shown in milliseconds */
      peak_text = g_strdup_printf (_("peak %.3g %s, %.0f ms"), self->peak,
                                   self->unit != NULL ? self->unit : "", self->duration * 1000);
      gdk_cairo_set_source_rgba (cr, &ink);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 10.0);
      cairo_text_extents (cr, peak_text, &extents);
      cairo_move_to (cr, area.x + area.width - extents.width - 4, area.y - 8);
      cairo_show_text (cr, peak_text);
    }
  cairo_destroy (cr);
}

static void
ausculta_waveform_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      break;
    case PROP_UNIT:
      g_free (self->unit);
      self->unit = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ausculta_waveform_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_waveform_view_finalize (GObject *object)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (object);

  g_free (self->title);
  g_free (self->unit);

  G_OBJECT_CLASS (ausculta_waveform_view_parent_class)->finalize (object);
}

static void
ausculta_waveform_view_class_init (AuscultaWaveformViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = ausculta_waveform_view_set_property;
  object_class->get_property = ausculta_waveform_view_get_property;
  object_class->finalize = ausculta_waveform_view_finalize;
  widget_class->snapshot = ausculta_waveform_view_snapshot;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "waveform-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ausculta_waveform_view_init (AuscultaWaveformView *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 100);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
ausculta_waveform_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_WAVEFORM_VIEW, NULL);
}

void
ausculta_waveform_view_set_samples (AuscultaWaveformView *self,
                                    const float          *samples,
                                    gsize                 n_samples,
                                    double                sample_rate)
{
  AuscultaColumnRange columns[COLUMNS];
  double peak;

  g_return_if_fail (AUSCULTA_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (sample_rate > 0);

  peak = ausculta_plot_reduce_samples (samples, n_samples, columns, COLUMNS);
  ausculta_waveform_view_set_columns (self, columns, (guint) MIN ((gsize) COLUMNS, n_samples),
                                      n_samples / sample_rate, peak);
}

/**
 * ausculta_waveform_view_set_columns:
 * @columns: (array length=n_columns): samples reduced by
 *   ausculta_plot_reduce_samples(), at most AUSCULTA_WAVEFORM_COLUMNS
 * @duration: seconds they span
 * @peak: the largest absolute sample
 *
 * Cheap: meant for the main thread once per frame.
 */
void
ausculta_waveform_view_set_columns (AuscultaWaveformView      *self,
                                    const AuscultaColumnRange *columns,
                                    guint                      n_columns,
                                    double                     duration,
                                    double                     peak)
{
  g_return_if_fail (AUSCULTA_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (n_columns <= COLUMNS);

  memcpy (self->columns, columns, n_columns * sizeof (AuscultaColumnRange));
  self->n_columns = n_columns;
  self->duration = duration;
  self->peak = peak;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The largest absolute sample of the block shown. */
double
ausculta_waveform_view_get_peak (AuscultaWaveformView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_WAVEFORM_VIEW (self), 0);

  return self->peak;
}
