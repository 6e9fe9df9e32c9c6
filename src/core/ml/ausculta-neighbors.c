/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-neighbors"

#include "config.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ausculta-argpartition.h"
#include "ausculta-neighbors.h"

/* scikit-learn's pairwise-distance reductions work on blocks of 256 rows;
 * the joblib path (cosine) on row blocks fitting 1 GiB of distances. */
#define ARGKMIN_CHUNK 256
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

/* scikit-learn's bounded max-heap (sklearn/utils/_heap.pyx): a value equal
 * to the current largest is not taken, so among equal distances the one
 * pushed first stays. */
static void
heap_push (double *values,
           guint  *indices,
           guint   size,
           double  val,
           guint   val_idx)
{
  guint current = 0;

  if (val >= values[0])
    return;
  for (;;)
    {
      guint left = 2 * current + 1, right = left + 1, swap;

      if (left >= size)
        break;
      else if (right >= size)
        {
          if (values[left] > val)
            swap = left;
          else
            break;
        }
      else if (values[left] >= values[right])
        {
          if (val < values[left])
            swap = left;
          else
            break;
        }
      else
        {
          if (val < values[right])
            swap = right;
          else
            break;
        }
      values[current] = values[swap];
      indices[current] = indices[swap];
      current = swap;
    }
  values[current] = val;
  indices[current] = val_idx;
}

static inline void
dual_swap (double *values,
           guint  *indices,
           guint   a,
           guint   b)
{
  double v = values[a];
  guint i = indices[a];

  values[a] = values[b];
  values[b] = v;
  indices[a] = indices[b];
  indices[b] = i;
}

/* scikit-learn's simultaneous_sort (sklearn/utils/_sorting.pyx), so that
 * equal distances come out in the same order. */
static void
simultaneous_sort (double *values,
                   guint  *indices,
                   guint   size)
{
  guint pivot_idx, store = 0;
  double pivot;

  if (size <= 1)
    return;
  if (size == 2 || size == 3)
    {
      if (values[0] > values[1])
        dual_swap (values, indices, 0, 1);
      if (size == 3 && values[1] > values[2])
        {
          dual_swap (values, indices, 1, 2);
          if (values[0] > values[1])
            dual_swap (values, indices, 0, 1);
        }
      return;
    }
  pivot_idx = size / 2;
  if (values[0] > values[size - 1])
    dual_swap (values, indices, 0, size - 1);
  if (values[size - 1] > values[pivot_idx])
    {
      dual_swap (values, indices, size - 1, pivot_idx);
      if (values[0] > values[size - 1])
        dual_swap (values, indices, 0, size - 1);
    }
  pivot = values[size - 1];
  for (guint i = 0; i < size - 1; i++)
    {
      if (values[i] < pivot)
        dual_swap (values, indices, i, store++);
    }
  dual_swap (values, indices, store, size - 1);
  pivot_idx = store;
  if (pivot_idx > 1)
    simultaneous_sort (values, indices, pivot_idx);
  if (pivot_idx + 2 < size)
    simultaneous_sort (values + pivot_idx + 1, indices + pivot_idx + 1, size - pivot_idx - 1);
}

/* The threads OpenMP would give scikit-learn: they decide how its Y chunks
 * are split, hence the order equal distances reach the heaps. */
static guint
effective_n_threads (void)
{
  const char *omp = g_getenv ("OMP_NUM_THREADS");
  guint64 n = 0;

  if (omp != NULL)
    n = g_ascii_strtoull (omp, NULL, 10);
  return n > 0 ? (guint) n : (guint) g_get_num_processors ();
}

typedef struct {
  const AuscultaNeighbors *nb;
  const double            *x;         /* queries */
  const double            *x_sqnorms;
  double                  *block;     /* ARGKMIN_CHUNK² surrogate distances */
  gboolean                 single;    /* scikit-learn was given one query */
} BlockContext;

/* Surrogate distances (squared euclidean, or manhattan) between query rows
 * [x0, x1) and reference rows [y0, y1), computed as scikit-learn does. */
