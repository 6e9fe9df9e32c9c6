/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-measurement.h"

G_BEGIN_DECLS

/* The newest block of a running capture, kept for the live views: written
 * by the cycle's thread, read from any thread. Coalescing: store() says
 * when a delivery must be scheduled (none pending), take() clears that. */
typedef struct _AuscultaLiveBlock AuscultaLiveBlock;

AuscultaLiveBlock *ausculta_live_block_new   (void);
void               ausculta_live_block_free  (AuscultaLiveBlock  *block);
gboolean           ausculta_live_block_store (AuscultaLiveBlock  *block,
                                              const char         *run,
                                              double              progress,
                                              double              sample_rate,
                                              AuscultaSignal    **signals,
                                              guint               n_channels,
                                              gsize               offset,
                                              gsize               n_frames);
/* Marks the pending delivery done; returns the run progress stored last. */
double             ausculta_live_block_take  (AuscultaLiveBlock  *block);
/* Samples channel after channel (n_channels × n_frames); FALSE if none yet. */
gboolean           ausculta_live_block_copy  (AuscultaLiveBlock  *block,
                                              char              **run,
                                              guint              *n_channels,
                                              double             *sample_rate,
                                              float             **samples,
                                              gsize              *n_frames);

G_END_DECLS
