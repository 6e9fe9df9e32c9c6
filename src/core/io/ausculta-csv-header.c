/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-csv-header"

#include "config.h"

#include <string.h>

#include "ausculta-csv-private.h"
#include "ausculta-feature-layout.h"

/* Per-row summaries of the historical exports: not features. */
static const char * const row_statistics[] = { "moyenne", "ecartype", "mediane", "min", "max" };

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
          ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                                       "column %u has no name; expected a column name in the header", i + 1);
          return FALSE;
        }
      if (g_hash_table_lookup_extended (seen, name, NULL, &previous))
        {
          ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_DUPLICATE_COLUMN,
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
              ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_UNKNOWN_COLUMN,
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
              ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
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
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
                                   "missing column index; expected a column naming each measurement");
      g_ptr_array_free (names, TRUE);
      return FALSE;
    }
  if (names->len == 0)
    {
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_MISSING_COLUMN,
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

gboolean
ausculta_csv_read_header (AuscultaCsvReader *reader,
                          GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *str;

  if (!ausculta_csv_read_line (reader, error))
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
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                                   "the file is UTF-16 (little-endian byte order mark); expected UTF-8");
      return FALSE;
    }
  if (reader->line->len >= 2 && ((guchar) str[0] == 0xFE && (guchar) str[1] == 0xFF))
    {
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                                   "the file is UTF-16 (big-endian byte order mark); expected UTF-8");
      return FALSE;
    }
  if (reader->line->len >= 3 && memcmp (str, "\xEF\xBB\xBF", 3) == 0)
    g_string_erase (reader->line, 0, 3);
  if (!ausculta_csv_check_text (reader, error))
    return FALSE;

  reader->separator = strchr (reader->line->str, ';') != NULL ? ';' : ',';
  reader->decimal_comma = reader->separator == ';';
  ausculta_csv_split_fields (reader);

  reader->n_columns = reader->fields->len;
  reader->columns = g_new0 (Column, reader->n_columns);
  for (guint i = 0; i < reader->n_columns; i++)
    reader->columns[i].name = g_strstrip (g_strdup (reader->fields->pdata[i]));

  return check_header_names (reader, seen, error) && classify_columns (reader, seen, error);
}
