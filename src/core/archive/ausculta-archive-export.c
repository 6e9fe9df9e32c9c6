/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-export"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ausculta-archive-private.h"
#include "ausculta-archive-query.h"

/* The shortest text that reads back as exactly @value, positional between
 * 1e-4 and 1e16 as Python writes floats, so an exported file holds the same
 * digits as the file that was imported. */
static void
append_number (GString  *line,
               double    value,
               gboolean  decimal_comma)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  gsize start = line->len;
  int digits = 17, exponent;

  if (isnan (value))
    return;
  for (int p = 1; p <= 17; p++)
    {
      g_snprintf (format, sizeof format, "%%.%de", p - 1);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        {
          digits = p;
          break;
        }
    }
  g_snprintf (format, sizeof format, "%%.%de", digits - 1);
  g_ascii_formatd (buffer, sizeof buffer, format, value);
  exponent = atoi (strchr (buffer, 'e') + 1);
  if (exponent >= -4 && exponent < 16)
    {
      g_snprintf (format, sizeof format, "%%.%df", MAX (digits - 1 - exponent, 0));
      g_ascii_formatd (buffer, sizeof buffer, format, value);
    }
  g_string_append (line, buffer);
  /* The ","-separated exports were written by Python, whose floats always
   * show a decimal point ("57.0"); the ";" ones by a tool that drops it. */
  if (!decimal_comma && strpbrk (buffer, ".eni") == NULL)
    g_string_append (line, ".0");
  if (decimal_comma)
    for (gsize i = start; i < line->len; i++)
      if (line->str[i] == '.')
        line->str[i] = ',';
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* A row statistic as the original bench wrote it: 8 decimals, trailing
 * zeros dropped, decimal comma. */
static void
append_statistic (GString *line,
                  double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize end;

  g_ascii_formatd (buffer, sizeof buffer, "%.8f", value);
  end = strlen (buffer);
  while (end > 0 && buffer[end - 1] == '0')
    end--;
  if (end > 0 && buffer[end - 1] == '.')
    end--;
  buffer[end] = '\0';
  g_string_append_printf (line, ";%s", g_strdelimit (buffer, ".", ','));
}

/* moyenne, ecartype (n - 1), mediane, min, max over the row's values,
 * missing values left out. */
static void
append_row_statistics (GString      *line,
                       const double *values,
                       guint         n)
{
  g_autofree double *sorted = g_new (double, MAX (n, 1));
  double sum = 0.0, squares = 0.0, mean;
  guint count = 0;

  /* Summed in file order: that matches the original's last digits best. */
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        sorted[count++] = values[i];
        sum += values[i];
      }
  if (count < 2)
    {
      g_string_append (line, ";;;;;");
      return;
    }
  mean = sum / count;
  for (guint i = 0; i < count; i++)
    squares += (sorted[i] - mean) * (sorted[i] - mean);
  qsort (sorted, count, sizeof (double), compare_doubles);
  append_statistic (line, mean);
  append_statistic (line, sqrt (squares / (count - 1)));
  append_statistic (line, count % 2 ? sorted[count / 2]
                                    : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0);
  append_statistic (line, sorted[0]);
  append_statistic (line, sorted[count - 1]);
}

static void
append_header (GString              *line,
               AuscultaExportLayout  layout,
               char                **names)
{
  gboolean classes = layout == AUSCULTA_EXPORT_DEFECT_CLASS;
  char separator = classes ? ';' : ',';

  g_string_append (line, classes ? "\xef\xbb\xbftarget;index" : "index,target");
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (line, "%c%s", separator, names[i]);
  if (classes)
    g_string_append (line, ";moyenne;ecartype;mediane;min;max");
  g_string_append_c (line, '\n');
}

static void
append_row (GString              *line,
            AuscultaExportLayout  layout,
            const char           *index,
            int                   label,
            const double         *values,
            guint                 n)
{
  gboolean classes = layout == AUSCULTA_EXPORT_DEFECT_CLASS;
  char separator = classes ? ';' : ',';

  if (classes)
    g_string_append_printf (line, "%d;%s", label, index);
  else
    g_string_append_printf (line, "%s,%s", index, label == AUSCULTA_LABEL_OK ? "0.0" : "1.0");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (line, separator);
      append_number (line, values[i], classes);
    }
  if (classes)
    append_row_statistics (line, values, n);
  g_string_append_c (line, '\n');
}

