/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-live-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ausculta-bands-view.h"
#include "ausculta-live-view.h"
#include "ausculta-live-worker.h"
#include "ausculta-spectrogram-view.h"
#include "ausculta-spectrum-view.h"
#include "ausculta-waveform-view.h"

/* The live views of one channel. The DSP (16384-point spectrum, third
 * octaves, spectrogram column, waveform min/max) runs on the channel's
 * AuscultaLiveWorker thread, which gets the blocks from any thread; this
 * widget, at most once per frame clock tick, shows the newest frame it
 * made (latest wins). The tick callback runs while the motor is captured
 * and until the worker has been idle for IDLE_TICKS ticks after. */
#define IDLE_TICKS 30

struct _AuscultaLiveView
{
  GtkWidget                parent_instance;

  AuscultaSpectrumView    *spectrum_view;
  AuscultaBandsView       *bands_view;
  AuscultaSpectrogramView *spectrogram_view;
  AuscultaWaveformView    *waveform_view;

  AuscultaLiveWorker      *worker;
  guint                    tick_id;
  guint                    idle_ticks;
  gboolean                 capturing;
  GdkFrameClock           *frame_clock;   /* the one on_after_paint() is connected to */
  guint64                  n_spectra;     /* of the last frame shown */
  gint64                   shown_captured; /* capture time of a frame not painted yet, 0 if none */
  AuscultaLiveStats        stats;
};

G_DEFINE_FINAL_TYPE (AuscultaLiveView, ausculta_live_view, GTK_TYPE_WIDGET)

static void
show_frame (AuscultaLiveView        *self,
            const AuscultaLiveFrame *frame)
{
  ausculta_spectrum_view_set_points (self->spectrum_view, frame->spectrum,
                                     AUSCULTA_LIVE_SPECTRUM_POINTS, frame->f_min, frame->f_max);
  ausculta_spectrogram_view_push_rows (self->spectrogram_view, frame->rows,
                                       AUSCULTA_SPECTROGRAM_ROWS, frame->f_min, frame->f_max);
  ausculta_bands_view_set_levels (self->bands_view, frame->centres, frame->bands, frame->n_bands);
  ausculta_waveform_view_set_columns (self->waveform_view, frame->waveform, frame->n_columns,
                                      frame->duration, frame->peak);
  self->n_spectra = frame->serial;
  self->stats.n_frames_shown++;
  if (self->shown_captured == 0)
    self->shown_captured = frame->captured;
}

/* The paint that shows a frame ends its capture-to-pixel latency. */
static void
on_after_paint (GdkFrameClock    *clock,
                AuscultaLiveView *self)
{
  double latency;

  if (self->shown_captured == 0)
    return;
  latency = (g_get_monotonic_time () - self->shown_captured) / 1000.0;
  self->shown_captured = 0;
  self->stats.n_frames_painted++;
  self->stats.latency_sum_ms += latency;
  self->stats.latency_max_ms = MAX (self->stats.latency_max_ms, latency);
}

static void
watch_paints (AuscultaLiveView *self,
              GdkFrameClock    *clock)
{
  if (clock == self->frame_clock)
    return;
  /* A clock that went away with its surface may have dropped its
   * handlers already: disconnecting by function does not mind. */
  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->frame_clock, on_after_paint, self);
  g_set_object (&self->frame_clock, clock);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  AuscultaLiveView *self = AUSCULTA_LIVE_VIEW (widget);
  g_autofree AuscultaLiveFrame *frame = ausculta_live_worker_take_frame (self->worker);

  watch_paints (self, clock);
  if (frame != NULL)
    {
      show_frame (self, frame);
      self->idle_ticks = 0;
    }
  else if (!self->capturing && !ausculta_live_worker_is_busy (self->worker)
           && ++self->idle_ticks >= IDLE_TICKS)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ausculta_live_view_dispose (GObject *object)
{
  AuscultaLiveView *self = AUSCULTA_LIVE_VIEW (object);
  GtkWidget *child;

  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->frame_clock, on_after_paint, self);
  g_clear_object (&self->frame_clock);
  g_clear_pointer (&self->worker, ausculta_live_worker_free);

  G_OBJECT_CLASS (ausculta_live_view_parent_class)->dispose (object);
}

