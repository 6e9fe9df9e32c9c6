/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-schema"

#include "config.h"

#include "ausculta-archive-private.h"

/* Forward migrations: steps[v] takes an archive from version v to v + 1.
 * Never edit a released step; add a new one and bump the version.
 * Times are integer microseconds since 1970 UTC; measurements are joined
 * by their integer seq, the UUIDv7 id is for the outside world. */

static const char schema_v1[] =
  "CREATE TABLE stations ("
  "  name TEXT PRIMARY KEY,"
  "  description TEXT,"
  "  store_signals INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE measurements ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  serial TEXT NOT NULL,"
  "  station TEXT REFERENCES stations (name),"
  "  operator TEXT,"
  "  started_at INTEGER NOT NULL,"
  "  finished_at INTEGER,"
  "  profile_name TEXT, profile_hash TEXT,"
  "  model_version TEXT, model_hash TEXT,"
  "  verdict INTEGER NOT NULL CHECK (verdict BETWEEN 0 AND 3),"
  "  score REAL, threshold REAL,"
  "  reasons TEXT,"
  "  health INTEGER NOT NULL DEFAULT 0,"
  "  overruns INTEGER NOT NULL DEFAULT 0,"
  "  source TEXT, source_index TEXT, motor_group TEXT,"
  "  timings TEXT,"
  "  label INTEGER,"
  "  import_key TEXT);"
  "CREATE UNIQUE INDEX measurements_import_key ON measurements (import_key)"
  "  WHERE import_key IS NOT NULL;"
  "CREATE TABLE feature_sets ("
  "  id INTEGER PRIMARY KEY,"
  "  hash TEXT NOT NULL UNIQUE,"
  "  names TEXT NOT NULL);"
  "CREATE TABLE features ("
  "  measurement INTEGER PRIMARY KEY REFERENCES measurements (seq) ON DELETE CASCADE,"
  "  feature_set INTEGER NOT NULL REFERENCES feature_sets (id),"
  "  vals BLOB NOT NULL);"
  "CREATE TABLE signals ("
  "  id INTEGER PRIMARY KEY,"
  "  measurement INTEGER NOT NULL REFERENCES measurements (seq) ON DELETE CASCADE,"
  "  run TEXT NOT NULL, channel TEXT NOT NULL, unit TEXT,"
  "  sample_rate REAL NOT NULL, n_samples INTEGER NOT NULL, scale REAL NOT NULL,"
  "  overruns INTEGER NOT NULL DEFAULT 0, health INTEGER NOT NULL DEFAULT 0,"
  "  flac BLOB,"
  "  UNIQUE (measurement, run, channel));"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  full_name TEXT,"
  "  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),"
  "  password_hash TEXT, pin_hash TEXT,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE labels ("
  "  id INTEGER PRIMARY KEY,"
  "  measurement INTEGER NOT NULL REFERENCES measurements (seq) ON DELETE CASCADE,"
  "  label INTEGER NOT NULL,"
  "  comment TEXT,"
  "  user_name TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX labels_measurement ON labels (measurement, id);"
  "CREATE TABLE models ("
  "  id TEXT PRIMARY KEY,"
  "  version TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  file BLOB NOT NULL,"
  "  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),"
  "  validation_report TEXT,"
  "  created_by TEXT, created_at INTEGER NOT NULL,"
  "  approved_by TEXT, approved_at INTEGER);"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT, action TEXT NOT NULL, object TEXT, detail TEXT,"
  "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  target TEXT NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  ref_id TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  last_error TEXT);"
  "CREATE INDEX outbox_target ON outbox (target, id);"
  "CREATE TABLE sync_state ("
  "  target TEXT NOT NULL, key TEXT NOT NULL, value TEXT,"
  "  PRIMARY KEY (target, key)) WITHOUT ROWID;"
  "CREATE TABLE sync_stats ("
  "  target TEXT PRIMARY KEY,"
  "  last_success_at INTEGER, last_error TEXT, last_error_at INTEGER) WITHOUT ROWID;"
  "CREATE TABLE imports ("
  "  sha256 TEXT PRIMARY KEY,"
  "  file_name TEXT NOT NULL,"
  "  n_rows INTEGER NOT NULL, n_added INTEGER NOT NULL,"
  "  imported_by TEXT, imported_at INTEGER NOT NULL);";

/* Version 2: the GUI's queries on a million rows. Indexes for each filter
 * sorted by time, and per-day counts kept by triggers so the calendar of
 * a year reads a few hundred rows instead of scanning the measurements. */
