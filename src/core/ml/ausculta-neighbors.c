/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-neighbors"

#include "config.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ausculta-argkmin.h"
#include "ausculta-argpartition.h"
#include "ausculta-knn-self.h"
#include "ausculta-neighbors.h"

/* scikit-learn's joblib path (cosine) works on row blocks fitting 1 GiB of
 * distances. */
#define WORKING_MEMORY_BYTES (1024.0 * 1024.0 * 1024.0)

static const char * const metric_names[] = { "euclidean", "manhattan", "cosine" };

gboolean
ausculta_metric_from_string (const char     *text,
                             AuscultaMetric *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (metric_names); i++)
    {
      if (g_strcmp0 (text, metric_names[i]) == 0)
        {
          *metric = (AuscultaMetric) i;
          return TRUE;
        }
    }
  if (g_strcmp0 (text, "minkowski") == 0 || g_strcmp0 (text, "l2") == 0)
    *metric = AUSCULTA_METRIC_EUCLIDEAN;
  else if (g_strcmp0 (text, "cityblock") == 0 || g_strcmp0 (text, "l1") == 0)
    *metric = AUSCULTA_METRIC_MANHATTAN;
  else
    return FALSE;
  return TRUE;
}

const char *
ausculta_metric_to_string (AuscultaMetric metric)
{
  g_return_val_if_fail ((guint) metric < G_N_ELEMENTS (metric_names), NULL);
  return metric_names[metric];
}

static void
sq_row_norms (const double *rows,
              guint         n_rows,
              guint         n_cols,
              double       *norms)
{
  for (guint i = 0; i < n_rows; i++)
    norms[i] = cblas_ddot ((int) n_cols, rows + (gsize) i * n_cols, 1, rows + (gsize) i * n_cols, 1);
}

/* Rows divided by their norm (a norm below 10 eps counts as 1), as
 * sklearn.preprocessing.normalize does. */
static void
unit_rows (const double *rows,
           guint         n_rows,
           guint         n_cols,
           double       *out)
{
  for (guint i = 0; i < n_rows; i++)
    {
      const double *x = rows + (gsize) i * n_cols;
      double *y = out + (gsize) i * n_cols;
      double sum = 0.0, norm;

      for (guint j = 0; j < n_cols; j++)
        sum += x[j] * x[j];
      norm = sqrt (sum);
      if (norm < 10.0 * DBL_EPSILON)
        norm = 1.0;
      for (guint j = 0; j < n_cols; j++)
        y[j] = x[j] / norm;
    }
}

void
ausculta_neighbors_init (AuscultaNeighbors *neighbors,
                         AuscultaMetric     metric,
                         const double      *ref,
                         guint              n_ref,
                         guint              n_cols)
{
  *neighbors = (AuscultaNeighbors) { metric, n_ref, n_cols, ref, NULL, NULL, FALSE, { 0 } };
  if (metric == AUSCULTA_METRIC_EUCLIDEAN)
    {
      neighbors->ref_sqnorms = g_new (double, n_ref);
      sq_row_norms (ref, n_ref, n_cols, neighbors->ref_sqnorms);
      neighbors->screened = ausculta_knn_screen_init (&neighbors->screen, ref,
                                                      neighbors->ref_sqnorms, n_ref, n_cols);
    }
  else if (metric == AUSCULTA_METRIC_COSINE)
    {
      neighbors->ref_unit = g_new (double, (gsize) n_ref * n_cols);
      unit_rows (ref, n_ref, n_cols, neighbors->ref_unit);
    }
}

void
ausculta_neighbors_clear (AuscultaNeighbors *neighbors)
{
  g_clear_pointer (&neighbors->ref_sqnorms, g_free);
  g_clear_pointer (&neighbors->ref_unit, g_free);
  ausculta_knn_screen_clear (&neighbors->screen);
  neighbors->screened = FALSE;
}

