/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-worker"

#include "config.h"

#include "ausculta-sync-error.h"
#include "ausculta-sync-private.h"
#include "ausculta-sync-worker-private.h"

/* One pass of the worker over its target's outbox: the backoff it keeps
 * (in the archive, across restarts), the batches it sends and settles. */

/* A row the server refuses on its own waits a day (it will not pass by
 * retrying; the status says why). */
#define REJECTED_WAIT      G_TIME_SPAN_DAY

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
      sync_worker_publish_status (self, local_error->message);
    }
  else
    sync_worker_publish_status (self, NULL);
  g_mutex_unlock (&self->run_lock);

  if (n_delivered != NULL)
    *n_delivered = delivered;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