static void
compute_block (BlockContext *ctx,
               guint         x0,
               guint         x1,
               guint         y0,
               guint         y1)
{
  const AuscultaNeighbors *nb = ctx->nb;
  guint nx = x1 - x0, ny = y1 - y0, d = nb->n_cols;

  if (nb->metric == AUSCULTA_METRIC_EUCLIDEAN)
    {
      /* one query (a measurement at the bench): a matrix-vector product is
       * several times faster than a one-row GEMM, and may differ from it in
       * the last bit only */
      if (nx == 1 && ctx->single)
        cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) ny, (int) d, -2.0, nb->ref + (gsize) y0 * d,
                     (int) d, ctx->x + (gsize) x0 * d, 1, 0.0, ctx->block, 1);
      else
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nx, (int) ny, (int) d, -2.0,
                     ctx->x + (gsize) x0 * d, (int) d, nb->ref + (gsize) y0 * d, (int) d, 0.0,
                     ctx->block, (int) ny);
      for (guint i = 0; i < nx; i++)
        for (guint j = 0; j < ny; j++)
          ctx->block[i * ny + j] = ctx->x_sqnorms[x0 + i] + ctx->block[i * ny + j]
                                   + nb->ref_sqnorms[y0 + j];
      return;
    }
  for (guint i = 0; i < nx; i++)
    {
      const double *a = ctx->x + (gsize) (x0 + i) * d;

      for (guint j = 0; j < ny; j++)
        {
          const double *b = nb->ref + (gsize) (y0 + j) * d;
          double sum = 0.0;

          for (guint c = 0; c < d; c++)
            sum += fabs (a[c] - b[c]);
          ctx->block[i * ny + j] = sum;
        }
    }
}

static void
push_block (BlockContext *ctx,
            guint         nx,
            guint         y0,
            guint         y1,
            double       *heap_d,
            guint        *heap_i,
            guint         k)
{
  guint ny = y1 - y0;

  for (guint i = 0; i < nx; i++)
    for (guint j = 0; j < ny; j++)
      heap_push (heap_d + (gsize) i * k, heap_i + (gsize) i * k, k, ctx->block[i * ny + j], y0 + j);
}

static void
chunk_bounds (guint  n,
              guint  chunk,
              guint  index,
              guint *start,
              guint *end)
{
  guint size = MIN (n, chunk);
  guint n_full = n / size;

  *start = index * size;
  *end = index < n_full ? *start + size : n;
}

static guint
n_chunks (guint n,
          guint chunk)
{
  guint size = MIN (n, chunk);

  return n / size + (n % size != 0);
}

/* Y chunks split over threads as OpenMP's static schedule does: the first
 * (n mod t) threads take one chunk more. */
static void
static_schedule (guint  n,
                 guint  n_threads,
                 guint  thread,
                 guint *first,
                 guint *last)
{
  guint q = n / n_threads, r = n % n_threads;

  *first = thread * q + MIN (thread, r);
  *last = *first + q + (thread < r ? 1 : 0);
}

/* The reference set against itself, parallel on X: D(Xi, Yj) is the
 * transpose of D(Xj, Yi) (same products, same sums), so each pair of chunks
 * is computed once and pushed both ways. Taking j as the outer loop keeps
 * every row's heap fed in ascending reference order, as scikit-learn does.
 * The column band D(X≥j, Yj) is one GEMM: OpenBLAS sums each element over
 * the features in the same order whatever the number of rows, and one large
 * call costs far less thread hand-over than many 256 × 256 ones. */
static void
argkmin_self_symmetric (BlockContext *ctx,
                        guint         k,
                        double       *dist,
                        guint        *ind,
                        GCancellable *cancellable)
{
  const AuscultaNeighbors *nb = ctx->nb;
  guint n = nb->n_ref, chunks = n_chunks (n, ARGKMIN_CHUNK);

  for (guint j = 0; j < chunks && !g_cancellable_is_cancelled (cancellable); j++)
    {
      guint y0, y1, ny;

      chunk_bounds (n, ARGKMIN_CHUNK, j, &y0, &y1);
      ny = y1 - y0;
      compute_block (ctx, y0, n, y0, y1);
      for (guint i = j; i < chunks; i++)
        {
          guint x0, x1;
          const double *band;

          chunk_bounds (n, ARGKMIN_CHUNK, i, &x0, &x1);
          band = ctx->block + (gsize) (x0 - y0) * ny;
          for (guint a = 0; a < x1 - x0; a++)
            for (guint b = 0; b < ny; b++)
              heap_push (dist + (gsize) (x0 + a) * k, ind + (gsize) (x0 + a) * k, k,
                         band[(gsize) a * ny + b], y0 + b);
          if (i == j)
            continue;
          /* the transposed block: rows of chunk j against references of chunk i */
          for (guint b = 0; b < ny; b++)
            for (guint a = 0; a < x1 - x0; a++)
              heap_push (dist + (gsize) (y0 + b) * k, ind + (gsize) (y0 + b) * k, k,
                         band[(gsize) a * ny + b], x0 + a);
        }
    }
}

