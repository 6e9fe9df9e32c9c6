/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-knn-self"

#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "ausculta-cpu.h"
#include "ausculta-float-products.h"
#include "ausculta-knn-bounds.h"
#include "ausculta-knn-self.h"

/* rows per block (a multiple of the panel width): a tile of products is
 * SELF_BLOCK² floats, 256 KiB, and takes about half a millisecond */
#define SELF_BLOCK 256
#define SELF_MAX_THREADS 8
#define SELF_FIRST_CAPACITY 32
/* rows per claim in the exact pass */
#define EXACT_ROWS 64

typedef double V8d __attribute__ ((vector_size (64)));
typedef float V8f __attribute__ ((vector_size (32)));
typedef gint64 V8l __attribute__ ((vector_size (64)));

typedef struct {
  float lower;   /* rounded down */
  guint index;
} SelfCandidate;

typedef struct {
  SelfCandidate *items;
  guint          len;
  guint          cap;
} CandidateList;

/* What every thread shares. */
typedef struct {
  const AuscultaKnnScreen *screen;
  const double            *ref;
  const double            *ref_sqnorms;
  guint                    k;
  guint                    n_blocks;
  double                  *alpha;   /* n: the row's part of the product margin */
  gint                     next;    /* the next tile, or block of rows */
  GCancellable            *cancellable;
} SelfShared;

/* One thread's bounds for every row. */
typedef struct {
  SelfShared    *shared;
  double        *heap;       /* n × k: the k smallest upper bounds seen */
  double        *threshold;  /* n: the largest of them */
  CandidateList *cand;       /* n */
  float         *products;   /* SELF_BLOCK² */
} SelfThread;

/* Takes reference @index for row @r if its lower bound can still beat the
 * row's k-th upper bound; a full list first drops what no longer can. */
static void
offer (SelfThread *th,
       guint       r,
       guint       index,
       double      lower,
       double      upper)
{
  CandidateList *list = &th->cand[r];
  guint k = th->shared->k;
  float f = (float) lower;

  if (!(lower <= th->threshold[r]))
    return;
  if ((double) f > lower)
    f = nextafterf (f, -INFINITY);
  if (list->len == list->cap)
    {
      guint kept = 0;

      for (guint c = 0; c < list->len; c++)
        if ((double) list->items[c].lower <= th->threshold[r])
          list->items[kept++] = list->items[c];
      list->len = kept;
      if (2 * kept >= list->cap)
        {
          list->cap = MAX (SELF_FIRST_CAPACITY, 2 * list->cap);
          list->items = g_renew (SelfCandidate, list->items, list->cap);
        }
    }
  list->items[list->len++] = (SelfCandidate) { f, index };
  ausculta_knn_heap_offer (th->heap + (gsize) r * k, k, upper);
  th->threshold[r] = th->heap[(gsize) r * k];
}

/* Row @i against references [j_first, j_end) of a tile, @s its products
 * (indexed by reference): each pair offered to both rows, eight at a time
 * tested against both thresholds first. */
static inline __attribute__ ((always_inline)) void
tile_row_body (SelfThread  *th,
               guint        i,
               const float *s,
               guint        j_first,
               guint        j_end)
{
  const AuscultaKnnScreen *sc = th->shared->screen;
  const double *cs = sc->ref_centred_sq, *norm = sc->ref_norms, *slack = sc->ref_slack;
  double cs_i = cs[i], al_i = th->shared->alpha[i], sl_i = slack[i];
  guint j = j_first;

  for (; j + 8 <= j_end; j += 8)
    {
      V8f sf;
      V8d csj, nj, slj, thj, a, m, lo;
      V8l hit;
      gint64 any = 0;

      memcpy (&sf, s + j, sizeof sf);
      memcpy (&csj, cs + j, sizeof csj);
      memcpy (&nj, norm + j, sizeof nj);
      memcpy (&slj, slack + j, sizeof slj);
      memcpy (&thj, th->threshold + j, sizeof thj);
      a = cs_i + csj - 2.0 * __builtin_convertvector (sf, V8d);
      m = al_i * nj + (sl_i + slj);
      lo = a - m;
      hit = (lo <= th->threshold[i]) | (lo <= thj);
      for (guint l = 0; l < 8; l++)
        any |= hit[l];
      if (G_LIKELY (any == 0))
        continue;
      for (guint l = 0; l < 8; l++)
        if (hit[l])
          {
            offer (th, i, j + l, lo[l], a[l] + m[l]);
            if (j + l != i)
              offer (th, j + l, i, lo[l], a[l] + m[l]);
          }
    }
  for (; j < j_end; j++)
    {
      double a = cs_i + cs[j] - 2.0 * (double) s[j];
      double m = al_i * norm[j] + (sl_i + slack[j]);

      offer (th, i, j, a - m, a + m);
      if (j != i)
        offer (th, j, i, a - m, a + m);
    }
}

static void
tile_row_generic (SelfThread *th, guint i, const float *s, guint j_first, guint j_end)
{
  tile_row_body (th, i, s, j_first, j_end);
}

