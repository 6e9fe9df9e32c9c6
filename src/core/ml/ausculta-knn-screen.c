/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-knn-screen"

#include "config.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ausculta-knn-screen.h"

#define SCREEN_CHUNK 256
/* query rows per SGEMM: 256 to 2048, for a block of about 1 Mi products
 * (4 MiB), reused from one block to the next */
#define SCREEN_BLOCK_FLOATS (1u << 20)
#define SCREEN_MAX_ROWS 2048
#define SCREEN_MAX_THREADS 8
#define SCREEN_ROWS_PER_THREAD 64
/* float32 unit roundoff, and the largest centred norm whose products and
 * sums stay far inside float range */
#define U32 (FLT_EPSILON / 2.0)
#define MAX_CENTRED_NORM 1e18
/* bounds the double-precision rounding of the norms, of the centring, and of
 * the surrogate ||x||² - 2x·y + ||y||² computed in double, relative to the
 * true squared distance: each below (d + 3) 2^-53 (||x||² + ||y||²), so
 * 8 (d + 8) 2^-52 is safe */
#define DOUBLE_SLACK(d) (8.0 * ((d) + 8.0) * DBL_EPSILON)
/* products underflowing in float32, and centred values below float32's
 * normal range (absolute error 2^-150 each: 2^-150 sqrt(d) ||y - c|| per
 * product, twice) */
#define TINY_SLACK 1e-30
#define SUBNORMAL_SLACK(d, norm) (4e-45 * sqrt ((double) (d)) * (norm))

/* Σ (v - center)² of one row, and the row centred in float32. */
static double
centre_row (const double *v,
            const double *center,
            guint         d,
            float        *out)
{
  double sum = 0.0;

  for (guint c = 0; c < d; c++)
    {
      double t = v[c] - center[c];

      sum += t * t;
      out[c] = (float) t;
    }
  return sum;
}

gboolean
ausculta_knn_screen_init (AuscultaKnnScreen *screen,
                          const double      *ref,
                          const double      *ref_sqnorms,
                          guint              n_ref,
                          guint              n_cols)
{
  *screen = (AuscultaKnnScreen) { n_ref, n_cols, NULL, NULL, NULL, NULL, NULL };
  screen->center = g_new0 (double, n_cols);
  screen->ref = g_new (float, (gsize) n_ref * n_cols);
  screen->ref_norms = g_new (double, n_ref);
  screen->ref_centred_sq = g_new (double, n_ref);
  screen->ref_slack = g_new (double, n_ref);
  for (guint r = 0; r < n_ref; r++)
    for (guint c = 0; c < n_cols; c++)
      screen->center[c] += ref[(gsize) r * n_cols + c];
  for (guint c = 0; c < n_cols; c++)
    screen->center[c] /= MAX (n_ref, 1);
  for (guint r = 0; r < n_ref; r++)
    {
      double sq = centre_row (ref + (gsize) r * n_cols, screen->center, n_cols,
                              screen->ref + (gsize) r * n_cols);

      if (!isfinite (sq) || !isfinite (ref_sqnorms[r]) || sq > MAX_CENTRED_NORM * MAX_CENTRED_NORM)
        {
          ausculta_knn_screen_clear (screen);
          return FALSE;
        }
      screen->ref_norms[r] = sqrt (sq);
      screen->ref_centred_sq[r] = sq;
      screen->ref_slack[r] = DOUBLE_SLACK (n_cols) * (sq + ref_sqnorms[r]) + TINY_SLACK
                             + SUBNORMAL_SLACK (n_cols, screen->ref_norms[r]);
    }
  return TRUE;
}

void
ausculta_knn_screen_clear (AuscultaKnnScreen *screen)
{
  g_clear_pointer (&screen->center, g_free);
  g_clear_pointer (&screen->ref, g_free);
  g_clear_pointer (&screen->ref_norms, g_free);
  g_clear_pointer (&screen->ref_centred_sq, g_free);
  g_clear_pointer (&screen->ref_slack, g_free);
}

/* A bounded max-heap of the k smallest values seen: most values are
 * rejected by one comparison with the root; a value taken goes down the
 * path of larger children to the bottom, then up to its place (Floyd), so
 * that the descent has no unpredictable exit. */
