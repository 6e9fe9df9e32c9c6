/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-load"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-archive-query.h"

void
ausculta_feature_matrix_free (AuscultaFeatureMatrix *matrix)
{
  if (matrix == NULL)
    return;
  g_strfreev (matrix->feature_names);
  g_free (matrix->values);
  g_strfreev (matrix->ids);
  g_strfreev (matrix->motor_groups);
  g_free (matrix->labels);
  g_free (matrix);
}

static void
parse_reasons (AuscultaMeasurement *m,
               const char          *json)
{
  g_autoptr(JsonNode) root = json ? json_from_string (json, NULL) : NULL;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *reason = json_array_get_object_element (array, i);

      if (reason != NULL)
        ausculta_measurement_add_reason (m, json_object_get_string_member_with_default (
                                              reason, "feature", "?"),
                                         json_object_get_double_member_with_default (
                                           reason, "contribution", NAN));
    }
}

static void
parse_timings (AuscultaMeasurement *m,
               const char          *json)
{
  g_autoptr(JsonNode) root = json ? json_from_string (json, NULL) : NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    ausculta_measurement_set_timing (m, name, json_node_get_double (value));
}

/* Decodes a features blob (little-endian doubles) into @values. */
void
ausculta_archive_decode_features (const void *blob,
                                  guint       n,
                                  double     *values)
{
  memcpy (values, blob, n * sizeof (double));
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (guint i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bits = GUINT64_FROM_LE (bits);
      memcpy (&values[i], &bits, sizeof bits);
    }
#endif
}

static AuscultaMeasurement *
measurement_from_row (sqlite3_stmt *stmt)
{
  AuscultaMeasurement *m = ausculta_measurement_new ();

  g_free (m->id);
  g_date_time_unref (m->started_at);
  m->id = ausculta_archive_column_text (stmt, 1);
  m->serial = ausculta_archive_column_text (stmt, 2);
  m->station = ausculta_archive_column_text (stmt, 3);
  m->operator_name = ausculta_archive_column_text (stmt, 4);
  m->started_at = ausculta_archive_column_datetime (stmt, 5);
  m->finished_at = ausculta_archive_column_datetime (stmt, 6);
  m->profile_name = ausculta_archive_column_text (stmt, 7);
  m->profile_hash = ausculta_archive_column_text (stmt, 8);
  m->model_version = ausculta_archive_column_text (stmt, 9);
  m->model_hash = ausculta_archive_column_text (stmt, 10);
  m->verdict = (AuscultaVerdict) sqlite3_column_int (stmt, 11);
  m->score = sqlite3_column_type (stmt, 12) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 12);
  m->threshold = sqlite3_column_type (stmt, 13) == SQLITE_NULL ? NAN
                 : sqlite3_column_double (stmt, 13);
  parse_reasons (m, (const char *) sqlite3_column_text (stmt, 14));
  m->health = (guint) sqlite3_column_int (stmt, 15);
  m->overruns = (guint) sqlite3_column_int (stmt, 16);
  m->source = ausculta_archive_column_text (stmt, 17);
  m->source_index = ausculta_archive_column_text (stmt, 18);
  parse_timings (m, (const char *) sqlite3_column_text (stmt, 19));
  return m;
}

static gboolean
load_features (AuscultaArchive     *self,
               sqlite3             *db,
               gint64               seq,
               AuscultaMeasurement *m,
               GError             **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "SELECT fs.names, f.vals FROM features f JOIN feature_sets fs ON fs.id = f.feature_set"
    " WHERE f.measurement = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_auto(GStrv) names = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "\n", -1);
      guint n = g_strv_length (names);
      g_autofree double *values = g_new0 (double, MAX (n, 1));

      if ((guint) sqlite3_column_bytes (stmt, 1) == n * sizeof (double))
        ausculta_archive_decode_features (sqlite3_column_blob (stmt, 1), n, values);
      ausculta_measurement_set_features (m, (const char * const *) names, values, n);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "reading features");
  return TRUE;
}

static gboolean
load_signals (AuscultaArchive     *self,
              sqlite3             *db,
              gint64               seq,
              AuscultaMeasurement *m,
              GError             **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "SELECT run, channel, unit, sample_rate, n_samples, scale, overruns, health, flac"
    " FROM signals WHERE measurement = ? ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean kept = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
      AuscultaSignal *signal = ausculta_measurement_add_signal (
        m, (const char *) sqlite3_column_text (stmt, 0),
        (const char *) sqlite3_column_text (stmt, 1),
        (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_double (stmt, 3),
        kept ? (gsize) sqlite3_column_int64 (stmt, 4) : 0);

      signal->overruns = (guint) sqlite3_column_int (stmt, 6);
      signal->health = (guint) sqlite3_column_int (stmt, 7);
      if (kept && !ausculta_archive_decode_flac (sqlite3_column_blob (stmt, 8),
                                                 (gsize) sqlite3_column_bytes (stmt, 8),
                                                 sqlite3_column_double (stmt, 5), signal, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "reading signals");
  return TRUE;
}

/**
 * ausculta_archive_load_measurement:
 * @with_signals: also decode the stored signals (a signal whose station
 *   did not keep samples comes back with n_samples = 0)
 *
 * Returns: (transfer full): the measurement, or %NULL (NOT_FOUND, ...).
 */
AuscultaMeasurement *
ausculta_archive_load_measurement (AuscultaArchive *self,
                                   const char      *id,
                                   gboolean         with_signals,
                                   GError         **error)
{
  g_autoptr(AuscultaMeasurement) m = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gint64 seq = 0;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && id != NULL, NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db,
        "SELECT seq, id, serial, station, operator, started_at, finished_at, profile_name,"
        " profile_hash, model_version, model_hash, verdict, score, threshold, reasons, health,"
        " overruns, source, source_index, timings FROM measurements WHERE id = ?",
        error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      m = measurement_from_row (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                 "%s: no measurement with id %s", ausculta_archive_get_path (self), id);
  else if (rc != SQLITE_ROW)
    ausculta_archive_fail (self, db, rc, error, "reading a measurement");
  if (m == NULL || !load_features (self, db, seq, m, error)
      || (with_signals && !load_signals (self, db, seq, m, error)))
    return NULL;
  return g_steal_pointer (&m);
}
