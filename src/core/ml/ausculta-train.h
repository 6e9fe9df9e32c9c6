/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-dataset.h"
#include "ausculta-model.h"

G_BEGIN_DECLS

/* Called from the thread that trains or validates, with the fraction done
 * (0..1) and the step in words: marshal to the main thread before touching
 * a widget. */
typedef void (*AuscultaProgressFunc) (double      fraction,
                                      const char *step,
                                      gpointer    user_data);

/* Trains a model on @data. @settings is a NULL-terminated list of
 * "key=value" strings (NULL for the defaults), as given to
 * `ausculta-cli train --set`:
 *   detector=lof|knn|mahalanobis|pca|logistic   (default knn)
 *   preprocess=standard|log-standard|none        (default log-standard)
 *   vib_weight=W    weight of the scaled vibration columns, acoustic ones
 *                   weighing 1 (default 0.5 with log-standard, else 1)
 *   n_neighbors=K  metric=euclidean|manhattan|cosine   (lof, knn)
 *   n_components=N or variance=0.95, statistic=spe|t2|both   (pca)
 *   C=1.0                                         (logistic)
 *   combine=none|lof|knn|mahalanobis|pca          (a second detector; the score
 *                                                  is the larger of the two, each
 *                                                  scaled on good out-of-fold scores)
 *   target_frr=0.01  target_escape=0.005          (threshold rule)
 *   folds=5  repeats=2  seed=1                    (out-of-fold scores)
 * Detectors learn from the good rows only; logistic needs good and bad rows.
 * The threshold is chosen on out-of-fold scores grouped by motor. */
AuscultaModel *ausculta_model_train (const AuscultaDataset *data,
                                     const char * const    *settings,
                                     GCancellable          *cancellable,
                                     AuscultaProgressFunc   progress,
                                     gpointer               user_data,
                                     GError               **error);

G_END_DECLS
