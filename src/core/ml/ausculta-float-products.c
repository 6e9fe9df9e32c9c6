/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-float-products"

#include "config.h"

#include <string.h>

#include "ausculta-cpu.h"
#include "ausculta-float-products.h"

#define W AUSCULTA_PANEL_WIDTH

typedef float V16 __attribute__ ((vector_size (W * sizeof (float))));

float *
ausculta_panels_pack (const float *rows,
                      guint        n_ref,
                      guint        n_cols)
{
  guint n_panels = ausculta_panels_count (n_ref);
  float *panels = g_new0 (float, (gsize) n_panels * n_cols * W);

  for (guint r = 0; r < n_ref; r++)
    {
      float *dst = panels + (gsize) (r / W) * n_cols * W + r % W;

      for (guint c = 0; c < n_cols; c++)
        dst[(gsize) c * W] = rows[(gsize) r * n_cols + c];
    }
  return panels;
}

/* One tile: @mr rows of x against @np consecutive panels, every product
 * kept in registers over the whole row (mr·np accumulators). With constant
 * @mr and @np the loops unroll completely. */
static inline __attribute__ ((always_inline)) void
tile (const float *x,
      gsize        ldx,
      gsize        xcs,
      const float *panel,
      guint        d,
      float       *out,
      gsize        ldo,
      const guint  mr,
      const guint  np)
{
  V16 acc[8][2];
  gsize stride = (gsize) d * W;

#pragma GCC unroll 8
  for (guint r = 0; r < mr; r++)
#pragma GCC unroll 2
    for (guint q = 0; q < np; q++)
      acc[r][q] = (V16) { 0 };
  for (guint c = 0; c < d; c++)
    {
      V16 y[2];

#pragma GCC unroll 2
      for (guint q = 0; q < np; q++)
        memcpy (&y[q], panel + q * stride + (gsize) c * W, sizeof (V16));
#pragma GCC unroll 8
      for (guint r = 0; r < mr; r++)
        {
          float xv = x[r * ldx + c * xcs];

#pragma GCC unroll 2
          for (guint q = 0; q < np; q++)
            acc[r][q] += xv * y[q];
        }
    }
#pragma GCC unroll 8
  for (guint r = 0; r < mr; r++)
#pragma GCC unroll 2
    for (guint q = 0; q < np; q++)
      memcpy (out + r * ldo + q * W, &acc[r][q], sizeof (V16));
}

/* The edges (fewer rows or one panel): the same sums, not unrolled. */
static void
tile_edge (const float *x,
           gsize        ldx,
           gsize        xcs,
           const float *panel,
           guint        d,
           float       *out,
           gsize        ldo,
           guint        mr,
           guint        np)
{
  for (guint r = 0; r < mr; r++)
    for (guint q = 0; q < np; q++)
      {
        const float *y = panel + q * (gsize) d * W;
        V16 acc = { 0 };

        for (guint c = 0; c < d; c++)
          {
            V16 v;

            memcpy (&v, y + (gsize) c * W, sizeof v);
            acc += x[r * ldx + c * xcs] * v;
          }
        memcpy (out + r * ldo + q * W, &acc, sizeof acc);
      }
}

/* Panels @NP at a time (they stay in cache), every row tile of @MR rows
 * against them. The rows of x are row-major (row stride @ldx), or with
 * @packed rows x0 ... of a panel array (a tile never straddles two
 * panels: MR divides W). */
#define DEFINE_PRODUCTS(name, attributes, MR, NP)                                            \
  attributes static void                                                                     \
  name (const float *x, gboolean packed, guint x0, guint n_x, gsize ldx, const float *panels, \
        guint p0, guint p1, guint d, float *out, gsize ldo)                                  \
  {                                                                                          \
    gsize rs = packed ? 1 : ldx, cs = packed ? W : 1;                                        \
                                                                                             \
    for (guint p = p0; p < p1; p += NP)                                                      \
      {                                                                                      \
        guint np = MIN (NP, p1 - p);                                                         \
        const float *panel = panels + (gsize) p * d * W;                                     \
                                                                                             \
        for (guint i = 0; i < n_x; i += MR)                                                  \
          {                                                                                  \
            guint mr = MIN (MR, n_x - i), r = x0 + i;                                        \
            const float *xt = packed ? x + (gsize) (r / W) * d * W + r % W : x + r * ldx;    \
            float *o = out + i * ldo + (gsize) (p - p0) * W;                                 \
                                                                                             \
            if (mr == MR && np == NP)                                                        \
              tile (xt, rs, cs, panel, d, o, ldo, MR, NP);                                   \
            else                                                                             \
              tile_edge (xt, rs, cs, panel, d, o, ldo, mr, np);                              \
          }                                                                                  \
      }                                                                                      \
  }

