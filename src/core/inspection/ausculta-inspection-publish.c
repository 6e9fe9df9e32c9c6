/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspection-publish"

#include "config.h"

#include "ausculta-inspection-private.h"

/* What the cycle tells the observers, delivered on the owner thread, and
 * the latest live block that anyone may copy. */

/* Always queued, never run in place: g_main_context_invoke() would call it
 * from the cycle's thread whenever nobody iterates the owner's context. */
static void
queue_on_owner (AuscultaInspection *self,
                int                 priority,
                GSourceFunc         function,
                gpointer            data,
                GDestroyNotify      notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[ausculta] inspection update");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

typedef struct {
  AuscultaInspection  *self;
  int                  state;
  char                *run;
  char                *status;
  AuscultaMeasurement *measurement;
  gboolean             production_changed;
  AuscultaModel       *production;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->self);
  g_free (update->run);
  g_free (update->status);
  g_clear_pointer (&update->measurement, ausculta_measurement_unref);
  g_clear_object (&update->production);
  g_free (update);
}

static gboolean
apply_update (gpointer data)
{
  Update *update = data;
  AuscultaInspection *self = update->self;

  g_object_freeze_notify (G_OBJECT (self));
  if (update->state >= 0 && (AuscultaInspectionState) update->state != self->state)
    {
      self->state = update->state;
      ausculta_inspection_notify (self, PROP_STATE);
      if (self->state == AUSCULTA_INSPECTION_DONE && self->progress != 1.0)
        {
          self->progress = 1.0;
          ausculta_inspection_notify (self, PROP_PROGRESS);
        }
    }
  if (update->run != NULL && g_strcmp0 (update->run, self->run) != 0)
    {
      g_free (self->run);
      self->run = g_strdup (update->run);
      self->progress = 0.0;
      ausculta_inspection_notify (self, PROP_RUN);
      ausculta_inspection_notify (self, PROP_PROGRESS);
    }
  if (update->status != NULL && g_strcmp0 (update->status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (update->status);
      ausculta_inspection_notify (self, PROP_STATUS);
    }
  if (update->measurement != NULL)
    {
      g_clear_pointer (&self->measurement, ausculta_measurement_unref);
      self->measurement = g_steal_pointer (&update->measurement);
      ausculta_inspection_notify (self, PROP_MEASUREMENT);
    }
  if (update->production_changed && g_set_object (&self->production, update->production))
    ausculta_inspection_notify (self, PROP_MODEL);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
apply_or_queue (AuscultaInspection *self,
                Update             *update)
{
  if (g_thread_self () == self->owner)
    {
      apply_update (update);
      update_free (update);
    }
  else
    queue_on_owner (self, G_PRIORITY_DEFAULT, apply_update, update, update_free);
}

void
ausculta_inspection_publish (AuscultaInspection  *self,
                             int                  state,
                             const char          *run,
                             const char          *status,
                             AuscultaMeasurement *measurement)
{
  Update *update = g_new0 (Update, 1);

  update->self = g_object_ref (self);
  update->state = state;
  update->run = g_strdup (run);
  update->status = g_strdup (status);
  update->measurement = measurement ? ausculta_measurement_ref (measurement) : NULL;
  apply_or_queue (self, update);
}

void
ausculta_inspection_publish_production (AuscultaInspection *self,
                                        AuscultaModel      *production)
{
  Update *update = g_new0 (Update, 1);

  update->self = g_object_ref (self);
  update->state = -1;
  update->production_changed = TRUE;
  update->production = production ? g_object_ref (production) : NULL;
  apply_or_queue (self, update);
}

static gboolean
deliver_block (gpointer data)
{
  AuscultaInspection *self = data;
  double progress = ausculta_live_block_take (self->live);

  if (progress != self->progress && self->state != AUSCULTA_INSPECTION_DONE)
    {
      self->progress = progress;
      ausculta_inspection_notify (self, PROP_PROGRESS);
    }
  ausculta_inspection_emit_block (self);
  return G_SOURCE_REMOVE;
}

/* Keeps the newest block and schedules one delivery if none is pending:
 * a slow observer sees fewer blocks, never a backlog. */
void
ausculta_inspection_publish_block (AuscultaInspection *self,
                                   const char         *run,
                                   double              progress,
                                   double              sample_rate,
                                   AuscultaSignal    **run_signals,
                                   guint               n_channels,
                                   gsize               offset,
                                   gsize               n_frames)
{
  gboolean schedule;

  g_mutex_lock (&self->live_lock);
  schedule = ausculta_live_block_store (self->live, run, progress, sample_rate, run_signals,
                                        n_channels, offset, n_frames);
  self->live_offset = offset;
  self->live_captured = g_get_monotonic_time ();
  g_mutex_unlock (&self->live_lock);
  if (!schedule)
    return;
  if (g_thread_self () == self->owner)
    deliver_block (self);
  else
    queue_on_owner (self, G_PRIORITY_DEFAULT_IDLE, deliver_block, g_object_ref (self), g_object_unref);
}

gboolean
ausculta_inspection_copy_latest_block (AuscultaInspection *self,
                                       char              **run,
                                       guint              *n_channels,
                                       double             *sample_rate,
                                       float             **samples,
                                       gsize              *n_frames)
{
  guint64 offset;
  gint64 captured;

  return ausculta_inspection_copy_latest_block_at (self, run, n_channels, sample_rate, samples,
                                                   n_frames, &offset, &captured);
}

gboolean
ausculta_inspection_copy_latest_block_at (AuscultaInspection *self,
                                          char              **run,
                                          guint              *n_channels,
                                          double             *sample_rate,
                                          float             **samples,
                                          gsize              *n_frames,
                                          guint64            *offset,
                                          gint64             *captured)
{
  gboolean have;

  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), FALSE);
  g_mutex_lock (&self->live_lock);
  have = ausculta_live_block_copy (self->live, run, n_channels, sample_rate, samples, n_frames);
  if (have)
    {
      *offset = self->live_offset;
      *captured = self->live_captured;
    }
  g_mutex_unlock (&self->live_lock);
  return have;
}
