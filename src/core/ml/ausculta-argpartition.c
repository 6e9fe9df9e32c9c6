/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-argpartition"

#include "config.h"

#include "ausculta-argpartition.h"

/* numpy 1.24's argpartition (npysort/selection.cpp, introselect on an index
 * array), so that the same one of several equal distances is kept. */
#define V(i) (v[idx[i]])
#define SWAP_IDX(a, b) G_STMT_START { guint _t = idx[a]; idx[a] = idx[b]; idx[b] = _t; } G_STMT_END

static void
dumb_select (const double *v,
             guint        *idx,
             gsize         num,
             gsize         kth)
{
  for (gsize i = 0; i <= kth; i++)
    {
      gsize minidx = i;
      double minval = V (i);

      for (gsize k = i + 1; k < num; k++)
        {
          if (V (k) < minval)
            {
              minidx = k;
              minval = V (k);
            }
        }
      SWAP_IDX (i, minidx);
    }
}

static gsize
median5 (const double *v,
         guint        *idx)
{
  if (V (1) < V (0))
    SWAP_IDX (1, 0);
  if (V (4) < V (3))
    SWAP_IDX (4, 3);
  if (V (3) < V (0))
    SWAP_IDX (3, 0);
  if (V (4) < V (1))
    SWAP_IDX (4, 1);
  if (V (2) < V (1))
    SWAP_IDX (2, 1);
  if (V (3) < V (2))
    return V (3) < V (1) ? 1 : 3;
  return 2;
}


static gsize
median_of_median5 (const double *v,
                   guint        *idx,
                   gsize         num)
{
  gsize nmed = num / 5, subleft = 0;

  for (gsize i = 0; i < nmed; i++, subleft += 5)
    {
      gsize m = median5 (v, idx + subleft);

      SWAP_IDX (subleft + m, i);
    }
  if (nmed > 2)
    ausculta_argpartition (v, idx, nmed, nmed / 2);
  return nmed / 2;
}

static void
median3_swap (const double *v,
              guint        *idx,
              gsize         low,
              gsize         mid,
              gsize         high)
{
  if (V (high) < V (mid))
    SWAP_IDX (high, mid);
  if (V (high) < V (low))
    SWAP_IDX (high, low);
  if (V (low) < V (mid))
    SWAP_IDX (low, mid);
  SWAP_IDX (mid, low + 1);
}

static int
msb (gsize n)
{
  int depth = 0;

  while (n >>= 1)
    depth++;
  return depth;
}

/**
 * ausculta_argpartition:
 * @v: values
 * @idx: (inout): indices into @v, permuted so that v[idx[kth]] is in its
 *   sorted place, smaller values before it, larger after
 * @num: length of @idx
 * @kth: the position to select
 *
 * numpy 1.24's introselect on an index array (np.argpartition), step for
 * step, so that among equal values the same ones end up before @kth.
 */
void
ausculta_argpartition (const double *v,
                       guint        *idx,
                       gsize         num,
                       gsize         kth)
{
  gsize low = 0, high = num - 1;
  int depth_limit;

  if (kth - low < 3)
    {
      dumb_select (v, idx, num, kth);
      return;
    }
  if (kth == num - 1)
    {
      gsize maxidx = low;
      double maxval = V (low);

      for (gsize k = low + 1; k < num; k++)
        if (!(V (k) < maxval))
          maxidx = k, maxval = V (k);
      SWAP_IDX (kth, maxidx);
      return;
    }
  depth_limit = msb (num) * 2;
  while (low + 1 < high)
    {
      gsize ll = low + 1, hh = high;
      double pivot;

      if (depth_limit > 0 || hh - ll < 5)
        median3_swap (v, idx, low, low + (high - low) / 2, high);
      else
        {
          gsize mid = ll + median_of_median5 (v, idx + ll, hh - ll);

          SWAP_IDX (mid, low);
          ll--;
          hh++;
        }
      depth_limit--;
      pivot = V (low);
      for (;;)
        {
          do ll++; while (V (ll) < pivot);
          do hh--; while (pivot < V (hh));
          if (hh < ll)
            break;
          SWAP_IDX (ll, hh);
        }
      SWAP_IDX (low, hh);
      if (hh >= kth)
        high = hh - 1;
      if (hh <= kth)
        low = ll;
    }
  if (low + 1 == high && V (high) < V (low))
    SWAP_IDX (high, low);
}

#undef V
#undef SWAP_IDX

