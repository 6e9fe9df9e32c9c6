/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exact euclidean k-nearest neighbours by single-precision screening: the
 * distances to every reference are first estimated in float32 (products of
 * rows centred at the reference mean, ausculta-float-products.h), each with a
 * rigorous bound of its rounding error (ausculta-knn-bounds.h); only the
 * references whose lower bound can still beat the k-th upper bound are then
 * computed in double precision with scikit-learn's formula
 * ||x||² - 2x·y + ||y||². The k kept are the same as a full double search's;
 * a row whose k-th distance is within rounding of the next is flagged, so
 * that the caller settles it as scikit-learn's heaps would. */

typedef struct {
  guint   n_ref;
  guint   n_cols;
  double *center;      /* n_cols: mean of the reference rows */
  float  *panels;      /* the rows centred, float32, in panels (ausculta-float-products.h) */
  double *ref_norms;   /* ||y - center|| */
  double *ref_centred_sq;  /* ||y - center||² */
  double *ref_slack;   /* absolute part of each reference's error bound */
} AuscultaKnnScreen;

/* Writes @n_rows rows of @in, transformed (e.g. standard-scaled), to @out:
 * lets a batch be prepared block by block as it is screened. */
typedef void (*AuscultaRowsPrepare) (gconstpointer  data,
                                     const double  *in,
                                     guint          n_rows,
                                     double        *out);

/* Returns FALSE (and leaves @screen empty) when the references cannot be
 * screened in float32: non-finite or beyond float range. */
gboolean ausculta_knn_screen_init  (AuscultaKnnScreen *screen,
                                    const double      *ref,
                                    const double      *ref_sqnorms,
                                    guint              n_ref,
                                    guint              n_cols);
void     ausculta_knn_screen_clear (AuscultaKnnScreen *screen);

/* The @k nearest references of each query row, nearest first, as squared
 * euclidean surrogates (n_x × k into @dist, @ind); the rows of @x are first
 * passed through @prepare when it is not NULL. Rows whose selection is not
 * certain (the k-th value within rounding of the next) or that cannot be
 * screened get tied[r] = 1 and must be computed by the full search. Returns
 * the number of such rows. Blocks of rows are shared among the processors;
 * the result does not depend on how. */
guint    ausculta_knn_screen_query (const AuscultaKnnScreen *screen,
                                    const double            *ref,
                                    const double            *ref_sqnorms,
                                    const double            *x,
                                    guint                    n_x,
                                    AuscultaRowsPrepare      prepare,
                                    gconstpointer            prepare_data,
                                    guint                    k,
                                    double                  *dist,
                                    guint                   *ind,
                                    guint8                  *tied);

G_END_DECLS
