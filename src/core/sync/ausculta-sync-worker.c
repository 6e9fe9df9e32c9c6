/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-worker"

#include "config.h"

#include "ausculta-sync-error.h"
#include "ausculta-sync-private.h"
#include "ausculta-sync-worker.h"

/* Defaults: first retry after ~5 s, doubling up to ~15 min (a 3-day outage
 * costs ~300 attempts); refused credentials are retried hourly, or at once
 * when someone calls wake() after fixing them; a row the server refuses on
 * its own waits a day (it will not pass by retrying; the status says why). */
#define DEFAULT_BASE       (5 * G_TIME_SPAN_SECOND)
#define DEFAULT_MAX        (15 * G_TIME_SPAN_MINUTE)
#define DEFAULT_AUTH_WAIT  G_TIME_SPAN_HOUR
#define REJECTED_WAIT      G_TIME_SPAN_DAY
#define POLL_INTERVAL      (5 * G_TIME_SPAN_SECOND)

struct _AuscultaSyncWorker {
  GObject                parent_instance;

  AuscultaArchive       *archive;
  AuscultaSyncTarget    *target;
  AuscultaSyncClockFunc  clock;
  gpointer               clock_data;
  GTimeSpan              base;
  GTimeSpan              max;
  GTimeSpan              auth_wait;
  GMainContext          *context;       /* where notify::status is emitted */
  int                    notify_pending;
  int                    force_retry;

  /* Owned by whoever runs a pass (run_lock). */
  GMutex                 run_lock;
  gboolean               loaded;
  guint                  failures;
  gint64                 next_attempt_us;
  AuscultaSyncState      state;
  GRand                  *rand;

  /* Shared with the thread (lock). */
  GMutex                 lock;
  GCond                  cond;
  GThread               *thread;
  gboolean               stopping;
  gboolean               woken;
  AuscultaSyncStatus    *status;
};

