/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-dataset"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-csv.h"
#include "ausculta-dataset.h"
#include "ausculta-feature-layout.h"
#include "ausculta-model.h"

/* Growth state kept beside the public struct. */
typedef struct {
  AuscultaDataset  public;
  gsize            capacity;
  GPtrArray       *row_names;
  GPtrArray       *group_names;
  GHashTable      *group_ids;     /* name -> id + 1 */
} DatasetBuilder;

AuscultaDataset *
ausculta_dataset_new (const char * const *feature_names)
{
  DatasetBuilder *b = g_new0 (DatasetBuilder, 1);

  b->public.feature_names = g_strdupv ((char **) feature_names);
  b->public.n_cols = g_strv_length (b->public.feature_names);
  b->row_names = g_ptr_array_new_with_free_func (g_free);
  b->group_names = g_ptr_array_new_with_free_func (g_free);
  b->group_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (b->row_names, NULL);
  g_ptr_array_add (b->group_names, NULL);
  b->public.row_names = (char **) b->row_names->pdata;
  b->public.group_names = (char **) b->group_names->pdata;
  return &b->public;
}

void
ausculta_dataset_free (AuscultaDataset *dataset)
{
  DatasetBuilder *b = (DatasetBuilder *) dataset;

  if (dataset == NULL)
    return;
  g_strfreev (dataset->feature_names);
  g_free (dataset->values);
  g_free (dataset->labels);
  g_free (dataset->groups);
  g_ptr_array_unref (b->row_names);
  g_ptr_array_unref (b->group_names);
  g_hash_table_unref (b->group_ids);
  g_free (b);
}

static guint
group_id (DatasetBuilder *b,
          const char     *name)
{
  gpointer id = g_hash_table_lookup (b->group_ids, name);
  char *copy;

  if (id != NULL)
    return GPOINTER_TO_UINT (id) - 1;
  copy = g_strdup (name);
  g_ptr_array_insert (b->group_names, (gint) b->group_names->len - 1, copy);
  b->public.group_names = (char **) b->group_names->pdata;
  g_hash_table_insert (b->group_ids, copy, GUINT_TO_POINTER (b->public.n_groups + 1));
  return b->public.n_groups++;
}

void
ausculta_dataset_append (AuscultaDataset *dataset,
                         const char      *row_name,
                         const char      *group_name,
                         int              label,
                         const double    *values)
{
  DatasetBuilder *b = (DatasetBuilder *) dataset;
  guint r = dataset->n_rows;

  if (r == b->capacity)
    {
      b->capacity = MAX (64, b->capacity * 2);
      dataset->values = g_renew (double, dataset->values, b->capacity * dataset->n_cols);
      dataset->labels = g_renew (int, dataset->labels, b->capacity);
      dataset->groups = g_renew (guint, dataset->groups, b->capacity);
    }
  memcpy (dataset->values + (gsize) r * dataset->n_cols, values, sizeof (double) * dataset->n_cols);
  dataset->labels[r] = label;
  dataset->groups[r] = group_id (b, group_name != NULL ? group_name : row_name);
  g_ptr_array_insert (b->row_names, (gint) r, g_strdup (row_name));
  dataset->row_names = (char **) b->row_names->pdata;
  dataset->n_rows++;
}

static int
row_label (AuscultaCsvReader    *reader,
           const AuscultaCsvRow *row)
{
  switch (ausculta_csv_reader_get_labels (reader))
    {
    case AUSCULTA_CSV_LABELS_DEFECT_CLASS:
      return (int) row->target;
    case AUSCULTA_CSV_LABELS_PASS_FAIL:
      return ausculta_csv_row_is_ok (reader, row) ? AUSCULTA_DATASET_LABEL_OK : AUSCULTA_DATASET_LABEL_NG;
    case AUSCULTA_CSV_LABELS_NONE:
    default:
      return AUSCULTA_DATASET_LABEL_UNLABELLED;
    }
}

static gboolean
same_values (const double *a,
             const double *b,
             guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      if (isnan (a[i]) && isnan (b[i]))
        continue;
      if (!(fabs (a[i] - b[i]) <= 1e-9 * MAX (fabs (a[i]), fabs (b[i]))))
        return FALSE;
    }
  return TRUE;
}

/* A row of an earlier file with the same name and values: the same
 * measurement exported twice. Keeps the more specific label; each earlier
 * row matches once, and rows of one file are never merged. */
static gboolean
merge_duplicate (AuscultaDataset *dataset,
                 GHashTable      *by_name,
                 const char      *name,
                 int              label,
                 const double    *values)
{
  GArray *rows = g_hash_table_lookup (by_name, name);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      guint r = g_array_index (rows, guint, i);
      int *old;

      if (r == G_MAXUINT)
        continue;
      old = &dataset->labels[r];
      if (!same_values (dataset->values + (gsize) r * dataset->n_cols, values, dataset->n_cols))
        continue;
      if (label > 0 && (*old == AUSCULTA_DATASET_LABEL_NG || *old == AUSCULTA_DATASET_LABEL_UNLABELLED))
        *old = label;
      else if (label != AUSCULTA_DATASET_LABEL_UNLABELLED && *old == AUSCULTA_DATASET_LABEL_UNLABELLED)
        *old = label;
      g_array_index (rows, guint, i) = G_MAXUINT;   /* one match per duplicate row */
      return TRUE;
    }
  return FALSE;
}

