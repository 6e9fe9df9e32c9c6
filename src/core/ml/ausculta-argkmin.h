/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-neighbors.h"

G_BEGIN_DECLS

/* scikit-learn 1.2's brute-force ArgKmin for euclidean and manhattan
 * (sklearn/metrics/_pairwise_distances_reduction): surrogate distances by
 * blocks of 256 × 256 through the same BLAS, pushed into its bounded
 * max-heaps in its chunk and thread order, so that equal distances end in
 * the same order. */

typedef struct {
  const AuscultaNeighbors *nb;
  const double            *x;         /* queries */
  const double            *x_sqnorms;
  double                  *block;     /* surrogate distances (set by ausculta_argkmin) */
  gboolean                 single;    /* scikit-learn was given one query */
} AuscultaArgkminContext;

/* The @k nearest references (as surrogates: squared euclidean, or
 * manhattan) of @n_x rows out of the @plan_n_x scikit-learn was given: that
 * number decides how it splits the work, hence its choice among equal
 * distances. With @self the queries are the references themselves. */
void ausculta_argkmin (AuscultaArgkminContext *ctx,
                       gboolean                self,
                       guint                   n_x,
                       guint                   plan_n_x,
                       guint                   k,
                       double                 *dist,
                       guint                  *ind,
                       GCancellable           *cancellable);

G_END_DECLS
