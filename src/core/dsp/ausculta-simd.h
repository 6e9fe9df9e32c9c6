/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* The few loops that touch every sample or every bin (windowing, |X|²
 * accumulation, the sample scan) are written with GCC/Clang vector
 * extensions of four doubles. On x86-64 the compiler also builds an AVX2
 * + FMA clone of each and picks it at load time (an ifunc): the baseline
 * x86-64 build only has SSE2, which halves their throughput. Elsewhere
 * the vectors are lowered to whatever the target has. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute)
# if __has_attribute (target_clones)
#  define AUSCULTA_SIMD_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
# endif
#endif
#ifndef AUSCULTA_SIMD_CLONES
# define AUSCULTA_SIMD_CLONES
#endif

typedef double AuscultaDoubles4 __attribute__ ((vector_size (32)));
typedef float AuscultaFloats4 __attribute__ ((vector_size (16)));

/* Unaligned loads and stores (memcpy compiles to one vector move). The
 * vectors go through pointers, never by value: a 32-byte vector passed by
 * value has another ABI with AVX than without. */
static inline void
ausculta_doubles4_load (AuscultaDoubles4 *v,
                        const double     *p)
{
  memcpy (v, p, sizeof *v);
}

static inline void
ausculta_doubles4_store (double                 *p,
                         const AuscultaDoubles4 *v)
{
  memcpy (p, v, sizeof *v);
}

static inline void
ausculta_doubles4_from_floats (AuscultaDoubles4 *v,
                               const float      *p)
{
  AuscultaFloats4 f;

  memcpy (&f, p, sizeof f);
  *v = __builtin_convertvector (f, AuscultaDoubles4);
}

G_END_DECLS
