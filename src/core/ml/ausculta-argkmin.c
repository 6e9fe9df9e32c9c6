/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-argkmin"

#include "config.h"

#include <cblas.h>
#include <float.h>
#include <math.h>

#include "ausculta-argkmin.h"

/* scikit-learn's pairwise-distance reductions work on blocks of 256 rows. */
#define ARGKMIN_CHUNK 256

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


/* Surrogate distances (squared euclidean, or manhattan) between query rows
 * [x0, x1) and reference rows [y0, y1), computed as scikit-learn does. */
static void
compute_block (AuscultaArgkminContext *ctx,
               guint                   x0,
               guint                   x1,
               guint                   y0,
               guint                   y1)
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
push_block (AuscultaArgkminContext *ctx,
            guint                   nx,
            guint                   y0,
            guint                   y1,
            double                 *heap_d,
            guint                  *heap_i,
            guint                   k)
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
argkmin_self_symmetric (AuscultaArgkminContext *ctx,
                        guint                   k,
                        double                 *dist,
                        guint                  *ind,
                        GCancellable           *cancellable)
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

void
ausculta_argkmin (AuscultaArgkminContext *ctx,
                  gboolean                self,
                  guint                   n_x,
                  guint                   plan_n_x,
                  guint                   k,
                  double                 *dist,
                  guint                  *ind,
                  GCancellable           *cancellable)
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
