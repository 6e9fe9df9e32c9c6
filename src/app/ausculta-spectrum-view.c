/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-spectrum-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-spectrum-view.h"

/* A live spectrum on a log-frequency axis in dB, with an optional peak
 * hold trace and a cursor that reads out the frequency and level under it.
 * The spectrum arrives reduced to POINTS slices of log-frequency (by the
 * live worker, or here from bins), and is drawn as a min/max pair per
 * pixel column. */
#define POINTS 1024

struct _AuscultaSpectrumView
{
  AuscultaPlotView  parent_instance;

  GArray           *levels;        /* AuscultaSpectrumPoint, dB */
  GArray           *peaks;         /* AuscultaSpectrumPoint, dB, max since the last reset */
  gboolean          peak_hold;
  double            cursor_x;      /* widget pixels, < 0 when hidden */
};

G_DEFINE_FINAL_TYPE (AuscultaSpectrumView, ausculta_spectrum_view, AUSCULTA_TYPE_PLOT_VIEW)

enum {
  PROP_0,
  PROP_PEAK_HOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The points are equal slices of the area's log-frequency axis, so a
 * point's pixel column follows from its index alone. */
static void
paint_trace (cairo_surface_t        *image,
             const AuscultaPlotArea *area,
             const GArray           *points,
             double                  thickness,
             const char             *color)
{
  const AuscultaSpectrumPoint *point = (const AuscultaSpectrumPoint *) points->data;
  guint n_columns = (guint) ceil (area->width);
  g_autofree AuscultaColumnRange *slices = g_new (AuscultaColumnRange, points->len);
  g_autofree AuscultaColumnRange *columns = g_new (AuscultaColumnRange, n_columns);
  GdkRGBA rgba;

  for (guint i = 0; i < points->len; i++)
    {
      slices[i].min = slices[i].max = (float) point[i].level;
      slices[i].filled = isfinite (point[i].level);
    }
  ausculta_plot_merge_columns (slices, points->len, columns, n_columns);
  gdk_rgba_parse (&rgba, color);
  ausculta_plot_paint_columns (image, area, columns, n_columns, thickness, &rgba);
}

static void
ausculta_spectrum_view_snapshot_data (AuscultaPlotView       *view,
                                      GtkSnapshot            *snapshot,
                                      const AuscultaPlotArea *area)
{
  AuscultaSpectrumView *self = AUSCULTA_SPECTRUM_VIEW (view);
  g_autofree char *readout = NULL;
  gboolean cursor = self->cursor_x >= area->x && self->cursor_x <= area->x + area->width;
  cairo_surface_t *image;
  GdkRGBA ink;

  if (self->levels->len < 2 && !cursor)
    return;
  image = ausculta_plot_view_begin_data (view, area);
  if (self->peak_hold && self->peaks->len > 1)
    paint_trace (image, area, self->peaks, 1.0, AUSCULTA_PLOT_ORANGE);
  if (self->levels->len > 1)
    paint_trace (image, area, self->levels, 2.0, AUSCULTA_PLOT_BLUE);
  ausculta_plot_view_append_data (view, snapshot, area);
  if (cursor)
    {
      ausculta_plot_get_ink (GTK_WIDGET (self), &ink);
      gtk_snapshot_append_color (snapshot, &ink, &GRAPHENE_RECT_INIT (round (self->cursor_x), area->y, 1.0, area->height));
    }
  readout = cursor ? ausculta_spectrum_view_dup_readout_text (self) : NULL;
  if (readout != NULL)
    ausculta_plot_view_snapshot_corner_text (view, snapshot, area, readout);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AuscultaSpectrumView     *self)
{
  ausculta_spectrum_view_set_cursor (self, x);
}

static void
on_leave (GtkEventControllerMotion *controller,
          AuscultaSpectrumView     *self)
{
  ausculta_spectrum_view_set_cursor (self, -1.0);
}

static void
move_cursor (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AuscultaSpectrumView *self = AUSCULTA_SPECTRUM_VIEW (widget);
  AuscultaPlotArea area;
  double x;

  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  x = self->cursor_x < 0 ? area.x + area.width / 2 : self->cursor_x;
  x = CLAMP (x + g_variant_get_int32 (parameter), area.x, area.x + area.width);
  ausculta_spectrum_view_set_cursor (self, x);
}

static void
ausculta_spectrum_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AuscultaSpectrumView *self = AUSCULTA_SPECTRUM_VIEW (object);

