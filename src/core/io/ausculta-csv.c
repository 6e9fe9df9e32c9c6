/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-csv"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-csv.h"
#include "ausculta-feature-layout.h"
#include "ausculta-measurement.h"

/* A 432-feature line is about 4 KiB; anything longer than this is not a
 * measurement export and is refused before it can exhaust memory. */
#define MAX_LINE_BYTES (4 * 1024 * 1024)
#define READ_CHUNK 65536

typedef enum {
  COLUMN_FEATURE,
  COLUMN_INDEX,
  COLUMN_TARGET,
  COLUMN_ROW_STATISTIC,
  COLUMN_HEALTH,          /* sensor health, as `ausculta-cli features` writes it */
} ColumnKind;

typedef struct {
  ColumnKind kind;
  int        feature;    /* position in the reader's feature vector */
  char      *name;
} Column;

struct _AuscultaCsvReader {
  char              *path;
  char              *display_name;
  FILE              *file;
  char              *chunk;
  gsize              chunk_len;
  gsize              chunk_pos;
  gboolean           eof;
  GString           *line;
  guint              line_number;

  char               separator;
  gboolean           decimal_comma;
  Column            *columns;
  guint              n_columns;
  AuscultaCsvLabels  labels;
  gboolean           historical;
  char             **feature_names;
  guint              n_features;

  GPtrArray         *fields;
  char              *index;
  double            *features;
  AuscultaCsvRow     row;
};

static const char * const row_statistics[] = { "moyenne", "ecartype", "mediane", "min", "max" };

G_DEFINE_QUARK (ausculta-csv-error-quark, ausculta_csv_error)

static void G_GNUC_PRINTF (4, 5)
set_line_error (AuscultaCsvReader *reader,
                GError           **error,
                AuscultaCsvError   code,
                const char        *format,
                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AUSCULTA_CSV_ERROR, code, "%s:%u: %s",
               reader->display_name, reader->line_number, what);
}

/* Reads one line into reader->line, without its end-of-line characters.
 * Returns FALSE at the end of the file (error unset) or on an error. */
static gboolean
read_line (AuscultaCsvReader *reader,
           GError           **error)
{
  g_string_truncate (reader->line, 0);

  for (;;)
    {
      const char *start, *newline;
      gsize available, take;

      if (reader->chunk_pos == reader->chunk_len)
        {
          if (reader->eof)
            break;
          reader->chunk_len = fread (reader->chunk, 1, READ_CHUNK, reader->file);
          reader->chunk_pos = 0;
          if (reader->chunk_len < READ_CHUNK)
            {
              if (ferror (reader->file))
                {
                  set_line_error (reader, error, AUSCULTA_CSV_ERROR_READ,
                                  "read failed: %s", g_strerror (errno));
                  return FALSE;
                }
              reader->eof = TRUE;
            }
          continue;
        }

      start = reader->chunk + reader->chunk_pos;
      available = reader->chunk_len - reader->chunk_pos;
      newline = memchr (start, '\n', available);
      take = newline ? (gsize) (newline - start) : available;

      if (reader->line->len + take > MAX_LINE_BYTES)
        {
          reader->line_number++;
          set_line_error (reader, error, AUSCULTA_CSV_ERROR_LINE_TOO_LONG,
                          "line longer than %d MiB; expected one measurement per line",
                          MAX_LINE_BYTES / (1024 * 1024));
          return FALSE;
        }
      g_string_append_len (reader->line, start, take);
      reader->chunk_pos += take + (newline ? 1 : 0);
      if (newline)
        goto got_line;
    }

  if (reader->line->len == 0)
    return FALSE;

got_line:
  reader->line_number++;
  if (reader->line->len > 0 && reader->line->str[reader->line->len - 1] == '\r')
    g_string_truncate (reader->line, reader->line->len - 1);
  return TRUE;
}

static gboolean
check_text (AuscultaCsvReader *reader,
            GError           **error)
{
  const char *str = reader->line->str;
  const char *end;
  const char *nul = memchr (str, '\0', reader->line->len);

  if (nul != NULL)
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_BINARY,
                      "byte %zu is a NUL byte: this is binary data, expected a text CSV file",
                      (gsize) (nul - str) + 1);
      return FALSE;
    }
  if (!g_utf8_validate (str, reader->line->len, &end))
    {
      guint column = 1;

      for (const char *p = str; reader->separator != '\0' && p < end; p++)
        column += (*p == reader->separator);
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                      "column %u, byte %zu is not valid UTF-8; expected a UTF-8 text file",
                      column, (gsize) (end - str) + 1);
      return FALSE;
    }
  return TRUE;
}

