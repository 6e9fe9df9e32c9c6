/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-dataset-archive"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-archive.h"

#include "ausculta-dataset-archive.h"
#include "ausculta-model.h"

int
ausculta_dataset_label_from_archive (int archive_label)
{
  if (archive_label == AUSCULTA_LABEL_NG)
    return AUSCULTA_DATASET_LABEL_NG;
  if (archive_label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    return AUSCULTA_DATASET_LABEL_UNLABELLED;
  return archive_label;         /* OK (0) and defect classes 1..99 agree */
}

static gboolean
row_is_complete (const double *row,
                 guint         n)
{
  for (guint j = 0; j < n; j++)
    if (!isfinite (row[j]))
      return FALSE;
  return TRUE;
}

AuscultaDataset *
ausculta_dataset_load_archive (AuscultaArchive  *archive,
                               guint            *n_incomplete,
                               GError          **error)
{
  g_autoptr(AuscultaFeatureMatrix) matrix = NULL;
  g_autoptr(AuscultaDataset) data = NULL;
  AuscultaArchiveFilter filter;
  guint incomplete = 0;

  ausculta_archive_filter_init (&filter);
  matrix = ausculta_archive_get_features (archive, &filter, 0, error);
  if (matrix == NULL)
    return NULL;
  data = ausculta_dataset_new ((const char * const *) matrix->feature_names);
  /* The matrix is newest first: walk it backwards. */
  for (guint k = matrix->n_rows; k > 0; k--)
    {
      guint i = k - 1;
      const double *row = matrix->values + (gsize) i * matrix->n_features;
      const char *group = matrix->motor_groups[i];

      if (matrix->labels[i] == AUSCULTA_LABEL_FILTER_UNLABELLED)
        continue;
      if (!row_is_complete (row, matrix->n_features))
        {
          incomplete++;
          continue;
        }
      ausculta_dataset_append (data, matrix->ids[i], group[0] != '\0' ? group : matrix->ids[i],
                               ausculta_dataset_label_from_archive (matrix->labels[i]), row);
    }
  if (n_incomplete != NULL)
    *n_incomplete = incomplete;
  if (data->n_rows == 0)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_DATA,
                   _("%s: no labelled measurement with all its features (%u incomplete): "
                     "import or label measurements first"),
                   ausculta_archive_get_path (archive), incomplete);
      return NULL;
    }
  return g_steal_pointer (&data);
}
