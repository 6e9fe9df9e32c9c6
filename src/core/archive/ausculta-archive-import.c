/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-csv.h"
#include "ausculta-feature-layout.h"

#define IMPORT_BATCH 500

typedef struct {
  AuscultaArchive     *self;
  sqlite3             *db;
  const char          *actor;
  AuscultaCsvReader   *reader;
  char                *source;        /* "csv:NAME" */
  sqlite3_stmt        *find;
  sqlite3_stmt        *set_key;
  GHashTable          *seen;          /* import keys met in this file */
  GPtrArray           *pending;       /* AuscultaMeasurement* to insert */
  GArray              *pending_labels;
  GPtrArray           *pending_keys;
  AuscultaImportResult result;
} Import;

static void
import_clear (Import *imp)
{
  sqlite3_finalize (imp->find);
  sqlite3_finalize (imp->set_key);
  g_clear_pointer (&imp->pending_keys, g_ptr_array_unref);
  g_free (imp->source);
  g_clear_pointer (&imp->seen, g_hash_table_unref);
  g_clear_pointer (&imp->pending, g_ptr_array_unref);
  g_clear_pointer (&imp->pending_labels, g_array_unref);
}

/* The label a row carries: AUSCULTA_LABEL_OK, _NG, a class, or -1. */
static int
row_label (AuscultaCsvReader    *reader,
           const AuscultaCsvRow *row)
{
  int defect_class;

  if (ausculta_csv_reader_get_labels (reader) == AUSCULTA_CSV_LABELS_NONE)
    return -1;
  if (ausculta_csv_row_is_ok (reader, row))
    return AUSCULTA_LABEL_OK;
  defect_class = ausculta_csv_row_get_defect_class (reader, row);
  return defect_class > 0 && defect_class < AUSCULTA_LABEL_NG ? defect_class : AUSCULTA_LABEL_NG;
}

