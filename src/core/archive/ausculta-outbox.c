/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-outbox"

#include "config.h"

#include "ausculta-archive-private.h"
#include "ausculta-outbox.h"

static const char * const kind_names[] = {
  "measurement", "label", "model", "approval", "training-run"
};

const char *
ausculta_outbox_kind_to_string (AuscultaOutboxKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
ausculta_outbox_kind_from_string (const char         *text,
                                  AuscultaOutboxKind *kind)
{
  g_return_val_if_fail (text != NULL && kind != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *kind = (AuscultaOutboxKind) i;
        return TRUE;
      }
  return FALSE;
}

void
ausculta_outbox_item_free (AuscultaOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->target);
  g_free (item->ref_id);
  g_clear_pointer (&item->created_at, g_date_time_unref);
  g_clear_pointer (&item->next_attempt_at, g_date_time_unref);
  g_free (item->last_error);
  g_free (item);
}

void
ausculta_outbox_stats_free (AuscultaOutboxStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->target);
  g_clear_pointer (&stats->oldest_pending, g_date_time_unref);
  g_clear_pointer (&stats->last_success, g_date_time_unref);
  g_free (stats->last_error);
  g_clear_pointer (&stats->last_error_at, g_date_time_unref);
  g_free (stats);
}

/* Runs one write statement with its own transaction (autocommit). */
static gboolean
run_write (AuscultaArchive *archive,
           sqlite3_stmt    *stmt,
           GError         **error,
           const char      *what)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    ausculta_archive_fail (archive, sqlite3_db_handle (stmt), rc, error, what);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

gboolean
ausculta_archive_outbox_add_in (AuscultaArchive    *self,
                                sqlite3            *db,
                                const char         *target,
                                AuscultaOutboxKind  kind,
                                const char         *ref_id,
                                GError            **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO outbox (target, kind, ref_id, created_at, next_attempt_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)", error);
  gint64 now = ausculta_archive_now_usec ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, kind);
  sqlite3_bind_text (stmt, 3, ref_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  return run_write (self, stmt, error, "queueing for sync");
}

gboolean
ausculta_outbox_enqueue (AuscultaArchive    *archive,
                         const char         *target,
                         AuscultaOutboxKind  kind,
                         const char         *ref_id,
                         GError            **error)
{
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), FALSE);
  g_return_val_if_fail (target != NULL && ref_id != NULL, FALSE);

  db = ausculta_archive_db (archive, error);
  if (db == NULL)
    return FALSE;
  return ausculta_archive_outbox_add_in (archive, db, target, kind, ref_id, error);
}

static gint64
usec_or_now (GDateTime *time)
{
  return time != NULL ? ausculta_archive_usec (time) : ausculta_archive_now_usec ();
}

static AuscultaOutboxItem *
item_from_row (sqlite3_stmt *stmt)
{
  AuscultaOutboxItem *item = g_new0 (AuscultaOutboxItem, 1);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->target = ausculta_archive_column_text (stmt, 1);
  item->kind = (AuscultaOutboxKind) sqlite3_column_int (stmt, 2);
  item->ref_id = ausculta_archive_column_text (stmt, 3);
  item->created_at = ausculta_archive_column_datetime (stmt, 4);
  item->attempts = (guint) sqlite3_column_int (stmt, 5);
  item->next_attempt_at = ausculta_archive_column_datetime (stmt, 6);
  item->last_error = ausculta_archive_column_text (stmt, 7);
  return item;
}