/* Splits reader->line into reader->fields (pointers into the line, which
 * is modified in place). Double quotes protect separators, as in RFC 4180. */
static void
split_fields (AuscultaCsvReader *reader)
{
  char *p = reader->line->str;

  g_ptr_array_set_size (reader->fields, 0);
  for (;;)
    {
      char *field = p, *out = p;
      gboolean quoted = (*p == '"');

      if (quoted)
        {
          p++;
          while (*p != '\0')
            {
              if (*p == '"' && p[1] == '"')
                {
                  *out++ = '"';
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                *out++ = *p++;
            }
        }
      while (*p != '\0' && *p != reader->separator)
        *out++ = *p++;

      g_ptr_array_add (reader->fields, field);
      if (*p == '\0')
        {
          *out = '\0';
          break;
        }
      p++;
      *out = '\0';
    }
}

static gboolean
is_row_statistic (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (row_statistics); i++)
    if (g_str_equal (name, row_statistics[i]))
      return TRUE;
  return FALSE;
}

static gboolean
check_header_names (AuscultaCsvReader *reader,
                    GHashTable        *seen,
                    GError           **error)
{
  for (guint i = 0; i < reader->n_columns; i++)
    {
      const char *name = reader->columns[i].name;
      gpointer previous;

      if (*name == '\0')
        {
          set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                          "column %u has no name; expected a column name in the header", i + 1);
          return FALSE;
        }
      if (g_hash_table_lookup_extended (seen, name, NULL, &previous))
        {
          set_line_error (reader, error, AUSCULTA_CSV_ERROR_DUPLICATE_COLUMN,
                          "column %u (%s): duplicate of column %u; expected each column once",
                          i + 1, name, GPOINTER_TO_UINT (previous));
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) name, GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

static gboolean
classify_columns (AuscultaCsvReader *reader,
                  GHashTable        *seen,
                  GError           **error)
{
  int index_column = -1, target_column = -1;
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < reader->n_columns; i++)
    if (ausculta_feature_layout_historical_find (reader->columns[i].name) >= 0)
      reader->historical = TRUE;

  for (guint i = 0; i < reader->n_columns; i++)
    {
      Column *column = &reader->columns[i];

      if (g_str_equal (column->name, "index"))
        column->kind = COLUMN_INDEX, index_column = i;
      else if (g_str_equal (column->name, "target"))
        column->kind = COLUMN_TARGET, target_column = i;
      else if (is_row_statistic (column->name))
        column->kind = COLUMN_ROW_STATISTIC;
      else if (g_str_equal (column->name, "health"))
        column->kind = COLUMN_HEALTH;
      else if (reader->historical)
        {
          column->kind = COLUMN_FEATURE;
          column->feature = ausculta_feature_layout_historical_find (column->name);
          if (column->feature < 0)
            {
              set_line_error (reader, error, AUSCULTA_CSV_ERROR_UNKNOWN_COLUMN,
                              "column %u (%s): unknown column; expected index, target, "
                              "a historical feature name such as V1_AC_down or G29vib_up, "
                              "a row statistic or health", i + 1, column->name);
              g_ptr_array_free (names, TRUE);
              return FALSE;
            }
        }
      else
        {
          column->kind = COLUMN_FEATURE;
          column->feature = names->len;
          g_ptr_array_add (names, g_strdup (column->name));
        }
    }

  if (reader->historical)
    {
      const char * const *historical = ausculta_feature_layout_historical ();

      for (guint f = 0; historical[f] != NULL; f++)
        {
          if (!g_hash_table_contains (seen, historical[f]))
            {
              set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                              "missing column %s; expected all 432 historical feature columns",
                              historical[f]);
              g_ptr_array_free (names, TRUE);
              return FALSE;
            }
          g_ptr_array_add (names, g_strdup (historical[f]));
        }
    }

  if (index_column < 0)
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                      "missing column index; expected a column naming each measurement");
      g_ptr_array_free (names, TRUE);
      return FALSE;
    }
  if (names->len == 0)
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                      "no feature columns; expected feature columns such as V1_AC_down");
      g_ptr_array_free (names, TRUE);
      return FALSE;
    }

  if (target_column < 0)
    reader->labels = AUSCULTA_CSV_LABELS_NONE;
  else if (target_column < index_column)
    reader->labels = AUSCULTA_CSV_LABELS_DEFECT_CLASS;
  else
    reader->labels = AUSCULTA_CSV_LABELS_PASS_FAIL;

  reader->n_features = names->len;
  g_ptr_array_add (names, NULL);
  reader->feature_names = (char **) g_ptr_array_free (names, FALSE);
  return TRUE;
}

