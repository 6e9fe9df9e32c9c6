/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-linear-models"

#include "config.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "ausculta-linear-models.h"

static void
column_means (const double *rows,
              guint         n,
              guint         d,
              double       *mean)
{
  memset (mean, 0, sizeof (double) * d);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < d; c++)
      mean[c] += rows[(gsize) r * d + c];
  for (guint c = 0; c < d; c++)
    mean[c] /= n;
}

static double *
centred (const double *rows,
         guint         n,
         guint         d,
         const double *mean)
{
  double *x = g_new (double, (gsize) n * d);

  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < d; c++)
      x[(gsize) r * d + c] = rows[(gsize) r * d + c] - mean[c];
  return x;
}

/* Symmetric pseudo-inverse as scipy's pinvh: eigenvalues below
 * max |λ| × d × eps are dropped. Overwrites @a (d × d) with the result. */
static void
pinvh (double *a,
       guint   d)
{
  g_autofree double *w = g_new (double, d);
  g_autofree double *v = g_memdup2 (a, sizeof (double) * d * d);
  g_autofree double *vs = g_new (double, (gsize) d * d);
  double largest = 0.0, cutoff;

  LAPACKE_dsyevd (LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int) d, v, (lapack_int) d, w);
  for (guint i = 0; i < d; i++)
    largest = MAX (largest, fabs (w[i]));
  cutoff = largest * d * DBL_EPSILON;
  /* vs = V diag(1/λ) for kept eigenvalues, then a = vs V^T */
  for (guint r = 0; r < d; r++)
    for (guint c = 0; c < d; c++)
      vs[(gsize) r * d + c] = fabs (w[c]) > cutoff ? v[(gsize) r * d + c] / w[c] : 0.0;
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) d, (int) d, (int) d, 1.0,
               vs, (int) d, v, (int) d, 0.0, a, (int) d);
}

double
ausculta_ledoit_wolf (const double *rows,
                      guint         n,
                      guint         d,
                      double       *location,
                      double       *precision)
{
  g_autofree double *x = NULL;
  g_autofree double *x2 = NULL;
  g_autofree double *b = g_new (double, (gsize) d * d);
  double trace_sum = 0.0, mu, delta_ = 0.0, beta_ = 0.0, beta, delta, shrinkage;

  column_means (rows, n, d, location);
  x = centred (rows, n, d, location);
  x2 = g_new (double, (gsize) n * d);
  for (gsize i = 0; i < (gsize) n * d; i++)
    x2[i] = x[i] * x[i];
  for (gsize i = 0; i < (gsize) n * d; i++)
    trace_sum += x2[i];
  trace_sum /= n;
  mu = trace_sum / d;
  /* precision holds X^T X for now, b holds X2^T X2 */
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) d, (int) d, (int) n, 1.0,
               x, (int) d, x, (int) d, 0.0, precision, (int) d);
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) d, (int) d, (int) n, 1.0,
               x2, (int) d, x2, (int) d, 0.0, b, (int) d);
  for (gsize i = 0; i < (gsize) d * d; i++)
    {
      delta_ += precision[i] * precision[i];
      beta_ += b[i];
    }
  delta_ /= (double) n * n;
  beta = 1.0 / ((double) d * n) * (beta_ / n - delta_);
  delta = (delta_ - 2.0 * mu * trace_sum + d * mu * mu) / d;
  beta = MIN (beta, delta);
  shrinkage = beta == 0.0 ? 0.0 : beta / delta;
  for (gsize i = 0; i < (gsize) d * d; i++)
    precision[i] = (1.0 - shrinkage) * (precision[i] / n);
  for (guint i = 0; i < d; i++)
    precision[(gsize) i * d + i] += shrinkage * mu;
  pinvh (precision, d);
  return shrinkage;
}