/* 32 registers of 16 floats: 8 × 2 accumulators; 16 of 8 floats: 4 × 1
 * (two registers each); SSE: 2 × 1 (four each) */
DEFINE_PRODUCTS (products_avx512, __attribute__ ((target ("avx512f,fma"))), 8, 2)
DEFINE_PRODUCTS (products_avx2, __attribute__ ((target ("avx2,fma"))), 4, 1)
DEFINE_PRODUCTS (products_generic, , 2, 1)

/* One row against @NP panels at once: NP independent chains of multiply-adds
 * over the columns, no horizontal sums. */
static inline __attribute__ ((always_inline)) void
row_group (const float *x,
           const float *panel,
           guint        d,
           float       *out,
           const guint  np)
{
  V16 acc[8];
  gsize stride = (gsize) d * W;

#pragma GCC unroll 8
  for (guint q = 0; q < np; q++)
    acc[q] = (V16) { 0 };
  for (guint c = 0; c < d; c++)
    {
      float xv = x[c];

#pragma GCC unroll 8
      for (guint q = 0; q < np; q++)
        {
          V16 y;

          memcpy (&y, panel + q * stride + (gsize) c * W, sizeof y);
          acc[q] += xv * y;
        }
    }
#pragma GCC unroll 8
  for (guint q = 0; q < np; q++)
    memcpy (out + q * W, &acc[q], sizeof (V16));
}

/* groups of @NP panels (fewer registers: NP / 2, then NP / 4...) */
#define DEFINE_ROW(name, attributes, NP)                                                      \
  attributes static void                                                                       \
  name (const float *x, const float *panels, guint p0, guint p1, guint d, float *out)          \
  {                                                                                            \
    guint p = p0;                                                                              \
                                                                                               \
    for (; p + NP <= p1; p += NP)                                                              \
      row_group (x, panels + (gsize) p * d * W, d, out + (gsize) (p - p0) * W, NP);            \
    if (NP >= 8 && p + 4 <= p1)                                                                \
      row_group (x, panels + (gsize) p * d * W, d, out + (gsize) (p - p0) * W, 4), p += 4;     \
    if (NP >= 4 && p + 2 <= p1)                                                                \
      row_group (x, panels + (gsize) p * d * W, d, out + (gsize) (p - p0) * W, 2), p += 2;     \
    if (p < p1)                                                                                \
      row_group (x, panels + (gsize) p * d * W, d, out + (gsize) (p - p0) * W, 1);             \
  }

DEFINE_ROW (row_avx512, __attribute__ ((target ("avx512f,fma"))), 8)
DEFINE_ROW (row_avx2, __attribute__ ((target ("avx2,fma"))), 4)
DEFINE_ROW (row_generic, , 2)

typedef void (*RowFunc) (const float *x, const float *panels, guint p0, guint p1, guint d,
                         float *out);

static RowFunc
choose_row (void)
{
  switch (ausculta_cpu_level ())
    {
    case AUSCULTA_CPU_AVX512:
      return row_avx512;
    case AUSCULTA_CPU_AVX2:
      return row_avx2;
    case AUSCULTA_CPU_GENERIC:
    default:
      return row_generic;
    }
}

void
ausculta_panels_products_row (const float *x,
                              const float *panels,
                              guint        p0,
                              guint        p1,
                              guint        n_cols,
                              float       *out)
{
  choose_row () (x, panels, p0, p1, n_cols, out);
}

typedef void (*ProductsFunc) (const float *x, gboolean packed, guint x0, guint n_x, gsize ldx,
                              const float *panels, guint p0, guint p1, guint d, float *out,
                              gsize ldo);

static ProductsFunc
choose_products (void)
{
  switch (ausculta_cpu_level ())
    {
    case AUSCULTA_CPU_AVX512:
      return products_avx512;
    case AUSCULTA_CPU_AVX2:
      return products_avx2;
    case AUSCULTA_CPU_GENERIC:
    default:
      return products_generic;
    }
}

void
ausculta_panels_products (const float *x,
                          guint        n_x,
                          gsize        ldx,
                          const float *panels,
                          guint        p0,
                          guint        p1,
                          guint        n_cols,
                          float       *out,
                          gsize        ldo)
{
  choose_products () (x, FALSE, 0, n_x, ldx, panels, p0, p1, n_cols, out, ldo);
}

void
ausculta_panels_products_packed (const float *x_panels,
                                 guint        x0,
                                 guint        n_x,
                                 const float *panels,
                                 guint        p0,
                                 guint        p1,
                                 guint        n_cols,
                                 float       *out,
                                 gsize        ldo)
{
  g_return_if_fail (x0 % 8 == 0);
  choose_products () (x_panels, TRUE, x0, n_x, 0, panels, p0, p1, n_cols, out, ldo);
}
