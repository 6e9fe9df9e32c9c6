/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-matrix"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-archive-query.h"

/* Builds the features matrix of a selection. The first row's feature names
 * are the columns; a row stored under other names is mapped by name, with
 * NaN where it lacks a column. */
typedef struct {
  AuscultaArchive *self;
  sqlite3         *db;
  sqlite3_stmt    *names_of_set;
  char           **names;           /* the columns */
  GHashTable      *column_of_name;  /* name -> column + 1 */
  GHashTable      *maps;            /* set id -> int[n] column per stored value, -1 none */
  GArray          *values;
  GPtrArray       *ids;
  GPtrArray       *groups;
  GArray          *labels;
} Matrix;

static void
matrix_clear (Matrix *mx)
{
  sqlite3_finalize (mx->names_of_set);
  g_strfreev (mx->names);
  g_clear_pointer (&mx->column_of_name, g_hash_table_unref);
  g_clear_pointer (&mx->maps, g_hash_table_unref);
  g_clear_pointer (&mx->values, g_array_unref);
  g_clear_pointer (&mx->ids, g_ptr_array_unref);
  g_clear_pointer (&mx->groups, g_ptr_array_unref);
  g_clear_pointer (&mx->labels, g_array_unref);
}

static gboolean
matrix_init (Matrix          *mx,
             AuscultaArchive *self,
             sqlite3         *db,
             GError         **error)
{
  *mx = (Matrix) { .self = self, .db = db };
  mx->column_of_name = g_hash_table_new (g_str_hash, g_str_equal);
  mx->maps = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  mx->values = g_array_new (FALSE, FALSE, sizeof (double));
  mx->ids = g_ptr_array_new_with_free_func (g_free);
  mx->groups = g_ptr_array_new_with_free_func (g_free);
  mx->labels = g_array_new (FALSE, FALSE, sizeof (int));
  mx->names_of_set = ausculta_archive_prepare (self, db,
    "SELECT names FROM feature_sets WHERE id = ?", error);
  return mx->names_of_set != NULL;
}

/* The column of each value stored under feature set @set_id. */
static const int *
matrix_map (Matrix  *mx,
            gint64   set_id,
            guint   *n_stored)
{
  g_auto(GStrv) names = NULL;
  int *map = g_hash_table_lookup (mx->maps, &set_id);

  if (map != NULL)
    {
      *n_stored = (guint) map[0];
      return map + 1;
    }
  sqlite3_bind_int64 (mx->names_of_set, 1, set_id);
  if (sqlite3_step (mx->names_of_set) == SQLITE_ROW)
    names = g_strsplit ((const char *) sqlite3_column_text (mx->names_of_set, 0), "\n", -1);
  sqlite3_reset (mx->names_of_set);
  if (names == NULL)
    names = g_new0 (char *, 1);
  if (mx->names == NULL)
    {
      mx->names = g_strdupv (names);
      for (guint i = 0; mx->names[i] != NULL; i++)
        g_hash_table_insert (mx->column_of_name, mx->names[i], GUINT_TO_POINTER (i + 1));
    }
  *n_stored = g_strv_length (names);
  map = g_new (int, *n_stored + 1);
  map[0] = (int) *n_stored;
  for (guint i = 0; i < *n_stored; i++)
    map[i + 1] = (int) GPOINTER_TO_UINT (g_hash_table_lookup (mx->column_of_name, names[i])) - 1;
  g_hash_table_insert (mx->maps, g_memdup2 (&set_id, sizeof set_id), map);
  return map + 1;
}

/* Adds the row at the current step of @stmt: id, motor group, label,
 * feature set, values blob. */
static void
matrix_add (Matrix       *mx,
            sqlite3_stmt *stmt)
{
  guint n_stored = 0;
  const int *map = matrix_map (mx, sqlite3_column_int64 (stmt, 3), &n_stored);
  guint n_columns = g_strv_length (mx->names);
  g_autofree double *stored = g_new (double, MAX (n_stored, 1));
  guint first = mx->values->len;
  int label = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? AUSCULTA_LABEL_FILTER_UNLABELLED
              : sqlite3_column_int (stmt, 2);
  const char *group = (const char *) sqlite3_column_text (stmt, 1);

  if ((guint) sqlite3_column_bytes (stmt, 4) != n_stored * sizeof (double))
    n_stored = 0;
  ausculta_archive_decode_features (sqlite3_column_blob (stmt, 4), n_stored, stored);
  g_array_set_size (mx->values, first + n_columns);
  for (guint j = 0; j < n_columns; j++)
    g_array_index (mx->values, double, first + j) = NAN;
  for (guint i = 0; i < n_stored; i++)
    if (map[i] >= 0)
      g_array_index (mx->values, double, first + (guint) map[i]) = stored[i];
  g_ptr_array_add (mx->ids, ausculta_archive_column_text (stmt, 0));
  g_ptr_array_add (mx->groups, g_strdup (group ? group : ""));
  g_array_append_val (mx->labels, label);
}

