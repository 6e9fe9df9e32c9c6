/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-knn-screen.h"

G_BEGIN_DECLS

/* Exact k-nearest-neighbour search that reproduces scikit-learn 1.2's brute
 * force kneighbors(), ties included: the same distance formulas (the
 * ||x||² - 2x·y + ||y||² decomposition through the same BLAS for euclidean,
 * a plain sum for manhattan, 1 - cosine similarity clipped to [0, 2] for
 * cosine), and the same choice among equal distances (its bounded max-heaps
 * visited in its chunk and thread order, numpy's introselect for cosine).
 * Euclidean searches (queries, or the reference set against itself) are
 * first screened in float32 with rigorous error bounds (ausculta-knn-screen.h,
 * ausculta-knn-self.h), which finds the same k at a fraction of the cost;
 * rows whose k-th distance is within rounding of the next are then settled
 * by the full search above (ausculta-argkmin.h). */

typedef enum {
  AUSCULTA_METRIC_EUCLIDEAN,
  AUSCULTA_METRIC_MANHATTAN,
  AUSCULTA_METRIC_COSINE,
} AuscultaMetric;

typedef struct {
  AuscultaMetric metric;
  guint          n_ref;
  guint          n_cols;
  const double  *ref;           /* borrowed, n_ref × n_cols */
  double        *ref_sqnorms;   /* euclidean: ||y||² */
  double        *ref_unit;      /* cosine: rows scaled to unit norm */
  gboolean          screened;   /* euclidean: float32 screening available */
  AuscultaKnnScreen screen;
} AuscultaNeighbors;

gboolean    ausculta_metric_from_string (const char     *text,
                                         AuscultaMetric *metric);
const char *ausculta_metric_to_string   (AuscultaMetric  metric);

void        ausculta_neighbors_init     (AuscultaNeighbors *neighbors,
                                         AuscultaMetric     metric,
                                         const double      *ref,
                                         guint              n_ref,
                                         guint              n_cols);
void        ausculta_neighbors_clear    (AuscultaNeighbors *neighbors);

/* Finds the @k nearest reference rows of each query row, nearest first, into
 * @dist and @ind (n_queries × k). With @queries NULL the queries are the
 * reference rows themselves and each row's own index is left out, as
 * scikit-learn's kneighbors(X=None) does. Returns FALSE only when cancelled. */
gboolean    ausculta_neighbors_query    (const AuscultaNeighbors *neighbors,
                                         const double            *queries,
                                         guint                    n_queries,
                                         guint                    k,
                                         double                  *dist,
                                         guint                   *ind,
                                         GCancellable            *cancellable);
/* The same, the query rows passed through @prepare first (block by block
 * when the search is screened, so that no prepared copy of the whole batch
 * is made). */
gboolean    ausculta_neighbors_query_prepared (const AuscultaNeighbors *neighbors,
                                               const double            *queries,
                                               guint                    n_queries,
                                               AuscultaRowsPrepare      prepare,
                                               gconstpointer            prepare_data,
                                               guint                    k,
                                               double                  *dist,
                                               guint                   *ind,
                                               GCancellable            *cancellable);

G_END_DECLS