/* @n_x rows out of the @plan_n_x scikit-learn was given: that number decides
 * how it splits the work, hence its choice among equal distances. */
static void
argkmin (BlockContext *ctx,
         gboolean      self,
         guint         n_x,
         guint         plan_n_x,
         guint         k,
         double       *dist,
         guint        *ind,
         GCancellable *cancellable)
{
  const AuscultaNeighbors *nb = ctx->nb;
  guint threads = effective_n_threads ();
  guint x_chunks = n_chunks (n_x, ARGKMIN_CHUNK), y_chunks = n_chunks (nb->n_ref, ARGKMIN_CHUNK);
  /* scikit-learn parallelises on Y only when X is the smaller side and too
   * small to keep every thread busy */
  gboolean on_y = !(nb->n_ref < plan_n_x) && !(4 * ARGKMIN_CHUNK * threads < plan_n_x);
  guint y_threads = MIN (y_chunks, threads);
  g_autofree double *block = NULL;
  g_autofree double *tmp_d = g_new (double, (gsize) ARGKMIN_CHUNK * k);
  g_autofree guint *tmp_i = g_new (guint, (gsize) ARGKMIN_CHUNK * k);

  /* column bands of all rows × one chunk (self search), one chunk of
   * queries × all references (parallel on X), or chunk × chunk */
  block = g_new (double, self && !on_y ? (gsize) n_x * MIN (nb->n_ref, ARGKMIN_CHUNK)
                         : !on_y ? (gsize) MIN (n_x, ARGKMIN_CHUNK) * nb->n_ref
                         : (gsize) MIN (n_x, ARGKMIN_CHUNK) * MIN (nb->n_ref, ARGKMIN_CHUNK));
  ctx->block = block;
  for (gsize i = 0; i < (gsize) n_x * k; i++)
    dist[i] = DBL_MAX, ind[i] = 0;
  if (self && !on_y)
    {
      argkmin_self_symmetric (ctx, k, dist, ind, cancellable);
      x_chunks = 0;
    }
  for (guint xc = 0; xc < x_chunks && !g_cancellable_is_cancelled (cancellable); xc++)
    {
      guint x0, x1, nx;
      double *out_d;
      guint *out_i;

      chunk_bounds (n_x, ARGKMIN_CHUNK, xc, &x0, &x1);
      nx = x1 - x0;
      out_d = dist + (gsize) x0 * k;
      out_i = ind + (gsize) x0 * k;
      for (guint t = 0; t < (on_y ? y_threads : 1); t++)
        {
          guint first = 0, last = y_chunks;

          if (on_y)
            {
              static_schedule (y_chunks, y_threads, t, &first, &last);
              for (gsize i = 0; i < (gsize) nx * k; i++)
                tmp_d[i] = DBL_MAX, tmp_i[i] = 0;
            }
          if (!on_y)
            {
              /* one GEMM for the chunk against every reference: same sums,
               * pushed in the same (ascending) order as chunk by chunk */
              compute_block (ctx, x0, x1, 0, nb->n_ref);
              push_block (ctx, nx, 0, nb->n_ref, out_d, out_i, k);
              continue;
            }
          for (guint yc = first; yc < last; yc++)
            {
              guint y0, y1;

              chunk_bounds (nb->n_ref, ARGKMIN_CHUNK, yc, &y0, &y1);
              compute_block (ctx, x0, x1, y0, y1);
              push_block (ctx, nx, y0, y1, tmp_d, tmp_i, k);
            }
          for (guint i = 0; on_y && i < nx; i++)
            for (guint j = 0; j < k; j++)
              heap_push (out_d + (gsize) i * k, out_i + (gsize) i * k, k,
                         tmp_d[(gsize) i * k + j], tmp_i[(gsize) i * k + j]);
        }
      for (guint i = 0; i < nx; i++)
        simultaneous_sort (out_d + (gsize) i * k, out_i + (gsize) i * k, k);
    }
  for (guint i = 0; self && !on_y && i < n_x; i++)
    simultaneous_sort (dist + (gsize) i * k, ind + (gsize) i * k, k);
}

