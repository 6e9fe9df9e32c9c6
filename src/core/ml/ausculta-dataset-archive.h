/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-dataset.h"

G_BEGIN_DECLS

/* The archive (ausculta-archive.h) numbers labels 0 = OK, 1..99 = defect
 * class, 100 = NG class unknown, AUSCULTA_LABEL_FILTER_UNLABELLED (-2) =
 * none; a dataset uses AUSCULTA_DATASET_LABEL_NG (-1) for NG class unknown
 * and AUSCULTA_DATASET_LABEL_UNLABELLED (-2) for none. */
typedef struct _AuscultaArchive AuscultaArchive;

/* A dataset label from an archive label value (see above). */
int              ausculta_dataset_label_from_archive (int                archive_label);

/* The archive's labelled measurements that have every feature, oldest
 * first (the order they were archived, so an imported CSV file keeps its
 * row order); row names are measurement ids, motor groups the archive's
 * (the id when unknown). @n_incomplete (may be NULL) counts the labelled
 * measurements left out because a feature is missing or not finite. Fails
 * with AUSCULTA_MODEL_ERROR_DATA when no labelled measurement is usable. */
AuscultaDataset *ausculta_dataset_load_archive       (AuscultaArchive   *archive,
                                                      guint             *n_incomplete,
                                                      GError           **error);

G_END_DECLS
