/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-audit"

#include "config.h"

#include "ausculta-archive-private.h"

/* The audit log is append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained: each entry's hash covers the previous entry's hash and its
 * own fields, so editing or deleting an entry through any other tool breaks
 * the chain at that point; deleting the last entries is seen from the
 * AUTOINCREMENT counter, which never goes back. */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static char *
entry_hash (const char *prev_hash,
            gint64      at,
            const char *actor,
            const char *action,
            const char *object,
            const char *detail)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *text = g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s\x1f%s",
                                           prev_hash, at, actor ? actor : "", action,
                                           object ? object : "", detail ? detail : "");

  g_checksum_update (checksum, (const guchar *) text, -1);
  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
ausculta_archive_audit_append_in (AuscultaArchive *self,
                                  sqlite3         *db,
                                  const char      *actor,
                                  const char      *action,
                                  const char      *object,
                                  const char      *detail,
                                  GError         **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  gint64 at = ausculta_archive_now_usec ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = ausculta_archive_prepare (self, db, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  prev_hash = rc == SQLITE_ROW ? ausculta_archive_column_text (stmt, 0) : g_strdup (GENESIS_HASH);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "reading the audit log");

  hash = entry_hash (prev_hash, at, actor, action, object, detail);
  stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO audit (at, actor, action, object, detail, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, object, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "writing the audit log");
  return TRUE;
}

gboolean
ausculta_archive_append_audit (AuscultaArchive *self,
                               const char      *actor,
                               const char      *action,
                               const char      *object,
                               const char      *detail,
                               GError         **error)
{
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  if (!ausculta_archive_audit_append_in (self, db, actor, action, object, detail, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return ausculta_archive_commit (self, db, error);
}

/* Runs @sql and appends its first column, after @prefix, as one problem
 * line per row (an "ok" row is no problem). */
static gboolean
collect (AuscultaArchive *self,
         sqlite3         *db,
         const char      *sql,
         GPtrArray       *problems,
         const char      *prefix,
         GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (text, "ok") != 0)
        g_ptr_array_add (problems, g_strdup_printf ("%s%s", prefix, text));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "checking the archive");
  return TRUE;
}

static gboolean
check_audit_chain (AuscultaArchive *self,
                   sqlite3         *db,
                   GPtrArray       *problems,
                   GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit ORDER BY seq",
    error);
  g_autofree char *previous = g_strdup (GENESIS_HASH);
  gint64 last_seq = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *stored = (const char *) sqlite3_column_text (stmt, 7);
      g_autofree char *expected = entry_hash ((const char *) sqlite3_column_text (stmt, 6),
                                              sqlite3_column_int64 (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2),
                                              (const char *) sqlite3_column_text (stmt, 3),
                                              (const char *) sqlite3_column_text (stmt, 4),
                                              (const char *) sqlite3_column_text (stmt, 5));

      if (seq != last_seq + 1)
        g_ptr_array_add (problems, g_strdup_printf ("audit log: entries %" G_GINT64_FORMAT
                                                    " to %" G_GINT64_FORMAT " deleted",
                                                    last_seq + 1, seq - 1));
      else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), previous) != 0)
        g_ptr_array_add (problems, g_strdup_printf ("audit log: entry %" G_GINT64_FORMAT
                                                    " does not follow entry %" G_GINT64_FORMAT
                                                    " (chain broken)", seq, last_seq));
      if (g_strcmp0 (stored, expected) != 0)
        g_ptr_array_add (problems, g_strdup_printf ("audit log: entry %" G_GINT64_FORMAT
                                                    " was altered (hash mismatch)", seq));
      g_free (previous);
      previous = g_strdup (stored);
      last_seq = seq;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "reading the audit log");

  stmt = ausculta_archive_prepare (self, db,
    "SELECT seq FROM sqlite_sequence WHERE name = 'audit'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > last_seq)
    g_ptr_array_add (problems, g_strdup_printf ("audit log: entries after %" G_GINT64_FORMAT
                                                " to %" G_GINT64_FORMAT " deleted", last_seq,
                                                (gint64) sqlite3_column_int64 (stmt, 0)));
  sqlite3_finalize (stmt);
  return TRUE;
}

static const char orphans_sql[] =
  "SELECT 'foreign key: row ' || rowid || ' of ' || \"table\" || ' refers to a missing '"
  "  || parent FROM pragma_foreign_key_check;";

static const char outbox_orphans_sql[] =
  "SELECT 'outbox: row ' || o.id || ' refers to missing measurement ' || o.ref_id"
  "  FROM outbox o WHERE o.kind IN (0, 1)"
  "  AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.id = o.ref_id)"
  " UNION ALL "
  "SELECT 'outbox: row ' || o.id || ' refers to missing model ' || o.ref_id"
  "  FROM outbox o WHERE o.kind IN (2, 3)"
  "  AND NOT EXISTS (SELECT 1 FROM models m WHERE m.id = o.ref_id)";

static const char label_sql[] =
  "SELECT 'labels: measurement ' || m.id || ' shows label ' || coalesce (m.label, 'none')"
  "  || ' but its history ends with ' || coalesce (l.label, 'none')"
  "  FROM measurements m LEFT JOIN labels l ON l.id ="
  "  (SELECT max (id) FROM labels WHERE measurement = m.seq)"
  "  WHERE m.label IS NOT l.label";

/**
 * ausculta_archive_check:
 * @problems: (element-type utf8): receives one line per problem found
 *
 * Returns: %TRUE if the archive is sound; %FALSE with @problems filled, or
 *   with @error set when the check itself could not run.
 */
gboolean
ausculta_archive_check (AuscultaArchive *self,
                        GPtrArray       *problems,
                        GError         **error)
{
  sqlite3 *db;
  guint before;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return FALSE;
  before = problems->len;
  if (!collect (self, db, "PRAGMA integrity_check", problems, "integrity: ", error)
      || !collect (self, db, orphans_sql, problems, "", error)
      || !collect (self, db, outbox_orphans_sql, problems, "", error)
      || !collect (self, db, label_sql, problems, "", error)
      || !check_audit_chain (self, db, problems, error))
    return FALSE;
  return problems->len == before;
}