static const char schema_v2[] =
  "CREATE INDEX measurements_started ON measurements (started_at);"
  "CREATE INDEX measurements_serial ON measurements (serial, started_at);"
  "CREATE INDEX measurements_verdict ON measurements (verdict, started_at);"
  "CREATE INDEX measurements_station ON measurements (station, started_at);"
  "CREATE INDEX measurements_model ON measurements (model_version, started_at);"
  "CREATE INDEX measurements_label ON measurements (label, started_at);"
  "CREATE TABLE day_counts ("
  "  day INTEGER NOT NULL, station TEXT NOT NULL, verdict INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (day, station, verdict)) WITHOUT ROWID;"
  "INSERT INTO day_counts"
  "  SELECT started_at / 86400000000, coalesce (station, ''), verdict, count(*)"
  "  FROM measurements GROUP BY 1, 2, 3;"
  "CREATE TRIGGER measurements_day_insert AFTER INSERT ON measurements BEGIN"
  "  INSERT INTO day_counts VALUES (NEW.started_at / 86400000000,"
  "                                 coalesce (NEW.station, ''), NEW.verdict, 1)"
  "    ON CONFLICT (day, station, verdict) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER measurements_day_delete AFTER DELETE ON measurements BEGIN"
  "  UPDATE day_counts SET n = n - 1"
  "    WHERE day = OLD.started_at / 86400000000"
  "      AND station = coalesce (OLD.station, '') AND verdict = OLD.verdict;"
  "END;";

/* Version 3: each filter's index also carries the other filter columns,
 * so a page with several filters is chosen from one index alone, without
 * reading a row that the other filters then reject. */
static const char schema_v3[] =
  "DROP INDEX measurements_started;"
  "DROP INDEX measurements_verdict;"
  "DROP INDEX measurements_station;"
  "DROP INDEX measurements_model;"
  "DROP INDEX measurements_label;"
  "CREATE INDEX measurements_started"
  "  ON measurements (started_at, verdict, station, label, model_version, serial);"
  "CREATE INDEX measurements_verdict"
  "  ON measurements (verdict, started_at, station, label, model_version, serial);"
  "CREATE INDEX measurements_station"
  "  ON measurements (station, started_at, verdict, label, model_version, serial);"
  "CREATE INDEX measurements_model"
  "  ON measurements (model_version, started_at, verdict, station, label, serial);"
  "CREATE INDEX measurements_label"
  "  ON measurements (label, started_at, verdict, station, model_version, serial);";

/* Version 4: a page of the GUI is read from one index alone, cold from
 * the disk in a few pages. Each index carries every column a page shows
 * (no row is looked up: matching rows are scattered over the table, one
 * page read each), and each mix of verdict, station and model has an
 * index where all its columns come before the time, so the newest 100
 * rows are the first 100 entries. Labels are rare: their indexes are
 * partial and cost nothing when a measurement is archived. */
#define PAGE_COLUMNS "id, serial, operator, score, threshold, health, source_index"
static const char schema_v4[] =
  "DROP INDEX measurements_started;"
  "DROP INDEX measurements_serial;"
  "DROP INDEX measurements_verdict;"
  "DROP INDEX measurements_station;"
  "DROP INDEX measurements_model;"
  "DROP INDEX measurements_label;"
  "CREATE INDEX measurements_started ON measurements"
  "  (started_at, verdict, station, model_version, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_serial ON measurements"
  "  (serial, started_at, verdict, station, model_version, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_verdict ON measurements"
  "  (verdict, started_at, station, model_version, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_station ON measurements"
  "  (station, started_at, verdict, model_version, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_model ON measurements"
  "  (model_version, started_at, verdict, station, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_verdict_station ON measurements"
  "  (verdict, station, started_at, model_version, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_station_model ON measurements"
  "  (station, model_version, started_at, verdict, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_model_verdict ON measurements"
  "  (model_version, verdict, started_at, station, label, " PAGE_COLUMNS ");"
  "CREATE INDEX measurements_label ON measurements"
  "  (label, started_at, verdict, station, model_version, " PAGE_COLUMNS ")"
  "  WHERE label IS NOT NULL;"
  "CREATE INDEX measurements_ng ON measurements"
  "  (started_at, label, verdict, station, model_version, " PAGE_COLUMNS ")"
  "  WHERE label >= 1;";

static const char * const steps[] = { schema_v1, schema_v2, schema_v3, schema_v4 };

