/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-lof"

#include "config.h"

#include <string.h>

#include "ausculta-lof.h"

/* Added to the mean reachability distance, as scikit-learn does, so that
 * more duplicates than neighbours give a large density instead of NaN. */
#define LRD_EPSILON 1e-10

double
ausculta_pairwise_sum (const double *a,
                       gsize         n)
{
  double r[8], res;
  gsize i;

  if (n < 8)
    {
      res = 0.0;
      for (i = 0; i < n; i++)
        res += a[i];
      return res;
    }
  if (n <= 128)
    {
      for (i = 0; i < 8; i++)
        r[i] = a[i];
      for (i = 8; i < n - (n % 8); i += 8)
        for (gsize j = 0; j < 8; j++)
          r[j] += a[i + j];
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += a[i];
      return res;
    }
  i = n / 2;
  i -= i % 8;
  return ausculta_pairwise_sum (a, i) + ausculta_pairwise_sum (a + i, n - i);
}

/* lrd = 1 / (mean over neighbours o of max (d(x, o), k-distance(o)) + 1e-10) */
static void
reachability_density (const AuscultaLof *lof,
                      const double      *dist,
                      const guint       *ind,
                      guint              n_rows,
                      double            *lrd)
{
  guint k = lof->n_neighbors;
  g_autofree double *reach = g_new (double, k);

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint j = 0; j < k; j++)
        reach[j] = MAX (dist[(gsize) r * k + j], lof->k_distance[ind[(gsize) r * k + j]]);
      lrd[r] = 1.0 / (ausculta_pairwise_sum (reach, k) / k + LRD_EPSILON);
    }
}

gboolean
ausculta_lof_fit (AuscultaLof    *lof,
                  AuscultaMetric  metric,
                  const double   *ref,
                  guint           n_ref,
                  guint           n_cols,
                  guint           n_neighbors,
                  GCancellable   *cancellable)
{
  guint k;
  g_autofree double *dist = NULL;
  g_autofree guint *ind = NULL;

  g_return_val_if_fail (n_ref >= 2, FALSE);

  k = MAX (1, MIN (n_neighbors, n_ref - 1));
  *lof = (AuscultaLof) { .n_neighbors = k };
  ausculta_neighbors_init (&lof->neighbors, metric, ref, n_ref, n_cols);
  dist = g_new (double, (gsize) n_ref * k);
  ind = g_new (guint, (gsize) n_ref * k);
  if (!ausculta_neighbors_query (&lof->neighbors, NULL, n_ref, k, dist, ind, cancellable))
    {
      ausculta_lof_clear (lof);
      return FALSE;
    }
  lof->k_distance = g_new (double, n_ref);
  lof->lrd = g_new (double, n_ref);
  for (guint r = 0; r < n_ref; r++)
    lof->k_distance[r] = dist[(gsize) r * k + k - 1];
  reachability_density (lof, dist, ind, n_ref, lof->lrd);
  return TRUE;
}

void
ausculta_lof_init_fitted (AuscultaLof    *lof,
                          AuscultaMetric  metric,
                          const double   *ref,
                          guint           n_ref,
                          guint           n_cols,
                          guint           n_neighbors,
                          const double   *k_distance,
                          const double   *lrd)
{
  *lof = (AuscultaLof) { .n_neighbors = n_neighbors };
  ausculta_neighbors_init (&lof->neighbors, metric, ref, n_ref, n_cols);
  lof->k_distance = g_memdup2 (k_distance, sizeof (double) * n_ref);
  lof->lrd = g_memdup2 (lrd, sizeof (double) * n_ref);
}

void
ausculta_lof_clear (AuscultaLof *lof)
{
  ausculta_neighbors_clear (&lof->neighbors);
  g_clear_pointer (&lof->k_distance, g_free);
  g_clear_pointer (&lof->lrd, g_free);
}

gboolean
ausculta_lof_score_samples (const AuscultaLof *lof,
                            const double      *rows,
                            guint              n_rows,
                            double            *out,
                            GCancellable      *cancellable)
{
  return ausculta_lof_score_prepared (lof, rows, n_rows, NULL, NULL, out, cancellable);
}

gboolean
ausculta_lof_score_prepared (const AuscultaLof   *lof,
                             const double        *rows,
                             guint                n_rows,
                             AuscultaRowsPrepare  prepare,
                             gconstpointer        prepare_data,
                             double              *out,
                             GCancellable        *cancellable)
{
  guint k = lof->n_neighbors;
  g_autofree double *dist = g_new (double, (gsize) n_rows * k);
  g_autofree guint *ind = g_new (guint, (gsize) n_rows * k);
  g_autofree double *lrd = g_new (double, n_rows);
  g_autofree double *ratios = g_new (double, k);

  if (!ausculta_neighbors_query_prepared (&lof->neighbors, rows, n_rows, prepare, prepare_data, k,
                                          dist, ind, cancellable))
    return FALSE;
  reachability_density (lof, dist, ind, n_rows, lrd);
  for (guint r = 0; r < n_rows; r++)
    {
      for (guint j = 0; j < k; j++)
        ratios[j] = lof->lrd[ind[(gsize) r * k + j]] / lrd[r];
      out[r] = -(ausculta_pairwise_sum (ratios, k) / k);
    }
  return TRUE;
}
