/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-knn-screen"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ausculta-cpu.h"
#include "ausculta-float-products.h"
#include "ausculta-knn-bounds.h"
#include "ausculta-knn-screen.h"

/* query rows per block: their float32 products with every reference take
 * at most 1 Mi floats (4 MiB), 8 to 64 rows (more push the references out
 * of the second-level cache, where the exact pass reads them); each thread
 * takes blocks in turn, and the result is the same whatever the number of
 * threads */
#define SCREEN_BLOCK_FLOATS (1u << 20)
#define SCREEN_MIN_ROWS 8
#define SCREEN_MAX_ROWS 64
#define SCREEN_MAX_THREADS 8
#define SCREEN_ROWS_PER_THREAD 64

typedef double V8d __attribute__ ((vector_size (64)));
typedef float V8f __attribute__ ((vector_size (32)));
typedef gint64 V8l __attribute__ ((vector_size (64)));

/* Σ (v - center)² of one row, the row centred in float32, and Σ v²: one
 * pass, eight columns at a time (any summation order is within the
 * margins' rounding allowance). */
static inline __attribute__ ((always_inline)) double
centre_body (const double *v,
             const double *center,
             guint         d,
             float        *out,
             double       *sqnorm)
{
  V8d s = { 0 }, q = { 0 };
  double sum = 0.0, norm = 0.0;
  guint c = 0;

  for (; c + 8 <= d; c += 8)
    {
      V8d x, m, t;
      V8f f;

      memcpy (&x, v + c, sizeof x);
      memcpy (&m, center + c, sizeof m);
      t = x - m;
      s += t * t;
      q += x * x;
      f = __builtin_convertvector (t, V8f);
      memcpy (out + c, &f, sizeof f);
    }
  for (guint l = 0; l < 8; l++)
    {
      sum += s[l];
      norm += q[l];
    }
  for (; c < d; c++)
    {
      double t = v[c] - center[c];

      sum += t * t;
      norm += v[c] * v[c];
      out[c] = (float) t;
    }
  *sqnorm = norm;
  return sum;
}

static double
centre_generic (const double *v, const double *center, guint d, float *out, double *sqnorm)
{
  return centre_body (v, center, d, out, sqnorm);
}

__attribute__ ((target ("avx512f,fma"))) static double
centre_avx512 (const double *v, const double *center, guint d, float *out, double *sqnorm)
{
  return centre_body (v, center, d, out, sqnorm);
}

static double
centre_row (const double *v,
            const double *center,
            guint         d,
            float        *out,
            double       *sqnorm)
{
  return (ausculta_cpu_level () == AUSCULTA_CPU_AVX512 ? centre_avx512 : centre_generic) (v, center, d, out, sqnorm);
}

gboolean
ausculta_knn_screen_init (AuscultaKnnScreen *screen,
                          const double      *ref,
                          const double      *ref_sqnorms,
                          guint              n_ref,
                          guint              n_cols)
{
  g_autofree float *row = g_new (float, MAX (n_cols, 1));
  guint w = AUSCULTA_PANEL_WIDTH;

  *screen = (AuscultaKnnScreen) { n_ref, n_cols, NULL, NULL, NULL, NULL, NULL };
  screen->center = g_new0 (double, n_cols);
  screen->panels = g_new0 (float, (gsize) ausculta_panels_count (n_ref) * n_cols * w);
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
      double norm;
      double sq = centre_row (ref + (gsize) r * n_cols, screen->center, n_cols, row, &norm);
      float *dst = screen->panels + (gsize) (r / w) * n_cols * w + r % w;

      if (!ausculta_knn_screenable (sq, ref_sqnorms[r]))
        {
          ausculta_knn_screen_clear (screen);
          return FALSE;
        }
      for (guint c = 0; c < n_cols; c++)
        dst[(gsize) c * w] = row[c];
      screen->ref_norms[r] = sqrt (sq);
      screen->ref_centred_sq[r] = sq;
      screen->ref_slack[r] = ausculta_knn_slack (n_cols, sq, ref_sqnorms[r]);
    }
  return TRUE;
}

