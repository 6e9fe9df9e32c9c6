/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "ausculta-archive.h"
#include "ausculta-outbox.h"

G_BEGIN_DECLS

/* Shared between the archive's own files; not for other modules. */

#define AUSCULTA_ARCHIVE_APPLICATION_ID 0x41555343   /* "AUSC" */
#define AUSCULTA_ARCHIVE_USEC_PER_DAY   G_GINT64_CONSTANT (86400000000)

sqlite3      *ausculta_archive_db              (AuscultaArchive  *self,
                                                GError          **error);
void          ausculta_archive_note_inserted   (AuscultaArchive  *self,
                                                guint             n);
gboolean      ausculta_archive_fail            (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                int               rc,
                                                GError          **error,
                                                const char       *what);
sqlite3_stmt *ausculta_archive_prepare         (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *sql,
                                                GError          **error);
gboolean      ausculta_archive_exec            (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *sql,
                                                GError          **error);
gboolean      ausculta_archive_begin           (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                GError          **error);
gboolean      ausculta_archive_commit          (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                GError          **error);
void          ausculta_archive_rollback        (sqlite3          *db);

gint64        ausculta_archive_usec            (GDateTime        *time);
gint64        ausculta_archive_now_usec        (void);
GDateTime    *ausculta_archive_datetime        (gint64            usec);
GDateTime    *ausculta_archive_column_datetime (sqlite3_stmt     *stmt,
                                                int               column);
char         *ausculta_archive_column_text     (sqlite3_stmt     *stmt,
                                                int               column);

/* Schema (ausculta-archive-schema.c): migrates @db up to @version in the
 * caller's transaction. Exposed so tests can build every older version. */
#define AUSCULTA_ARCHIVE_SCHEMA_VERSION 4
gboolean      ausculta_archive_schema_migrate  (sqlite3          *db,
                                                int               from_version,
                                                int               to_version,
                                                char            **sql_error);

/* Who watches an upgrade: @progress (nullable) is called in the opening
 * thread after each statement; @cancellable interrupts it. */
typedef struct {
  AuscultaArchiveProgressFunc  progress;
  gpointer                     user_data;
  GCancellable                *cancellable;
} AuscultaArchiveObserver;

guint         ausculta_archive_schema_count_steps (int          from_version,
                                                   int          to_version);
/* As ausculta_archive_schema_migrate(), one statement at a time; the last
 * of ausculta_archive_schema_count_steps() is the caller's commit. */
gboolean      ausculta_archive_schema_migrate_observed (sqlite3                       *db,
                                                        int                            from_version,
                                                        int                            to_version,
                                                        const AuscultaArchiveObserver *observer,
                                                        char                         **sql_error);
/* ausculta_archive_open() with @observer (nullable) watching an upgrade. */
AuscultaArchive *ausculta_archive_open_observed (const char                    *path,
                                                 const AuscultaArchiveObserver *observer,
                                                 GError                       **error);

/* In the caller's transaction. */
gboolean      ausculta_archive_audit_append_in (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *actor,
                                                const char       *action,
                                                const char       *object,
                                                const char       *detail,
                                                GError          **error);
gboolean      ausculta_archive_outbox_add_in   (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *target,
                                                AuscultaOutboxKind kind,
                                                const char       *ref_id,
                                                GError          **error);
gboolean      ausculta_archive_insert_in       (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                AuscultaMeasurement **measurements,
                                                guint             n_measurements,
                                                GError          **error);
gboolean      ausculta_archive_set_label_in    (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *actor,
                                                const char       *measurement_id,
                                                int               label,
                                                const char       *comment,
                                                GError          **error);
/* Loads the enabled user @actor and checks their role. */
AuscultaUser *ausculta_archive_require_role_in (AuscultaArchive  *self,
                                                sqlite3          *db,
                                                const char       *actor,
                                                AuscultaRole      role,
                                                const char       *action,
                                                GError          **error);

/* Checkpoints in a thread of their own (ausculta-archive-checkpoint.c). */
typedef struct _AuscultaCheckpointer AuscultaCheckpointer;

AuscultaCheckpointer *ausculta_checkpointer_new   (sqlite3              *db);
void                  ausculta_checkpointer_watch (AuscultaCheckpointer *self,
                                                   sqlite3              *db);
void                  ausculta_checkpointer_free  (AuscultaCheckpointer *self);

/* Signals (ausculta-archive-signals.c): FLAC bytes -> float samples. */
gboolean      ausculta_archive_decode_flac     (const void       *data,
                                                gsize             size,
                                                double            scale,
                                                AuscultaSignal   *signal,
                                                GError          **error);

/* Features are stored as little-endian doubles (ausculta-archive-load.c). */
void          ausculta_archive_decode_features (const void       *blob,
                                                guint             n,
                                                double           *values);

G_END_DECLS
