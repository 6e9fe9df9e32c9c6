/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* The outbox: what the sync workers still have to send, stored in the
 * archive so nothing is lost across restarts or outages. Rows are added by
 * the archive itself, in the same transaction as what they refer to:
 *   target "mongodb": kind MEASUREMENT (id = measurement id) and LABEL
 *                     (id = measurement id whose label changed);
 *   target "mlflow":  kind MODEL (id = model id, a new candidate),
 *                     APPROVAL (id = model id approved or retired) and
 *                     TRAINING_RUN (added by whoever trains, see enqueue).
 * Every function is safe from any thread (each thread has its own SQLite
 * connection): a sync worker peeks/completes/defers while inspections
 * insert. Times are UTC. */

#define AUSCULTA_OUTBOX_TARGET_MONGODB "mongodb"
#define AUSCULTA_OUTBOX_TARGET_MLFLOW  "mlflow"

typedef enum {
  AUSCULTA_OUTBOX_MEASUREMENT,
  AUSCULTA_OUTBOX_LABEL,
  AUSCULTA_OUTBOX_MODEL,
  AUSCULTA_OUTBOX_APPROVAL,
  AUSCULTA_OUTBOX_TRAINING_RUN,
} AuscultaOutboxKind;

typedef struct {
  gint64              id;             /* outbox row id, increasing */
  char               *target;
  AuscultaOutboxKind  kind;
  char               *ref_id;         /* the measurement or model id */
  GDateTime          *created_at;
  guint               attempts;       /* failed attempts so far */
  GDateTime          *next_attempt_at;
  char               *last_error;     /* NULL until a failure */
} AuscultaOutboxItem;

typedef struct {
  char       *target;
  guint64     backlog;                /* rows pending */
  GDateTime  *oldest_pending;         /* created_at of the oldest, NULL if none */
  GDateTime  *last_success;           /* last complete(), NULL if never */
  char       *last_error;             /* last defer() text, NULL if none since success */
  GDateTime  *last_error_at;
} AuscultaOutboxStats;

/* Adds one row (used for TRAINING_RUN, or to re-send something). */
gboolean             ausculta_outbox_enqueue        (AuscultaArchive      *archive,
                                                     const char           *target,
                                                     AuscultaOutboxKind    kind,
                                                     const char           *ref_id,
                                                     GError              **error);
/* Up to @max_items rows of @target due at @now (NULL = now), oldest first
 * (by id). Returns AuscultaOutboxItem*, possibly empty. */
GPtrArray           *ausculta_outbox_peek           (AuscultaArchive      *archive,
                                                     const char           *target,
                                                     guint                 max_items,
                                                     GDateTime            *now,
                                                     GError              **error);
/* The row was delivered: it is deleted and the target's last success
 * time set to @now (NULL = now). Completing a missing row is not an error. */
gboolean             ausculta_outbox_complete       (AuscultaArchive      *archive,
                                                     gint64                item_id,
                                                     GDateTime            *now,
                                                     GError              **error);
/* Several rows at once (one transaction). */
gboolean             ausculta_outbox_complete_many  (AuscultaArchive      *archive,
                                                     const gint64         *item_ids,
                                                     guint                 n_items,
                                                     GDateTime            *now,
                                                     GError              **error);
/* Delivery failed: attempts + 1, last_error = @error_text, due again at
 * @next_attempt_at; the target's last error is recorded too. */
gboolean             ausculta_outbox_defer          (AuscultaArchive      *archive,
                                                     gint64                item_id,
                                                     const char           *error_text,
                                                     GDateTime            *next_attempt_at,
                                                     GError              **error);
/* Stats of one target (zero backlog for an unknown target). */
AuscultaOutboxStats *ausculta_outbox_get_stats      (AuscultaArchive      *archive,
                                                     const char           *target,
                                                     GError              **error);

/* A small key/value store per target so workers survive restarts
 * (cursors, the last champion seen...). get returns NULL (no error)
 * when the key is not set; set with value NULL deletes it. */
char                *ausculta_outbox_state_get      (AuscultaArchive      *archive,
                                                     const char           *target,
                                                     const char           *key,
                                                     GError              **error);
gboolean             ausculta_outbox_state_set      (AuscultaArchive      *archive,
                                                     const char           *target,
                                                     const char           *key,
                                                     const char           *value,
                                                     GError              **error);

const char          *ausculta_outbox_kind_to_string   (AuscultaOutboxKind  kind);
gboolean             ausculta_outbox_kind_from_string (const char         *text,
                                                       AuscultaOutboxKind *kind);

void                 ausculta_outbox_item_free      (AuscultaOutboxItem   *item);
void                 ausculta_outbox_stats_free     (AuscultaOutboxStats  *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaOutboxItem, ausculta_outbox_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaOutboxStats, ausculta_outbox_stats_free)

G_END_DECLS