static gboolean
read_header (AuscultaCsvReader *reader,
             GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *str;

  if (!read_line (reader, error))
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, AUSCULTA_CSV_ERROR, AUSCULTA_CSV_ERROR_EMPTY,
                     "%s: the file is empty; expected a header line naming the columns",
                     reader->display_name);
      return FALSE;
    }

  str = reader->line->str;
  if (reader->line->len >= 2 && ((guchar) str[0] == 0xFF && (guchar) str[1] == 0xFE))
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                      "the file is UTF-16 (little-endian byte order mark); expected UTF-8");
      return FALSE;
    }
  if (reader->line->len >= 2 && ((guchar) str[0] == 0xFE && (guchar) str[1] == 0xFF))
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                      "the file is UTF-16 (big-endian byte order mark); expected UTF-8");
      return FALSE;
    }
  if (reader->line->len >= 3 && memcmp (str, "\xEF\xBB\xBF", 3) == 0)
    g_string_erase (reader->line, 0, 3);
  if (!check_text (reader, error))
    return FALSE;

  reader->separator = strchr (reader->line->str, ';') != NULL ? ';' : ',';
  reader->decimal_comma = reader->separator == ';';
  split_fields (reader);

  reader->n_columns = reader->fields->len;
  reader->columns = g_new0 (Column, reader->n_columns);
  for (guint i = 0; i < reader->n_columns; i++)
    reader->columns[i].name = g_strstrip (g_strdup (reader->fields->pdata[i]));

  return check_header_names (reader, seen, error) && classify_columns (reader, seen, error);
}

/**
 * ausculta_csv_reader_open:
 * @path: a CSV file in one of the historical layouts, or any CSV with an
 *   `index` column and feature columns
 * @error: return location for an #AUSCULTA_CSV_ERROR
 *
 * Opens @path and reads its header. Rows are then read one at a time with
 * ausculta_csv_reader_next(), so memory does not grow with the file.
 *
 * Returns: (transfer full): the reader, or %NULL with @error set.
 */
AuscultaCsvReader *
ausculta_csv_reader_open (const char *path,
                          GError    **error)
{
  g_autoptr(AuscultaCsvReader) reader = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = g_new0 (AuscultaCsvReader, 1);
  reader->path = g_strdup (path);
  reader->display_name = g_filename_display_name (path);
  reader->line = g_string_sized_new (8192);
  reader->fields = g_ptr_array_new ();

  reader->file = fopen (path, "rb");
  if (reader->file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, AUSCULTA_CSV_ERROR, AUSCULTA_CSV_ERROR_OPEN,
                   "%s: cannot open: %s", reader->display_name, g_strerror (saved_errno));
      return NULL;
    }
  reader->chunk = g_malloc (READ_CHUNK);

  if (!read_header (reader, error))
    return NULL;

  reader->features = g_new (double, reader->n_features);
  reader->row.features = reader->features;
  return g_steal_pointer (&reader);
}

void
ausculta_csv_reader_free (AuscultaCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->file != NULL)
    fclose (reader->file);
  for (guint i = 0; i < reader->n_columns; i++)
    g_free (reader->columns[i].name);
  g_free (reader->columns);
  g_strfreev (reader->feature_names);
  g_free (reader->chunk);
  g_string_free (reader->line, TRUE);
  g_ptr_array_free (reader->fields, TRUE);
  g_free (reader->index);
  g_free (reader->features);
  g_free (reader->display_name);
  g_free (reader->path);
  g_free (reader);
}

const char *
ausculta_csv_reader_get_path (AuscultaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);
  return reader->path;
}

AuscultaCsvLabels
ausculta_csv_reader_get_labels (AuscultaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, AUSCULTA_CSV_LABELS_NONE);
  return reader->labels;
}

guint
ausculta_csv_reader_get_n_features (AuscultaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->n_features;
}

/**
 * ausculta_csv_reader_get_feature_names:
 *
 * Returns: (transfer none): the feature names in the order of the rows'
 *   feature vectors: the historical layout's order for historical files,
 *   the file's column order otherwise.
 */
const char * const *
ausculta_csv_reader_get_feature_names (AuscultaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);
  return (const char * const *) reader->feature_names;
}

gboolean
ausculta_csv_reader_is_historical (AuscultaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  return reader->historical;
}