/* The rows the screening left undecided (tied[r]), settled by the full
 * search: @x are the rows given (prepared here if @prepare is not NULL),
 * @x_sqnorms their squared norms if known, @plan_n_x the number of rows
 * scikit-learn was given. */
static void
settle_tied (const AuscultaNeighbors *nb,
             const double            *x,
             const double            *x_sqnorms,
             AuscultaRowsPrepare      prepare,
             gconstpointer            prepare_data,
             const guint8            *tied,
             guint                    n_tied,
             guint                    plan_n_x,
             guint                    k,
             double                  *dist,
             guint                   *ind,
             GCancellable            *cancellable)
{
  guint d = nb->n_cols, t = 0;
  g_autofree double *sub_x = g_new (double, (gsize) n_tied * d);
  g_autofree double *sub_p = prepare != NULL ? g_new (double, (gsize) n_tied * d) : NULL;
  g_autofree double *sub_sq = g_new (double, n_tied);
  g_autofree double *sub_d = g_new (double, (gsize) n_tied * k);
  g_autofree guint *sub_i = g_new (guint, (gsize) n_tied * k);
  AuscultaArgkminContext sub;

  for (guint r = 0; t < n_tied; r++)
    if (tied[r])
      {
        memcpy (sub_x + (gsize) t * d, x + (gsize) r * d, sizeof (double) * d);
        sub_sq[t++] = x_sqnorms != NULL ? x_sqnorms[r] : 0.0;
      }
  if (prepare != NULL)
    prepare (prepare_data, sub_x, n_tied, sub_p);
  if (x_sqnorms == NULL)
    sq_row_norms (sub_p != NULL ? sub_p : sub_x, n_tied, d, sub_sq);
  sub = (AuscultaArgkminContext) { nb, sub_p != NULL ? sub_p : sub_x, sub_sq, NULL, plan_n_x == 1 };
  ausculta_argkmin (&sub, FALSE, n_tied, plan_n_x, k, sub_d, sub_i, cancellable);
  t = 0;
  for (guint r = 0; t < n_tied; r++)
    if (tied[r])
      {
        memcpy (dist + (gsize) r * k, sub_d + (gsize) t * k, sizeof (double) * k);
        memcpy (ind + (gsize) r * k, sub_i + (gsize) t * k, sizeof (guint) * k);
        t++;
      }
}

/* Euclidean rows screened in float32 (queries, or with @queries NULL the
 * references against themselves); the rows left undecided go through the
 * full search. */
static void
screened_argkmin (const AuscultaNeighbors *nb,
                  const double            *queries,
                  guint                    n_x,
                  AuscultaRowsPrepare      prepare,
                  gconstpointer            prepare_data,
                  guint                    k,
                  double                  *dist,
                  guint                   *ind,
                  GCancellable            *cancellable)
{
  g_autofree guint8 *tied = g_new (guint8, n_x);
  guint n_tied;

  if (queries == NULL)
    n_tied = ausculta_knn_self_query (&nb->screen, nb->ref, nb->ref_sqnorms, k, dist, ind, tied,
                                      cancellable);
  else
    n_tied = ausculta_knn_screen_query (&nb->screen, nb->ref, nb->ref_sqnorms, queries, n_x,
                                        prepare, prepare_data, k, dist, ind, tied);
  if (n_tied > 0 && !g_cancellable_is_cancelled (cancellable))
    settle_tied (nb, queries != NULL ? queries : nb->ref, queries != NULL ? NULL : nb->ref_sqnorms,
                 prepare, prepare_data, tied, n_tied, n_x, k, dist, ind, cancellable);
}

typedef struct {
  const double *d;
  guint         i;
} RankedDistance;