/* The same with the comparisons into mask registers: one test decides
 * that none of the eight pairs can be taken, which is nearly always. */
__attribute__ ((target ("avx512f,fma"))) static void
tile_row_avx512 (SelfThread  *th,
                 guint        i,
                 const float *s,
                 guint        j_first,
                 guint        j_end)
{
  const AuscultaKnnScreen *sc = th->shared->screen;
  const double *cs = sc->ref_centred_sq, *norm = sc->ref_norms, *slack = sc->ref_slack;
  __m512d cs_i = _mm512_set1_pd (cs[i]), al_i = _mm512_set1_pd (th->shared->alpha[i]);
  __m512d sl_i = _mm512_set1_pd (slack[i]), two = _mm512_set1_pd (2.0);
  guint j = j_first;

  for (; j + 8 <= j_end; j += 8)
    {
      __m512d a = _mm512_sub_pd (_mm512_add_pd (cs_i, _mm512_loadu_pd (cs + j)),
                                 _mm512_mul_pd (two, _mm512_cvtps_pd (_mm256_loadu_ps (s + j))));
      __m512d m = _mm512_add_pd (_mm512_mul_pd (al_i, _mm512_loadu_pd (norm + j)),
                                 _mm512_add_pd (sl_i, _mm512_loadu_pd (slack + j)));
      __m512d lo = _mm512_sub_pd (a, m);
      __mmask8 hit = _mm512_cmp_pd_mask (lo, _mm512_set1_pd (th->threshold[i]), _CMP_LE_OQ)
                     | _mm512_cmp_pd_mask (lo, _mm512_loadu_pd (th->threshold + j), _CMP_LE_OQ);
      double lower[8], upper[8];

      if (G_LIKELY (hit == 0))
        continue;
      _mm512_storeu_pd (lower, lo);
      _mm512_storeu_pd (upper, _mm512_add_pd (a, m));
      for (guint l = 0; l < 8; l++)
        if (hit & (1u << l))
          {
            offer (th, i, j + l, lower[l], upper[l]);
            if (j + l != i)
              offer (th, j + l, i, lower[l], upper[l]);
          }
    }
  if (j < j_end)
    tile_row_body (th, i, s, j, j_end);
}

typedef void (*TileRowFunc) (SelfThread *th, guint i, const float *s, guint j_first, guint j_end);

/* Tile @t in the order: the diagonal blocks first (each row meets its own
 * block, near or far, and gets a first bound), then the further ones. */
static void
tile_blocks (guint  n_blocks,
             guint  t,
             guint *bi,
             guint *bj)
{
  guint offset = 0;

  while (t >= n_blocks - offset)
    t -= n_blocks - offset++;
  *bi = t;
  *bj = t + offset;
}

static gpointer
tiles_worker (gpointer data)
{
  SelfThread *th = data;
  SelfShared *sh = th->shared;
  const AuscultaKnnScreen *sc = sh->screen;
  guint n = sc->n_ref, d = sc->n_cols, n_tiles = sh->n_blocks * (sh->n_blocks + 1) / 2, t;
  TileRowFunc row = ausculta_cpu_level () == AUSCULTA_CPU_AVX512
                    ? tile_row_avx512 : tile_row_generic;

  while ((t = (guint) g_atomic_int_add (&sh->next, 1)) < n_tiles
         && !g_cancellable_is_cancelled (sh->cancellable))
    {
      guint bi, bj, i0, i1, j0, j1;

      tile_blocks (sh->n_blocks, t, &bi, &bj);
      i0 = bi * SELF_BLOCK, i1 = MIN (n, i0 + SELF_BLOCK);
      j0 = bj * SELF_BLOCK, j1 = MIN (n, j0 + SELF_BLOCK);
      ausculta_panels_products_packed (sc->panels, i0, i1 - i0, sc->panels,
                                       j0 / AUSCULTA_PANEL_WIDTH, ausculta_panels_count (j1), d,
                                       th->products, SELF_BLOCK);
      for (guint i = i0; i < i1; i++)
        row (th, i, th->products + (gsize) (i - i0) * SELF_BLOCK - j0, bi == bj ? i : j0, j1);
    }
  return NULL;
}

typedef struct {
  SelfShared  *shared;
  SelfThread  *threads;
  guint        n_threads;
  double      *dist;
  guint       *ind;
  guint8      *tied;
  guint        n_tied;
} ExactJob;

/* Row @r: the k-th upper bound over every thread's, the candidates that
 * can still beat it computed in double, the k smallest kept. */
