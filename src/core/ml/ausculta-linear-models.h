/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The linear-algebra detectors, on row-major n × d matrices (LAPACKE). */

/* scikit-learn's LedoitWolf().fit(): @location (d) = column means, @precision
 * (d × d) = pseudo-inverse of the shrunk covariance. Returns the shrinkage. */
double   ausculta_ledoit_wolf             (const double *rows,
                                           guint         n,
                                           guint         d,
                                           double       *location,
                                           double       *precision);

/* Principal axes of the centred rows (covariance with n - 1), largest
 * variance first: keeps @n_components, or when 0 the fewest whose explained
 * variance ratio sum exceeds @variance_ratio. Returns the number kept;
 * @components (n_kept × d) and @variance are newly allocated. */
guint    ausculta_pca_fit                 (const double *rows,
                                           guint         n,
                                           guint         d,
                                           guint         n_components,
                                           double        variance_ratio,
                                           double       *mean,
                                           double      **components,
                                           double      **variance);

/* Newton's method on C Σ log-loss + ½ ||w||² (intercept not penalised),
 * the objective of scikit-learn's LogisticRegression(C=C). */
gboolean ausculta_logistic_fit            (const double *rows,
                                           const guint8 *y,
                                           guint         n,
                                           guint         d,
                                           double        C,
                                           double       *coef,
                                           double       *intercept);

G_END_DECLS