static int
compare_ranked (const void *a,
                const void *b)
{
  const RankedDistance *x = a, *y = b;

  if (*x->d != *y->d)
    return *x->d < *y->d ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* One row of scikit-learn's _kneighbors_reduce_func: argpartition at k-1,
 * then the k kept sorted by distance. */
static void
select_row (const double *row,
            guint         n,
            guint         k,
            guint        *order,
            double       *dist,
            guint        *ind)
{
  g_autofree RankedDistance *ranked = g_new (RankedDistance, k);

  for (guint j = 0; j < n; j++)
    order[j] = j;
  ausculta_argpartition (row, order, n, k - 1);
  for (guint j = 0; j < k; j++)
    ranked[j] = (RankedDistance) { row + order[j], j };
  qsort (ranked, k, sizeof *ranked, compare_ranked);
  for (guint j = 0; j < k; j++)
    {
      dist[j] = *ranked[j].d;
      ind[j] = order[ranked[j].i];
    }
}

/* cosine_distances() on a block of query rows: 1 - x·y on unit rows,
 * clipped to [0, 2]; numpy computes X @ X.T with syrk, and zeroes the
 * diagonal when the queries are the reference set in a single block. */
static void
cosine_block (const AuscultaNeighbors *nb,
              const double            *unit_x,
              guint                    nx,
              gboolean                 same,
              double                  *out)
{
  guint ny = nb->n_ref, d = nb->n_cols;

  if (same)
    {
      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, (int) nx, (int) d, 1.0,
                   unit_x, (int) d, 0.0, out, (int) ny);
      for (guint i = 0; i < nx; i++)
        for (guint j = i + 1; j < nx; j++)
          out[(gsize) j * ny + i] = out[(gsize) i * ny + j];
    }
  else if (nx == 1)
    cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) ny, (int) d, 1.0, nb->ref_unit, (int) d,
                 unit_x, 1, 0.0, out, 1);
  else
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nx, (int) ny, (int) d, 1.0,
                 unit_x, (int) d, nb->ref_unit, (int) d, 0.0, out, (int) ny);
  for (gsize i = 0; i < (gsize) nx * ny; i++)
    out[i] = CLAMP (-out[i] + 1.0, 0.0, 2.0);
  for (guint i = 0; same && i < nx; i++)
    out[(gsize) i * ny + i] = 0.0;
}

static void
cosine_kneighbors (const AuscultaNeighbors *nb,
                   const double            *queries,
                   guint                    n_x,
                   guint                    k,
                   double                  *dist,
                   guint                   *ind,
                   GCancellable            *cancellable)
{
  guint ny = nb->n_ref, d = nb->n_cols;
  guint rows = (guint) MAX (1.0, MIN ((double) n_x,
                                      floor (WORKING_MEMORY_BYTES / (8.0 * ny))));
  g_autofree double *block = g_new (double, (gsize) rows * ny);
  g_autofree double *unit_x = queries != NULL ? g_new (double, (gsize) rows * d) : NULL;
  g_autofree guint *order = g_new (guint, ny);

  for (guint x0 = 0; x0 < n_x && !g_cancellable_is_cancelled (cancellable); x0 += rows)
    {
      guint nx = MIN (rows, n_x - x0);
      gboolean same = queries == NULL && nx == n_x;
      const double *ux = nb->ref_unit + (gsize) x0 * d;

      if (queries != NULL)
        {
          unit_rows (queries + (gsize) x0 * d, nx, d, unit_x);
          ux = unit_x;
        }
      cosine_block (nb, ux, nx, same, block);
      for (guint i = 0; i < nx; i++)
        select_row (block + (gsize) i * ny, ny, k, order,
                    dist + (gsize) (x0 + i) * k, ind + (gsize) (x0 + i) * k);
    }
}

/* kneighbors(X=None) asks for k + 1 and drops each row's own index, or the
 * first column when duplicates pushed the row itself out. */
