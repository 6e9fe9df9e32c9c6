/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-knn-screen.h"

G_BEGIN_DECLS

/* The @k nearest references of every reference row (itself included, as
 * scikit-learn's kneighbors(X=None) asks for k + 1), by the float32 screen
 * of ausculta-knn-screen.h made symmetric: the products of two blocks of
 * rows serve both blocks, so half of them are computed. Each row keeps the
 * references whose lower bound can still beat its k-th smallest upper bound
 * (candidates pruned as the bound tightens); those are then computed in
 * double. Blocks are shared among the processors, each with its own bounds,
 * merged at the end: the result does not depend on the number of threads.
 * Rows flagged in @tied must be settled by the full search. Returns their
 * number (0 when cancelled: the output is then incomplete). */
guint ausculta_knn_self_query (const AuscultaKnnScreen *screen,
                               const double            *ref,
                               const double            *ref_sqnorms,
                               guint                    k,
                               double                  *dist,
                               guint                   *ind,
                               guint8                  *tied,
                               GCancellable            *cancellable);

G_END_DECLS