static gboolean
exact_row (ExactJob             *job,
           guint                 r,
           AuscultaDotFunc       dot,
           double               *heap,
           AuscultaKnnCandidate *cand)
{
  SelfShared *sh = job->shared;
  guint k = sh->k, d = sh->screen->n_cols, count = 0;
  const double *x = sh->ref + (gsize) r * d;
  double row_slack = sh->screen->ref_slack[r];

  for (guint j = 0; j < k; j++)
    heap[j] = INFINITY;
  for (guint t = 0; t < job->n_threads; t++)
    for (guint j = 0; j < k; j++)
      ausculta_knn_heap_offer (heap, k, job->threads[t].heap[(gsize) r * k + j]);
  for (guint t = 0; t < job->n_threads; t++)
    {
      const CandidateList *list = &job->threads[t].cand[r];

      for (guint c = 0; c < list->len; c++)
        if ((double) list->items[c].lower <= heap[0])
          cand[count++].index = list->items[c].index;
    }
  for (guint c = 0; c < count; c++)
    {
      guint j = cand[c].index;

      cand[c].value = sh->ref_sqnorms[r] + -2.0 * dot (x, sh->ref + (gsize) j * d, d)
                      + sh->ref_sqnorms[j];
    }
  ausculta_knn_sort_candidates (cand, count);
  if (ausculta_knn_boundary_tied (cand, count, k, row_slack, sh->screen->ref_slack))
    return FALSE;
  for (guint j = 0; j < k; j++)
    {
      job->dist[(gsize) r * k + j] = cand[j].value;
      job->ind[(gsize) r * k + j] = cand[j].index;
    }
  return TRUE;
}

static gpointer
exact_worker (gpointer data)
{
  ExactJob *job = data;
  SelfShared *sh = job->shared;
  guint n = sh->screen->n_ref, b;
  AuscultaDotFunc dot = ausculta_knn_dot_func ();
  g_autofree double *heap = g_new (double, sh->k);
  g_autofree AuscultaKnnCandidate *cand = g_new (AuscultaKnnCandidate, n);

  while ((b = (guint) g_atomic_int_add (&sh->next, 1)) * (gsize) EXACT_ROWS < n)
    for (guint r = b * EXACT_ROWS; r < MIN (n, (b + 1) * EXACT_ROWS); r++)
      {
        gboolean ok = exact_row (job, r, dot, heap, cand);

        job->tied[r] = !ok;
        job->n_tied += !ok;
      }
  return NULL;
}

/* Runs @func on @n_threads copies of the job (the calling thread included). */
static void
run_threads (GThreadFunc func,
             gpointer    jobs,
             gsize       job_size,
             guint       n_threads)
{
  GThread *threads[SELF_MAX_THREADS] = { NULL };

  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("knn-self", func, (char *) jobs + t * job_size);
  func (jobs);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static void
thread_clear (SelfThread *th,
              guint       n)
{
  for (guint r = 0; th->cand != NULL && r < n; r++)
    g_free (th->cand[r].items);
  g_free (th->cand);
  g_free (th->heap);
  g_free (th->threshold);
  g_free (th->products);
}

guint
ausculta_knn_self_query (const AuscultaKnnScreen *screen,
                         const double            *ref,
                         const double            *ref_sqnorms,
                         guint                    k,
                         double                  *dist,
                         guint                   *ind,
                         guint8                  *tied,
                         GCancellable            *cancellable)
{
  guint n = screen->n_ref, n_blocks = (n + SELF_BLOCK - 1) / SELF_BLOCK, n_tied = 0;
  guint n_threads = MIN (ausculta_knn_n_threads (SELF_MAX_THREADS), n_blocks * (n_blocks + 1) / 2);
  SelfShared shared = { screen, ref, ref_sqnorms, k, n_blocks, g_new (double, n), 0, cancellable };
  SelfThread threads[SELF_MAX_THREADS];
  ExactJob exact[SELF_MAX_THREADS];

  g_return_val_if_fail (k >= 1 && k <= n, 0);

  for (guint r = 0; r < n; r++)
    shared.alpha[r] = ausculta_knn_alpha (screen->n_cols, screen->ref_centred_sq[r]);
  for (guint t = 0; t < n_threads; t++)
    {
      threads[t] = (SelfThread) { &shared, g_new (double, (gsize) n * k), g_new (double, n),
                                  g_new0 (CandidateList, n),
                                  g_new (float, (gsize) SELF_BLOCK * SELF_BLOCK) };
      for (gsize i = 0; i < (gsize) n * k; i++)
        threads[t].heap[i] = INFINITY;
      for (guint r = 0; r < n; r++)
        threads[t].threshold[r] = INFINITY;
    }
  run_threads (tiles_worker, threads, sizeof (SelfThread), n_threads);
  shared.next = 0;
  for (guint t = 0; t < n_threads; t++)
    {
      g_clear_pointer (&threads[t].products, g_free);
      exact[t] = (ExactJob) { &shared, threads, n_threads, dist, ind, tied, 0 };
    }
  if (!g_cancellable_is_cancelled (cancellable))
    run_threads (exact_worker, exact, sizeof (ExactJob), n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      n_tied += exact[t].n_tied;
      thread_clear (&threads[t], n);
    }
  g_free (shared.alpha);
  return g_cancellable_is_cancelled (cancellable) ? 0 : n_tied;
}
