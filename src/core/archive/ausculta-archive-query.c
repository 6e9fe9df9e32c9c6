/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-query"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-archive-query.h"

void
ausculta_archive_filter_init (AuscultaArchiveFilter *filter)
{
  g_return_if_fail (filter != NULL);
  *filter = (AuscultaArchiveFilter) {
    .verdict = -1,
    .label = AUSCULTA_LABEL_FILTER_ANY,
  };
}

void
ausculta_archive_row_free (AuscultaArchiveRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->serial);
  g_free (row->station);
  g_free (row->operator_name);
  g_clear_pointer (&row->started_at, g_date_time_unref);
  g_free (row->model_version);
  g_free (row->source_index);
  g_free (row);
}

/* Parameters: ?1 serial prefix, ?2 its upper bound, ?3 from, ?4 to,
 * ?5 verdict, ?6 label, ?7 station, ?8 model, ?9 source; clauses appear
 * only for the filters set, so each can use its (column, started_at) index. */
char *
ausculta_archive_filter_where (const AuscultaArchiveFilter *filter)
{
  GString *where = g_string_new ("WHERE 1");

  if (filter == NULL)
    return g_string_free (where, FALSE);
  if (filter->serial_prefix != NULL && *filter->serial_prefix != '\0')
    g_string_append (where, " AND m.serial >= ?1 AND m.serial < ?2");
  if (filter->from != NULL)
    g_string_append (where, " AND m.started_at >= ?3");
  if (filter->to != NULL)
    g_string_append (where, " AND m.started_at < ?4");
  if (filter->verdict >= 0)
    g_string_append (where, " AND m.verdict = ?5");
  if (filter->label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    g_string_append (where, " AND m.label IS NULL");
  else if (filter->label == AUSCULTA_LABEL_FILTER_ANY_NG)
    g_string_append (where, " AND m.label >= 1");
  else if (filter->label >= 0)
    g_string_append (where, " AND m.label = ?6");
  if (filter->station != NULL)
    g_string_append (where, " AND m.station = ?7");
  if (filter->model_version != NULL)
    g_string_append (where, " AND m.model_version = ?8");
  if (filter->source != NULL)
    g_string_append (where, " AND m.source = ?9");
  return g_string_free (where, FALSE);
}

void
ausculta_archive_filter_bind (const AuscultaArchiveFilter *filter,
                              sqlite3_stmt                *stmt)
{
  int n = sqlite3_bind_parameter_count (stmt);

  if (filter == NULL)
    return;
  /* Binding a parameter the SQL does not use is harmless. */
  if (filter->serial_prefix != NULL && n >= 2)
    {
      sqlite3_bind_text (stmt, 1, filter->serial_prefix, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, g_strconcat (filter->serial_prefix, "\xf4\x8f\xbf\xbf", NULL),
                         -1, g_free);
    }
  if (filter->from != NULL && n >= 3)
    sqlite3_bind_int64 (stmt, 3, ausculta_archive_usec (filter->from));
  if (filter->to != NULL && n >= 4)
    sqlite3_bind_int64 (stmt, 4, ausculta_archive_usec (filter->to));
  if (n >= 5)
    sqlite3_bind_int (stmt, 5, filter->verdict);
  if (n >= 6)
    sqlite3_bind_int (stmt, 6, filter->label);
  if (n >= 7)
    sqlite3_bind_text (stmt, 7, filter->station, -1, SQLITE_STATIC);
  if (n >= 8)
    sqlite3_bind_text (stmt, 8, filter->model_version, -1, SQLITE_STATIC);
  if (n >= 9)
    sqlite3_bind_text (stmt, 9, filter->source, -1, SQLITE_STATIC);
}

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? NAN
         : sqlite3_column_double (stmt, column);
}

static AuscultaArchiveRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  AuscultaArchiveRow *row = g_new0 (AuscultaArchiveRow, 1);

  row->id = ausculta_archive_column_text (stmt, 0);
  row->serial = ausculta_archive_column_text (stmt, 1);
  row->station = ausculta_archive_column_text (stmt, 2);
  row->operator_name = ausculta_archive_column_text (stmt, 3);
  row->started_at = ausculta_archive_column_datetime (stmt, 4);
  row->model_version = ausculta_archive_column_text (stmt, 5);
  row->verdict = (AuscultaVerdict) sqlite3_column_int (stmt, 6);
  row->score = column_double_or_nan (stmt, 7);
  row->threshold = column_double_or_nan (stmt, 8);
  row->health = (guint) sqlite3_column_int (stmt, 9);
  row->label = sqlite3_column_type (stmt, 10) == SQLITE_NULL ? AUSCULTA_LABEL_FILTER_UNLABELLED
               : sqlite3_column_int (stmt, 10);
  row->source_index = ausculta_archive_column_text (stmt, 11);
  return row;
}

/* A serial prefix at least this long picks few enough motors to be the
 * first thing searched; a shorter one (say "M0") is checked on the
 * entries of another filter's index instead. */
#define SELECTIVE_SERIAL_PREFIX 4

/* The index a page with @filter reads (schema version 4), chosen here
 * rather than by SQLite's planner: its statistics cannot see that a model
 * serves only for a while, nor how few rows a serial prefix matches, and
 * the wrong choice reads thousands of pages. The mixes of verdict,
 * station and model each have an index with those columns before the
 * time, so its first entries are the page. */