  switch (prop_id)
    {
    case PROP_PEAK_HOLD:
      if (self->peak_hold == g_value_get_boolean (value))
        return;
      self->peak_hold = g_value_get_boolean (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_spectrum_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AuscultaSpectrumView *self = AUSCULTA_SPECTRUM_VIEW (object);

  switch (prop_id)
    {
    case PROP_PEAK_HOLD:
      g_value_set_boolean (value, self->peak_hold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_spectrum_view_finalize (GObject *object)
{
  AuscultaSpectrumView *self = AUSCULTA_SPECTRUM_VIEW (object);

  g_array_unref (self->levels);
  g_array_unref (self->peaks);

  G_OBJECT_CLASS (ausculta_spectrum_view_parent_class)->finalize (object);
}

static void
ausculta_spectrum_view_class_init (AuscultaSpectrumViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AuscultaPlotViewClass *plot_class = AUSCULTA_PLOT_VIEW_CLASS (klass);

  object_class->set_property = ausculta_spectrum_view_set_property;
  object_class->get_property = ausculta_spectrum_view_get_property;
  object_class->finalize = ausculta_spectrum_view_finalize;
  plot_class->frame = AUSCULTA_PLOT_FRAME_LEVELS;
  plot_class->snapshot_data = ausculta_spectrum_view_snapshot_data;

  properties[PROP_PEAK_HOLD] =
    g_param_spec_boolean ("peak-hold", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "spectrum.move-cursor", "i", move_cursor);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0,
                                       "spectrum.move-cursor", "i", -4);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0,
                                       "spectrum.move-cursor", "i", 4);
  gtk_widget_class_set_css_name (widget_class, "spectrum-view");
}

static void
ausculta_spectrum_view_init (AuscultaSpectrumView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->levels = g_array_new (FALSE, FALSE, sizeof (AuscultaSpectrumPoint));
  self->peaks = g_array_new (FALSE, FALSE, sizeof (AuscultaSpectrumPoint));
  self->peak_hold = TRUE;
  self->cursor_x = -1.0;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 160);
  ausculta_plot_view_set_unit (AUSCULTA_PLOT_VIEW (self), _("dB"));
}

GtkWidget *
ausculta_spectrum_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_SPECTRUM_VIEW, NULL);
}

/**
 * ausculta_spectrum_view_set_points:
 * @points: (array length=n_points): a spectrum reduced by
 *   ausculta_plot_reduce_spectrum() over @f_min..@f_max
 *
 * Shows a new spectrum and folds it into the peak hold trace (which
 * restarts when the number of points or the axis changes). Cheap: meant
 * for the main thread once per frame.
 */