G_DEFINE_FINAL_TYPE (AuscultaSyncWorker, ausculta_sync_worker, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATUS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static gint64
real_clock (gpointer data)
{
  return g_get_real_time ();
}

/**
 * ausculta_sync_backoff_delay:
 * @failures: consecutive failures so far (>= 1)
 * @random01: a uniform draw in [0, 1)
 *
 * Exponential backoff with jitter: base × 2^(failures − 1), capped at @max,
 * of which a random half is waited, so benches that lost the network
 * together do not all come back in the same second.
 */
GTimeSpan
ausculta_sync_backoff_delay (guint     failures,
                             GTimeSpan base,
                             GTimeSpan max,
                             double    random01)
{
  GTimeSpan delay = base;

  for (guint i = 1; i < failures && delay < max; i++)
    delay *= 2;
  delay = MIN (delay, max);
  return delay / 2 + (GTimeSpan) (random01 * (double) (delay / 2));
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

static GDateTime *
date_time_from_us (gint64 us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_add (seconds, us % G_USEC_PER_SEC);
}

/* Rebuilds the snapshot from the outbox and the pass's own state. */
static void
publish_status (AuscultaSyncWorker *self,
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

static void
save_state (AuscultaSyncWorker *self)
{
  const char *name = ausculta_sync_target_get_name (self->target);
  g_autofree char *failures = g_strdup_printf ("%u", self->failures);
  g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, self->next_attempt_us);
  g_autoptr(GError) error = NULL;

  if (!ausculta_outbox_state_set (self->archive, name, SYNC_STATE_KEY_STATE,
                                  ausculta_sync_state_to_string (self->state), &error)
      || !ausculta_outbox_state_set (self->archive, name, SYNC_STATE_KEY_FAILURES,
                                     failures, &error)
      || !ausculta_outbox_state_set (self->archive, name, SYNC_STATE_KEY_NEXT_ATTEMPT,
                                     self->next_attempt_us > 0 ? next : NULL, &error))
    g_warning ("cannot keep the sync state of %s in the archive: %s", name, error->message);
}

/* The backoff of a previous run of the program still applies. */
static void
load_state (AuscultaSyncWorker *self)
{
  g_autoptr(AuscultaSyncStatus) saved = NULL;

  if (self->loaded)
    return;
  self->loaded = TRUE;
  saved = ausculta_sync_status_load (self->archive, ausculta_sync_target_get_name (self->target),
                                     NULL, NULL);
  if (saved == NULL)
    return;
  self->state = saved->state;
  self->failures = saved->failures;
  if (saved->next_attempt != NULL)
    self->next_attempt_us = g_date_time_to_unix (saved->next_attempt) * G_USEC_PER_SEC;
}

static AuscultaSyncState
state_for_error (const GError *error)
{
  if (g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_AUTH))
    return AUSCULTA_SYNC_STATE_AUTH;
  if (error->domain == AUSCULTA_SYNC_ERROR && error->code != AUSCULTA_SYNC_ERROR_CONFIG)
    return AUSCULTA_SYNC_STATE_OFFLINE;
  return AUSCULTA_SYNC_STATE_ERROR;
}

/* The whole batch failed: everything waits until one next attempt time,
 * so the next pass starts again from the oldest row, in order. */
static void
record_failure (AuscultaSyncWorker *self,
                GPtrArray          *items,
                const GError       *failure,
                gint64              now_us)
{
  GTimeSpan delay;
  g_autoptr(GDateTime) next = NULL;

  self->failures++;
  self->state = state_for_error (failure);
  if (self->state == AUSCULTA_SYNC_STATE_AUTH)
    delay = self->auth_wait;
  else
    delay = ausculta_sync_backoff_delay (self->failures, self->base, self->max,
                                         g_rand_double (self->rand));
  self->next_attempt_us = now_us + delay;
  next = date_time_from_us (self->next_attempt_us);
  /* Only the oldest row carries the attempt: the target-wide next attempt
   * (kept in the archive) holds back the rest, and a 500-row batch costs
   * one write per failure, not 500. */
  if (items != NULL && items->len > 0)
    {
      const AuscultaOutboxItem *item = g_ptr_array_index (items, 0);
      g_autoptr(GError) error = NULL;

      if (!ausculta_outbox_defer (self->archive, item->id, failure->message, next, &error))
        g_warning ("cannot defer outbox row %" G_GINT64_FORMAT ": %s", item->id, error->message);
    }
  save_state (self);
  g_info ("%s: %s; next attempt in %.0f s", ausculta_sync_target_get_name (self->target),
             failure->message, (double) delay / G_TIME_SPAN_SECOND);
}

static void
record_success (AuscultaSyncWorker *self)
{
  gboolean changed = self->failures > 0 || self->state != AUSCULTA_SYNC_STATE_ONLINE;

  self->failures = 0;
  self->next_attempt_us = 0;
  self->state = AUSCULTA_SYNC_STATE_ONLINE;
  if (changed)
    save_state (self);
}

static void
clear_error_free (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

/* Completes the delivered rows; rows refused one by one wait REJECTED_WAIT. */
static gboolean
settle_batch (AuscultaSyncWorker *self,
              GPtrArray          *items,
              GPtrArray          *item_errors,
              GDateTime          *now,
              guint              *n_delivered,
              GError            **error)
{
  g_autoptr(GArray) done = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
  g_autoptr(GDateTime) later = g_date_time_add (now, REJECTED_WAIT);

  for (guint i = 0; i < items->len; i++)
    {
      const AuscultaOutboxItem *item = g_ptr_array_index (items, i);
      const GError *refused = i < item_errors->len ? item_errors->pdata[i] : NULL;

      if (refused == NULL)
        g_array_append_val (done, item->id);
      else if (!ausculta_outbox_defer (self->archive, item->id, refused->message, later, error))
        return FALSE;
      else
        g_message ("%s", refused->message);
    }
  if (!ausculta_outbox_complete_many (self->archive, (gint64 *) done->data, done->len, now, error))
    return FALSE;
  *n_delivered += done->len;
  return TRUE;
}

/* Sends batch after batch until nothing is due or an attempt fails. */
static gboolean
run_pass (AuscultaSyncWorker *self,
          gint64              horizon_us,
          guint              *n_delivered,
          GError            **error)
{
  const char *name = ausculta_sync_target_get_name (self->target);
  guint batch_size = ausculta_sync_target_get_batch_size (self->target);

  for (;;)
    {
      gint64 now_us = self->clock (self->clock_data);
      g_autoptr(GDateTime) now = date_time_from_us (now_us);
      g_autoptr(GDateTime) due = date_time_from_us (MAX (now_us, horizon_us));
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GPtrArray) item_errors = NULL;
      g_autoptr(GError) failure = NULL;

      if (g_atomic_int_get (&self->stopping))
        return TRUE;
      items = ausculta_outbox_peek (self->archive, name, batch_size, due, error);
      if (items == NULL)
        return FALSE;
      if (items->len == 0)
        return TRUE;
      item_errors = g_ptr_array_new_with_free_func (clear_error_free);
      if (!ausculta_sync_target_deliver (self->target, self->archive, items, item_errors, &failure))
        {
          record_failure (self, items, failure, now_us);
          g_propagate_error (error, g_steal_pointer (&failure));
          return FALSE;
        }
      record_success (self);
      if (!settle_batch (self, items, item_errors, now, n_delivered, error))
        return FALSE;
    }
}

/**
 * ausculta_sync_worker_run_once:
 * @n_delivered: (out) (optional): rows delivered by this pass
 *
 * One pass, on the calling thread: drains every due row in order, unless
 * the backoff of an earlier failure is still running (then it does nothing
 * and returns TRUE); then, when nothing due is left, the target's own
 * periodic work (ausculta_sync_target_poll: MLflow pulls its champion).
 * `ausculta-cli sync --once` and the tests call this.
 *
 * Returns: FALSE when an attempt failed; the rows stay queued.
 */
gboolean
ausculta_sync_worker_run_once (AuscultaSyncWorker *self,
                               guint              *n_delivered,
                               GError            **error)
{
  guint delivered = 0;
  gboolean ok = TRUE;
  gint64 horizon = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (AUSCULTA_IS_SYNC_WORKER (self), FALSE);

  g_mutex_lock (&self->run_lock);
  load_state (self);
  /* woken: the rows held back until the next attempt are due now */
  if (g_atomic_int_compare_and_exchange (&self->force_retry, 1, 0))
    {
      horizon = self->next_attempt_us;
      self->next_attempt_us = 0;
    }
  if (self->next_attempt_us <= self->clock (self->clock_data))
    {
      ok = run_pass (self, horizon, &delivered, &local_error);
      /* the outbox first: a local approval reaches MLflow before the
       * champion is looked at */
      if (ok && !g_atomic_int_get (&self->stopping))
        ausculta_sync_target_poll (self->target, self->archive, self->clock (self->clock_data));
    }
  if (local_error != NULL && local_error->domain != AUSCULTA_SYNC_ERROR)
    {
      self->state = AUSCULTA_SYNC_STATE_ERROR;
      publish_status (self, local_error->message);
    }
  else
    publish_status (self, NULL);
  g_mutex_unlock (&self->run_lock);

  if (n_delivered != NULL)
    *n_delivered = delivered;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
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
