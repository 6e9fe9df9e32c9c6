/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-insert"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-feature-layout.h"

/* The statements of one insert transaction, prepared once per batch. */
typedef struct {
  sqlite3      *db;
  sqlite3_stmt *station_get;
  sqlite3_stmt *station_add;
  sqlite3_stmt *measurement;
  sqlite3_stmt *feature_set_get;
  sqlite3_stmt *feature_set_add;
  sqlite3_stmt *features;
  sqlite3_stmt *signal;
  sqlite3_stmt *outbox;
  char        **last_names;     /* feature names of last_set */
  gint64        last_set;
  GHashTable   *stations;       /* name -> 1 + keeps signals, known to exist */
} Inserter;

static void
inserter_clear (Inserter *ins)
{
  sqlite3_finalize (ins->station_get);
  sqlite3_finalize (ins->station_add);
  sqlite3_finalize (ins->measurement);
  sqlite3_finalize (ins->feature_set_get);
  sqlite3_finalize (ins->feature_set_add);
  sqlite3_finalize (ins->features);
  sqlite3_finalize (ins->signal);
  sqlite3_finalize (ins->outbox);
  g_strfreev (ins->last_names);
  g_clear_pointer (&ins->stations, g_hash_table_unref);
}

static gboolean
inserter_init (Inserter        *ins,
               AuscultaArchive *self,
               sqlite3         *db,
               GError         **error)
{
  *ins = (Inserter) { .db = db, .last_set = -1 };
  ins->stations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return (ins->station_get = ausculta_archive_prepare (self, db,
            "SELECT store_signals FROM stations WHERE name = ?", error))
    && (ins->station_add = ausculta_archive_prepare (self, db,
            "INSERT INTO stations (name, store_signals, created_at) VALUES (?, 1, ?)", error))
    && (ins->measurement = ausculta_archive_prepare (self, db,
            "INSERT INTO measurements (id, serial, station, operator, started_at, finished_at,"
            " profile_name, profile_hash, model_version, model_hash, verdict, score, threshold,"
            " reasons, health, overruns, source, source_index, motor_group, timings)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
            " ?17, ?18, ?19, ?20)", error))
    && (ins->feature_set_get = ausculta_archive_prepare (self, db,
            "SELECT id FROM feature_sets WHERE hash = ?", error))
    && (ins->feature_set_add = ausculta_archive_prepare (self, db,
            "INSERT INTO feature_sets (hash, names) VALUES (?, ?)", error))
    && (ins->features = ausculta_archive_prepare (self, db,
            "INSERT INTO features (measurement, feature_set, vals) VALUES (?, ?, ?)", error))
    && (ins->signal = ausculta_archive_prepare (self, db,
            "INSERT INTO signals (measurement, run, channel, unit, sample_rate, n_samples,"
            " scale, overruns, health, flac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error))
    && (ins->outbox = ausculta_archive_prepare (self, db,
            "INSERT INTO outbox (target, kind, ref_id, created_at, next_attempt_at)"
            " VALUES (?1, ?2, ?3, ?4, ?4)", error));
}

static gboolean
step_done (AuscultaArchive *self,
           sqlite3_stmt    *stmt,
           GError         **error,
           const char      *what)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return ausculta_archive_fail (self, sqlite3_db_handle (stmt), rc, error, what);
  return TRUE;
}

/* Whether @station keeps signals; an unknown station is created. */
static gboolean
station_keeps_signals (AuscultaArchive *self,
                       Inserter        *ins,
                       const char      *station,
                       gboolean        *keep,
                       GError         **error)
{
  gpointer known;
  int rc;

  *keep = TRUE;
  if (station == NULL)
    return TRUE;
  known = g_hash_table_lookup (ins->stations, station);
  if (known != NULL)
    {
      *keep = GPOINTER_TO_INT (known) - 1;
      return TRUE;
    }
  sqlite3_bind_text (ins->station_get, 1, station, -1, SQLITE_STATIC);
  rc = sqlite3_step (ins->station_get);
  if (rc == SQLITE_ROW)
    *keep = sqlite3_column_int (ins->station_get, 0) != 0;
  sqlite3_reset (ins->station_get);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ausculta_archive_fail (self, ins->db, rc, error, "reading the station");
  if (rc == SQLITE_DONE)
    {
      sqlite3_bind_text (ins->station_add, 1, station, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ins->station_add, 2, ausculta_archive_now_usec ());
      if (!step_done (self, ins->station_add, error, "adding the station"))
        return FALSE;
    }
  g_hash_table_insert (ins->stations, g_strdup (station), GINT_TO_POINTER (1 + *keep));
  return TRUE;
}

static char *
reasons_to_json (GPtrArray *reasons)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (reasons == NULL || reasons->len == 0)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; i < reasons->len; i++)
    {
      AuscultaReason *reason = reasons->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "feature");
      json_builder_add_string_value (builder, reason->feature);
      json_builder_set_member_name (builder, "contribution");
      json_builder_add_double_value (builder, reason->contribution);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
