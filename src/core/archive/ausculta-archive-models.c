/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-models"

#include "config.h"

#include "ausculta-archive-private.h"

static const char * const status_names[] = { "candidate", "approved", "retired" };

const char *
ausculta_model_status_to_string (AuscultaModelStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

void
ausculta_model_info_free (AuscultaModelInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->version);
  g_free (info->sha256);
  g_free (info->validation_report);
  g_free (info->created_by);
  g_clear_pointer (&info->created_at, g_date_time_unref);
  g_free (info->approved_by);
  g_clear_pointer (&info->approved_at, g_date_time_unref);
  g_free (info);
}

/* The production model: the most recently approved one still approved. */
#define PRODUCTION_ID \
  "(SELECT id FROM models WHERE status = 1 ORDER BY approved_at DESC, rowid DESC LIMIT 1)"

#define MODEL_COLUMNS \
  "id, version, sha256, status, validation_report, created_by, created_at, approved_by," \
  " approved_at, id IS " PRODUCTION_ID

static AuscultaModelInfo *
model_from_row (sqlite3_stmt *stmt)
{
  AuscultaModelInfo *info = g_new0 (AuscultaModelInfo, 1);

  info->id = ausculta_archive_column_text (stmt, 0);
  info->version = ausculta_archive_column_text (stmt, 1);
  info->sha256 = ausculta_archive_column_text (stmt, 2);
  info->status = (AuscultaModelStatus) sqlite3_column_int (stmt, 3);
  info->validation_report = ausculta_archive_column_text (stmt, 4);
  info->created_by = ausculta_archive_column_text (stmt, 5);
  info->created_at = ausculta_archive_column_datetime (stmt, 6);
  info->approved_by = ausculta_archive_column_text (stmt, 7);
  info->approved_at = ausculta_archive_column_datetime (stmt, 8);
  info->production = sqlite3_column_int (stmt, 9) != 0;
  return info;
}

static gboolean
insert_model (AuscultaArchive *self,
              sqlite3         *db,
              const char      *id,
              const char      *actor,
              const char      *version,
              GBytes          *file,
              const char      *sha256,
              const char      *report,
              GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO models (id, version, sha256, file, status, validation_report, created_by,"
    " created_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, version, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 4, g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                       SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, report, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS,
                   "model %s: this file (SHA-256 %.12s…) is already in the archive",
                   version, sha256);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "adding a model");
  return TRUE;
}

/**
 * ausculta_archive_add_model:
 * @validation_report: (nullable): the validation report, JSON text
 *
 * Archives a model file as a candidate (needs the engineer role) and
 * queues it for MLflow.
 *
 * Returns: (transfer full): the new model's id, or %NULL on error.
 */
char *
ausculta_archive_add_model (AuscultaArchive *self,
                            const char      *actor,
                            const char      *version,
                            GBytes          *file,
                            const char      *validation_report,
                            GError         **error)
{
  g_autofree char *id = ausculta_uuid7_new ();
  g_autofree char *sha256 = NULL;
  g_autoptr(AuscultaUser) user = NULL;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (version != NULL && file != NULL, NULL);

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return NULL;
  user = ausculta_archive_require_role_in (self, db, actor, AUSCULTA_ROLE_ENGINEER,
                                           "adding a model", error);
  if (user == NULL
      || !insert_model (self, db, id, actor, version, file, sha256, validation_report, error)
      || !ausculta_archive_audit_append_in (self, db, actor, "model.add", id, sha256, error)
      || !ausculta_archive_outbox_add_in (self, db, AUSCULTA_OUTBOX_TARGET_MLFLOW,
                                          AUSCULTA_OUTBOX_MODEL, id, error)
      || !ausculta_archive_commit (self, db, error))
    {
      ausculta_archive_rollback (db);
      return NULL;
    }
  return g_steal_pointer (&id);
}

static gboolean
set_status (AuscultaArchive     *self,
            const char          *actor,
            const char          *model_id,
            AuscultaModelStatus  status,
            GError             **error)
{
  g_autoptr(AuscultaUser) user = NULL;
  const char *action = status == AUSCULTA_MODEL_APPROVED ? "model.approve" : "model.retire";
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  user = ausculta_archive_require_role_in (self, db, actor, AUSCULTA_ROLE_SUPERVISOR,
                                           status == AUSCULTA_MODEL_APPROVED
                                           ? "approving a model" : "retiring a model", error);
  stmt = user == NULL ? NULL : ausculta_archive_prepare (self, db, status == AUSCULTA_MODEL_APPROVED
    ? "UPDATE models SET status = 1, approved_by = ?2, approved_at = ?3 WHERE id = ?1"
    : "UPDATE models SET status = 2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "changing a model's status");
      goto failed;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                   "%s: no model with id %s", ausculta_archive_get_path (self), model_id);
      goto failed;
    }
  if (ausculta_archive_audit_append_in (self, db, actor, action, model_id, NULL, error)
      && ausculta_archive_outbox_add_in (self, db, AUSCULTA_OUTBOX_TARGET_MLFLOW,
                                         AUSCULTA_OUTBOX_APPROVAL, model_id, error)
      && ausculta_archive_commit (self, db, error))
    return TRUE;

failed:
  ausculta_archive_rollback (db);
  return FALSE;
}

gboolean
ausculta_archive_approve_model (AuscultaArchive *self,
                                const char      *actor,
                                const char      *model_id,
                                GError         **error)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && model_id != NULL, FALSE);
  return set_status (self, actor, model_id, AUSCULTA_MODEL_APPROVED, error);
}

gboolean
ausculta_archive_retire_model (AuscultaArchive *self,
                               const char      *actor,
                               const char      *model_id,
                               GError         **error)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && model_id != NULL, FALSE);
  return set_status (self, actor, model_id, AUSCULTA_MODEL_RETIRED, error);
}

static GPtrArray *
query_models (AuscultaArchive *self,
              const char      *where,
              GError         **error)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT " MODEL_COLUMNS " FROM models %s"
                                          " ORDER BY created_at DESC, rowid DESC", where);
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db, sql, error)) == NULL)
    return NULL;
  models = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_model_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (models, model_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "listing models");
      return NULL;
    }
  return g_steal_pointer (&models);
}

GPtrArray *
ausculta_archive_list_models (AuscultaArchive *self,
                              GError         **error)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);
  return query_models (self, "", error);
}

/**
 * ausculta_archive_get_production_model:
 *
 * Returns: (transfer full) (nullable): the production model, or %NULL
 *   without error when none is approved.
 */
AuscultaModelInfo *
ausculta_archive_get_production_model (AuscultaArchive *self,
                                       GError         **error)
{
  g_autoptr(GPtrArray) models = NULL;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  models = query_models (self, "WHERE id IS " PRODUCTION_ID, error);
  if (models == NULL || models->len == 0)
    return NULL;
  return g_ptr_array_steal_index (models, 0);
}

GBytes *
ausculta_archive_get_model_file (AuscultaArchive *self,
                                 const char      *model_id,
                                 GError         **error)
{
  GBytes *file = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && model_id != NULL, NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL
      || (stmt = ausculta_archive_prepare (self, db, "SELECT file FROM models WHERE id = ?",
                                           error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    file = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                 "%s: no model with id %s", ausculta_archive_get_path (self), model_id);
  else
    ausculta_archive_fail (self, db, rc, error, "reading a model");
  sqlite3_finalize (stmt);
  return file;
}