static AuscultaFeatureMatrix *
matrix_finish (Matrix *mx)
{
  AuscultaFeatureMatrix *matrix = g_new0 (AuscultaFeatureMatrix, 1);

  matrix->n_rows = mx->ids->len;
  matrix->feature_names = mx->names ? g_steal_pointer (&mx->names) : g_new0 (char *, 1);
  matrix->n_features = g_strv_length (matrix->feature_names);
  matrix->values = (double *) g_array_free (g_steal_pointer (&mx->values), FALSE);
  g_ptr_array_add (mx->ids, NULL);
  matrix->ids = (char **) g_ptr_array_free (g_steal_pointer (&mx->ids), FALSE);
  g_ptr_array_add (mx->groups, NULL);
  matrix->motor_groups = (char **) g_ptr_array_free (g_steal_pointer (&mx->groups), FALSE);
  matrix->labels = (int *) g_array_free (g_steal_pointer (&mx->labels), FALSE);
  return matrix;
}

#define MATRIX_COLUMNS "m.id, m.motor_group, m.label, f.feature_set, f.vals"

/**
 * ausculta_archive_get_features:
 * @filter: (nullable): the selection
 * @max_rows: at most this many rows (newest first); 0 for all
 *
 * Returns: (transfer full): the matrix (measurements without features are
 *   left out), or %NULL on error.
 */
AuscultaFeatureMatrix *
ausculta_archive_get_features (AuscultaArchive             *self,
                               const AuscultaArchiveFilter *filter,
                               guint                        max_rows,
                               GError                     **error)
{
  g_autofree char *where = ausculta_archive_filter_where (filter);
  g_autofree char *sql = g_strdup_printf (
    "SELECT " MATRIX_COLUMNS " FROM measurements m JOIN features f ON f.measurement = m.seq"
    " %s ORDER BY m.started_at DESC, m.seq DESC LIMIT %" G_GINT64_FORMAT, where,
    max_rows > 0 ? (gint64) max_rows : G_GINT64_CONSTANT (-1));
  AuscultaFeatureMatrix *matrix = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  Matrix mx;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  if (matrix_init (&mx, self, db, error)
      && (stmt = ausculta_archive_prepare (self, db, sql, error)) != NULL)
    {
      ausculta_archive_filter_bind (filter, stmt);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        matrix_add (&mx, stmt);
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        matrix = matrix_finish (&mx);
      else
        ausculta_archive_fail (self, db, rc, error, "reading features");
    }
  matrix_clear (&mx);
  return matrix;
}

/**
 * ausculta_archive_get_features_of_ids:
 * @ids: measurement ids, %NULL-terminated
 *
 * Returns: (transfer full): the matrix in the order of @ids; fails with
 *   NOT_FOUND naming the first id without features.
 */
AuscultaFeatureMatrix *
ausculta_archive_get_features_of_ids (AuscultaArchive    *self,
                                      const char * const *ids,
                                      GError            **error)
{
  AuscultaFeatureMatrix *matrix = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  Matrix mx;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && ids != NULL, NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  if (matrix_init (&mx, self, db, error)
      && (stmt = ausculta_archive_prepare (self, db, "SELECT " MATRIX_COLUMNS
                   " FROM measurements m JOIN features f ON f.measurement = m.seq"
                   " WHERE m.id = ?", error)) != NULL)
    {
      for (guint i = 0; ids[i] != NULL && rc == SQLITE_DONE; i++)
        {
          sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              matrix_add (&mx, stmt);
              rc = SQLITE_DONE;
            }
          else if (rc == SQLITE_DONE)
            {
              g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                           "%s: measurement %s has no features",
                           ausculta_archive_get_path (self), ids[i]);
              rc = SQLITE_NOTFOUND;
            }
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        matrix = matrix_finish (&mx);
      else if (rc != SQLITE_NOTFOUND)
        ausculta_archive_fail (self, db, rc, error, "reading features");
    }
  matrix_clear (&mx);
  return matrix;
}
