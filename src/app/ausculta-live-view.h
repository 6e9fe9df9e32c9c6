/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_LIVE_VIEW (ausculta_live_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaLiveView, ausculta_live_view, AUSCULTA, LIVE_VIEW, GtkWidget)

typedef struct
{
  guint64 n_frames_shown;    /* frames taken from the worker at a tick */
  guint64 n_frames_painted;  /* paints that showed a new frame */
  guint64 n_blocks_skipped;  /* blocks that never reached the worker (a gap in the offsets) */
  double  latency_sum_ms;    /* capture to the paint showing it, over the painted frames */
  double  latency_max_ms;
} AuscultaLiveStats;

GtkWidget *ausculta_live_view_new        (void);
void       ausculta_live_view_set_channel (AuscultaLiveView *self,
                                           const char       *title,
                                           const char       *unit,
                                           double            reference);
void       ausculta_live_view_set_range  (AuscultaLiveView *self,
                                          double            db_min,
                                          double            db_max);
void       ausculta_live_view_reset      (AuscultaLiveView *self);
void       ausculta_live_view_set_capturing (AuscultaLiveView *self,
                                             gboolean          capturing);
/* From any thread. */
void       ausculta_live_view_push_block (AuscultaLiveView *self,
                                          const char       *run,
                                          const float      *samples,
                                          gsize             n_frames,
                                          double            sample_rate,
                                          guint64           offset,
                                          gint64            captured);
guint      ausculta_live_view_get_n_spectra (AuscultaLiveView *self);
void       ausculta_live_view_get_stats  (AuscultaLiveView  *self,
                                          AuscultaLiveStats *stats);

G_END_DECLS
