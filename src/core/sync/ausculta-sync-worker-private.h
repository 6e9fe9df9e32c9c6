/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to the sync worker: its fields, shared by the object and its
 * thread (ausculta-sync-worker.c) and its passes over the outbox
 * (ausculta-sync-worker-pass.c). */

#include "ausculta-sync-worker.h"

G_BEGIN_DECLS

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

void sync_worker_publish_status (AuscultaSyncWorker *self,
                                 const char         *local_error);

static inline GDateTime *
date_time_from_us (gint64 us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_add (seconds, us % G_USEC_PER_SEC);
}

G_END_DECLS