static void
drop_self (guint   n,
           guint   k1,
           double *dist,
           guint  *ind,
           double *out_d,
           guint  *out_i)
{
  for (guint r = 0; r < n; r++)
    {
      const double *d = dist + (gsize) r * k1;
      const guint *i = ind + (gsize) r * k1;
      guint skip = 0, o = 0;

      for (guint j = 0; j < k1; j++)
        if (i[j] == r)
          {
            skip = j;
            break;
          }
      for (guint j = 0; j < k1; j++)
        {
          if (j == skip)
            continue;
          out_d[(gsize) r * (k1 - 1) + o] = d[j];
          out_i[(gsize) r * (k1 - 1) + o] = i[j];
          o++;
        }
    }
}

gboolean
ausculta_neighbors_query (const AuscultaNeighbors *neighbors,
                          const double            *queries,
                          guint                    n_queries,
                          guint                    k,
                          double                  *dist,
                          guint                   *ind,
                          GCancellable            *cancellable)
{
  return ausculta_neighbors_query_prepared (neighbors, queries, n_queries, NULL, NULL, k, dist, ind,
                                            cancellable);
}

/* The brute-force search of scikit-learn, without screening. */
static void
full_search (const AuscultaNeighbors *nb,
             const double            *queries,
             guint                    n_x,
             guint                    k,
             double                  *dist,
             guint                   *ind,
             GCancellable            *cancellable)
{
  gboolean self = queries == NULL;
  g_autofree double *x_sqnorms = NULL;
  AuscultaArgkminContext ctx = { nb, self ? nb->ref : queries, nb->ref_sqnorms, NULL, n_x == 1 };

  if (!self && nb->metric == AUSCULTA_METRIC_EUCLIDEAN)
    {
      x_sqnorms = g_new (double, n_x);
      sq_row_norms (queries, n_x, nb->n_cols, x_sqnorms);
      ctx.x_sqnorms = x_sqnorms;
    }
  ausculta_argkmin (&ctx, self, n_x, n_x, k, dist, ind, cancellable);
}

gboolean
ausculta_neighbors_query_prepared (const AuscultaNeighbors *neighbors,
                                   const double            *queries,
                                   guint                    n_queries,
                                   AuscultaRowsPrepare      prepare,
                                   gconstpointer            prepare_data,
                                   guint                    k,
                                   double                  *dist,
                                   guint                   *ind,
                                   GCancellable            *cancellable)
{
  gboolean self = queries == NULL;
  guint kk = self ? k + 1 : k;
  guint n_x = self ? neighbors->n_ref : n_queries;
  g_autofree double *all_d = self ? g_new (double, (gsize) n_x * kk) : NULL;
  g_autofree guint *all_i = self ? g_new (guint, (gsize) n_x * kk) : NULL;
  g_autofree double *prepared = NULL;
  double *out_d = self ? all_d : dist;
  guint *out_i = self ? all_i : ind;

  g_return_val_if_fail (kk >= 1 && kk <= neighbors->n_ref, FALSE);

  /* only the screen prepares rows block by block */
  if (prepare != NULL && !(neighbors->screened && !self))
    {
      prepared = g_new (double, (gsize) n_x * neighbors->n_cols);
      prepare (prepare_data, queries, n_x, prepared);
      queries = prepared;
      prepare = NULL;
    }
  if (neighbors->metric == AUSCULTA_METRIC_COSINE)
    cosine_kneighbors (neighbors, queries, n_x, kk, out_d, out_i, cancellable);
  else
    {
      if (neighbors->screened)
        screened_argkmin (neighbors, queries, n_x, prepare, prepare_data, kk, out_d, out_i,
                          cancellable);
      else
        full_search (neighbors, queries, n_x, kk, out_d, out_i, cancellable);
      if (neighbors->metric == AUSCULTA_METRIC_EUCLIDEAN)
        for (gsize i = 0; i < (gsize) n_x * kk; i++)
          out_d[i] = sqrt (MAX (out_d[i], 0.0));
    }
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (self)
    drop_self (n_x, kk, all_d, all_i, dist, ind);
  return TRUE;
}
