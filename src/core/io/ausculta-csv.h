/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AUSCULTA_CSV_ERROR (ausculta_csv_error_quark ())

typedef enum {
  AUSCULTA_CSV_ERROR_OPEN,
  AUSCULTA_CSV_ERROR_EMPTY,
  AUSCULTA_CSV_ERROR_ENCODING,
  AUSCULTA_CSV_ERROR_BINARY,
  AUSCULTA_CSV_ERROR_LINE_TOO_LONG,
  AUSCULTA_CSV_ERROR_MISSING_COLUMN,
  AUSCULTA_CSV_ERROR_DUPLICATE_COLUMN,
  AUSCULTA_CSV_ERROR_UNKNOWN_COLUMN,
  AUSCULTA_CSV_ERROR_COLUMN_COUNT,
  AUSCULTA_CSV_ERROR_NUMBER,
  AUSCULTA_CSV_ERROR_LABEL,
  AUSCULTA_CSV_ERROR_READ,
  AUSCULTA_CSV_ERROR_HEALTH,
} AuscultaCsvError;

/* What the `target` column means is fixed by the historical layouts:
 * DATASET_NG puts `target` before `index` and stores the defect class,
 * DATASET_VALIDATION puts `index` first and stores 0 (OK) or 1 (NG). */
typedef enum {
  AUSCULTA_CSV_LABELS_NONE,
  AUSCULTA_CSV_LABELS_PASS_FAIL,
  AUSCULTA_CSV_LABELS_DEFECT_CLASS,
} AuscultaCsvLabels;

typedef struct {
  guint         line;
  const char   *index;
  double        target;     /* NaN when the file has no target column */
  const double *features;   /* in the reader's feature order; NaN where a cell is empty */
  guint         n_missing;
  guint         health;     /* AuscultaHealth flags of a `health` column; 0 without one */
} AuscultaCsvRow;

typedef struct _AuscultaCsvReader AuscultaCsvReader;

GQuark              ausculta_csv_error_quark               (void);

AuscultaCsvReader  *ausculta_csv_reader_open               (const char         *path,
                                                            GError            **error);
void                ausculta_csv_reader_free               (AuscultaCsvReader  *reader);
const char         *ausculta_csv_reader_get_path           (AuscultaCsvReader  *reader);
AuscultaCsvLabels   ausculta_csv_reader_get_labels         (AuscultaCsvReader  *reader);
guint               ausculta_csv_reader_get_n_features     (AuscultaCsvReader  *reader);
const char * const *ausculta_csv_reader_get_feature_names  (AuscultaCsvReader  *reader);
gboolean            ausculta_csv_reader_is_historical      (AuscultaCsvReader  *reader);
const AuscultaCsvRow *ausculta_csv_reader_next             (AuscultaCsvReader  *reader,
                                                            GError            **error);

gboolean            ausculta_csv_row_is_ok                 (AuscultaCsvReader    *reader,
                                                            const AuscultaCsvRow *row);
int                 ausculta_csv_row_get_defect_class      (AuscultaCsvReader    *reader,
                                                            const AuscultaCsvRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaCsvReader, ausculta_csv_reader_free)

G_END_DECLS
