/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "ausculta-ring.h"

static void
test_ring_wraps (void)
{
  g_autoptr(AuscultaRing) ring = ausculta_ring_new (2, 5);
  float in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  float out[8] = { 0 };

  /* Three pops and pushes walk the positions past the end of the storage. */
  for (guint round = 0; round < 3; round++)
    {
      g_assert_cmpuint (ausculta_ring_push (ring, in, 4), ==, 4);
      g_assert_cmpuint (ausculta_ring_get_readable (ring), ==, 4);
      g_assert_cmpuint (ausculta_ring_pop (ring, out, 4), ==, 4);
      for (guint i = 0; i < 8; i++)
        g_assert_cmpfloat (out[i], ==, in[i]);
    }
  g_assert_cmpuint (ausculta_ring_get_overruns (ring), ==, 0);
  g_assert_cmpuint (ausculta_ring_pop (ring, out, 4), ==, 0);
}

static void
test_ring_counts_overruns (void)
{
  g_autoptr(AuscultaRing) ring = ausculta_ring_new (1, 4);
  float in[3] = { 1, 2, 3 };
  float out[4];

  g_assert_cmpuint (ausculta_ring_push (ring, in, 3), ==, 3);
  g_assert_cmpuint (ausculta_ring_push (ring, in, 3), ==, 1);
  g_assert_cmpuint (ausculta_ring_get_overruns (ring), ==, 1);
  g_assert_cmpuint (ausculta_ring_get_lost_frames (ring), ==, 2);
  ausculta_ring_note_overrun (ring);
  g_assert_cmpuint (ausculta_ring_get_overruns (ring), ==, 2);
  /* What was stored is intact: the old frames, then the one that fitted. */
  g_assert_cmpuint (ausculta_ring_pop (ring, out, 4), ==, 4);
  g_assert_cmpfloat (out[0], ==, 1);
  g_assert_cmpfloat (out[2], ==, 3);
  g_assert_cmpfloat (out[3], ==, 1);
  ausculta_ring_reset (ring);
  g_assert_cmpuint (ausculta_ring_get_overruns (ring), ==, 0);
}

#define STRESS_FRAMES 2000000

static gpointer
producer (gpointer data)
{
  AuscultaRing *ring = data;
  float block[2 * 61];
  guint64 next = 0;

  while (next < STRESS_FRAMES)
    {
      gsize n = MIN (61, STRESS_FRAMES - next);
      gsize stored;

      for (gsize i = 0; i < n; i++)
        {
          block[2 * i] = (float) ((next + i) % 1000003);
          block[2 * i + 1] = -block[2 * i];
        }
      /* A real-time producer never waits; this one retries what did not fit
       * so the consumer can check that nothing is reordered or torn. */
      stored = ausculta_ring_push (ring, block, n);
      next += stored;
      if (stored < n)
        g_thread_yield ();
    }
  return NULL;
}

static void
test_ring_threads (void)
{
  g_autoptr(AuscultaRing) ring = ausculta_ring_new (2, 1024);
  GThread *thread = g_thread_new ("producer", producer, ring);
  float out[2 * 97];
  guint64 expected = 0;
  guint mismatches = 0;

  while (expected < STRESS_FRAMES)
    {
      gsize n = ausculta_ring_pop (ring, out, 97);

      for (gsize i = 0; i < n; i++, expected++)
        mismatches += out[2 * i] != (float) (expected % 1000003) || out[2 * i + 1] != -out[2 * i];
      if (n == 0)
        g_thread_yield ();
    }
  g_thread_join (thread);
  g_assert_cmpuint (mismatches, ==, 0);
  g_assert_cmpuint (ausculta_ring_get_readable (ring), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/capture/ring/wraps", test_ring_wraps);
  g_test_add_func ("/ausculta/capture/ring/overruns", test_ring_counts_overruns);
  g_test_add_func ("/ausculta/capture/ring/threads", test_ring_threads);
  return g_test_run ();
}
