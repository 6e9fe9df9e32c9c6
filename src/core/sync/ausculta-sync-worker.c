/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-worker"

#include "config.h"

#include "ausculta-sync-error.h"
#include "ausculta-sync-private.h"
#include "ausculta-sync-worker-private.h"

/* Defaults: first retry after ~5 s, doubling up to ~15 min (a 3-day outage
 * costs ~300 attempts); refused credentials are retried hourly, or at once
 * when someone calls wake() after fixing them. */
#define DEFAULT_BASE       (5 * G_TIME_SPAN_SECOND)
#define DEFAULT_MAX        (15 * G_TIME_SPAN_MINUTE)
#define DEFAULT_AUTH_WAIT  G_TIME_SPAN_HOUR
#define POLL_INTERVAL      (5 * G_TIME_SPAN_SECOND)

G_DEFINE_FINAL_TYPE (AuscultaSyncWorker, ausculta_sync_worker, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATUS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static gint64
real_clock (gpointer data)
{
  return g_get_real_time ();
}

static gboolean
emit_status_notify (gpointer data)
{
  AuscultaSyncWorker *self = data;

  g_atomic_int_set (&self->notify_pending, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  return G_SOURCE_REMOVE;
}

/* Hands notify::status to the worker's main context, at most one pending. */
static void
schedule_status_notify (AuscultaSyncWorker *self)
{
  g_autoptr(GSource) source = NULL;

  if (!g_atomic_int_compare_and_exchange (&self->notify_pending, 0, 1))
    return;
  source = g_idle_source_new ();
  g_source_set_callback (source, emit_status_notify, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[ausculta] sync status");
  g_source_attach (source, self->context);
}

/* Rebuilds the snapshot from the outbox and the pass's own state. */
void
sync_worker_publish_status (AuscultaSyncWorker *self,
                            const char         *local_error)
{
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  status = ausculta_sync_status_copy (self->status);
  g_mutex_unlock (&self->lock);

  if (!ausculta_sync_status_update_from_outbox (status, self->archive, &error))
    g_debug ("outbox stats of %s unavailable: %s", status->target, error->message);
  if (local_error != NULL)
    {
      g_free (status->last_error);
      status->last_error = g_strdup (local_error);
    }
  status->state = self->state;
  status->failures = self->failures;
  g_clear_pointer (&status->next_attempt, g_date_time_unref);
  if (self->next_attempt_us > 0)
    status->next_attempt = date_time_from_us (self->next_attempt_us);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->status, ausculta_sync_status_free);
  self->status = g_steal_pointer (&status);
  g_mutex_unlock (&self->lock);
  schedule_status_notify (self);
}

/* How long the thread sleeps: until the backoff ends, or a poll later. */
static gint64
wait_time (AuscultaSyncWorker *self)
{
  gint64 wait = POLL_INTERVAL;

  g_mutex_lock (&self->run_lock);
  if (self->next_attempt_us > 0)
    wait = CLAMP (self->next_attempt_us - self->clock (self->clock_data), 0, POLL_INTERVAL);
  g_mutex_unlock (&self->run_lock);
  return wait;
}

static gpointer
worker_thread (gpointer data)
{
  AuscultaSyncWorker *self = data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gint64 end;

      if (!ausculta_sync_worker_run_once (self, NULL, &error))
        g_debug ("sync pass of %s stopped: %s",
                 ausculta_sync_target_get_name (self->target), error->message);
      end = g_get_monotonic_time () + wait_time (self);

      g_mutex_lock (&self->lock);
      while (!self->stopping && !self->woken)
        if (!g_cond_wait_until (&self->cond, &self->lock, end))
          break;
      self->woken = FALSE;
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          return NULL;
        }
      g_mutex_unlock (&self->lock);
    }
}

/* Starts draining on a thread of its own: inspections never wait on it. */
void
ausculta_sync_worker_start (AuscultaSyncWorker *self)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_WORKER (self));

  g_mutex_lock (&self->lock);
  if (self->thread == NULL)
    {
      g_autofree char *name = g_strdup_printf ("sync-%s",
                                               ausculta_sync_target_get_name (self->target));

      g_atomic_int_set (&self->stopping, FALSE);
      self->thread = g_thread_new (name, worker_thread, self);
    }
  g_mutex_unlock (&self->lock);
}

/* Stops after the batch in flight (bounded by the targets' timeouts). */
void
ausculta_sync_worker_stop (AuscultaSyncWorker *self)
{
  GThread *thread;

  g_return_if_fail (AUSCULTA_IS_SYNC_WORKER (self));

  g_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  g_atomic_int_set (&self->stopping, TRUE);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (thread != NULL)
    g_thread_join (thread);
}