G_STATIC_ASSERT (G_N_ELEMENTS (steps) == AUSCULTA_ARCHIVE_SCHEMA_VERSION);

/* @sql cut into its statements (a trigger's body keeps its own ';'). */
static GPtrArray *
split_statements (const char *sql)
{
  GPtrArray *statements = g_ptr_array_new_with_free_func (g_free);
  const char *start = sql;

  for (const char *p = sql; *p != '\0'; p++)
    {
      g_autofree char *candidate = NULL;

      if (*p != ';')
        continue;
      candidate = g_strndup (start, p + 1 - start);
      if (sqlite3_complete (candidate))
        {
          g_ptr_array_add (statements, g_steal_pointer (&candidate));
          start = p + 1;
        }
    }
  /* Every step ends with a complete statement. */
  while (g_ascii_isspace (*start))
    start++;
  g_assert (*start == '\0');
  return statements;
}

/**
 * ausculta_archive_schema_count_steps:
 *
 * Returns: the steps an upgrade from @from_version to @to_version reports:
 *   each statement that takes it there, and the writing of the result (the
 *   commit, long for a large archive), which the caller reports.
 */
guint
ausculta_archive_schema_count_steps (int from_version,
                                     int to_version)
{
  guint n = 1;

  for (int v = from_version; v < to_version; v++)
    {
      g_autoptr(GPtrArray) statements = split_statements (steps[v]);

      n += statements->len;
    }
  return n;
}

/* Makes a statement running on @db give up (SQLITE_INTERRUPT) once
 * @cancellable is cancelled: an index build is checked every few
 * thousand virtual machine instructions. */
static int
check_cancelled (void *cancellable)
{
  return g_cancellable_is_cancelled (cancellable);
}

static gboolean
run_statements (sqlite3                       *db,
                int                            from_version,
                int                            to_version,
                const AuscultaArchiveObserver *observer,
                char                         **sql_error)
{
  guint total = ausculta_archive_schema_count_steps (from_version, to_version);
  guint done = 0;

  if (observer->progress != NULL)
    observer->progress (0, total, observer->user_data);
  for (int v = from_version; v < to_version; v++)
    {
      g_autoptr(GPtrArray) statements = split_statements (steps[v]);
      g_autofree char *version_sql = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      for (guint i = 0; i < statements->len; i++)
        {
          if (g_cancellable_is_cancelled (observer->cancellable)
              || sqlite3_exec (db, statements->pdata[i], NULL, NULL, sql_error) != SQLITE_OK)
            return FALSE;
          if (observer->progress != NULL)
            observer->progress (++done, total, observer->user_data);
        }
      if (sqlite3_exec (db, version_sql, NULL, NULL, sql_error) != SQLITE_OK)
        return FALSE;
    }
  return TRUE;
}

/**
 * ausculta_archive_schema_migrate_observed:
 * @observer: (nullable): told the progress, may cancel
 * @sql_error: (out): the SQLite message on failure, free with sqlite3_free();
 *   left NULL when @observer's cancellable stopped the upgrade between
 *   two statements
 *
 * As ausculta_archive_schema_migrate(), one statement at a time: @observer
 * hears (0, total) first, then (k, total) after the k-th statement; the
 * caller reports (total, total) once it has committed.
 */
gboolean
ausculta_archive_schema_migrate_observed (sqlite3                       *db,
                                          int                            from_version,
                                          int                            to_version,
                                          const AuscultaArchiveObserver *observer,
                                          char                         **sql_error)
{
  static const AuscultaArchiveObserver nobody = { NULL, NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (from_version >= 0 && to_version <= AUSCULTA_ARCHIVE_SCHEMA_VERSION,
                        FALSE);

  if (observer == NULL)
    observer = &nobody;
  if (observer->cancellable != NULL)
    sqlite3_progress_handler (db, 10000, check_cancelled, observer->cancellable);
  ok = run_statements (db, from_version, to_version, observer, sql_error);
  sqlite3_progress_handler (db, 0, NULL, NULL);
  return ok;
}

/**
 * ausculta_archive_schema_migrate:
 * @sql_error: (out): the SQLite message on failure, free with sqlite3_free()
 *
 * Runs the steps from @from_version to @to_version and sets user_version;
 * the caller holds the transaction (so a failure leaves nothing changed).
 */
gboolean
ausculta_archive_schema_migrate (sqlite3 *db,
                                 int      from_version,
                                 int      to_version,
                                 char   **sql_error)
{
  return ausculta_archive_schema_migrate_observed (db, from_version, to_version, NULL, sql_error);
}
