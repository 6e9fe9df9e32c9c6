/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-labels"

#include "config.h"

#include "ausculta-archive-private.h"

void
ausculta_label_free (AuscultaLabel *label)
{
  if (label == NULL)
    return;
  g_free (label->comment);
  g_free (label->user_name);
  g_clear_pointer (&label->created_at, g_date_time_unref);
  g_free (label);
}

void
ausculta_station_free (AuscultaStation *station)
{
  if (station == NULL)
    return;
  g_free (station->name);
  g_free (station->description);
  g_free (station);
}

/**
 * ausculta_label_to_string:
 *
 * Returns: (transfer full): "OK", "NG", or "NG class N" for a defect class.
 */
char *
ausculta_label_to_string (int label)
{
  if (label == AUSCULTA_LABEL_OK)
    return g_strdup ("OK");
  if (label == AUSCULTA_LABEL_NG)
    return g_strdup ("NG");
  if (label > 0 && label < AUSCULTA_LABEL_NG)
    return g_strdup_printf ("NG class %d", label);
  return g_strdup ("unlabelled");
}

/* Finds a measurement's operator. */
static gboolean
find_measurement (AuscultaArchive *self,
                  sqlite3         *db,
                  const char      *id,
                  char           **operator_name,
                  GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "SELECT operator FROM measurements WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *operator_name = ausculta_archive_column_text (stmt, 0);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                 "%s: no measurement with id %s", ausculta_archive_get_path (self), id);
  else if (rc != SQLITE_ROW)
    ausculta_archive_fail (self, db, rc, error, "reading a measurement");
  return rc == SQLITE_ROW;
}

/* Adds a label to the history and makes it current, with audit and sync,
 * in the caller's transaction; no role check (the callers do it). */
gboolean
ausculta_archive_set_label_in (AuscultaArchive *self,
                               sqlite3         *db,
                               const char      *actor,
                               const char      *measurement_id,
                               int              label,
                               const char      *comment,
                               GError         **error)
{
  g_autofree char *detail = ausculta_label_to_string (label);
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO labels (measurement, label, comment, user_name, created_at)"
    " SELECT seq, ?2, ?3, ?4, ?5 FROM measurements WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, measurement_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, label);
  sqlite3_bind_text (stmt, 3, comment, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, actor ? actor : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "adding a label");
  stmt = ausculta_archive_prepare (self, db, "UPDATE measurements SET label = ? WHERE id = ?",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, label);
  sqlite3_bind_text (stmt, 2, measurement_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "labelling a measurement");
  return ausculta_archive_audit_append_in (self, db, actor, "label.set", measurement_id, detail,
                                           error)
         && ausculta_archive_outbox_add_in (self, db, AUSCULTA_OUTBOX_TARGET_MONGODB,
                                            AUSCULTA_OUTBOX_LABEL, measurement_id, error);
}

static gboolean
may_label (AuscultaArchive *self,
           sqlite3         *db,
           const char      *actor,
           const char      *operator_name,
           GError         **error)
{
  g_autoptr(AuscultaUser) user = ausculta_archive_require_role_in (self, db, actor,
                                                                   AUSCULTA_ROLE_INSPECTOR,
                                                                   "labelling", error);

  if (user == NULL)
    return FALSE;
  if (user->role == AUSCULTA_ROLE_INSPECTOR && g_strcmp0 (operator_name, actor) != 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                   "labelling refused: inspector “%s” may label only their own measurements "
                   "(this one was measured by %s)", actor,
                   operator_name ? operator_name : "nobody known");
      return FALSE;
    }
  return TRUE;
}

gboolean
ausculta_archive_set_label (AuscultaArchive *self,
                            const char      *actor,
                            const char      *measurement_id,
                            int              label,
                            const char      *comment,
                            GError         **error)
{
  g_autofree char *operator_name = NULL;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (measurement_id != NULL, FALSE);

  if (label < AUSCULTA_LABEL_OK || label > AUSCULTA_LABEL_NG)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "label %d: expected 0 (OK), a defect class 1..99, or %d (NG)", label,
                   AUSCULTA_LABEL_NG);
      return FALSE;
    }
  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  if (!find_measurement (self, db, measurement_id, &operator_name, error)
      || !may_label (self, db, actor, operator_name, error)
      || !ausculta_archive_set_label_in (self, db, actor, measurement_id, label, comment,
                                         error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return ausculta_archive_commit (self, db, error);
}

GPtrArray *
ausculta_archive_get_label_history (AuscultaArchive *self,
                                    const char      *measurement_id,
                                    GError         **error)
{
  g_autoptr(GPtrArray) labels = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && measurement_id != NULL, NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (self, db,
    "SELECT l.label, l.comment, l.user_name, l.created_at FROM labels l"
    " JOIN measurements m ON m.seq = l.measurement WHERE m.id = ? ORDER BY l.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, measurement_id, -1, SQLITE_STATIC);
  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_label_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AuscultaLabel *label = g_new0 (AuscultaLabel, 1);

      label->label = sqlite3_column_int (stmt, 0);
      label->comment = ausculta_archive_column_text (stmt, 1);
      label->user_name = ausculta_archive_column_text (stmt, 2);
      label->created_at = ausculta_archive_column_datetime (stmt, 3);
      g_ptr_array_add (labels, label);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "reading labels");
      return NULL;
    }
  return g_steal_pointer (&labels);
}

gboolean
ausculta_archive_set_station (AuscultaArchive *self,
                              const char      *actor,
                              const char      *name,
                              const char      *description,
                              gboolean         store_signals,
                              GError         **error)
{
  g_autoptr(AuscultaUser) admin = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && name != NULL, FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  admin = ausculta_archive_require_role_in (self, db, actor, AUSCULTA_ROLE_ADMIN,
                                            "configuring a station", error);
  stmt = admin == NULL ? NULL : ausculta_archive_prepare (self, db,
    "INSERT INTO stations (name, description, store_signals, created_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (name) DO UPDATE SET description = excluded.description,"
    " store_signals = excluded.store_signals", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, description, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, store_signals ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "configuring a station");
      goto failed;
    }
  if (!ausculta_archive_audit_append_in (self, db, actor, "station.set", name,
                                         store_signals ? "signals=kept" : "signals=dropped",
                                         error))
    goto failed;
  return ausculta_archive_commit (self, db, error);

failed:
  ausculta_archive_rollback (db);
  return FALSE;
}

GPtrArray *
ausculta_archive_list_stations (AuscultaArchive *self,
                                GError         **error)
{
  g_autoptr(GPtrArray) stations = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (self, db,
    "SELECT name, description, store_signals FROM stations ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  stations = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_station_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AuscultaStation *station = g_new0 (AuscultaStation, 1);

      station->name = ausculta_archive_column_text (stmt, 0);
      station->description = ausculta_archive_column_text (stmt, 1);
      station->store_signals = sqlite3_column_int (stmt, 2) != 0;
      g_ptr_array_add (stations, station);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "listing stations");
      return NULL;
    }
  return g_steal_pointer (&stations);
}
