/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-csv"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-csv-private.h"

/* A 432-feature line is about 4 KiB; anything longer than this is not a
 * measurement export and is refused before it can exhaust memory. */
#define MAX_LINE_BYTES (4 * 1024 * 1024)
#define READ_CHUNK 65536

G_DEFINE_QUARK (ausculta-csv-error-quark, ausculta_csv_error)

void
ausculta_csv_set_line_error (AuscultaCsvReader *reader,
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
gboolean
ausculta_csv_read_line (AuscultaCsvReader *reader,
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
                  ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_READ,
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
          ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_LINE_TOO_LONG,
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

gboolean
ausculta_csv_check_text (AuscultaCsvReader *reader,
                         GError           **error)
{
  const char *str = reader->line->str;
  const char *end;
  const char *nul = memchr (str, '\0', reader->line->len);

  if (nul != NULL)
    {
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_BINARY,
                                   "byte %zu is a NUL byte: this is binary data, expected a text CSV file",
                                   (gsize) (nul - str) + 1);
      return FALSE;
    }
  if (!g_utf8_validate (str, reader->line->len, &end))
    {
      guint column = 1;

      for (const char *p = str; reader->separator != '\0' && p < end; p++)
        column += (*p == reader->separator);
      ausculta_csv_set_line_error (reader, error, AUSCULTA_CSV_ERROR_ENCODING,
                                   "column %u, byte %zu is not valid UTF-8; expected a UTF-8 text file",
                                   column, (gsize) (end - str) + 1);
      return FALSE;
    }
  return TRUE;
}

/* Splits reader->line into reader->fields (pointers into the line, which
 * is modified in place). Double quotes protect separators, as in RFC 4180. */
void
ausculta_csv_split_fields (AuscultaCsvReader *reader)
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

  if (!ausculta_csv_read_header (reader, error))
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