static void
heap_offer (double *heap,
            guint   k,
            double  v)
{
  guint cur = 0, left;

  if (!(v < heap[0]))
    return;
  while ((left = 2 * cur + 1) < k)
    {
      guint big = left + 1 < k && heap[left + 1] > heap[left] ? left + 1 : left;

      heap[cur] = heap[big];
      cur = big;
    }
  while (cur > 0 && heap[(cur - 1) / 2] < v)
    {
      heap[cur] = heap[(cur - 1) / 2];
      cur = (cur - 1) / 2;
    }
  heap[cur] = v;
}

/* a·b in four-lane vectors with four running sums: exact to a few ulps,
 * like any summation order BLAS uses. Compiled for AVX2 + FMA too, chosen
 * at run time. */
typedef double Vec4 __attribute__ ((vector_size (32)));

#define LOAD4(p) (__extension__ ({ Vec4 v_; memcpy (&v_, (p), sizeof v_); v_; }))

static inline __attribute__ ((always_inline)) double
dot_body (const double *a,
          const double *b,
          guint         d)
{
  Vec4 s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
  double tail = 0.0;
  guint c = 0;

  for (; c + 16 <= d; c += 16)
    {
      s0 += LOAD4 (a + c) * LOAD4 (b + c);
      s1 += LOAD4 (a + c + 4) * LOAD4 (b + c + 4);
      s2 += LOAD4 (a + c + 8) * LOAD4 (b + c + 8);
      s3 += LOAD4 (a + c + 12) * LOAD4 (b + c + 12);
    }
  for (; c < d; c++)
    tail += a[c] * b[c];
  s0 = (s0 + s1) + (s2 + s3);
  return ((s0[0] + s0[1]) + (s0[2] + s0[3])) + tail;
}

static double
dot_generic (const double *a,
             const double *b,
             guint         d)
{
  return dot_body (a, b, d);
}

__attribute__ ((target ("avx2,fma"))) static double
dot_avx2 (const double *a,
          const double *b,
          guint         d)
{
  return dot_body (a, b, d);
}

/* The float32 products of one query with every reference: a single row is
 * faster here than through BLAS, which would wake its threads for it. */
typedef float Vec8f __attribute__ ((vector_size (32)));

#define HSUM8(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]) + (((v)[4] + (v)[5]) + ((v)[6] + (v)[7])))

/* an unaligned load of eight floats */
#define LOAD8(p) (__extension__ ({ Vec8f v_; memcpy (&v_, (p), sizeof v_); v_; }))

static inline __attribute__ ((always_inline)) float
tail_dot (const float *x,
          const float *y,
          guint        from,
          guint        d)
{
  float sum = 0.0f;

  for (guint c = from; c < d; c++)
    sum += x[c] * y[c];
  return sum;
}

/* four references at a time, two running sums each: eight independent
 * chains keep the multiply-add units busy */
static inline __attribute__ ((always_inline)) void
products_body (const float *x,
               const float *ref,
               guint        n,
               guint        d,
               float       *out)
{
  guint j = 0, d16 = d - d % 16;

  for (; j + 4 <= n; j += 4)
    {
      const float *y0 = ref + (gsize) j * d, *y1 = y0 + d, *y2 = y1 + d, *y3 = y2 + d;
      Vec8f s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
      Vec8f t0 = { 0 }, t1 = { 0 }, t2 = { 0 }, t3 = { 0 };

      for (guint c = 0; c < d16; c += 16)
        {
          Vec8f a0 = LOAD8 (x + c), a1 = LOAD8 (x + c + 8);

          s0 += a0 * LOAD8 (y0 + c);
          t0 += a1 * LOAD8 (y0 + c + 8);
          s1 += a0 * LOAD8 (y1 + c);
          t1 += a1 * LOAD8 (y1 + c + 8);
          s2 += a0 * LOAD8 (y2 + c);
          t2 += a1 * LOAD8 (y2 + c + 8);
          s3 += a0 * LOAD8 (y3 + c);
          t3 += a1 * LOAD8 (y3 + c + 8);
        }
      out[j] = HSUM8 (s0 + t0) + tail_dot (x, y0, d16, d);
      out[j + 1] = HSUM8 (s1 + t1) + tail_dot (x, y1, d16, d);
      out[j + 2] = HSUM8 (s2 + t2) + tail_dot (x, y2, d16, d);
      out[j + 3] = HSUM8 (s3 + t3) + tail_dot (x, y3, d16, d);
    }
  for (; j < n; j++)
    {
      const float *y = ref + (gsize) j * d;
      float sum = 0.0f;

      for (guint c = 0; c < d; c++)
        sum += x[c] * y[c];
      out[j] = sum;
    }
}

