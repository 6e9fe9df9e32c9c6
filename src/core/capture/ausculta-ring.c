/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-ring"

#include "config.h"

#include <stdatomic.h>
#include <string.h>

#include "ausculta-ring.h"

/* Positions count frames since the start and only grow; the slot of a
 * position is position % capacity. Only the producer writes `head`, only
 * the consumer writes `tail`: acquire/release pairs publish the samples.
 * Each index sits on its own cache line so the two threads do not share one. */
struct _AuscultaRing {
  float               *data;
  gsize                capacity;
  guint                n_channels;
  _Alignas (64) atomic_size_t head;
  _Alignas (64) atomic_size_t tail;
  _Alignas (64) atomic_uint   overruns;
  atomic_uint_fast64_t        lost_frames;
};

AuscultaRing *
ausculta_ring_new (guint n_channels,
                   gsize capacity_frames)
{
  AuscultaRing *ring;

  g_return_val_if_fail (n_channels > 0, NULL);
  g_return_val_if_fail (capacity_frames > 0, NULL);

  ring = g_aligned_alloc0 (1, sizeof (AuscultaRing), 64);
  ring->data = g_new0 (float, capacity_frames * n_channels);
  ring->capacity = capacity_frames;
  ring->n_channels = n_channels;
  atomic_init (&ring->head, 0);
  atomic_init (&ring->tail, 0);
  atomic_init (&ring->overruns, 0);
  atomic_init (&ring->lost_frames, 0);
  return ring;
}

void
ausculta_ring_free (AuscultaRing *ring)
{
  if (ring == NULL)
    return;
  g_free (ring->data);
  g_aligned_free (ring);
}

guint
ausculta_ring_get_n_channels (AuscultaRing *ring)
{
  return ring->n_channels;
}

gsize
ausculta_ring_get_capacity (AuscultaRing *ring)
{
  return ring->capacity;
}

/* Copies n frames between the ring at `position` and a linear buffer, in at
 * most two pieces around the end of the storage. */
static void
copy_frames (AuscultaRing *ring,
             gsize         position,
             float        *linear,
             gsize         n,
             gboolean      into_ring)
{
  gsize slot = position % ring->capacity;
  gsize first = MIN (n, ring->capacity - slot);
  gsize ch = ring->n_channels;

  if (into_ring)
    {
      memcpy (ring->data + slot * ch, linear, first * ch * sizeof (float));
      memcpy (ring->data, linear + first * ch, (n - first) * ch * sizeof (float));
    }
  else
    {
      memcpy (linear, ring->data + slot * ch, first * ch * sizeof (float));
      memcpy (linear + first * ch, ring->data, (n - first) * ch * sizeof (float));
    }
}

gsize
ausculta_ring_push (AuscultaRing *ring,
                    const float  *frames,
                    gsize         n_frames)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  gsize space = ring->capacity - (head - tail);
  gsize n = MIN (n_frames, space);

  copy_frames (ring, head, (float *) frames, n, TRUE);
  atomic_store_explicit (&ring->head, head + n, memory_order_release);
  if (n < n_frames)
    {
      atomic_fetch_add_explicit (&ring->overruns, 1, memory_order_relaxed);
      atomic_fetch_add_explicit (&ring->lost_frames, n_frames - n, memory_order_relaxed);
    }
  return n;
}

void
ausculta_ring_note_overrun (AuscultaRing *ring)
{
  atomic_fetch_add_explicit (&ring->overruns, 1, memory_order_relaxed);
}

gsize
ausculta_ring_pop (AuscultaRing *ring,
                   float        *frames,
                   gsize         max_frames)
{
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);
  gsize n = MIN (max_frames, head - tail);

  copy_frames (ring, tail, frames, n, FALSE);
  atomic_store_explicit (&ring->tail, tail + n, memory_order_release);
  return n;
}

gsize
ausculta_ring_get_readable (AuscultaRing *ring)
{
  gsize tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);

  return head - tail;
}

guint
ausculta_ring_get_overruns (AuscultaRing *ring)
{
  return atomic_load_explicit (&ring->overruns, memory_order_relaxed);
}

guint64
ausculta_ring_get_lost_frames (AuscultaRing *ring)
{
  return atomic_load_explicit (&ring->lost_frames, memory_order_relaxed);
}

void
ausculta_ring_reset (AuscultaRing *ring)
{
  gsize head = atomic_load_explicit (&ring->head, memory_order_acquire);

  atomic_store_explicit (&ring->tail, head, memory_order_release);
  atomic_store_explicit (&ring->overruns, 0, memory_order_relaxed);
  atomic_store_explicit (&ring->lost_frames, 0, memory_order_relaxed);
}
