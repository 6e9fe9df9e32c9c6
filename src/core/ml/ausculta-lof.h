/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-neighbors.h"

G_BEGIN_DECLS

/* Local Outlier Factor in novelty mode, computed exactly as scikit-learn's
 * LocalOutlierFactor(novelty=True): fit keeps each reference row's k-distance
 * and local reachability density; score_samples gives the negative outlier
 * factor (near -1 for inliers, lower for outliers). */
typedef struct {
  AuscultaNeighbors  neighbors;
  guint              n_neighbors;   /* effective: min (requested, n_ref - 1), at least 1 */
  double            *k_distance;    /* n_ref */
  double            *lrd;           /* n_ref */
} AuscultaLof;

#define AUSCULTA_LOF_OFFSET (-1.5)  /* offset_ for contamination="auto" */

gboolean ausculta_lof_fit            (AuscultaLof    *lof,
                                      AuscultaMetric  metric,
                                      const double   *ref,
                                      guint           n_ref,
                                      guint           n_cols,
                                      guint           n_neighbors,
                                      GCancellable   *cancellable);
/* Takes a fitted state back from a model file (copies the arrays). */
void     ausculta_lof_init_fitted    (AuscultaLof    *lof,
                                      AuscultaMetric  metric,
                                      const double   *ref,
                                      guint           n_ref,
                                      guint           n_cols,
                                      guint           n_neighbors,
                                      const double   *k_distance,
                                      const double   *lrd);
void     ausculta_lof_clear          (AuscultaLof    *lof);
gboolean ausculta_lof_score_samples  (const AuscultaLof *lof,
                                      const double      *rows,
                                      guint              n_rows,
                                      double            *out,
                                      GCancellable      *cancellable);
/* The same, each row passed through @prepare first (see
 * ausculta_neighbors_query_prepared()). */
gboolean ausculta_lof_score_prepared (const AuscultaLof   *lof,
                                      const double        *rows,
                                      guint                n_rows,
                                      AuscultaRowsPrepare  prepare,
                                      gconstpointer        prepare_data,
                                      double              *out,
                                      GCancellable        *cancellable);

/* numpy's pairwise summation, which np.mean uses along a contiguous axis. */
double   ausculta_pairwise_sum       (const double   *values,
                                      gsize           n);

G_END_DECLS