static const char *
page_index (const AuscultaArchiveFilter *filter)
{
  gboolean serial = filter->serial_prefix != NULL && *filter->serial_prefix != '\0';
  gboolean verdict = filter->verdict >= 0;
  gboolean station = filter->station != NULL;
  gboolean model = filter->model_version != NULL;

  if (filter->label == AUSCULTA_LABEL_FILTER_ANY_NG)
    return "measurements_ng";
  if (filter->label >= 0)
    return "measurements_label";
  if (serial && (g_utf8_strlen (filter->serial_prefix, -1) >= SELECTIVE_SERIAL_PREFIX
                 || !(verdict || station || model || filter->from || filter->to)))
    return "measurements_serial";
  if (verdict && station)
    return "measurements_verdict_station";
  if (station && model)
    return "measurements_station_model";
  if (model && verdict)
    return "measurements_model_verdict";
  return verdict ? "measurements_verdict" : station ? "measurements_station"
         : model ? "measurements_model" : "measurements_started";
}

/**
 * ausculta_archive_query_page:
 * @filter: (nullable): the filters, %NULL for all rows
 *
 * Returns: (transfer container) (element-type AuscultaArchiveRow): up to
 *   @limit rows after skipping @offset, newest first.
 */
GPtrArray *
ausculta_archive_query_page (AuscultaArchive             *self,
                             const AuscultaArchiveFilter *filter,
                             guint                        offset,
                             guint                        limit,
                             GError                     **error)
{
  g_autofree char *where = ausculta_archive_filter_where (filter);
  /* Every column here is in each index of the measurements (schema
   * version 4): the page is read from the index alone, without looking up
   * rows that are scattered over the table. */
  g_autofree char *sql = NULL;
  g_autofree char *indexed_by = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  /* An older archive opened read-only is not migrated: SQLite chooses. */
  if (ausculta_archive_get_schema_version (self) >= 4)
    indexed_by = g_strdup_printf ("INDEXED BY %s",
                                  filter ? page_index (filter) : "measurements_started");
  sql = g_strdup_printf (
    "SELECT m.id, m.serial, m.station, m.operator, m.started_at, m.model_version, m.verdict,"
    " m.score, m.threshold, m.health, m.label, m.source_index FROM measurements m %s %s"
    " ORDER BY m.started_at DESC, m.seq DESC LIMIT %u OFFSET %u",
    indexed_by ? indexed_by : "", where, limit, offset);

  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db, sql, error)) == NULL)
    return NULL;
  ausculta_archive_filter_bind (filter, stmt);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_archive_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "querying measurements");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
ausculta_archive_count (AuscultaArchive             *self,
                        const AuscultaArchiveFilter *filter,
                        guint64                     *count,
                        GError                     **error)
{
  g_autofree char *where = ausculta_archive_filter_where (filter);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM measurements m %s", where);
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && count != NULL, FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db, sql, error)) == NULL)
    return FALSE;
  ausculta_archive_filter_bind (filter, stmt);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return ausculta_archive_fail (self, db, rc, error, "counting measurements");
  return TRUE;
}

static gint64
day_of (GDateTime *time,
        gboolean   round_up)
{
  gint64 usec = ausculta_archive_usec (time);
  gint64 day = usec / AUSCULTA_ARCHIVE_USEC_PER_DAY;

  return round_up && usec % AUSCULTA_ARCHIVE_USEC_PER_DAY != 0 ? day + 1 : day;
}

/**
 * ausculta_archive_count_per_day:
 *
 * Returns: (transfer full) (element-type AuscultaDayCounts): one entry per
 *   UTC day with measurements, oldest first.
 */
GArray *
ausculta_archive_count_per_day (AuscultaArchive             *self,
                                const AuscultaArchiveFilter *filter,
                                GError                     **error)
{
  g_autoptr(GArray) days = g_array_new (FALSE, TRUE, sizeof (AuscultaDayCounts));
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gint64 last_day = G_MININT64;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db,
        "SELECT day, verdict, sum (n) FROM day_counts WHERE day >= ?1 AND day < ?2"
        " AND (?3 IS NULL OR station = ?3) AND n > 0 GROUP BY day, verdict ORDER BY day",
        error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter && filter->from ? day_of (filter->from, FALSE) : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, filter && filter->to ? day_of (filter->to, TRUE) : G_MAXINT64);
  sqlite3_bind_text (stmt, 3, filter ? filter->station : NULL, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 day = sqlite3_column_int64 (stmt, 0);
      int verdict = sqlite3_column_int (stmt, 1);

      if (day != last_day)
        {
          AuscultaDayCounts counts = { 0 };

          g_date_set_julian (&counts.day, (guint32) (day + 719163));  /* 1970-01-01 */
          g_array_append_val (days, counts);
          last_day = day;
        }
      if (verdict >= 0 && verdict < 4)
        g_array_index (days, AuscultaDayCounts, days->len - 1).counts[verdict] =
          (guint) sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "counting measurements per day");
      return NULL;
    }
  return g_steal_pointer (&days);
}
