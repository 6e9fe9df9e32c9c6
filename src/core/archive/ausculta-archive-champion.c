/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-champion"

#include "config.h"

#include "ausculta-archive-champion.h"
#include "ausculta-archive-private.h"

/* Installing the plant's champion. Every other model change needs a local
 * user with the right role (ausculta_archive_require_role_in); this one is
 * made by the sync service, which is nobody at the bench. The approval it
 * applies was given at the plant, by a supervisor of another station (or
 * of the plant's MLflow), and travels as the version's approved_by /
 * approved_at tags: that recorded approval is the role check here. A
 * champion without it is not installed, and a local user's role is not
 * asked for, since nobody local approved anything. Nothing is queued for
 * MLflow either: the plant already has it. */

static gboolean
check_pulled (AuscultaArchive           *self,
              const AuscultaPulledModel *model,
              GError                   **error)
{
  g_autofree char *actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, model->file);

  if (g_ascii_strcasecmp (actual, model->sha256) != 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "%s: the file has SHA-256 %s, %s says %s: not installed",
                   model->origin, actual, model->origin, model->sha256);
      return FALSE;
    }
  if (model->approved_by == NULL || *model->approved_by == '\0' || model->approved_at == NULL)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                   "%s: no approval recorded (approved_by and approved_at version tags "
                   "expected): not installed in %s", model->origin, ausculta_archive_get_path (self));
      return FALSE;
    }
  return TRUE;
}

/* The id of the row holding this file, or NULL without error. */
static char *
find_by_sha256 (AuscultaArchive *self,
                sqlite3         *db,
                const char      *sha256,
                GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
                                                 "SELECT id FROM models WHERE sha256 = lower (?)",
                                                 error);
  char *id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = ausculta_archive_column_text (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ausculta_archive_fail (self, db, rc, error, "looking for a model by hash");
  return id;
}

static gboolean
id_is_free (AuscultaArchive *self,
            sqlite3         *db,
            const char      *id,
            gboolean        *is_free,
            GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db, "SELECT 1 FROM models WHERE id = ?",
                                                 error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  *is_free = rc == SQLITE_DONE;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "looking for a model id");
  return TRUE;
}

/* A new row, approved: keeps the id the model has where it was trained,
 * so both stations name it alike, unless that id is taken here. */
static char *
insert_approved (AuscultaArchive           *self,
                 sqlite3                   *db,
                 const AuscultaPulledModel *model,
                 GError                   **error)
{
  g_autofree char *id = NULL;
  gboolean is_free = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if (model->model_id != NULL && !id_is_free (self, db, model->model_id, &is_free, error))
    return NULL;
  id = is_free ? g_strdup (model->model_id) : ausculta_uuid7_new ();
  stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO models (id, version, sha256, file, status, validation_report, created_by,"
    " created_at, approved_by, approved_at) VALUES (?, ?, lower (?), ?, 1, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, model->version, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, model->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 4, g_bytes_get_data (model->file, NULL),
                       g_bytes_get_size (model->file), SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, model->validation_report, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, AUSCULTA_ARCHIVE_SYNC_ACTOR, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, ausculta_archive_now_usec ());
  sqlite3_bind_text (stmt, 8, model->approved_by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, ausculta_archive_usec (model->approved_at));
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "installing a pulled model");
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* The same file as a candidate, a retired or an outranked model: approved
 * now, as the plant approved it. */
static gboolean
approve_existing (AuscultaArchive           *self,
                  sqlite3                   *db,
                  const char                *id,
                  const AuscultaPulledModel *model,
                  GError                   **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "UPDATE models SET status = 1, approved_by = ?2, approved_at = ?3 WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, model->approved_by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, ausculta_archive_usec (model->approved_at));
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "approving a pulled model");
  return TRUE;
}

static gboolean
retire (AuscultaArchive *self,
        sqlite3         *db,
        const char      *id,
        GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
                                                 "UPDATE models SET status = 2 WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "retiring a superseded model");
  return TRUE;
}

/* The champion must be what the archive calls production (its own rule,
 * read in this transaction): a local model approved after the plant's
 * approval date would outrank it, so each such one is retired (named in
 * @superseded). The plant's champion alias is the last word. */
