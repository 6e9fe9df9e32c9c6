/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-level-meter"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-level-meter.h"
#include "ausculta-source-spec.h"

#define HOLD_US       (2 * G_USEC_PER_SEC)
#define BLOCK_FRAMES  1024

struct _AuscultaLevelMeter
{
  GtkWidget parent_instance;

  double    level;      /* dBFS */
  double    hold;       /* dBFS */
  gint64    hold_time;  /* monotonic µs */
};

G_DEFINE_FINAL_TYPE (AuscultaLevelMeter, ausculta_level_meter, GTK_TYPE_WIDGET)

static double
fraction_of (double dbfs)
{
  return CLAMP ((dbfs - AUSCULTA_LEVEL_METER_FLOOR_DB) / -AUSCULTA_LEVEL_METER_FLOOR_DB, 0.0, 1.0);
}

static void
ausculta_level_meter_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  AuscultaLevelMeter *self = AUSCULTA_LEVEL_METER (widget);
  float width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA trough, bar, hold;
  float filled = width * fraction_of (self->level);

  gdk_rgba_parse (&trough, "rgba(128,128,128,0.25)");
  /* green up to -12 dBFS, amber to -3, red above: a calibrator belongs in the green */
  gdk_rgba_parse (&bar, self->level > -3.0 ? "#e01b24" : self->level > -12.0 ? "#e5a50a" : "#2ec27e");
  gdk_rgba_parse (&hold, self->hold > -3.0 ? "#e01b24" : "#3584e4");
  gtk_snapshot_append_color (snapshot, &trough, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_append_color (snapshot, &bar, &GRAPHENE_RECT_INIT (0, 0, filled, height));
  if (self->hold > AUSCULTA_LEVEL_METER_FLOOR_DB)
    gtk_snapshot_append_color (snapshot, &hold,
                               &GRAPHENE_RECT_INIT (MAX (0.f, width * fraction_of (self->hold) - 2.f),
                                                    0, 2, height));
}

static void
ausculta_level_meter_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 10;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 10;
}

static void
ausculta_level_meter_class_init (AuscultaLevelMeterClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = ausculta_level_meter_snapshot;
  widget_class->measure = ausculta_level_meter_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
ausculta_level_meter_init (AuscultaLevelMeter *self)
{
  self->level = self->hold = AUSCULTA_LEVEL_METER_FLOOR_DB;
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, AUSCULTA_LEVEL_METER_FLOOR_DB,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
                                  -1);
}

GtkWidget *
ausculta_level_meter_new (void)
{
  return g_object_new (AUSCULTA_TYPE_LEVEL_METER, NULL);
}

/* The latest peak; the hold keeps the highest for two seconds. */
void
ausculta_level_meter_set_level (AuscultaLevelMeter *self,
                                double              dbfs)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;

  g_return_if_fail (AUSCULTA_IS_LEVEL_METER (self));

  self->level = MAX (dbfs, AUSCULTA_LEVEL_METER_FLOOR_DB);
  if (self->level >= self->hold || now - self->hold_time > HOLD_US)
    {
      self->hold = self->level;
      self->hold_time = now;
    }
  /* Translators: a level meter read aloud: peak, then peak hold, in dB full scale */
  text = g_strdup_printf (_("%.1f dBFS, hold %.1f dBFS"), self->level, self->hold);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, self->level,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ausculta_level_meter_get_level (AuscultaLevelMeter *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LEVEL_METER (self), AUSCULTA_LEVEL_METER_FLOOR_DB);
  return self->level;
}

double
ausculta_level_meter_get_hold (AuscultaLevelMeter *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LEVEL_METER (self), AUSCULTA_LEVEL_METER_FLOOR_DB);
  return self->hold;
}

/* ------------------------------------------------------------------ */

struct _AuscultaLevelProbe
{
  AuscultaSource *source;
  GThread        *thread;
  gint            stopping;
  guint           n_channels;
  double          sample_rate;

  GMutex          lock;          /* guards what follows */
  double          peaks[AUSCULTA_SOURCE_MAX_CHANNELS];   /* linear, since the last get */
  char           *error;
  GTask          *capture;       /* pending capture, if any */
  guint           capture_channel;
  gsize           capture_frames;
  GArray         *captured;      /* float */
};

/* Feeds a block to the peaks and to a pending capture; returns the
 * capture once complete (to be returned outside the lock). */
static GTask *
take_block (AuscultaLevelProbe *probe,
            const float        *frames,
            gsize               n_frames)
{
  GTask *done = NULL;

  g_mutex_lock (&probe->lock);
  for (gsize i = 0; i < n_frames; i++)
    for (guint c = 0; c < probe->n_channels; c++)
      probe->peaks[c] = MAX (probe->peaks[c], fabs (frames[i * probe->n_channels + c]));
  if (probe->capture != NULL)
    {
      for (gsize i = 0; i < n_frames && probe->captured->len < probe->capture_frames; i++)
        g_array_append_val (probe->captured, frames[i * probe->n_channels + probe->capture_channel]);
      if (probe->captured->len >= probe->capture_frames)
        done = g_steal_pointer (&probe->capture);
    }
  g_mutex_unlock (&probe->lock);
  return done;
}