static gboolean
is_blank (const char *str)
{
  for (; *str != '\0'; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;
  return TRUE;
}

/* Plain decimals such as "-33,745" are the whole of a historical file. When
 * the digits fit in 2^53 and there are at most 22 of them after the point,
 * mantissa / 10^k in double arithmetic is the correctly rounded value (both
 * operands are exact, and IEEE division rounds once), so this agrees bit for
 * bit with strtod. Anything else (exponents, long digit strings) returns
 * FALSE and goes through g_ascii_strtod. */
static gboolean
parse_plain_decimal (const char *text,
                     char        decimal_mark,
                     double     *value)
{
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  const char *p = text;
  gboolean negative = FALSE, any_digit = FALSE;
  guint64 mantissa = 0;
  guint fraction_digits = 0, digits = 0;

  if (*p == '-' || *p == '+')
    negative = (*p++ == '-');
  for (; g_ascii_isdigit (*p); p++, any_digit = TRUE)
    if ((mantissa != 0 || *p != '0') && ++digits <= 15)
      mantissa = mantissa * 10 + (guint64) (*p - '0');
  if (*p == decimal_mark || *p == '.')
    for (p++; g_ascii_isdigit (*p); p++, any_digit = TRUE)
      {
        if ((mantissa != 0 || *p != '0') && ++digits > 15)
          return FALSE;
        mantissa = mantissa * 10 + (guint64) (*p - '0');
        fraction_digits++;
      }
  if (!any_digit || *p != '\0' || digits > 15 || fraction_digits >= G_N_ELEMENTS (powers))
    return FALSE;
  *value = (double) mantissa / powers[fraction_digits];
  if (negative)
    *value = -*value;
  return TRUE;
}

/* Parses one numeric cell. An empty cell (or NaN written out) is a missing
 * value; anything else must be a whole finite number. */
static gboolean
parse_number (AuscultaCsvReader *reader,
              guint              column,
              char              *cell,
              double            *value,
              GError           **error)
{
  char *text = g_strstrip (cell);
  char *end = NULL;

  if (*text == '\0' || g_ascii_strcasecmp (text, "nan") == 0)
    {
      *value = NAN;
      return TRUE;
    }
  if (parse_plain_decimal (text, reader->decimal_comma ? ',' : '.', value))
    return TRUE;
  if (reader->decimal_comma)
    for (char *p = text; *p != '\0'; p++)
      if (*p == ',')
        *p = '.';

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*value))
    {
      if (reader->decimal_comma)
        for (char *p = text; *p != '\0'; p++)
          if (*p == '.')
            *p = ',';
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_NUMBER,
                      "column %u (%s): \"%s\" is not a number; expected a finite decimal "
                      "number with a decimal %s, or an empty cell",
                      column + 1, reader->columns[column].name, text,
                      reader->decimal_comma ? "comma" : "point");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_label (AuscultaCsvReader *reader,
             guint              column,
             double             target,
             GError           **error)
{
  if (reader->labels == AUSCULTA_CSV_LABELS_PASS_FAIL && (target == 0.0 || target == 1.0))
    return TRUE;
  if (reader->labels == AUSCULTA_CSV_LABELS_DEFECT_CLASS
      && target >= 0.0 && target <= 255.0 && target == floor (target))
    return TRUE;

  if (isnan (target))
    set_line_error (reader, error, AUSCULTA_CSV_ERROR_LABEL,
                    "column %u (target): the label is empty; expected %s", column + 1,
                    reader->labels == AUSCULTA_CSV_LABELS_PASS_FAIL
                    ? "0 (OK) or 1 (NG)" : "a defect class number (0 = OK, 1..7 historical)");
  else
    set_line_error (reader, error, AUSCULTA_CSV_ERROR_LABEL,
                    "column %u (target): %g is not a label; expected %s", column + 1, target,
                    reader->labels == AUSCULTA_CSV_LABELS_PASS_FAIL
                    ? "0 (OK) or 1 (NG)" : "a defect class number (0 = OK, 1..7 historical)");
  return FALSE;
}

/* The health cell: empty, or RUN/CHANNEL:FLAG+FLAG items separated by
 * spaces; the row keeps the or-ed flags. */