guint
ausculta_pca_fit (const double *rows,
                  guint         n,
                  guint         d,
                  guint         n_components,
                  double        variance_ratio,
                  double       *mean,
                  double      **components,
                  double      **variance)
{
  g_autofree double *x = NULL;
  g_autofree double *cov = g_new (double, (gsize) d * d);
  g_autofree double *w = g_new (double, d);
  double total = 0.0, cumulative = 0.0;
  guint keep = n_components, max_rank = MIN (d, n > 1 ? n - 1 : 1);

  column_means (rows, n, d, mean);
  x = centred (rows, n, d, mean);
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) d, (int) d, (int) n,
               1.0 / (n - 1), x, (int) d, x, (int) d, 0.0, cov, (int) d);
  LAPACKE_dsyevd (LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int) d, cov, (lapack_int) d, w);
  for (guint i = 0; i < d; i++)
    total += MAX (w[i], 0.0);
  if (keep == 0)
    {
      /* eigenvalues come ascending: walk from the largest */
      for (keep = 0; keep < max_rank; )
        {
          cumulative += MAX (w[d - 1 - keep], 0.0);
          keep++;
          if (cumulative / total > variance_ratio)
            break;
        }
    }
  keep = CLAMP (keep, 1, max_rank);
  *components = g_new (double, (gsize) keep * d);
  *variance = g_new (double, keep);
  for (guint k = 0; k < keep; k++)
    {
      guint e = d - 1 - k;

      (*variance)[k] = w[e];
      for (guint c = 0; c < d; c++)
        (*components)[(gsize) k * d + c] = cov[(gsize) c * d + e];
    }
  return keep;
}

static double
log1p_exp (double z)
{
  return z > 0 ? z + log1p (exp (-z)) : log1p (exp (z));
}

static double
logistic_objective (const double *rows,
                    const guint8 *y,
                    guint         n,
                    guint         d,
                    double        C,
                    const double *w)
{
  double loss = 0.0, penalty = 0.0;

  for (guint r = 0; r < n; r++)
    {
      double z = cblas_ddot ((int) d, rows + (gsize) r * d, 1, w, 1) + w[d];

      loss += y[r] ? log1p_exp (-z) : log1p_exp (z);
    }
  for (guint c = 0; c < d; c++)
    penalty += w[c] * w[c];
  return C * loss + 0.5 * penalty;
}

/* One Newton step: solves H s = g for the (d + 1) parameters. */
static gboolean
newton_direction (const double *rows,
                  const guint8 *y,
                  guint         n,
                  guint         d,
                  double        C,
                  const double *w,
                  double       *step)
{
  guint m = d + 1;
  g_autofree double *h = g_new0 (double, (gsize) m * m);
  g_autofree double *xs = g_new (double, (gsize) n * m);

  for (guint c = 0; c < d; c++)
    step[c] = w[c];
  step[d] = 0.0;
  for (guint r = 0; r < n; r++)
    {
      const double *x = rows + (gsize) r * d;
      double z = cblas_ddot ((int) d, x, 1, w, 1) + w[d];
      double p = 1.0 / (1.0 + exp (-z)), s = sqrt (C * p * (1.0 - p));

      for (guint c = 0; c < d; c++)
        step[c] += C * (p - y[r]) * x[c];
      step[d] += C * (p - y[r]);
      for (guint c = 0; c < d; c++)
        xs[(gsize) r * m + c] = x[c] * s;
      xs[(gsize) r * m + d] = s;
    }
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) m, (int) n, 1.0, xs, (int) m,
               0.0, h, (int) m);
  for (guint c = 0; c < d; c++)
    h[(gsize) c * m + c] += 1.0;
  /* the intercept is not penalised: keep H definite when p(1-p) vanishes */
  h[(gsize) d * m + d] += 1e-12;
  return LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', (lapack_int) m, 1, h, (lapack_int) m,
                        step, 1) == 0;
}

gboolean
ausculta_logistic_fit (const double *rows,
                       const guint8 *y,
                       guint         n,
                       guint         d,
                       double        C,
                       double       *coef,
                       double       *intercept)
{
  g_autofree double *w = g_new0 (double, d + 1);
  g_autofree double *step = g_new (double, d + 1);
  g_autofree double *trial = g_new (double, d + 1);
  double f = logistic_objective (rows, y, n, d, C, w);

  for (guint iter = 0; iter < 100; iter++)
    {
      double t = 1.0, f_new = f, size = 0.0;

      if (!newton_direction (rows, y, n, d, C, w, step))
        return FALSE;
      for (guint halvings = 0; halvings < 40; halvings++, t /= 2)
        {
          for (guint c = 0; c <= d; c++)
            trial[c] = w[c] - t * step[c];
          f_new = logistic_objective (rows, y, n, d, C, trial);
          if (f_new <= f)
            break;
        }
      for (guint c = 0; c <= d; c++)
        size = MAX (size, fabs (t * step[c]));
      memcpy (w, trial, sizeof (double) * (d + 1));
      f = f_new;
      if (size < 1e-12 * (1.0 + fabs (w[d])))
        break;
    }
  memcpy (coef, w, sizeof (double) * d);
  *intercept = w[d];
  return TRUE;
}