static gboolean
supersede (AuscultaArchive *self,
           sqlite3         *db,
           const char      *id,
           GString         *superseded,
           GError         **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(AuscultaModelInfo) production = ausculta_archive_get_production_model (self,
                                                                                      &local_error);

      if (production == NULL)
        {
          if (local_error == NULL)
            g_set_error (&local_error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_FAILED,
                         "%s: model %s approved but no production model found",
                         ausculta_archive_get_path (self), id);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_strcmp0 (production->id, id) == 0)
        return TRUE;
      if (!retire (self, db, production->id, error))
        return FALSE;
      g_string_append_printf (superseded, "%s%s (%s)", superseded->len ? ", " : "",
                              production->id, production->version);
    }
}

static gboolean
is_production (AuscultaArchive *self,
               const char      *sha256,
               gboolean        *production,
               GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (self, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *production = info != NULL && g_ascii_strcasecmp (info->sha256, sha256) == 0;
  return TRUE;
}

static char *
audit_detail (const AuscultaPulledModel *model,
              const char                *previous_id,
              const GString             *superseded)
{
  g_autofree char *approved_at = g_date_time_format_iso8601 (model->approved_at);

  return g_strdup_printf ("%s, version %s, sha256 %s, approved by %s at %s%s%s%s%s",
                          model->origin, model->version, model->sha256, model->approved_by,
                          approved_at, previous_id ? "; was already here as " : "",
                          previous_id ? previous_id : "",
                          superseded->len ? "; superseded: " : "", superseded->str);
}

static char *
install_in (AuscultaArchive           *self,
            sqlite3                   *db,
            const AuscultaPulledModel *model,
            gboolean                  *changed,
            GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) superseded = g_string_new (NULL);
  g_autofree char *existing = find_by_sha256 (self, db, model->sha256, &local_error);
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  gboolean production = FALSE;

  if (local_error != NULL || !is_production (self, model->sha256, &production, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (production)
    return g_steal_pointer (&existing);
  if (existing != NULL)
    id = approve_existing (self, db, existing, model, error) ? g_strdup (existing) : NULL;
  else
    id = insert_approved (self, db, model, error);
  if (id == NULL || !supersede (self, db, id, superseded, error))
    return NULL;
  detail = audit_detail (model, existing, superseded);
  if (!ausculta_archive_audit_append_in (self, db, AUSCULTA_ARCHIVE_SYNC_ACTOR, "model.pull",
                                         id, detail, error))
    return NULL;
  *changed = TRUE;
  return g_steal_pointer (&id);
}

/**
 * ausculta_archive_install_champion:
 * @changed: (out) (optional): whether anything was written
 *
 * Makes a pulled champion the production model, in one transaction: a new
 * approved row (the file, its SHA-256, the validation report, approved_by
 * and approved_at from the plant's tags), or the row already holding that
 * file approved again; local models that would outrank it retired; one
 * audit entry "model.pull" by AUSCULTA_ARCHIVE_SYNC_ACTOR. Idempotent:
 * when that file already is the production model, nothing is written.
 * Fails with INVALID when the file does not hash to @model->sha256, with
 * PERMISSION when no approval is recorded.
 *
 * Returns: (transfer full): the model's id in this archive, or %NULL.
 */
char *
ausculta_archive_install_champion (AuscultaArchive           *self,
                                   const AuscultaPulledModel *model,
                                   gboolean                  *changed,
                                   GError                   **error)
{
  gboolean written = FALSE;
  char *id;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (model != NULL && model->file != NULL && model->sha256 != NULL, NULL);
  g_return_val_if_fail (model->version != NULL && model->origin != NULL, NULL);

  if (changed != NULL)
    *changed = FALSE;
  if (!check_pulled (self, model, error))
    return NULL;
  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return NULL;
  id = install_in (self, db, model, &written, error);
  if (id == NULL || !ausculta_archive_commit (self, db, error))
    {
      ausculta_archive_rollback (db);
      g_clear_pointer (&id, g_free);
      return NULL;
    }
  if (changed != NULL)
    *changed = written;
  return id;
}