timings_to_json (GHashTable *timings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (timings == NULL || g_hash_table_size (timings) == 0)
    return NULL;
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, timings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_double_value (builder, *(double *) value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
bind_optional_double (sqlite3_stmt *stmt,
                      int           column,
                      double        value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_double (stmt, column, value);
}

static gboolean
insert_measurement_row (AuscultaArchive     *self,
                        Inserter            *ins,
                        AuscultaMeasurement *m,
                        GError             **error)
{
  sqlite3_stmt *stmt = ins->measurement;
  g_autofree char *reasons = reasons_to_json (m->reasons);
  g_autofree char *timings = timings_to_json (m->timings_ms);
  g_autofree char *motor_group = NULL;

  sqlite3_bind_text (stmt, 1, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, m->serial, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, m->station, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, m->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, ausculta_archive_usec (m->started_at));
  if (m->finished_at != NULL)
    sqlite3_bind_int64 (stmt, 6, ausculta_archive_usec (m->finished_at));
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, m->profile_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, m->profile_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, m->model_version, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, m->model_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, m->verdict);
  bind_optional_double (stmt, 12, m->score);
  bind_optional_double (stmt, 13, m->threshold);
  sqlite3_bind_text (stmt, 14, reasons, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 15, (int) m->health);
  sqlite3_bind_int (stmt, 16, (int) m->overruns);
  sqlite3_bind_text (stmt, 17, m->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, m->source_index, -1, SQLITE_STATIC);
  if (m->source_index != NULL)
    motor_group = ausculta_feature_layout_motor_group (m->source_index);
  sqlite3_bind_text (stmt, 19, motor_group, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 20, timings, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      int rc = sqlite3_reset (stmt);

      if (rc == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS,
                       "%s: measurement %s (serial %s) is already archived",
                       ausculta_archive_get_path (self), m->id, m->serial);
          return FALSE;
        }
      return ausculta_archive_fail (self, ins->db, rc, error, "adding the measurement");
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The id of the feature-name set, added on first use. */
static gboolean
feature_set_id (AuscultaArchive     *self,
                Inserter            *ins,
                AuscultaMeasurement *m,
                gint64              *set_id,
                GError             **error)
{
  g_autofree char *names = NULL;
  g_autofree char *hash = NULL;
  int rc;

  if (ins->last_names != NULL && g_strv_equal ((const char * const *) ins->last_names,
                                               (const char * const *) m->feature_names))
    {
      *set_id = ins->last_set;
      return TRUE;
    }
  names = g_strjoinv ("\n", m->feature_names);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, names, -1);
  sqlite3_bind_text (ins->feature_set_get, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (ins->feature_set_get);
  if (rc == SQLITE_ROW)
    *set_id = sqlite3_column_int64 (ins->feature_set_get, 0);
  sqlite3_reset (ins->feature_set_get);
  if (rc != SQLITE_ROW)
    {
      sqlite3_bind_text (ins->feature_set_add, 1, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins->feature_set_add, 2, names, -1, SQLITE_STATIC);
      if (!step_done (self, ins->feature_set_add, error, "adding the feature names"))
        return FALSE;
      *set_id = sqlite3_last_insert_rowid (ins->db);
    }
  g_strfreev (ins->last_names);
  ins->last_names = g_strdupv (m->feature_names);
  ins->last_set = *set_id;
  return TRUE;
}

static gboolean
insert_features (AuscultaArchive     *self,
                 Inserter            *ins,
                 AuscultaMeasurement *m,
                 gint64               seq,
                 GError             **error)
{
  g_autofree double *values = g_memdup2 (m->features, m->n_features * sizeof (double));
  gint64 set_id;

  if (m->n_features == 0)
    return TRUE;
  if (!feature_set_id (self, ins, m, &set_id, error))
    return FALSE;
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (guint i = 0; i < m->n_features; i++)
    {
      guint64 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bits = GUINT64_TO_LE (bits);
      memcpy (&values[i], &bits, sizeof bits);
    }
#endif
  sqlite3_bind_int64 (ins->features, 1, seq);
  sqlite3_bind_int64 (ins->features, 2, set_id);
  sqlite3_bind_blob (ins->features, 3, values, m->n_features * sizeof (double), SQLITE_STATIC);
  return step_done (self, ins->features, error, "adding the features");
}

static gboolean
insert_signal (AuscultaArchive *self,
               Inserter        *ins,
               AuscultaSignal  *signal,
               gint64           seq,
               gboolean         keep,
               GError         **error)
{
  sqlite3_stmt *stmt = ins->signal;
  g_autoptr(GBytes) flac = NULL;
  double scale = 0.0;

  if (keep && signal->flac != NULL)
    {
      flac = g_bytes_ref (signal->flac);
      scale = signal->flac_scale;
    }
  else if (keep && signal->n_samples > 0)
    {
      flac = ausculta_archive_encode_flac (signal, &scale, error);
      if (flac == NULL)
        return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, signal->run, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, signal->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, signal->unit, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 5, signal->sample_rate);
  sqlite3_bind_int64 (stmt, 6, (gint64) signal->n_samples);
  sqlite3_bind_double (stmt, 7, scale);
  sqlite3_bind_int (stmt, 8, (int) signal->overruns);
  sqlite3_bind_int (stmt, 9, (int) signal->health);
  if (flac != NULL)
    sqlite3_bind_blob (stmt, 10, g_bytes_get_data (flac, NULL), (int) g_bytes_get_size (flac),
                       SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 10);
  return step_done (self, stmt, error, "adding a signal");
}

static gboolean
check_measurement (AuscultaArchive     *self,
                   AuscultaMeasurement *m,
                   GError             **error)
{
  const char *missing = m->id == NULL || *m->id == '\0' ? "id"
                        : m->serial == NULL || *m->serial == '\0' ? "serial"
                        : m->started_at == NULL ? "started_at" : NULL;

  if (missing == NULL && m->n_features > 0 && m->feature_names == NULL)
    missing = "feature_names";
  if (missing == NULL)
    return TRUE;
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
               "%s: measurement %s has no %s; expected a complete measurement",
               ausculta_archive_get_path (self), m->id ? m->id : "(no id)", missing);
  return FALSE;
}

static gboolean
insert_one (AuscultaArchive     *self,
            Inserter            *ins,
            AuscultaMeasurement *m,
            GError             **error)
{
  gboolean keep;
  gint64 seq;

  if (!check_measurement (self, m, error)
      || !station_keeps_signals (self, ins, m->station, &keep, error)
      || !insert_measurement_row (self, ins, m, error))
    return FALSE;
  seq = sqlite3_last_insert_rowid (ins->db);
  if (!insert_features (self, ins, m, seq, error))
    return FALSE;
  for (guint i = 0; i < m->signals->len; i++)
    if (!insert_signal (self, ins, m->signals->pdata[i], seq, keep, error))
      return FALSE;
  sqlite3_bind_text (ins->outbox, 1, AUSCULTA_OUTBOX_TARGET_MONGODB, -1, SQLITE_STATIC);
  sqlite3_bind_int (ins->outbox, 2, AUSCULTA_OUTBOX_MEASUREMENT);
  sqlite3_bind_text (ins->outbox, 3, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (ins->outbox, 4, ausculta_archive_now_usec ());
  return step_done (self, ins->outbox, error, "queueing for sync");
}

/* Inserts in the caller's transaction. */
gboolean
ausculta_archive_insert_in (AuscultaArchive      *self,
                            sqlite3              *db,
                            AuscultaMeasurement **measurements,
                            guint                 n_measurements,
                            GError              **error)
{
  Inserter ins = { 0 };
  gboolean ok = inserter_init (&ins, self, db, error);

  for (guint i = 0; ok && i < n_measurements; i++)
    ok = insert_one (self, &ins, measurements[i], error);
  inserter_clear (&ins);
  return ok;
}

/**
 * ausculta_archive_insert_measurements:
 *
 * Archives @n_measurements measurements in one transaction: all of them
 * (with signals, features and outbox rows) or, on any error, none.
 */
gboolean
ausculta_archive_insert_measurements (AuscultaArchive      *self,
                                      AuscultaMeasurement **measurements,
                                      guint                 n_measurements,
                                      GError              **error)
{
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (measurements != NULL || n_measurements == 0, FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  if (!ausculta_archive_insert_in (self, db, measurements, n_measurements, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  if (!ausculta_archive_commit (self, db, error))
    return FALSE;
  ausculta_archive_note_inserted (self, n_measurements);
  return TRUE;
}

gboolean
ausculta_archive_insert_measurement (AuscultaArchive     *self,
                                     AuscultaMeasurement *measurement,
                                     GError             **error)
{
  g_return_val_if_fail (measurement != NULL, FALSE);
  return ausculta_archive_insert_measurements (self, &measurement, 1, error);
}
