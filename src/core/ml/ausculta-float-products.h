/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Float32 inner products of a block of rows with reference rows stored in
 * panels of AUSCULTA_PANEL_WIDTH: panel p holds, for each column c, the
 * values of references p·W ... p·W + W - 1 side by side (zeros past the
 * last reference). Written for the screening of exact kNN searches, whose
 * error bounds hold for any summation order: the kernel runs on the calling
 * thread only (the callers split the work), in AVX-512, AVX2 or plain C as
 * the processor allows. */

#define AUSCULTA_PANEL_WIDTH 16

/* Number of panels for @n_ref references. */
static inline guint
ausculta_panels_count (guint n_ref)
{
  return (n_ref + AUSCULTA_PANEL_WIDTH - 1) / AUSCULTA_PANEL_WIDTH;
}

/* Packs @n_ref rows of @n_cols floats (row-major) into a new panel array. */
float *ausculta_panels_pack     (const float *rows,
                                 guint        n_ref,
                                 guint        n_cols);

/* out[i·ldo + (p - p0)·W + l] = Σ_c x[i·ldx + c] · reference (p·W + l)[c]
 * for the @n_x rows of @x and the panels [p0, p1). */
void   ausculta_panels_products (const float *x,
                                 guint        n_x,
                                 gsize        ldx,
                                 const float *panels,
                                 guint        p0,
                                 guint        p1,
                                 guint        n_cols,
                                 float       *out,
                                 gsize        ldo);

/* The same for rows @x0 ... @x0 + @n_x - 1 of a panel array (@x0 a
 * multiple of 8): a reference set against itself needs no other copy. */
void   ausculta_panels_products_packed (const float *x_panels,
                                        guint        x0,
                                        guint        n_x,
                                        const float *panels,
                                        guint        p0,
                                        guint        p1,
                                        guint        n_cols,
                                        float       *out,
                                        gsize        ldo);

/* The same for one row (out[(p - p0)·W + l]): panels taken several at a
 * time, faster for a single measurement than the tiles. */
void   ausculta_panels_products_row (const float *x,
                                     const float *panels,
                                     guint        p0,
                                     guint        p1,
                                     guint        n_cols,
                                     float       *out);

G_END_DECLS
