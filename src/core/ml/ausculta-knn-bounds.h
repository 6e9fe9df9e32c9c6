/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <float.h>
#include <math.h>

#include <glib.h>

G_BEGIN_DECLS

/* The error bounds shared by the float32 screens (ausculta-knn-screen.c for
 * queries, ausculta-knn-self.c for a reference set against itself).
 *
 * A pair's squared distance is estimated as a = ||x - c||² + ||y - c||²
 * - 2 s, with s the float32 product of the rows centred at the reference
 * mean c. |s - exact| <= gamma (d + 3) ||x - c|| ||y - c|| for any
 * summation order (gamma_n = n u / (1 - n u), u the float32 unit roundoff),
 * and the surrogate ||x||² - 2x·y + ||y||² that the exact pass computes in
 * double is within (d + 3) 2^-53 (||x||² + ||y||²) of the true value; both
 * are covered by margin (x, y) = alpha (x) ||y - c|| + slack (x) + slack (y),
 * so that lower = a - margin <= surrogate <= a + margin = upper. */

#define AUSCULTA_KNN_U32 (FLT_EPSILON / 2.0)
/* largest centred norm whose products and sums stay far inside float range */
#define AUSCULTA_KNN_MAX_CENTRED_NORM 1e18
/* the double-precision rounding of the norms, of the centring and of the
 * surrogate, relative to ||x||² + ||y||²: 8 (d + 8) 2^-52 is safe */
#define AUSCULTA_KNN_DOUBLE_SLACK(d) (8.0 * ((d) + 8.0) * DBL_EPSILON)
/* products underflowing in float32, and centred values below float32's
 * normal range (absolute error 2^-150 each: 2^-150 sqrt(d) ||y - c|| per
 * product, twice) */
#define AUSCULTA_KNN_TINY_SLACK 1e-30
#define AUSCULTA_KNN_SUBNORMAL_SLACK(d, norm) (4e-45 * sqrt ((double) (d)) * (norm))

/* 2 gamma_(d+3) ||x - c||, rounded up */
static inline double
ausculta_knn_alpha (guint  d,
                    double centred_sq)
{
  double g = (d + 3) * AUSCULTA_KNN_U32;

  return 2.0 * g / (1.0 - g) * (1.0 + 1e-6) * sqrt (centred_sq);
}

/* the part of a row's margin that depends on that row only */
static inline double
ausculta_knn_slack (guint  d,
                    double centred_sq,
                    double sqnorm)
{
  return AUSCULTA_KNN_DOUBLE_SLACK (d) * (centred_sq + sqnorm) + AUSCULTA_KNN_TINY_SLACK
         + AUSCULTA_KNN_SUBNORMAL_SLACK (d, sqrt (centred_sq));
}

/* whether a row can be screened at all */
static inline gboolean
ausculta_knn_screenable (double centred_sq,
                         double sqnorm)
{
  return isfinite (centred_sq) && isfinite (sqnorm)
         && centred_sq <= AUSCULTA_KNN_MAX_CENTRED_NORM * AUSCULTA_KNN_MAX_CENTRED_NORM;
}

/* a·b in double, vectorised (a few ulps from any other summation order). */
typedef double (*AuscultaDotFunc) (const double *a, const double *b, guint d);
AuscultaDotFunc ausculta_knn_dot_func (void);

/* Threads a screen may use: one per processor, at most @max, and no more
 * than OPENBLAS_NUM_THREADS when it is set (a caller running several
 * searches side by side limits each so). The results do not depend on it. */
guint  ausculta_knn_n_threads (guint max);

/* A bounded max-heap of the k smallest values offered (no indices). */
void   ausculta_knn_heap_offer (double *heap,
                                guint   k,
                                double  v);

typedef struct {
  double value;
  guint  index;
} AuscultaKnnCandidate;

/* Sorts by value, then index. */
void   ausculta_knn_sort_candidates (AuscultaKnnCandidate *c,
                                     guint                 n);

/* Whether the @k-th and (@k+1)-th candidates (sorted) are too near for the
 * exact pass to tell them apart as scikit-learn's own rounding would
 * (within the double-precision slack of the pair), or the k-th is within
 * rounding of zero: the row must then go through the full search. */
static inline gboolean
ausculta_knn_boundary_tied (const AuscultaKnnCandidate *cand,
                            guint                       count,
                            guint                       k,
                            double                      row_slack,
                            const double               *ref_slack)
{
  double last_slack;

  if (count < k)
    return TRUE;
  /* a k-th distance that is rounding noise (duplicates) must be
   * scikit-learn's own noise */
  last_slack = 2.0 * (row_slack + ref_slack[cand[k - 1].index]);
  if (cand[k - 1].value <= last_slack)
    return TRUE;
  if (count == k)
    return FALSE;
  return cand[k].value - cand[k - 1].value
         <= 2.0 * row_slack + ref_slack[cand[k].index] + ref_slack[cand[k - 1].index];
}

G_END_DECLS