/* New rows, or new credentials: try now, even during a backoff. */
void
ausculta_sync_worker_wake (AuscultaSyncWorker *self)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_WORKER (self));

  g_atomic_int_set (&self->force_retry, 1);
  g_mutex_lock (&self->lock);
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/**
 * ausculta_sync_worker_get_status:
 *
 * Returns: (transfer full): a snapshot, safe to call from any thread.
 */
AuscultaSyncStatus *
ausculta_sync_worker_get_status (AuscultaSyncWorker *self)
{
  AuscultaSyncStatus *status;

  g_return_val_if_fail (AUSCULTA_IS_SYNC_WORKER (self), NULL);

  g_mutex_lock (&self->lock);
  status = ausculta_sync_status_copy (self->status);
  g_mutex_unlock (&self->lock);
  return status;
}

void
ausculta_sync_worker_set_clock (AuscultaSyncWorker    *self,
                                AuscultaSyncClockFunc  clock,
                                gpointer               user_data)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_WORKER (self));

  g_mutex_lock (&self->run_lock);
  self->clock = clock ? clock : real_clock;
  self->clock_data = clock ? user_data : NULL;
  g_mutex_unlock (&self->run_lock);
}

void
ausculta_sync_worker_set_backoff (AuscultaSyncWorker *self,
                                  GTimeSpan           base,
                                  GTimeSpan           max,
                                  GTimeSpan           auth_wait)
{
  g_return_if_fail (AUSCULTA_IS_SYNC_WORKER (self));
  g_return_if_fail (base > 0 && max >= base && auth_wait > 0);

  g_mutex_lock (&self->run_lock);
  self->base = base;
  self->max = max;
  self->auth_wait = auth_wait;
  g_mutex_unlock (&self->run_lock);
}

static void
ausculta_sync_worker_dispose (GObject *object)
{
  AuscultaSyncWorker *self = AUSCULTA_SYNC_WORKER (object);

  ausculta_sync_worker_stop (self);
  g_clear_object (&self->target);
  g_clear_object (&self->archive);
  G_OBJECT_CLASS (ausculta_sync_worker_parent_class)->dispose (object);
}

static void
ausculta_sync_worker_finalize (GObject *object)
{
  AuscultaSyncWorker *self = AUSCULTA_SYNC_WORKER (object);

  g_clear_pointer (&self->status, ausculta_sync_status_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->run_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (ausculta_sync_worker_parent_class)->finalize (object);
}

static void
ausculta_sync_worker_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AuscultaSyncWorker *self = AUSCULTA_SYNC_WORKER (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_take_boxed (value, ausculta_sync_worker_get_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_sync_worker_class_init (AuscultaSyncWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_sync_worker_dispose;
  object_class->finalize = ausculta_sync_worker_finalize;
  object_class->get_property = ausculta_sync_worker_get_property;

  /* Notified on the main context the worker was created in. */
  properties[PROP_STATUS] =
    g_param_spec_boxed ("status", NULL, NULL, AUSCULTA_TYPE_SYNC_STATUS,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ausculta_sync_worker_init (AuscultaSyncWorker *self)
{
  g_mutex_init (&self->run_lock);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->clock = real_clock;
  self->base = DEFAULT_BASE;
  self->max = DEFAULT_MAX;
  self->auth_wait = DEFAULT_AUTH_WAIT;
  self->rand = g_rand_new ();
  self->context = g_main_context_ref_thread_default ();
}

/**
 * ausculta_sync_worker_new:
 *
 * A worker for one target; call start() for the thread, or run_once().
 */
AuscultaSyncWorker *
ausculta_sync_worker_new (AuscultaArchive    *archive,
                          AuscultaSyncTarget *target)
{
  AuscultaSyncWorker *self;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), NULL);
  g_return_val_if_fail (AUSCULTA_IS_SYNC_TARGET (target), NULL);

  self = g_object_new (AUSCULTA_TYPE_SYNC_WORKER, NULL);
  self->archive = g_object_ref (archive);
  self->target = g_object_ref (target);
  /* what the archive remembers, so a status view is right before any pass */
  self->status = ausculta_sync_status_load (archive, ausculta_sync_target_get_name (target),
                                            ausculta_sync_target_get_description (target), NULL);
  if (self->status == NULL)
    {
      self->status = g_new0 (AuscultaSyncStatus, 1);
      self->status->target = g_strdup (ausculta_sync_target_get_name (target));
      self->status->description = g_strdup (ausculta_sync_target_get_description (target));
    }
  return self;
}
