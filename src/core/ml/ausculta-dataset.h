/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Labels of a dataset row. */
#define AUSCULTA_DATASET_LABEL_OK          0   /* good unit */
#define AUSCULTA_DATASET_LABEL_NG         -1   /* bad unit, defect class unknown */
#define AUSCULTA_DATASET_LABEL_UNLABELLED -2   /* no label in the file */
/* labels > 0 are defect classes (historical 1..7) */

/* A row-major matrix of feature vectors with their column names, row names
 * (the historical `index`), labels and motor groups. */
typedef struct {
  guint    n_rows;
  guint    n_cols;
  double  *values;          /* n_rows × n_cols, row-major */
  char   **feature_names;   /* NULL-terminated, n_cols long */
  char   **row_names;       /* NULL-terminated, n_rows long */
  int     *labels;          /* AUSCULTA_LABEL_* or a defect class > 0 */
  guint   *groups;          /* motor of each row, 0 .. n_groups-1 */
  guint    n_groups;
  char   **group_names;     /* NULL-terminated, n_groups long */
} AuscultaDataset;

AuscultaDataset *ausculta_dataset_new            (const char * const *feature_names);
void             ausculta_dataset_free           (AuscultaDataset    *dataset);
void             ausculta_dataset_append         (AuscultaDataset    *dataset,
                                                  const char         *row_name,
                                                  const char         *group_name,
                                                  int                 label,
                                                  const double       *values);
/* Reads historical (or named-column) CSV files. A row whose `index` and
 * values repeat a row already read (the NG rows of DATASET_VALIDATION are
 * those of DATASET_NG) is kept once, with the more specific label. Groups
 * come from ausculta_feature_layout_motor_group(). */
AuscultaDataset *ausculta_dataset_load_csv       (const char * const *paths,
                                                  GError            **error);
AuscultaDataset *ausculta_dataset_subset         (const AuscultaDataset *dataset,
                                                  const guint        *rows,
                                                  guint               n_rows);
gboolean         ausculta_dataset_has_nan        (const AuscultaDataset *dataset,
                                                  guint              *row,
                                                  guint              *col);
guint            ausculta_dataset_count_label    (const AuscultaDataset *dataset,
                                                  gboolean            good);
char            *ausculta_dataset_hash           (const AuscultaDataset *dataset);

static inline gboolean
ausculta_label_is_good (int label)
{
  return label == AUSCULTA_DATASET_LABEL_OK;
}

static inline gboolean
ausculta_label_is_bad (int label)
{
  return label == AUSCULTA_DATASET_LABEL_NG || label > 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaDataset, ausculta_dataset_free)

G_END_DECLS
