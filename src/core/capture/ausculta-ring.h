/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A lock-free single-producer / single-consumer ring of interleaved float
 * frames. The producer (a real-time audio callback) pushes whole frames and
 * never blocks, allocates or locks: when the ring is full the frames that do
 * not fit are dropped and counted as an overrun. The consumer pops frames. */
typedef struct _AuscultaRing AuscultaRing;

AuscultaRing *ausculta_ring_new            (guint         n_channels,
                                            gsize         capacity_frames);
void          ausculta_ring_free           (AuscultaRing *ring);
guint         ausculta_ring_get_n_channels (AuscultaRing *ring);
gsize         ausculta_ring_get_capacity   (AuscultaRing *ring);

/* Producer side. Returns the number of frames stored. */
gsize         ausculta_ring_push           (AuscultaRing *ring,
                                            const float  *frames,
                                            gsize         n_frames);
/* Producer side: a loss the driver reported (e.g. an input overflow). */
void          ausculta_ring_note_overrun   (AuscultaRing *ring);
/* Consumer side. Returns the number of frames copied out. */
gsize         ausculta_ring_pop            (AuscultaRing *ring,
                                            float        *frames,
                                            gsize         max_frames);
gsize         ausculta_ring_get_readable   (AuscultaRing *ring);
/* Overrun events (pushes that could not store everything) and lost frames. */
guint         ausculta_ring_get_overruns   (AuscultaRing *ring);
guint64       ausculta_ring_get_lost_frames (AuscultaRing *ring);
/* Consumer side, with the producer stopped: empties the ring and its counters. */
void          ausculta_ring_reset          (AuscultaRing *ring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaRing, ausculta_ring_free)

G_END_DECLS
