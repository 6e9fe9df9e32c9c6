/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The vector instructions the ML kernels may use, best last. */
typedef enum
{
  AUSCULTA_CPU_GENERIC,
  AUSCULTA_CPU_AVX2,    /* AVX2 and FMA */
  AUSCULTA_CPU_AVX512,  /* AVX-512F (and FMA) */
} AuscultaCpuLevel;

AuscultaCpuLevel ausculta_cpu_level (void);

G_END_DECLS
