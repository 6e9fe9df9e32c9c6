/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cpu"

#include "config.h"

#include "ausculta-cpu.h"

static AuscultaCpuLevel
detect_level (void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx512f"))
    return AUSCULTA_CPU_AVX512;
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    return AUSCULTA_CPU_AVX2;
#endif
  return AUSCULTA_CPU_GENERIC;
}

/* AUSCULTA_CPU_LEVEL=generic|avx2|avx512 lowers the level (never raises
 * it above what the processor has): the tests run every kernel on one
 * machine, and a suspected kernel can be ruled out on a bench. */
static AuscultaCpuLevel
choose_level (void)
{
  static const char * const names[] = { "generic", "avx2", "avx512" };
  AuscultaCpuLevel level = detect_level ();
  const char *wanted = g_getenv ("AUSCULTA_CPU_LEVEL");

  if (wanted == NULL || *wanted == '\0')
    return level;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (wanted, names[i]))
      return MIN (level, (AuscultaCpuLevel) i);
  g_warning ("AUSCULTA_CPU_LEVEL=%s: expected generic, avx2 or avx512; using %s", wanted,
             names[level]);
  return level;
}

/**
 * ausculta_cpu_level:
 *
 * The vector instructions the kernels use in this process, decided once.
 */
AuscultaCpuLevel
ausculta_cpu_level (void)
{
  static gsize level = 0;

  /* stored plus one: g_once needs a non-zero value */
  if (g_once_init_enter (&level))
    g_once_init_leave (&level, (gsize) choose_level () + 1);
  return (AuscultaCpuLevel) (level - 1);
}
