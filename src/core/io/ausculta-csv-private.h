/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to the CSV reader: its state, shared by its files: the file and
 * its lines (ausculta-csv.c), the header (ausculta-csv-header.c) and the
 * rows (ausculta-csv-row.c). */

#include <stdio.h>

#include "ausculta-csv.h"

G_BEGIN_DECLS

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

/* "FILE:LINE: what" for the line being read. */
void      ausculta_csv_set_line_error (AuscultaCsvReader  *reader,
                                       GError            **error,
                                       AuscultaCsvError    code,
                                       const char         *format,
                                       ...) G_GNUC_PRINTF (4, 5);
/* One line into reader->line; FALSE at the end (error unset) or on an error. */
gboolean  ausculta_csv_read_line      (AuscultaCsvReader  *reader,
                                       GError            **error);
/* FALSE when the line holds a NUL or is not UTF-8. */
gboolean  ausculta_csv_check_text     (AuscultaCsvReader  *reader,
                                       GError            **error);
/* reader->fields: the cells of reader->line, split in place. */
void      ausculta_csv_split_fields   (AuscultaCsvReader  *reader);
/* Reads the header line: separator, columns, feature names, labels. */
gboolean  ausculta_csv_read_header    (AuscultaCsvReader  *reader,
                                       GError            **error);

G_END_DECLS