static gpointer
probe_thread (gpointer data)
{
  AuscultaLevelProbe *probe = data;
  g_autofree float *frames = g_new (float, BLOCK_FRAMES * probe->n_channels);

  while (!g_atomic_int_get (&probe->stopping))
    {
      g_autoptr(GError) error = NULL;
      gssize n = ausculta_source_read (probe->source, frames, BLOCK_FRAMES, &error);
      GTask *done;

      if (n < 0 || error != NULL)
        {
          GTask *failed;

          g_mutex_lock (&probe->lock);
          probe->error = g_strdup (error != NULL ? error->message : _("The device stopped"));
          failed = g_steal_pointer (&probe->capture);
          g_mutex_unlock (&probe->lock);
          if (failed != NULL)
            {
              g_task_return_new_error (failed, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", probe->error);
              g_object_unref (failed);
            }
          break;
        }
      if ((done = take_block (probe, frames, (gsize) n)) != NULL)
        {
          g_task_return_pointer (done, g_array_ref (probe->captured), (GDestroyNotify) g_array_unref);
          g_object_unref (done);
        }
    }
  return NULL;
}

/**
 * ausculta_level_probe_new:
 * @spec: a source specification ("simulator", "portaudio:NAME"…)
 *
 * Opens and starts the source on its first @n_channels inputs.
 */
AuscultaLevelProbe *
ausculta_level_probe_new (const char  *spec,
                          guint        n_channels,
                          double       sample_rate,
                          GError     **error)
{
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec, error);
  AuscultaSourceConfig config = { 0 };
  AuscultaLevelProbe *probe;

  if (source == NULL)
    return NULL;
  config.n_channels = CLAMP (n_channels, 1, AUSCULTA_SOURCE_MAX_CHANNELS);
  for (guint c = 0; c < config.n_channels; c++)
    config.channels[c] = c;
  config.sample_rate = sample_rate;
  config.block_frames = BLOCK_FRAMES;
  ausculta_source_set_realtime (source, TRUE);
  if (!ausculta_source_open (source, &config, error))
    return NULL;
  if (!ausculta_source_start (source, "levels", error))
    {
      ausculta_source_close (source);
      return NULL;
    }
  probe = g_new0 (AuscultaLevelProbe, 1);
  probe->source = g_steal_pointer (&source);
  probe->n_channels = config.n_channels;
  probe->sample_rate = sample_rate;
  g_mutex_init (&probe->lock);
  probe->thread = g_thread_new ("level-probe", probe_thread, probe);
  return probe;
}

void
ausculta_level_probe_free (AuscultaLevelProbe *probe)
{
  if (probe == NULL)
    return;
  g_atomic_int_set (&probe->stopping, TRUE);
  g_thread_join (probe->thread);
  ausculta_source_stop (probe->source);
  ausculta_source_close (probe->source);
  g_object_unref (probe->source);
  if (probe->capture != NULL)
    {
      g_task_return_new_error (probe->capture, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The capture was stopped"));
      g_object_unref (probe->capture);
    }
  g_clear_pointer (&probe->captured, g_array_unref);
  g_free (probe->error);
  g_mutex_clear (&probe->lock);
  g_free (probe);
}

guint
ausculta_level_probe_get_n_channels (AuscultaLevelProbe *probe)
{
  return probe->n_channels;
}

double
ausculta_level_probe_get_sample_rate (AuscultaLevelProbe *probe)
{
  return probe->sample_rate;
}

/* The unit of a channel's values ("Pa"), NULL for full-scale samples. */
const char *
ausculta_level_probe_get_unit (AuscultaLevelProbe *probe,
                               guint               channel)
{
  return ausculta_source_get_channel_unit (probe->source, channel);
}

/**
 * ausculta_level_probe_get_peaks:
 * @dbfs: (array): n_channels peaks since the last call, dB of full scale
 * @error_message: (out) (optional): why the source stopped
 *
 * Returns: FALSE once the source has failed.
 */
gboolean
ausculta_level_probe_get_peaks (AuscultaLevelProbe  *probe,
                                double              *dbfs,
                                char               **error_message)
{
  gboolean ok;

  g_mutex_lock (&probe->lock);
  for (guint c = 0; c < probe->n_channels; c++)
    {
      dbfs[c] = probe->peaks[c] > 0.0 ? 20.0 * log10 (probe->peaks[c]) : -G_MAXDOUBLE;
      probe->peaks[c] = 0.0;
    }
  ok = probe->error == NULL;
  if (!ok && error_message != NULL)
    *error_message = g_strdup (probe->error);
  g_mutex_unlock (&probe->lock);
  return ok;
}

/* Collects @seconds of @channel from the running source. */
void
ausculta_level_probe_capture_async (AuscultaLevelProbe  *probe,
                                    guint                channel,
                                    double               seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (channel < probe->n_channels);

  g_mutex_lock (&probe->lock);
  if (probe->capture != NULL || probe->error != NULL)
    {
      g_mutex_unlock (&probe->lock);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("The device is not capturing"));
      return;
    }
  probe->capture = g_object_ref (task);
  probe->capture_channel = channel;
  probe->capture_frames = (gsize) (seconds * probe->sample_rate);
  g_clear_pointer (&probe->captured, g_array_unref);
  probe->captured = g_array_sized_new (FALSE, FALSE, sizeof (float), probe->capture_frames);
  g_mutex_unlock (&probe->lock);
}

/* Returns: (transfer full): the captured samples (float). */
GArray *
ausculta_level_probe_capture_finish (AuscultaLevelProbe  *probe,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