GPtrArray *
ausculta_outbox_peek (AuscultaArchive *archive,
                      const char      *target,
                      guint            max_items,
                      GDateTime       *now,
                      GError         **error)
{
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  db = ausculta_archive_db (archive, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (archive, db,
    "SELECT id, target, kind, ref_id, created_at, attempts, next_attempt_at, last_error"
    " FROM outbox WHERE target = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, usec_or_now (now));
  sqlite3_bind_int64 (stmt, 3, max_items);
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_outbox_item_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (archive, db, rc, error, "reading the outbox");
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
record_success (AuscultaArchive *archive,
                sqlite3         *db,
                const char      *target,
                gint64           at,
                GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (archive, db,
    "INSERT INTO sync_stats (target, last_success_at) VALUES (?, ?)"
    " ON CONFLICT (target) DO UPDATE SET last_success_at = excluded.last_success_at,"
    " last_error = NULL, last_error_at = NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at);
  return run_write (archive, stmt, error, "recording a sync success");
}

static gboolean
complete_one (AuscultaArchive *archive,
              sqlite3         *db,
              gint64           item_id,
              gint64           at,
              GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (archive, db,
    "DELETE FROM outbox WHERE id = ? RETURNING target", error);
  g_autofree char *target = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      target = ausculta_archive_column_text (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (archive, db, rc, error, "completing an outbox row");
  return target == NULL || record_success (archive, db, target, at, error);
}

gboolean
ausculta_outbox_complete_many (AuscultaArchive *archive,
                               const gint64    *item_ids,
                               guint            n_items,
                               GDateTime       *now,
                               GError         **error)
{
  gint64 at = usec_or_now (now);
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), FALSE);
  g_return_val_if_fail (item_ids != NULL || n_items == 0, FALSE);

  db = ausculta_archive_db (archive, error);
  if (db == NULL || !ausculta_archive_begin (archive, db, error))
    return FALSE;
  for (guint i = 0; i < n_items; i++)
    if (!complete_one (archive, db, item_ids[i], at, error))
      {
        ausculta_archive_rollback (db);
        return FALSE;
      }
  return ausculta_archive_commit (archive, db, error);
}

gboolean
ausculta_outbox_complete (AuscultaArchive *archive,
                          gint64           item_id,
                          GDateTime       *now,
                          GError         **error)
{
  return ausculta_outbox_complete_many (archive, &item_id, 1, now, error);
}

gboolean
ausculta_outbox_defer (AuscultaArchive *archive,
                       gint64           item_id,
                       const char      *error_text,
                       GDateTime       *next_attempt_at,
                       GError         **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gint64 now = ausculta_archive_now_usec ();

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), FALSE);
  g_return_val_if_fail (next_attempt_at != NULL, FALSE);

  db = ausculta_archive_db (archive, error);
  if (db == NULL || !ausculta_archive_begin (archive, db, error))
    return FALSE;
  stmt = ausculta_archive_prepare (archive, db,
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, ausculta_archive_usec (next_attempt_at));
  if (!run_write (archive, stmt, error, "deferring an outbox row"))
    goto failed;
  stmt = ausculta_archive_prepare (archive, db,
    "INSERT INTO sync_stats (target, last_error, last_error_at)"
    " SELECT target, ?2, ?3 FROM outbox WHERE id = ?1 LIMIT 1"
    " ON CONFLICT (target) DO UPDATE SET last_error = excluded.last_error,"
    " last_error_at = excluded.last_error_at", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!run_write (archive, stmt, error, "recording a sync error"))
    goto failed;
  return ausculta_archive_commit (archive, db, error);

failed:
  ausculta_archive_rollback (db);
  return FALSE;
}

AuscultaOutboxStats *
ausculta_outbox_get_stats (AuscultaArchive *archive,
                           const char      *target,
                           GError         **error)
{
  g_autoptr(AuscultaOutboxStats) stats = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  db = ausculta_archive_db (archive, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (archive, db,
    "SELECT (SELECT count(*) FROM outbox WHERE target = ?1),"
    " (SELECT created_at FROM outbox WHERE target = ?1 ORDER BY id LIMIT 1),"
    " s.last_success_at, s.last_error, s.last_error_at"
    " FROM (SELECT 1) LEFT JOIN sync_stats s ON s.target = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      ausculta_archive_fail (archive, db, rc, error, "reading the outbox stats");
      sqlite3_finalize (stmt);
      return NULL;
    }
  stats = g_new0 (AuscultaOutboxStats, 1);
  stats->target = g_strdup (target);
  stats->backlog = (guint64) sqlite3_column_int64 (stmt, 0);
  stats->oldest_pending = ausculta_archive_column_datetime (stmt, 1);
  stats->last_success = ausculta_archive_column_datetime (stmt, 2);
  stats->last_error = ausculta_archive_column_text (stmt, 3);
  stats->last_error_at = ausculta_archive_column_datetime (stmt, 4);
  sqlite3_finalize (stmt);
  return g_steal_pointer (&stats);
}

char *
ausculta_outbox_state_get (AuscultaArchive *archive,
                           const char      *target,
                           const char      *key,
                           GError         **error)
{
  char *value = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), NULL);
  g_return_val_if_fail (target != NULL && key != NULL, NULL);

  db = ausculta_archive_db (archive, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (archive, db,
    "SELECT value FROM sync_state WHERE target = ? AND key = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = ausculta_archive_column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    ausculta_archive_fail (archive, db, rc, error, "reading the sync state");
  sqlite3_finalize (stmt);
  return value;
}

gboolean
ausculta_outbox_state_set (AuscultaArchive *archive,
                           const char      *target,
                           const char      *key,
                           const char      *value,
                           GError         **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), FALSE);
  g_return_val_if_fail (target != NULL && key != NULL, FALSE);

  db = ausculta_archive_db (archive, error);
  if (db == NULL)
    return FALSE;
  stmt = ausculta_archive_prepare (archive, db, value != NULL
    ? "INSERT INTO sync_state (target, key, value) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (target, key) DO UPDATE SET value = excluded.value"
    : "DELETE FROM sync_state WHERE target = ?1 AND key = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  return run_write (archive, stmt, error, "saving the sync state");
}