static gboolean
parse_health (AuscultaCsvReader *reader,
              guint              column,
              const char        *cell,
              guint             *health,
              GError           **error)
{
  g_auto(GStrv) items = g_strsplit (cell, " ", -1);

  *health = 0;
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *colon = strrchr (items[i], ':');
      g_auto(GStrv) words = NULL;

      if (items[i][0] == '\0')
        continue;
      words = g_strsplit (colon != NULL ? colon + 1 : items[i], "+", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          guint flag;

          if (!ausculta_health_flag_from_string (words[w], &flag))
            {
              set_line_error (reader, error, AUSCULTA_CSV_ERROR_HEALTH,
                              "column %u (health): “%s” is not a health flag; expected "
                              "RUN/CHANNEL:FLAG+FLAG with dead-channel, clipping, dc-offset, "
                              "noise-floor, overrun or short-run", column + 1, words[w]);
              return FALSE;
            }
          *health |= flag;
        }
    }
  return TRUE;
}

static gboolean
parse_row (AuscultaCsvReader *reader,
           GError           **error)
{
  AuscultaCsvRow *row = &reader->row;

  row->line = reader->line_number;
  row->target = NAN;
  row->n_missing = 0;
  row->health = 0;

  for (guint i = 0; i < reader->n_columns; i++)
    {
      Column *column = &reader->columns[i];
      char *cell = reader->fields->pdata[i];
      double value;

      switch (column->kind)
        {
        case COLUMN_INDEX:
          g_free (reader->index);
          reader->index = g_strdup (g_strstrip (cell));
          if (reader->index[0] == '\0')
            {
              set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                              "column %u (index): empty; expected the measurement's name", i + 1);
              return FALSE;
            }
          row->index = reader->index;
          break;

        case COLUMN_TARGET:
          if (!parse_number (reader, i, cell, &row->target, error)
              || !check_label (reader, i, row->target, error))
            return FALSE;
          break;

        case COLUMN_FEATURE:
          if (!parse_number (reader, i, cell, &value, error))
            return FALSE;
          reader->features[column->feature] = value;
          if (isnan (value))
            row->n_missing++;
          break;

        case COLUMN_HEALTH:
          if (!parse_health (reader, i, g_strstrip (cell), &row->health, error))
            return FALSE;
          break;

        case COLUMN_ROW_STATISTIC:
        default:
          break;
        }
    }
  return TRUE;
}

/**
 * ausculta_csv_reader_next:
 * @reader: a reader
 * @error: return location for an #AUSCULTA_CSV_ERROR
 *
 * Reads the next data row. Blank lines are skipped.
 *
 * Returns: (transfer none) (nullable): the row, valid until the next call,
 *   or %NULL at the end of the file (with @error unset) or on an error.
 */
const AuscultaCsvRow *
ausculta_csv_reader_next (AuscultaCsvReader *reader,
                          GError           **error)
{
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  do
    {
      if (!read_line (reader, error))
        return NULL;
    }
  while (is_blank (reader->line->str) && memchr (reader->line->str, '\0', reader->line->len) == NULL);

  if (!check_text (reader, error))
    return NULL;
  split_fields (reader);
  if (reader->fields->len != reader->n_columns)
    {
      set_line_error (reader, error, AUSCULTA_CSV_ERROR_COLUMN_COUNT,
                      "%u columns; expected %u as in the header (separator '%c')",
                      reader->fields->len, reader->n_columns, reader->separator);
      return NULL;
    }
  if (!parse_row (reader, error))
    return NULL;
  return &reader->row;
}

/**
 * ausculta_csv_row_is_ok:
 *
 * Returns: %TRUE when @row is labelled as a good motor.
 */
gboolean
ausculta_csv_row_is_ok (AuscultaCsvReader    *reader,
                        const AuscultaCsvRow *row)
{
  g_return_val_if_fail (reader != NULL && row != NULL, FALSE);
  return reader->labels != AUSCULTA_CSV_LABELS_NONE && row->target == 0.0;
}

/**
 * ausculta_csv_row_get_defect_class:
 *
 * Returns: the defect class of @row: 0 for a good motor, 1.. for a known
 *   class, -1 for a rejected motor whose class the file does not say or an
 *   unlabelled row.
 */
int
ausculta_csv_row_get_defect_class (AuscultaCsvReader    *reader,
                                   const AuscultaCsvRow *row)
{
  g_return_val_if_fail (reader != NULL && row != NULL, -1);

  switch (reader->labels)
    {
    case AUSCULTA_CSV_LABELS_DEFECT_CLASS:
      return (int) row->target;
    case AUSCULTA_CSV_LABELS_PASS_FAIL:
      return row->target == 0.0 ? 0 : -1;
    case AUSCULTA_CSV_LABELS_NONE:
    default:
      return -1;
    }
}
