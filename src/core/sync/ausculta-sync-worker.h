/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-sync-target.h"

G_BEGIN_DECLS

typedef enum {
  AUSCULTA_SYNC_STATE_IDLE,      /* nothing tried yet */
  AUSCULTA_SYNC_STATE_ONLINE,    /* the last attempt went through */
  AUSCULTA_SYNC_STATE_OFFLINE,   /* unreachable or failing: retrying with backoff */
  AUSCULTA_SYNC_STATE_AUTH,      /* credentials refused: waits for new ones */
  AUSCULTA_SYNC_STATE_ERROR,     /* a local failure (archive, configuration) */
} AuscultaSyncState;

/* What the GUI and `ausculta-cli sync --status` show for one target. */
typedef struct {
  char              *target;          /* "mongodb", "mlflow" */
  char              *description;     /* where it sends; NULL when not configured */
  AuscultaSyncState  state;
  guint64            backlog;
  GDateTime         *oldest_pending;
  GDateTime         *last_success;
  char              *last_error;      /* in words, NULL when none since the last success */
  GDateTime         *last_error_at;
  GDateTime         *next_attempt;    /* NULL when not waiting */
  guint              failures;        /* consecutive failed attempts */
  char              *note;            /* a lasting remark, e.g. "no model registry" */
  char              *champion;        /* MLflow: the last champion pull in words,
                                       * "champion v3 installed: ..." or why not */
} AuscultaSyncStatus;

/* Current time as UTC microseconds since the epoch: tests replace it. */
typedef gint64 (*AuscultaSyncClockFunc) (gpointer user_data);

#define AUSCULTA_TYPE_SYNC_STATUS (ausculta_sync_status_get_type ())
#define AUSCULTA_TYPE_SYNC_WORKER (ausculta_sync_worker_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaSyncWorker, ausculta_sync_worker, AUSCULTA, SYNC_WORKER, GObject)

AuscultaSyncWorker *ausculta_sync_worker_new         (AuscultaArchive       *archive,
                                                      AuscultaSyncTarget    *target);
void                ausculta_sync_worker_set_clock   (AuscultaSyncWorker    *self,
                                                      AuscultaSyncClockFunc  clock,
                                                      gpointer               user_data);
void                ausculta_sync_worker_set_backoff (AuscultaSyncWorker    *self,
                                                      GTimeSpan              base,
                                                      GTimeSpan              max,
                                                      GTimeSpan              auth_wait);
gboolean            ausculta_sync_worker_run_once    (AuscultaSyncWorker    *self,
                                                      guint                 *n_delivered,
                                                      GError               **error);
void                ausculta_sync_worker_start       (AuscultaSyncWorker    *self);
void                ausculta_sync_worker_stop        (AuscultaSyncWorker    *self);
void                ausculta_sync_worker_wake        (AuscultaSyncWorker    *self);
AuscultaSyncStatus *ausculta_sync_worker_get_status  (AuscultaSyncWorker    *self);

GTimeSpan           ausculta_sync_backoff_delay      (guint                  failures,
                                                      GTimeSpan              base,
                                                      GTimeSpan              max,
                                                      double                 random01);

GType               ausculta_sync_status_get_type    (void) G_GNUC_CONST;
AuscultaSyncStatus *ausculta_sync_status_load        (AuscultaArchive       *archive,
                                                      const char            *target,
                                                      const char            *description,
                                                      GError               **error);
AuscultaSyncStatus *ausculta_sync_status_copy        (const AuscultaSyncStatus *status);
void                ausculta_sync_status_free        (AuscultaSyncStatus    *status);
char               *ausculta_sync_status_to_text     (const AuscultaSyncStatus *status);
const char         *ausculta_sync_state_to_string    (AuscultaSyncState      state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaSyncStatus, ausculta_sync_status_free)

G_END_DECLS
