/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-csv-row"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-csv-private.h"
#include "ausculta-measurement.h"

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
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_NUMBER,
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
    ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_LABEL,
                                 "column %u (target): the label is empty; expected %s", column + 1,
                                 reader->labels == AUSCULTA_CSV_LABELS_PASS_FAIL
                                 ? "0 (OK) or 1 (NG)" : "a defect class number (0 = OK, 1..7 historical)");
  else
    ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_LABEL,
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
              ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_HEALTH,
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
              ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
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
      if (!ausculta_csv_read_line (reader, error))
        return NULL;
    }
  while (is_blank (reader->line->str) && memchr (reader->line->str, '\0', reader->line->len) == NULL);

  if (!ausculta_csv_check_text (reader, error))
    return NULL;
  ausculta_csv_split_fields (reader);
  if (reader->fields->len != reader->n_columns)
    {
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_COLUMN_COUNT,
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