void
ausculta_knn_screen_clear (AuscultaKnnScreen *screen)
{
  g_clear_pointer (&screen->center, g_free);
  g_clear_pointer (&screen->panels, g_free);
  g_clear_pointer (&screen->ref_norms, g_free);
  g_clear_pointer (&screen->ref_centred_sq, g_free);
  g_clear_pointer (&screen->ref_slack, g_free);
}

guint
ausculta_knn_n_threads (guint max)
{
  const char *blas = g_getenv ("OPENBLAS_NUM_THREADS");
  guint64 limit = blas != NULL ? g_ascii_strtoull (blas, NULL, 10) : 0;
  guint n = MIN ((guint) g_get_num_processors (), max);

  return MAX (1, limit > 0 ? MIN (n, (guint) MIN (limit, G_MAXUINT)) : n);
}

/* Most values are rejected by one comparison with the root; a value taken
 * goes down the path of larger children to the bottom, then up to its
 * place (Floyd), so that the descent has no unpredictable exit. */
void
ausculta_knn_heap_offer (double *heap,
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

/* a·b in vectors of four or eight lanes with four running sums: exact to a
 * few ulps, like any summation order BLAS uses; chosen at run time. */
typedef double Vec4 __attribute__ ((vector_size (32)));
typedef double Vec8 __attribute__ ((vector_size (64)));

#define DEFINE_DOT(name, attributes, Vec, L)                                                  \
  attributes static double                                                                     \
  name (const double *a, const double *b, guint d)                                             \
  {                                                                                            \
    Vec s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, va, vb;                                \
    double tail = 0.0, sum = 0.0;                                                              \
    guint c = 0;                                                                               \
                                                                                               \
    for (; c + 4 * L <= d; c += 4 * L)                                                         \
      {                                                                                        \
        memcpy (&va, a + c, sizeof va), memcpy (&vb, b + c, sizeof vb), s0 += va * vb;         \
        memcpy (&va, a + c + L, sizeof va), memcpy (&vb, b + c + L, sizeof vb), s1 += va * vb; \
        memcpy (&va, a + c + 2 * L, sizeof va), memcpy (&vb, b + c + 2 * L, sizeof vb);        \
        s2 += va * vb;                                                                         \
        memcpy (&va, a + c + 3 * L, sizeof va), memcpy (&vb, b + c + 3 * L, sizeof vb);        \
        s3 += va * vb;                                                                         \
      }                                                                                        \
    for (; c + L <= d; c += L)                                                                 \
      memcpy (&va, a + c, sizeof va), memcpy (&vb, b + c, sizeof vb), s0 += va * vb;           \
    for (; c < d; c++)                                                                         \
      tail += a[c] * b[c];                                                                     \
    s0 = (s0 + s1) + (s2 + s3);                                                                \
    for (guint l = 0; l < L; l++)                                                              \
      sum += s0[l];                                                                            \
    return sum + tail;                                                                         \
  }

DEFINE_DOT (dot_generic, , Vec4, 4)
DEFINE_DOT (dot_avx2, __attribute__ ((target ("avx2,fma"))), Vec4, 4)
DEFINE_DOT (dot_avx512, __attribute__ ((target ("avx512f,fma"))), Vec8, 8)

AuscultaDotFunc
ausculta_knn_dot_func (void)
{
  switch (ausculta_cpu_level ())
    {
    case AUSCULTA_CPU_AVX512:
      return dot_avx512;
    case AUSCULTA_CPU_AVX2:
      return dot_avx2;
    case AUSCULTA_CPU_GENERIC:
    default:
      return dot_generic;
    }
}

static int
compare_candidates (const void *pa,
                    const void *pb)
{
  const AuscultaKnnCandidate *a = pa, *b = pb;

  if (a->value != b->value)
    return a->value < b->value ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

void
ausculta_knn_sort_candidates (AuscultaKnnCandidate *c,
                              guint                 n)
{
  if (n > 64)
    {
      qsort (c, n, sizeof (AuscultaKnnCandidate), compare_candidates);
      return;
    }
  for (guint i = 1; i < n; i++)
    {
      AuscultaKnnCandidate t = c[i];
      guint j = i;

      for (; j > 0 && compare_candidates (&c[j - 1], &t) > 0; j--)
        c[j] = c[j - 1];
      c[j] = t;
    }
}

/* What one thread needs for a block of query rows. */
typedef struct {
  const AuscultaKnnScreen *screen;
  const double            *ref;
  const double            *ref_sqnorms;
  guint                    k;
  AuscultaDotFunc          dot;
  const double            *x;
  guint                    n_x;
  guint                    block_rows;
  AuscultaRowsPrepare      prepare;
  gconstpointer            prepare_data;
  double                  *dist;
  guint                   *ind;
  guint8                  *tied;
  gint                    *next_block;   /* shared: the next block to take */
  guint                    n_tied;
} ScreenJob;

typedef struct {
  double               *prepared;   /* block_rows × d, when rows are prepared */
  float                *xf;         /* block_rows × d, centred */
  double               *centred_sq;
  double               *sqnorms;
  float                *products;   /* block_rows × panels × W */
  double               *bounds;     /* lower (n), upper (n) */
  AuscultaKnnCandidate *cand;       /* n */
} ScreenScratch;

/* lower and upper bounds of the surrogates of one row against every
 * reference, eight at a time */
static inline __attribute__ ((always_inline)) void
row_bounds (const AuscultaKnnScreen *sc,
            const float             *s,
            double                   centred_sq,
            double                   alpha,
            double                   row_slack,
            double                  *lower,
            double                  *upper)
{
  guint n = sc->n_ref, j = 0;

  for (; j + 8 <= n; j += 8)
    {
      V8f sf;
      V8d cs, norm, slack, a, m;

      memcpy (&sf, s + j, sizeof sf);
      memcpy (&cs, sc->ref_centred_sq + j, sizeof cs);
      memcpy (&norm, sc->ref_norms + j, sizeof norm);
      memcpy (&slack, sc->ref_slack + j, sizeof slack);
      a = centred_sq + cs - 2.0 * __builtin_convertvector (sf, V8d);
      m = alpha * norm + (row_slack + slack);
      a -= m;
      memcpy (lower + j, &a, sizeof a);
      a += 2.0 * m;
      memcpy (upper + j, &a, sizeof a);
    }
  for (; j < n; j++)
    {
      double a = centred_sq + sc->ref_centred_sq[j] - 2.0 * (double) s[j];
      double m = alpha * sc->ref_norms[j] + (row_slack + sc->ref_slack[j]);

      lower[j] = a - m;
      upper[j] = a + m;
    }
}

static inline __attribute__ ((always_inline)) guint
count_at_most (const double *v,
               guint         n,
               double        t)
{
  V8l acc = { 0 };
  guint j = 0, count = 0;

  for (; j + 8 <= n; j += 8)
    {
      V8d x;

      memcpy (&x, v + j, sizeof x);
      acc -= (V8l) (x <= t);
    }
  for (guint l = 0; l < 8; l++)
    count += (guint) acc[l];
  for (; j < n; j++)
    count += v[j] <= t;
  return count;
}

/* A value with at least @k of @v at or below it, within 2^-12 of the range
 * above the k-th smallest: a looser one only admits a few more candidates,
 * each cheaper than one more pass. */
static inline __attribute__ ((always_inline)) double
kth_bound (const double *v,
           guint         n,
           guint         k)
{
  V8d vlo, vhi;
  double lo = v[0], hi = v[0];
  guint j = 0;

  if (n >= 8)
    {
      memcpy (&vlo, v, sizeof vlo);
      vhi = vlo;
      for (j = 8; j + 8 <= n; j += 8)
        {
          V8d x;

          V8l below, above;

          memcpy (&x, v + j, sizeof x);
          below = x < vlo;
          above = x > vhi;
          vlo = (V8d) (((V8l) x & below) | ((V8l) vlo & ~below));
          vhi = (V8d) (((V8l) x & above) | ((V8l) vhi & ~above));
        }
      for (guint l = 0; l < 8; l++)
        {
          lo = MIN (lo, vlo[l]);
          hi = MAX (hi, vhi[l]);
        }
    }
  for (; j < n; j++)
    {
      lo = MIN (lo, v[j]);
      hi = MAX (hi, v[j]);
    }
  if (!isfinite (hi - lo) || count_at_most (v, n, lo) >= k)
    return count_at_most (v, n, lo) >= k ? lo : INFINITY;
  for (guint it = 0; it < 12; it++)
    {
      double mid = lo + 0.5 * (hi - lo);

      if (!(mid > lo && mid < hi))
        break;
      if (count_at_most (v, n, mid) >= k)
        hi = mid;
      else
        lo = mid;
    }
  return hi;
}

/* One query row from its float32 centred products @s: the references whose
 * lower bound does not exceed a bound of the k-th smallest upper bound,
 * computed exactly. FALSE when its k-th value cannot be told from the
 * next. */
static inline __attribute__ ((always_inline)) gboolean
screen_row_body (const ScreenJob *job,
                 const double    *x,
                 double           x_sqnorm,
                 double           centred_sq,
                 const float     *s,
                 ScreenScratch   *w,
                 double          *dist,
                 guint           *ind)
{
  const AuscultaKnnScreen *sc = job->screen;
  guint n = sc->n_ref, d = sc->n_cols, k = job->k, count = 0;
  double row_slack = ausculta_knn_slack (d, centred_sq, x_sqnorm);
  double *lower = w->bounds, *upper = w->bounds + n, threshold;
  AuscultaKnnCandidate *cand = w->cand;

  row_bounds (sc, s, centred_sq, ausculta_knn_alpha (d, centred_sq), row_slack, lower, upper);
  /* at least k references are that near */
  threshold = kth_bound (upper, n, k);
  for (guint j = 0; j < n; j++)
    {
      cand[count].index = j;
      count += lower[j] <= threshold;
    }
  /* the first lines of every candidate on their way before the first
   * product waits for its own */
  for (guint c = 0; c < count; c++)
    for (guint line = 0; line < 4; line++)
      __builtin_prefetch (job->ref + (gsize) cand[c].index * d + 8 * line);
  for (guint c = 0; c < count; c++)
    {
      guint j = cand[c].index;

      /* scikit-learn's surrogate: ||x||² + (-2 x·y) + ||y||² */
      cand[c].value = x_sqnorm + -2.0 * job->dot (x, job->ref + (gsize) j * d, d)
                      + job->ref_sqnorms[j];
    }
  ausculta_knn_sort_candidates (cand, count);
  if (ausculta_knn_boundary_tied (cand, count, k, row_slack, sc->ref_slack))
    return FALSE;
  for (guint j = 0; j < k; j++)
    {
      dist[j] = cand[j].value;
      ind[j] = cand[j].index;
    }
  return TRUE;
}

static gboolean
screen_row_generic (const ScreenJob *job, const double *x, double x_sqnorm, double centred_sq,
                    const float *s, ScreenScratch *w, double *dist, guint *ind)
{
  return screen_row_body (job, x, x_sqnorm, centred_sq, s, w, dist, ind);
}

__attribute__ ((target ("avx512f,fma"))) static gboolean
screen_row_avx512 (const ScreenJob *job, const double *x, double x_sqnorm, double centred_sq,
                   const float *s, ScreenScratch *w, double *dist, guint *ind)
{
  return screen_row_body (job, x, x_sqnorm, centred_sq, s, w, dist, ind);
}

static gboolean
screen_row (const ScreenJob *job,
            const double    *x,
            double           x_sqnorm,
            double           centred_sq,
            const float     *s,
            ScreenScratch   *w,
            double          *dist,
            guint           *ind)
{
  return (ausculta_cpu_level () == AUSCULTA_CPU_AVX512 ? screen_row_avx512 : screen_row_generic) (job, x, x_sqnorm, centred_sq, s,
                                                                 w, dist, ind);
}

/* Rows [x0, x0 + nx): prepared if need be, centred in float32, their
 * products with every reference panel, then screened one by one. */
static void
screen_block (ScreenJob     *job,
              ScreenScratch *w,
              guint          x0,
              guint          nx)
{
  const AuscultaKnnScreen *sc = job->screen;
  guint d = sc->n_cols, n_panels = ausculta_panels_count (sc->n_ref), k = job->k;
  gsize ldo = (gsize) n_panels * AUSCULTA_PANEL_WIDTH;
  const double *x = job->x + (gsize) x0 * d;

  if (job->prepare != NULL)
    {
      job->prepare (job->prepare_data, x, nx, w->prepared);
      x = w->prepared;
    }
  for (guint i = 0; i < nx; i++)
    {
      w->centred_sq[i] = centre_row (x + (gsize) i * d, sc->center, d, w->xf + (gsize) i * d,
                                     &w->sqnorms[i]);
    }
  if (nx == 1)
    ausculta_panels_products_row (w->xf, sc->panels, 0, n_panels, d, w->products);
  else
    ausculta_panels_products (w->xf, nx, d, sc->panels, 0, n_panels, d, w->products, ldo);
  for (guint i = 0; i < nx; i++)
    {
      gsize r = x0 + i;
      gboolean ok = ausculta_knn_screenable (w->centred_sq[i], w->sqnorms[i])
                    && screen_row (job, x + (gsize) i * d, w->sqnorms[i], w->centred_sq[i],
                                   w->products + i * ldo, w, job->dist + r * k, job->ind + r * k);

      job->tied[r] = !ok;
      job->n_tied += !ok;
    }
}

static gpointer
screen_worker (gpointer data)
{
  ScreenJob *job = data;
  guint n = job->screen->n_ref, d = job->screen->n_cols, rows = job->block_rows;
  ScreenScratch w = { NULL };
  guint b;

  w.prepared = job->prepare != NULL ? g_new (double, (gsize) rows * d) : NULL;
  w.xf = g_new (float, (gsize) rows * d);
  w.centred_sq = g_new (double, rows);
  w.sqnorms = g_new (double, rows);
  w.products = g_new (float, (gsize) rows * ausculta_panels_count (n) * AUSCULTA_PANEL_WIDTH);
  w.bounds = g_new (double, 2 * (gsize) n);
  w.cand = g_new (AuscultaKnnCandidate, n);
  while ((b = (guint) g_atomic_int_add (job->next_block, 1)) * (gsize) rows < job->n_x)
    screen_block (job, &w, b * rows, MIN (rows, job->n_x - b * rows));
  g_free (w.prepared);
  g_free (w.xf);
  g_free (w.centred_sq);
  g_free (w.sqnorms);
  g_free (w.products);
  g_free (w.bounds);
  g_free (w.cand);
  return NULL;
}

guint
ausculta_knn_screen_query (const AuscultaKnnScreen *screen,
                           const double            *ref,
                           const double            *ref_sqnorms,
                           const double            *x,
                           guint                    n_x,
                           AuscultaRowsPrepare      prepare,
                           gconstpointer            prepare_data,
                           guint                    k,
                           double                  *dist,
                           guint                   *ind,
                           guint8                  *tied)
{
  guint n = screen->n_ref, n_tied = 0, n_threads = 1;
  guint rows = MIN (n_x, CLAMP (SCREEN_BLOCK_FLOATS / MAX (n, 1), SCREEN_MIN_ROWS, SCREEN_MAX_ROWS));
  ScreenJob jobs[SCREEN_MAX_THREADS];
  GThread *threads[SCREEN_MAX_THREADS] = { NULL };
  gint next_block = 0;

  g_return_val_if_fail (k >= 1 && k <= n, 0);

  if (n_x == 0)
    return 0;
  if (n_x >= 2 * SCREEN_ROWS_PER_THREAD)
    n_threads = MIN (ausculta_knn_n_threads (SCREEN_MAX_THREADS), (n_x + rows - 1) / rows);
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (ScreenJob) { screen, ref, ref_sqnorms, k, ausculta_knn_dot_func (), x, n_x, rows,
                              prepare, prepare_data, dist, ind, tied, &next_block, 0 };
      if (t > 0)
        threads[t] = g_thread_new ("knn-screen", screen_worker, &jobs[t]);
    }
  screen_worker (&jobs[0]);
  for (guint t = 0; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      n_tied += jobs[t].n_tied;
    }
  return n_tied;
}