static void
products_generic (const float *x,
                  const float *ref,
                  guint        n,
                  guint        d,
                  float       *out)
{
  products_body (x, ref, n, d, out);
}

__attribute__ ((target ("avx2,fma"))) static void
products_avx2 (const float *x,
               const float *ref,
               guint        n,
               guint        d,
               float       *out)
{
  products_body (x, ref, n, d, out);
}

typedef double (*DotFunc) (const double *a, const double *b, guint d);

static gboolean
have_avx2 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}

static DotFunc
choose_dot (void)
{
  return have_avx2 () ? dot_avx2 : dot_generic;
}

typedef struct {
  double value;
  guint  index;
} Candidate;

static int
compare_candidates (const void *pa,
                    const void *pb)
{
  const Candidate *a = pa, *b = pb;

  if (a->value != b->value)
    return a->value < b->value ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

typedef struct {
  const AuscultaKnnScreen *screen;
  const double            *ref;
  const double            *ref_sqnorms;
  guint                    k;
  DotFunc                  dot;
  const double            *x;
  const double            *x_sqnorms;
  const double            *centred_sq;  /* of the block's rows */
  const float             *block;       /* float32 centred products */
  guint                    x0;          /* first row of the block */
  guint                    first;       /* rows [first, last) of the block */
  guint                    last;
  double                  *dist;
  guint                   *ind;
  guint8                  *tied;
  guint                    n_tied;
} ScreenJob;

static void
sort_candidates (Candidate *c,
                 guint      n)
{
  if (n > 64)
    {
      qsort (c, n, sizeof (Candidate), compare_candidates);
      return;
    }
  for (guint i = 1; i < n; i++)
    {
      Candidate t = c[i];
      guint j = i;

      for (; j > 0 && compare_candidates (&c[j - 1], &t) > 0; j--)
        c[j] = c[j - 1];
      c[j] = t;
    }
}

/* One query row from its float32 centred products @s: the references whose
 * lower bound does not exceed the k-th smallest upper bound, computed
 * exactly. FALSE when its k-th value is tied with another candidate. */
static gboolean
screen_row (const ScreenJob *job,
            const double    *x,
            double           x_sqnorm,
            double           centred_sq,
            const float     *s,
            double          *scratch,
            Candidate       *cand,
            double          *dist,
            guint           *ind)
{
  const AuscultaKnnScreen *sc = job->screen;
  guint n = sc->n_ref, d = sc->n_cols, k = job->k, count = 0;
  /* |float32 product - exact| <= gamma (d + 3) ||x - c|| ||y - c||, times 2 */
  double alpha = 2.0 * (d + 3) * U32 / (1.0 - (d + 3) * U32) * (1.0 + 1e-6) * sqrt (centred_sq);
  double row_slack = DOUBLE_SLACK (d) * (centred_sq + x_sqnorm) + TINY_SLACK
                     + SUBNORMAL_SLACK (d, sqrt (centred_sq));
  double *lower = scratch, *heap = scratch + n, threshold;

  /* the k-th smallest upper bound: at least k references are that near */
  for (guint j = 0; j < k; j++)
    heap[j] = INFINITY;
  for (guint j = 0; j < n; j++)
    {
      double a = centred_sq + sc->ref_centred_sq[j] - 2.0 * (double) s[j];
      double m = alpha * sc->ref_norms[j] + (row_slack + sc->ref_slack[j]);

      lower[j] = a - m;
      heap_offer (heap, k, a + m);
    }
  threshold = heap[0];
  for (guint j = 0; j < n; j++)
    if (lower[j] <= threshold)
      cand[count++].index = j;
  for (guint c = 0; c < count; c++)
    {
      guint j = cand[c].index;

      if (c + 1 < count)
        __builtin_prefetch (job->ref + (gsize) cand[c + 1].index * d);
      /* scikit-learn's surrogate: ||x||² + (-2 x·y) + ||y||² */
      cand[c].value = x_sqnorm + -2.0 * job->dot (x, job->ref + (gsize) j * d, d)
                      + job->ref_sqnorms[j];
    }
  sort_candidates (cand, count);
  if (count < k || (count > k && cand[k - 1].value == cand[k].value))
    return FALSE;
  for (guint j = 0; j < k; j++)
    {
      dist[j] = cand[j].value;
      ind[j] = cand[j].index;
    }
  return TRUE;
}

static gpointer
screen_rows (gpointer data)
{
  ScreenJob *job = data;
  guint n = job->screen->n_ref, d = job->screen->n_cols, k = job->k;
  g_autofree double *scratch = g_new (double, (gsize) n + k);
  g_autofree Candidate *cand = g_new (Candidate, n);

  for (guint i = job->first; i < job->last; i++)
    {
      gsize r = job->x0 + i;
      double sq = job->centred_sq[i];
      gboolean ok = isfinite (sq) && isfinite (job->x_sqnorms[r])
                    && sq <= MAX_CENTRED_NORM * MAX_CENTRED_NORM
                    && screen_row (job, job->x + r * d, job->x_sqnorms[r], sq,
                                   job->block + (gsize) i * n, scratch, cand,
                                   job->dist + r * k, job->ind + r * k);

      job->tied[r] = !ok;
      job->n_tied += !ok;
    }
  return NULL;
}

/* The block's rows split over up to @n_threads threads (the calling one
 * included); returns the number of tied rows. */
static guint
screen_block (const ScreenJob *proto,
              guint            n_rows,
              guint            n_threads)
{
  ScreenJob jobs[SCREEN_MAX_THREADS];
  GThread *threads[SCREEN_MAX_THREADS] = { NULL };
  guint n_tied = 0;

  n_threads = CLAMP (MIN (n_threads, n_rows / SCREEN_ROWS_PER_THREAD), 1, SCREEN_MAX_THREADS);
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = *proto;
      jobs[t].first = (guint) ((guint64) n_rows * t / n_threads);
      jobs[t].last = (guint) ((guint64) n_rows * (t + 1) / n_threads);
      if (t > 0)
        threads[t] = g_thread_new ("knn-screen", screen_rows, &jobs[t]);
    }
  screen_rows (&jobs[0]);
  for (guint t = 0; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      n_tied += jobs[t].n_tied;
    }
  return n_tied;
}