static gboolean
write_rows (AuscultaArchive      *self,
            sqlite3              *db,
            sqlite3_stmt         *stmt,
            AuscultaExportLayout  layout,
            FILE                 *out,
            guint                *n_rows,
            GError              **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree double *values = NULL;
  g_auto(GStrv) names = NULL;
  gint64 set_id = -1;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n;

      if (names == NULL)
        {
          names = g_strsplit ((const char *) sqlite3_column_text (stmt, 2), "\n", -1);
          set_id = sqlite3_column_int64 (stmt, 4);
          values = g_new (double, g_strv_length (names) + 1);
          append_header (line, layout, names);
        }
      n = g_strv_length (names);
      if (sqlite3_column_int64 (stmt, 4) != set_id
          || (guint) sqlite3_column_bytes (stmt, 3) != n * sizeof (double))
        {
          g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                       "%s: measurement %s has other feature names than the first row; "
                       "export each source separately (--source)",
                       ausculta_archive_get_path (self), sqlite3_column_text (stmt, 0));
          return FALSE;
        }
      ausculta_archive_decode_features (sqlite3_column_blob (stmt, 3), n, values);
      append_row (line, layout, (const char *) sqlite3_column_text (stmt, 0),
                  sqlite3_column_int (stmt, 1), values, n);
      if (fwrite (line->str, 1, line->len, out) != line->len)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "write failed: %s", g_strerror (saved_errno));
          return FALSE;
        }
      g_string_truncate (line, 0);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return ausculta_archive_fail (self, db, rc, error, "reading measurements to export");
  return TRUE;
}

/**
 * ausculta_archive_export_csv:
 * @n_rows: (out): rows written
 *
 * Writes the labelled measurements of @filter that have features, in
 * archive order, so that importing the file gives the same measurements.
 */
gboolean
ausculta_archive_export_csv (AuscultaArchive             *self,
                             const AuscultaArchiveFilter *filter,
                             AuscultaExportLayout         layout,
                             const char                  *path,
                             guint                       *n_rows,
                             GError                     **error)
{
  g_autofree char *where = ausculta_archive_filter_where (filter);
  g_autofree char *sql = g_strdup_printf (
    "SELECT coalesce (m.source_index, m.id), m.label, fs.names, f.vals, f.feature_set"
    " FROM measurements m JOIN features f ON f.measurement = m.seq"
    " JOIN feature_sets fs ON fs.id = f.feature_set %s AND m.label IS NOT NULL"
    " ORDER BY m.seq", where);
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gboolean ok;
  FILE *out;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && path != NULL && n_rows != NULL, FALSE);

  *n_rows = 0;
  db = ausculta_archive_db (self, error);
  if (db == NULL || (stmt = ausculta_archive_prepare (self, db, sql, error)) == NULL)
    return FALSE;
  out = fopen (path, "wb");
  if (out == NULL)
    {
      int saved_errno = errno;

      sqlite3_finalize (stmt);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: cannot write: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  ausculta_archive_filter_bind (filter, stmt);
  ok = write_rows (self, db, stmt, layout, out, n_rows, error);
  sqlite3_finalize (stmt);
  if (fclose (out) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: write failed: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return ok;
}

static gboolean
write_wav (const AuscultaSignal *signal,
           const char           *path,
           GError              **error)
{
  SF_INFO info = {
    .samplerate = (int) lround (signal->sample_rate),
    .channels = 1,
    .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT,
  };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);
  sf_count_t written;

  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot write: %s", path,
                   sf_strerror (NULL));
      return FALSE;
    }
  written = sf_write_float (file, signal->samples, (sf_count_t) signal->n_samples);
  sf_close (file);
  if (written != (sf_count_t) signal->n_samples)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "%s: short write", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
ausculta_archive_export_wav (AuscultaArchive *self,
                             const char      *measurement_id,
                             const char      *folder,
                             GPtrArray       *written,
                             GError         **error)
{
  g_autoptr(AuscultaMeasurement) m = NULL;
  guint n_files = 0;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (measurement_id != NULL && folder != NULL, FALSE);

  m = ausculta_archive_load_measurement (self, measurement_id, TRUE, error);
  if (m == NULL)
    return FALSE;
  for (guint i = 0; i < m->signals->len; i++)
    {
      AuscultaSignal *signal = m->signals->pdata[i];
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (signal->n_samples == 0)
        continue;
      name = g_strdup_printf ("%s_%s_%s.wav", m->id, signal->run, signal->channel);
      path = g_build_filename (folder, name, NULL);
      if (!write_wav (signal, path, error))
        return FALSE;
      if (written != NULL)
        g_ptr_array_add (written, g_steal_pointer (&path));
      n_files++;
    }
  if (n_files == 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                   "measurement %s has no stored signals (its station does not keep them, "
                   "or it was imported from CSV)", measurement_id);
      return FALSE;
    }
  return TRUE;
}
