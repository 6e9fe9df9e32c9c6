/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-waveform-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ausculta-waveform-view.h"

/* The signal of the last block as a min/max envelope per pixel column,
 * scaled symmetrically to its own peak. The samples are reduced to COLUMNS
 * ranges when set, so drawing costs the same whatever the block length.
 * The corner tells the largest peak of the blocks of each PEAK_HOLD_US:
 * a number changing at every block could not be read. */
#define COLUMNS      AUSCULTA_WAVEFORM_COLUMNS
#define PEAK_HOLD_US (G_USEC_PER_SEC / 4)

struct _AuscultaWaveformView
{
  AuscultaPlotView     parent_instance;

  AuscultaColumnRange  columns[COLUMNS];
  guint                n_columns;
  double               peak;
  double               duration;
  double               held_peak;   /* the largest since the corner text was written */
  double               text_peak;   /* the one it tells */
  gint64               written;     /* when it was written, 0 before */
  char                *peak_text;
};

G_DEFINE_FINAL_TYPE (AuscultaWaveformView, ausculta_waveform_view, AUSCULTA_TYPE_PLOT_VIEW)

static void
ausculta_waveform_view_snapshot_data (AuscultaPlotView       *view,
                                      GtkSnapshot            *snapshot,
                                      const AuscultaPlotArea *area)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (view);
  guint n_pixels = (guint) area->width;
  g_autofree AuscultaColumnRange *pixels = g_new (AuscultaColumnRange, n_pixels);
  AuscultaPlotArea symmetric = *area;
  /* Symmetric about zero, the peak 2 pixels inside the border. */
  double half = self->peak > 0 ? self->peak * area->height / (area->height - 4.0) : 1.0;
  GdkRGBA blue;

  if (self->n_columns == 0 || n_pixels == 0)
    return;
  symmetric.v_min = -half;
  symmetric.v_max = half;
  ausculta_plot_merge_columns (self->columns, self->n_columns, pixels, n_pixels);
  gdk_rgba_parse (&blue, AUSCULTA_PLOT_BLUE);
  ausculta_plot_paint_columns (ausculta_plot_view_begin_data (view, area), &symmetric, pixels, n_pixels,
                               1.0, &blue);
  ausculta_plot_view_append_data (view, snapshot, area);
  ausculta_plot_view_snapshot_corner_text (view, snapshot, area, self->peak_text);
}

static void
write_peak_text (AuscultaWaveformView *self)
{
  const char *unit = ausculta_plot_view_get_unit (AUSCULTA_PLOT_VIEW (self));

  g_free (self->peak_text);
  /* Translators: the peak of the waveform shown, its unit, and the
   * duration shown in milliseconds */
  self->peak_text = g_strdup_printf (_("peak %.3g %s, %.0f ms"), self->text_peak,
                                     unit != NULL ? unit : "", self->duration * 1000);
}

/* The unit is the base's: the peak text follows it. */
static void
on_unit (AuscultaWaveformView *self)
{
  write_peak_text (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ausculta_waveform_view_finalize (GObject *object)
{
  AuscultaWaveformView *self = AUSCULTA_WAVEFORM_VIEW (object);

  g_free (self->peak_text);

  G_OBJECT_CLASS (ausculta_waveform_view_parent_class)->finalize (object);
}

static void
ausculta_waveform_view_class_init (AuscultaWaveformViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaPlotViewClass *plot_class = AUSCULTA_PLOT_VIEW_CLASS (klass);

  object_class->finalize = ausculta_waveform_view_finalize;
  plot_class->frame = AUSCULTA_PLOT_FRAME_BOX;
  plot_class->snapshot_data = ausculta_waveform_view_snapshot_data;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "waveform-view");
}

static void
ausculta_waveform_view_init (AuscultaWaveformView *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 100);
  g_signal_connect (self, "notify::unit", G_CALLBACK (on_unit), NULL);
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
  gint64 now;

  g_return_if_fail (AUSCULTA_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (n_columns <= COLUMNS);

  memcpy (self->columns, columns, n_columns * sizeof (AuscultaColumnRange));
  self->n_columns = n_columns;
  self->duration = duration;
  self->peak = peak;
  self->held_peak = MAX (self->held_peak, peak);
  now = g_get_monotonic_time ();
  if (self->written == 0 || now - self->written >= PEAK_HOLD_US)
    {
      self->text_peak = self->held_peak;
      self->held_peak = 0.0;
      self->written = now;
      write_peak_text (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The largest absolute sample of the block shown. */
double
ausculta_waveform_view_get_peak (AuscultaWaveformView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_WAVEFORM_VIEW (self), 0);

  return self->peak;
}