void
ausculta_spectrum_view_set_points (AuscultaSpectrumView        *self,
                                   const AuscultaSpectrumPoint *points,
                                   guint                        n_points,
                                   double                       f_min,
                                   double                       f_max)
{
  AuscultaPlotArea area;

  g_return_if_fail (AUSCULTA_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (points != NULL || n_points == 0);
  g_return_if_fail (0 < f_min && f_min < f_max);

  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  if (n_points != self->peaks->len || f_min != area.f_min || f_max != area.f_max)
    {
      g_array_set_size (self->peaks, 0);
      g_array_append_vals (self->peaks, points, n_points);
    }
  else
    {
      AuscultaSpectrumPoint *peaks = (AuscultaSpectrumPoint *) self->peaks->data;

      for (guint i = 0; i < n_points; i++)
        if (points[i].level > peaks[i].level)
          peaks[i] = points[i];
    }
  g_array_set_size (self->levels, 0);
  g_array_append_vals (self->levels, points, n_points);
  ausculta_plot_view_set_frequency_range (AUSCULTA_PLOT_VIEW (self), f_min, f_max);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ausculta_spectrum_view_set_spectrum:
 * @levels_db: (array length=n_bins): levels of bins 0..n_bins-1, in dB
 * @bin_width: the frequency step between bins, in Hz
 *
 * Reduces the bins (from 10 Hz to the last bin) and shows them as
 * ausculta_spectrum_view_set_points() does.
 */
void
ausculta_spectrum_view_set_spectrum (AuscultaSpectrumView *self,
                                     const double         *levels_db,
                                     gsize                 n_bins,
                                     double                bin_width)
{
  AuscultaSpectrumPoint points[POINTS];
  double f_max;

  g_return_if_fail (AUSCULTA_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (levels_db != NULL && n_bins > 1);
  g_return_if_fail (bin_width > 0);

  f_max = MAX (100.0, (n_bins - 1) * bin_width);
  ausculta_plot_reduce_spectrum (levels_db, n_bins, bin_width, 10.0, f_max, points, POINTS);
  ausculta_spectrum_view_set_points (self, points, POINTS, 10.0, f_max);
}

void
ausculta_spectrum_view_reset_peak_hold (AuscultaSpectrumView *self)
{
  g_return_if_fail (AUSCULTA_IS_SPECTRUM_VIEW (self));

  g_array_set_size (self->peaks, 0);
  g_array_append_vals (self->peaks, self->levels->data, self->levels->len);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Places the cursor at widget coordinate @x; a negative @x hides it. */
void
ausculta_spectrum_view_set_cursor (AuscultaSpectrumView *self,
                                   double                x)
{
  g_return_if_fail (AUSCULTA_IS_SPECTRUM_VIEW (self));

  self->cursor_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ausculta_spectrum_view_get_readout:
 *
 * The frequency and level of the strongest bin within two pixels of the
 * cursor (or the bin under it where bins are wider than a pixel).
 *
 * Returns: FALSE when there is no cursor or no spectrum.
 */
gboolean
ausculta_spectrum_view_get_readout (AuscultaSpectrumView *self,
                                    double               *frequency,
                                    double               *level_db)
{
  const AuscultaSpectrumPoint *points = (const AuscultaSpectrumPoint *) self->levels->data;
  AuscultaPlotArea area;
  double nearest = G_MAXDOUBLE;
  const AuscultaSpectrumPoint *best = NULL;

  g_return_val_if_fail (AUSCULTA_IS_SPECTRUM_VIEW (self), FALSE);

  if (self->cursor_x < 0 || self->levels->len < 2)
    return FALSE;
  ausculta_plot_view_get_area (AUSCULTA_PLOT_VIEW (self), &area);
  /* The strongest point within two pixels, else the nearest one. */
  for (guint i = 0; i < self->levels->len; i++)
    {
      double distance;

      if (points[i].frequency <= 0)
        continue;
      distance = fabs (ausculta_plot_x_for_frequency (&area, points[i].frequency) - self->cursor_x);
      if (distance <= 2.0 && (best == NULL || nearest > 2.0 || points[i].level > best->level))
        {
          best = &points[i];
          nearest = distance;
        }
      else if (distance < nearest && nearest > 2.0)
        {
          best = &points[i];
          nearest = distance;
        }
    }
  if (best == NULL)
    return FALSE;
  *frequency = best->frequency;
  *level_db = best->level;
  return TRUE;
}

/* "1.25 kHz  −42.3 dB", or NULL without a readout. */
char *
ausculta_spectrum_view_dup_readout_text (AuscultaSpectrumView *self)
{
  g_autofree char *frequency_text = NULL;
  double frequency, level;

  if (!ausculta_spectrum_view_get_readout (self, &frequency, &level))
    return NULL;
  frequency_text = ausculta_plot_format_frequency (frequency);
  return g_strdup_printf (_("%s  %.1f dB"), frequency_text, level);
}
