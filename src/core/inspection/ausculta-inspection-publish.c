/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspection-publish"

#include "config.h"

#include "ausculta-inspection-private.h"

/* What the cycle tells the observers, delivered on the owner thread, and
 * the blocks it hands to the sink on its own thread. */

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
  double               progress;    /* negative: unchanged */
  char                *status;
  AuscultaMeasurement *measurement;
  gboolean             production_changed;
  AuscultaModel       *production;
} Update;

/* An update that changes nothing yet. */
static Update *
update_new (AuscultaInspection *self)
{
  Update *update = g_new0 (Update, 1);

  update->self = g_object_ref (self);
  update->state = -1;
  update->progress = -1.0;
  return update;
}

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
  if (update->progress >= 0.0 && update->progress != self->progress
      && self->state != AUSCULTA_INSPECTION_DONE)
    {
      self->progress = update->progress;
      ausculta_inspection_notify (self, PROP_PROGRESS);
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
  Update *update = update_new (self);

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
  Update *update = update_new (self);

  update->production_changed = TRUE;
  update->production = production ? g_object_ref (production) : NULL;
  apply_or_queue (self, update);
}

void
ausculta_inspection_publish_progress (AuscultaInspection *self,
                                      double              progress)
{
  Update *update = update_new (self);

  update->progress = CLAMP (progress, 0.0, 1.0);
  apply_or_queue (self, update);
}

void
ausculta_inspection_publish_block (AuscultaInspection      *self,
                                   const AuscultaLiveBlock *block)
{
  g_mutex_lock (&self->sink_lock);
  if (self->sink != NULL)
    self->sink (block, self->sink_data);
  g_mutex_unlock (&self->sink_lock);
}

void
ausculta_inspection_set_block_sink (AuscultaInspection *self,
                                    AuscultaBlockSink   sink,
                                    gpointer            user_data,
                                    GDestroyNotify      destroy)
{
  gpointer old_data;
  GDestroyNotify old_destroy;

  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));

  g_mutex_lock (&self->sink_lock);
  old_data = self->sink_data;
  old_destroy = self->sink_destroy;
  self->sink = sink;
  self->sink_data = user_data;
  self->sink_destroy = destroy;
  g_mutex_unlock (&self->sink_lock);
  if (old_destroy != NULL)
    old_destroy (old_data);
}
