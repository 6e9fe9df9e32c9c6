/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deterministic test matrices. */
double  *ml_test_gaussian      (guint rows, guint cols, guint32 seed);
double  *ml_test_integers      (guint rows, guint cols, int levels, guint32 seed);

/* Runs tests/ml/sklearn-reference.py METHOD on @train/@test with /usr/bin/python3
 * and returns its @n_test scores, or NULL after g_test_skip() when Debian's
 * python3-sklearn is not installed. */
double  *ml_test_sklearn       (const char   *method,
                                const double *train,
                                guint         n_train,
                                guint         train_cols,
                                const double *test,
                                guint         n_test,
                                guint         test_cols,
                                guint         n_out,
                                const char   *params);
gboolean ml_test_have_sklearn  (void);
void     ml_test_assert_close  (const double *ours,
                                const double *reference,
                                guint         n,
                                double        rel_tol,
                                const char   *what);

G_END_DECLS