static void
ausculta_live_view_class_init (AuscultaLiveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_live_view_dispose;

  g_type_ensure (AUSCULTA_TYPE_SPECTRUM_VIEW);
  g_type_ensure (AUSCULTA_TYPE_BANDS_VIEW);
  g_type_ensure (AUSCULTA_TYPE_SPECTROGRAM_VIEW);
  g_type_ensure (AUSCULTA_TYPE_WAVEFORM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-live-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, spectrum_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, bands_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, spectrogram_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, waveform_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_live_view_init (AuscultaLiveView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = ausculta_live_worker_new ();
}

GtkWidget *
ausculta_live_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_LIVE_VIEW, NULL);
}

/* Names the channel in each view; levels are dB re @reference (@unit). */
void
ausculta_live_view_set_channel (AuscultaLiveView *self,
                                const char       *title,
                                const char       *unit,
                                double            reference)
{
  g_autofree char *spectrum_title = NULL;
  g_autofree char *bands_title = NULL;
  g_autofree char *spectrogram_title = NULL;
  g_autofree char *waveform_title = NULL;

  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));
  g_return_if_fail (reference > 0);

  ausculta_live_worker_set_reference (self->worker, reference);
  /* Translators: the title of a plot, %s is the channel (AC, vib) */
  spectrum_title = g_strdup_printf (_("%s spectrum"), title);
  bands_title = g_strdup_printf (_("%s third octaves"), title);
  spectrogram_title = g_strdup_printf (_("%s spectrogram"), title);
  waveform_title = g_strdup_printf (_("%s waveform"), title);
  g_object_set (self->spectrum_view, "title", spectrum_title, NULL);
  g_object_set (self->bands_view, "title", bands_title, NULL);
  g_object_set (self->spectrogram_view, "title", spectrogram_title, NULL);
  g_object_set (self->waveform_view, "title", waveform_title, "unit", unit, NULL);
}

/* The level axis of the spectrum, the bars and the spectrogram's colours,
 * fixed per channel so that one motor compares with the next. */
void
ausculta_live_view_set_range (AuscultaLiveView *self,
                              double            db_min,
                              double            db_max)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));
  g_return_if_fail (db_min < db_max);

  g_object_set (self->spectrum_view, "db-min", db_min, "db-max", db_max, NULL);
  g_object_set (self->bands_view, "db-min", db_min, "db-max", db_max, NULL);
  g_object_set (self->spectrogram_view, "db-min", db_min, "db-max", db_max, NULL);
}

/* A new motor: forget the previous spectra, peaks and counters. */
void
ausculta_live_view_reset (AuscultaLiveView *self)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));

  ausculta_live_worker_reset (self->worker);
  ausculta_spectrogram_view_clear (self->spectrogram_view);
  ausculta_spectrum_view_reset_peak_hold (self->spectrum_view);
  self->n_spectra = 0;
  self->shown_captured = 0;
  memset (&self->stats, 0, sizeof self->stats);
}

/* While capturing, the views take the worker's frames at every tick of
 * the frame clock; after, until the worker has been idle a while. */
void
ausculta_live_view_set_capturing (AuscultaLiveView *self,
                                  gboolean          capturing)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));

  self->capturing = capturing;
  self->idle_ticks = 0;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

/* From any thread: copies one block of calibrated samples of this channel
 * to the worker; @offset is its first frame in @run, @captured its capture
 * time (g_get_monotonic_time()). Returns at once. The views show it while
 * capturing (ausculta_live_view_set_capturing()). */
void
ausculta_live_view_push_block (AuscultaLiveView *self,
                               const char       *run,
                               const float      *samples,
                               gsize             n_frames,
                               double            sample_rate,
                               guint64           offset,
                               gint64            captured)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));
  g_return_if_fail (sample_rate > 0);

  ausculta_live_worker_push (self->worker, run, samples, n_frames, sample_rate, offset, captured);
}

/* Spectra shown since the last reset (the serial of the newest frame shown:
 * coalesced ones count, they were computed). */
guint
ausculta_live_view_get_n_spectra (AuscultaLiveView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LIVE_VIEW (self), 0);

  return (guint) self->n_spectra;
}

/* What was shown since the last reset, for the benchmark and the tests. */
void
ausculta_live_view_get_stats (AuscultaLiveView  *self,
                              AuscultaLiveStats *stats)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));

  *stats = self->stats;
  stats->n_blocks_skipped = ausculta_live_worker_get_n_skipped (self->worker);
}