guint
ausculta_knn_screen_query (const AuscultaKnnScreen *screen,
                           const double            *ref,
                           const double            *ref_sqnorms,
                           const double            *x,
                           const double            *x_sqnorms,
                           guint                    n_x,
                           guint                    k,
                           double                  *dist,
                           guint                   *ind,
                           guint8                  *tied)
{
  guint n = screen->n_ref, d = screen->n_cols, n_tied = 0;
  guint rows = MIN (n_x, CLAMP (SCREEN_BLOCK_FLOATS / MAX (n, 1), SCREEN_CHUNK, SCREEN_MAX_ROWS));
  guint n_threads = n_x >= 2 * SCREEN_ROWS_PER_THREAD
                    ? MIN (g_get_num_processors (), SCREEN_MAX_THREADS) : 1;
  g_autofree float *xf = g_new (float, (gsize) rows * d);
  g_autofree double *centred_sq = g_new (double, rows);
  g_autofree float *block = g_new (float, (gsize) rows * n);
  ScreenJob proto = { screen, ref, ref_sqnorms, k, choose_dot (), x, x_sqnorms, centred_sq,
                      block, 0, 0, 0, dist, ind, tied, 0 };

  g_return_val_if_fail (k >= 1 && k <= n, 0);

  for (guint x0 = 0; x0 < n_x; x0 += rows)
    {
      guint nx = MIN (rows, n_x - x0);

      for (guint i = 0; i < nx; i++)
        centred_sq[i] = centre_row (x + (gsize) (x0 + i) * d, screen->center, d, xf + (gsize) i * d);
      if (nx == 1)
        (have_avx2 () ? products_avx2 : products_generic) (xf, screen->ref, n, d, block);
      else
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nx, (int) n, (int) d, 1.0f,
                     xf, (int) d, screen->ref, (int) d, 0.0f, block, (int) n);
      proto.x0 = x0;
      n_tied += screen_block (&proto, nx, n_threads);
    }
  return n_tied;
}