/* Euclidean queries screened in float32; the rows the screening leaves
 * undecided (ties at the k-th distance) go through the full search. */
static void
screened_argkmin (BlockContext *ctx,
                  guint         n_x,
                  guint         k,
                  double       *dist,
                  guint        *ind,
                  GCancellable *cancellable)
{
  const AuscultaNeighbors *nb = ctx->nb;
  guint d = nb->n_cols, n_tied, t = 0;
  g_autofree guint8 *tied = g_new (guint8, n_x);
  g_autofree double *sub_x = NULL, *sub_sq = NULL, *sub_d = NULL;
  g_autofree guint *sub_i = NULL;
  BlockContext sub;

  n_tied = ausculta_knn_screen_query (&nb->screen, nb->ref, nb->ref_sqnorms, ctx->x,
                                      ctx->x_sqnorms, n_x, k, dist, ind, tied);
  if (n_tied == 0)
    return;
  sub_x = g_new (double, (gsize) n_tied * d);
  sub_sq = g_new (double, n_tied);
  sub_d = g_new (double, (gsize) n_tied * k);
  sub_i = g_new (guint, (gsize) n_tied * k);
  for (guint r = 0; r < n_x; r++)
    if (tied[r])
      {
        memcpy (sub_x + (gsize) t * d, ctx->x + (gsize) r * d, sizeof (double) * d);
        sub_sq[t++] = ctx->x_sqnorms[r];
      }
  sub = (BlockContext) { nb, sub_x, sub_sq, NULL, n_x == 1 };
  argkmin (&sub, FALSE, n_tied, n_x, k, sub_d, sub_i, cancellable);
  t = 0;
  for (guint r = 0; r < n_x; r++)
    if (tied[r])
      {
        memcpy (dist + (gsize) r * k, sub_d + (gsize) t * k, sizeof (double) * k);
        memcpy (ind + (gsize) r * k, sub_i + (gsize) t * k, sizeof (guint) * k);
        t++;
      }
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
  gboolean self = queries == NULL;
  guint kk = self ? k + 1 : k;
  guint n_x = self ? neighbors->n_ref : n_queries;
  g_autofree double *all_d = self ? g_new (double, (gsize) n_x * kk) : NULL;
  g_autofree guint *all_i = self ? g_new (guint, (gsize) n_x * kk) : NULL;
  g_autofree double *x_sqnorms = NULL;

  g_return_val_if_fail (kk >= 1 && kk <= neighbors->n_ref, FALSE);

  if (neighbors->metric == AUSCULTA_METRIC_COSINE)
    cosine_kneighbors (neighbors, queries, n_x, kk, self ? all_d : dist, self ? all_i : ind,
                       cancellable);
  else
    {
      BlockContext ctx = { neighbors, self ? neighbors->ref : queries, neighbors->ref_sqnorms,
                           NULL, n_x == 1 };
      double *out_d = self ? all_d : dist;

      if (!self && neighbors->metric == AUSCULTA_METRIC_EUCLIDEAN)
        {
          x_sqnorms = g_new (double, n_x);
          sq_row_norms (queries, n_x, neighbors->n_cols, x_sqnorms);
          ctx.x_sqnorms = x_sqnorms;
        }
      if (!self && neighbors->screened)
        screened_argkmin (&ctx, n_x, kk, out_d, self ? all_i : ind, cancellable);
      else
        argkmin (&ctx, self, n_x, n_x, kk, out_d, self ? all_i : ind, cancellable);
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
