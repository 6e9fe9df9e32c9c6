/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-live-block"

#include "config.h"

#include <string.h>

#include "ausculta-live-block.h"

struct _AuscultaLiveBlock {
  GMutex    lock;
  char     *run;
  guint     n_channels;
  double    sample_rate;
  double    progress;
  float    *samples;
  gsize     n_frames;
  gsize     capacity;
  gboolean  pending;
};

AuscultaLiveBlock *
ausculta_live_block_new (void)
{
  AuscultaLiveBlock *block = g_new0 (AuscultaLiveBlock, 1);

  g_mutex_init (&block->lock);
  return block;
}

void
ausculta_live_block_free (AuscultaLiveBlock *block)
{
  if (block == NULL)
    return;
  g_mutex_clear (&block->lock);
  g_free (block->run);
  g_free (block->samples);
  g_free (block);
}

gboolean
ausculta_live_block_store (AuscultaLiveBlock  *block,
                           const char         *run,
                           double              progress,
                           double              sample_rate,
                           AuscultaSignal    **signals,
                           guint               n_channels,
                           gsize               offset,
                           gsize               n_frames)
{
  gboolean schedule;

  g_mutex_lock (&block->lock);
  if (block->capacity < n_frames * n_channels)
    {
      block->capacity = n_frames * n_channels;
      block->samples = g_renew (float, block->samples, block->capacity);
    }
  for (guint c = 0; c < n_channels; c++)
    memcpy (block->samples + c * n_frames, signals[c]->samples + offset, n_frames * sizeof (float));
  if (g_strcmp0 (block->run, run) != 0)
    {
      g_free (block->run);
      block->run = g_strdup (run);
    }
  block->n_channels = n_channels;
  block->sample_rate = sample_rate;
  block->n_frames = n_frames;
  block->progress = progress;
  schedule = !block->pending;
  block->pending = TRUE;
  g_mutex_unlock (&block->lock);
  return schedule;
}

double
ausculta_live_block_take (AuscultaLiveBlock *block)
{
  double progress;

  g_mutex_lock (&block->lock);
  block->pending = FALSE;
  progress = block->progress;
  g_mutex_unlock (&block->lock);
  return progress;
}

gboolean
ausculta_live_block_copy (AuscultaLiveBlock  *block,
                          char              **run,
                          guint              *n_channels,
                          double             *sample_rate,
                          float             **samples,
                          gsize              *n_frames)
{
  gboolean have;

  g_mutex_lock (&block->lock);
  have = block->n_frames > 0;
  if (have)
    {
      *run = g_strdup (block->run);
      *n_channels = block->n_channels;
      *sample_rate = block->sample_rate;
      *n_frames = block->n_frames;
      *samples = g_memdup2 (block->samples, block->n_frames * block->n_channels * sizeof (float));
    }
  g_mutex_unlock (&block->lock);
  return have;
}