static void
remember_rows (GHashTable      *by_name,
               AuscultaDataset *dataset,
               guint            first)
{
  for (guint r = first; r < dataset->n_rows; r++)
    {
      GArray *rows = g_hash_table_lookup (by_name, dataset->row_names[r]);

      if (rows == NULL)
        {
          rows = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_name, g_strdup (dataset->row_names[r]), rows);
        }
      g_array_append_val (rows, r);
    }
}

static gboolean
check_columns (AuscultaDataset    *dataset,
               AuscultaCsvReader  *reader,
               const char         *path,
               GError            **error)
{
  const char * const *names = ausculta_csv_reader_get_feature_names (reader);

  if (g_strv_equal ((const char * const *) dataset->feature_names, names))
    return TRUE;
  g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
               "%s: its %u feature columns differ from those of the first file (%u); "
               "expected the same columns in every file", path,
               ausculta_csv_reader_get_n_features (reader), dataset->n_cols);
  return FALSE;
}

static gboolean
load_file (AuscultaDataset **dataset,
           GHashTable       *earlier,
           const char       *path,
           GError          **error)
{
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, error);
  const AuscultaCsvRow *row;
  GError *local = NULL;

  if (reader == NULL)
    return FALSE;
  if (*dataset == NULL)
    *dataset = ausculta_dataset_new (ausculta_csv_reader_get_feature_names (reader));
  else if (!check_columns (*dataset, reader, path, error))
    return FALSE;
  while ((row = ausculta_csv_reader_next (reader, &local)) != NULL)
    {
      int label = row_label (reader, row);
      g_autofree char *motor = NULL;

      if (merge_duplicate (*dataset, earlier, row->index, label, row->features))
        continue;
      motor = ausculta_feature_layout_motor_group (row->index);
      ausculta_dataset_append (*dataset, row->index, motor, label, row->features);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

AuscultaDataset *
ausculta_dataset_load_csv (const char * const *paths,
                           GError            **error)
{
  g_autoptr(AuscultaDataset) dataset = NULL;
  g_autoptr(GHashTable) earlier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);

  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      guint first = dataset != NULL ? dataset->n_rows : 0;

      if (!load_file (&dataset, earlier, paths[i], error))
        return NULL;
      remember_rows (earlier, dataset, first);
    }
  if (dataset->n_rows == 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   "%s: no data rows; expected one row per measurement", paths[0]);
      return NULL;
    }
  return g_steal_pointer (&dataset);
}

AuscultaDataset *
ausculta_dataset_subset (const AuscultaDataset *dataset,
                         const guint           *rows,
                         guint                  n_rows)
{
  AuscultaDataset *out = ausculta_dataset_new ((const char * const *) dataset->feature_names);

  for (guint i = 0; i < n_rows; i++)
    {
      guint r = rows[i];

      ausculta_dataset_append (out, dataset->row_names[r], dataset->group_names[dataset->groups[r]],
                               dataset->labels[r], dataset->values + (gsize) r * dataset->n_cols);
    }
  return out;
}

gboolean
ausculta_dataset_has_nan (const AuscultaDataset *dataset,
                          guint                 *row,
                          guint                 *col)
{
  for (gsize i = 0; i < (gsize) dataset->n_rows * dataset->n_cols; i++)
    {
      if (!isfinite (dataset->values[i]))
        {
          *row = (guint) (i / dataset->n_cols);
          *col = (guint) (i % dataset->n_cols);
          return TRUE;
        }
    }
  return FALSE;
}

guint
ausculta_dataset_count_label (const AuscultaDataset *dataset,
                              gboolean               good)
{
  guint n = 0;

  for (guint r = 0; r < dataset->n_rows; r++)
    n += good ? ausculta_label_is_good (dataset->labels[r]) : ausculta_label_is_bad (dataset->labels[r]);
  return n;
}

/**
 * ausculta_dataset_hash:
 *
 * Returns: (transfer full): the SHA-256 of the column names, row names,
 *   labels and values: what a model records as its training data.
 */
char *
ausculta_dataset_hash (const AuscultaDataset *dataset)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint c = 0; c < dataset->n_cols; c++)
    g_checksum_update (sum, (const guchar *) dataset->feature_names[c],
                       (gssize) strlen (dataset->feature_names[c]) + 1);
  for (guint r = 0; r < dataset->n_rows; r++)
    {
      g_checksum_update (sum, (const guchar *) dataset->row_names[r],
                         (gssize) strlen (dataset->row_names[r]) + 1);
      g_checksum_update (sum, (const guchar *) &dataset->labels[r], sizeof (int));
    }
  g_checksum_update (sum, (const guchar *) dataset->values,
                     (gssize) (sizeof (double) * dataset->n_rows * dataset->n_cols));
  return g_strdup (g_checksum_get_string (sum));
}