static gboolean
flush (Import  *imp,
       GError **error)
{
  if (!ausculta_archive_insert_in (imp->self, imp->db,
                                   (AuscultaMeasurement **) imp->pending->pdata,
                                   imp->pending->len, error))
    return FALSE;
  for (guint i = 0; i < imp->pending->len; i++)
    {
      AuscultaMeasurement *m = imp->pending->pdata[i];
      int label = g_array_index (imp->pending_labels, int, i);
      int rc;

      sqlite3_bind_text (imp->set_key, 1, imp->pending_keys->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->set_key, 2, m->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (imp->set_key);
      sqlite3_reset (imp->set_key);
      if (rc != SQLITE_DONE)
        return ausculta_archive_fail (imp->self, imp->db, rc, error, "importing");
      if (label >= 0 && !ausculta_archive_set_label_in (imp->self, imp->db, imp->actor, m->id,
                                                        label, imp->source, error))
        return FALSE;
    }
  imp->result.n_added += imp->pending->len;
  g_ptr_array_set_size (imp->pending, 0);
  g_array_set_size (imp->pending_labels, 0);
  g_ptr_array_set_size (imp->pending_keys, 0);
  return TRUE;
}

/* What identifies one historical measurement: its index name alone does
 * not (the exports reuse a name for different motors), its name with its
 * values does, whichever file and number format it comes from. */
static char *
import_key (Import               *imp,
            const AuscultaCsvRow *row)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint n = ausculta_csv_reader_get_n_features (imp->reader);

  g_checksum_update (checksum, (const guchar *) row->index, (gssize) strlen (row->index) + 1);
  for (guint i = 0; i < n; i++)
    {
      guint64 bits = 0;

      if (!isnan (row->features[i]))
        memcpy (&bits, &row->features[i], sizeof bits);
      bits = GUINT64_TO_LE (bits);
      g_checksum_update (checksum, (const guchar *) &bits, sizeof bits);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static void
queue_new (Import               *imp,
           const AuscultaCsvRow *row,
           int                   label,
           char                 *key)
{
  AuscultaMeasurement *m = ausculta_measurement_new ();

  m->serial = ausculta_feature_layout_motor_group (row->index);
  m->source = g_strdup (imp->source);
  m->source_index = g_strdup (row->index);
  m->health = row->health;
  ausculta_measurement_set_features (m, ausculta_csv_reader_get_feature_names (imp->reader),
                                     row->features,
                                     ausculta_csv_reader_get_n_features (imp->reader));
  g_ptr_array_add (imp->pending, m);
  g_array_append_val (imp->pending_labels, label);
  g_ptr_array_add (imp->pending_keys, key);
}

/* A known measurement: refine its label if the file knows more. */
static gboolean
update_known (Import     *imp,
              const char *id,
              int         current,
              int         label,
              GError    **error)
{
  if (label < 0 || label == current)
    return TRUE;
  if (current > AUSCULTA_LABEL_OK && label == AUSCULTA_LABEL_NG)
    return TRUE;   /* a defect class already says NG, and more */
  if (current >= 0 && !(current == AUSCULTA_LABEL_NG && label != AUSCULTA_LABEL_OK))
    {
      imp->result.n_conflicts++;
      return TRUE;
    }
  imp->result.n_relabelled++;
  return ausculta_archive_set_label_in (imp->self, imp->db, imp->actor, id, label, imp->source,
                                        error);
}

static gboolean
import_row (Import               *imp,
            const AuscultaCsvRow *row,
            GError              **error)
{
  int label = row_label (imp->reader, row);
  g_autofree char *key = import_key (imp, row);
  g_autofree char *id = NULL;
  int current = -1;
  int rc;

  imp->result.n_rows++;
  if (!g_hash_table_add (imp->seen, g_strdup (key)))
    return TRUE;   /* the same measurement twice in one file */
  sqlite3_bind_text (imp->find, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->find);
  if (rc == SQLITE_ROW)
    {
      id = ausculta_archive_column_text (imp->find, 0);
      if (sqlite3_column_type (imp->find, 1) != SQLITE_NULL)
        current = sqlite3_column_int (imp->find, 1);
    }
  sqlite3_reset (imp->find);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ausculta_archive_fail (imp->self, imp->db, rc, error, "importing");
  if (id != NULL)
    return update_known (imp, id, current, label, error);
  queue_new (imp, row, label, g_steal_pointer (&key));
  return imp->pending->len < IMPORT_BATCH || flush (imp, error);
}

static char *
file_sha256 (const char *path,
             GError    **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;

  if (mapped == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapped);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static gboolean
may_import (Import  *imp,
            GError **error)
{
  g_autoptr(AuscultaUser) user = NULL;
  sqlite3_stmt *stmt = ausculta_archive_prepare (imp->self, imp->db,
                                                 "SELECT count(*) FROM users", error);
  gint64 n_users = 0;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_users = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n_users == 0 && imp->actor == NULL)
    return TRUE;
  user = ausculta_archive_require_role_in (imp->self, imp->db, imp->actor,
                                           AUSCULTA_ROLE_SUPERVISOR, "importing", error);
  return user != NULL;
}

static gboolean
record_import (Import     *imp,
               const char *sha256,
               GError    **error)
{
  g_autofree char *detail = g_strdup_printf ("sha256=%s rows=%u added=%u relabelled=%u",
                                             sha256, imp->result.n_rows, imp->result.n_added,
                                             imp->result.n_relabelled);
  sqlite3_stmt *stmt = ausculta_archive_prepare (imp->self, imp->db,
    "INSERT INTO imports (sha256, file_name, n_rows, n_added, imported_by, imported_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, imp->source + 4, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) imp->result.n_rows);
  sqlite3_bind_int (stmt, 4, (int) imp->result.n_added);
  sqlite3_bind_text (stmt, 5, imp->actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (imp->self, imp->db, rc, error, "recording the import");
  return ausculta_archive_audit_append_in (imp->self, imp->db, imp->actor, "import",
                                           imp->source + 4, detail, error);
}

static gboolean
import_all (Import     *imp,
            const char *sha256,
            GError    **error)
{
  const AuscultaCsvRow *row;
  GError *read_error = NULL;

  imp->find = ausculta_archive_prepare (imp->self, imp->db,
    "SELECT id, label FROM measurements WHERE import_key = ?", error);
  imp->set_key = ausculta_archive_prepare (imp->self, imp->db,
    "UPDATE measurements SET import_key = ? WHERE id = ?", error);
  if (imp->find == NULL || imp->set_key == NULL || !may_import (imp, error))
    return FALSE;
  while ((row = ausculta_csv_reader_next (imp->reader, &read_error)) != NULL)
    if (!import_row (imp, row, error))
      return FALSE;
  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  if (imp->result.n_rows == 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "%s: no data rows after the header; expected one row per measurement",
                   imp->source + 4);
      return FALSE;
    }
  return flush (imp, error) && record_import (imp, sha256, error);
}

/**
 * ausculta_archive_import_csv:
 * @result: (out) (optional): what the import did
 *
 * Imports a historical CSV file in one transaction: all its rows or, on a
 * bad row, nothing (the error names the file and line).
 */
gboolean
ausculta_archive_import_csv (AuscultaArchive      *self,
                             const char           *actor,
                             const char           *path,
                             AuscultaImportResult *result,
                             GError              **error)
{
  g_autoptr(AuscultaCsvReader) reader = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *name = NULL;
  Import imp = { 0 };
  gboolean ok;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && path != NULL, FALSE);

  reader = ausculta_csv_reader_open (path, error);
  if (reader == NULL || (sha256 = file_sha256 (path, error)) == NULL)
    return FALSE;
  name = g_path_get_basename (path);
  imp = (Import) {
    .self = self, .actor = actor, .reader = reader,
    .source = g_strconcat ("csv:", name, NULL),
    .seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref),
    .pending_labels = g_array_new (FALSE, FALSE, sizeof (int)),
    .pending_keys = g_ptr_array_new_with_free_func (g_free),
  };
  imp.db = ausculta_archive_db (self, error);
  ok = imp.db != NULL && ausculta_archive_begin (self, imp.db, error);
  if (ok)
    {
      ok = import_all (&imp, sha256, error) && ausculta_archive_commit (self, imp.db, error);
      if (!ok)
        ausculta_archive_rollback (imp.db);
    }
  if (ok && result != NULL)
    *result = imp.result;
  import_clear (&imp);
  return ok;
}
