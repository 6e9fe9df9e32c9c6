/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-plot.h"
#include "ausculta-spectrogram-view.h"
#include "ausculta-waveform-view.h"

G_BEGIN_DECLS

#define AUSCULTA_LIVE_SPECTRUM_POINTS 1024
#define AUSCULTA_LIVE_MAX_BANDS       48

/* What the live views of one channel show at one display frame, already
 * reduced to the screen: the spectrum as points on the log-frequency axis,
 * one spectrogram column, third-octave levels and the waveform's min/max
 * per column. Made by the worker thread, read by the main thread. */
typedef struct
{
  guint64               serial;        /* spectra computed since the reset, this one included */
  guint64               offset;        /* first frame of the newest block in its run */
  gint64                captured;      /* g_get_monotonic_time() when that block was captured */
  double                f_min, f_max;  /* of the spectrum and the spectrogram */
  AuscultaSpectrumPoint spectrum[AUSCULTA_LIVE_SPECTRUM_POINTS];
  AuscultaSpectrumPoint rows[AUSCULTA_SPECTROGRAM_ROWS];
  double                centres[AUSCULTA_LIVE_MAX_BANDS];
  double                bands[AUSCULTA_LIVE_MAX_BANDS];   /* dB */
  guint                 n_bands;
  AuscultaColumnRange   waveform[AUSCULTA_WAVEFORM_COLUMNS];
  guint                 n_columns;
  double                duration;      /* of the waveform, seconds */
  double                peak;          /* largest absolute sample of the waveform */
} AuscultaLiveFrame;

/* The DSP of one channel's live views on its own thread: blocks go into a
 * ring of the latest samples; the thread makes a frame from the newest
 * samples whenever some came and the previous frame has been taken, so
 * the main thread taking one frame per display frame gets at most that
 * many computed. Blocks that never reached the worker are counted from
 * the gaps in their offsets. */
typedef struct _AuscultaLiveWorker AuscultaLiveWorker;

AuscultaLiveWorker *ausculta_live_worker_new         (void);
void                ausculta_live_worker_free        (AuscultaLiveWorker *worker);
/* dB reference of the levels, in the channel's unit. */
void                ausculta_live_worker_set_reference (AuscultaLiveWorker *worker,
                                                      double              reference);
/* A new motor: the history, the counters and any pending block are dropped. */
void                ausculta_live_worker_reset       (AuscultaLiveWorker *worker);
/* Copies @samples (n_frames of this channel); returns at once. */
void                ausculta_live_worker_push        (AuscultaLiveWorker *worker,
                                                      const char         *run,
                                                      const float        *samples,
                                                      gsize               n_frames,
                                                      double              sample_rate,
                                                      guint64             offset,
                                                      gint64              captured);
/* The newest frame not taken yet, or NULL; free with g_free(). */
AuscultaLiveFrame  *ausculta_live_worker_take_frame  (AuscultaLiveWorker *worker);
/* TRUE while pushed samples have not become a frame yet. */
gboolean            ausculta_live_worker_is_busy     (AuscultaLiveWorker *worker);
/* Blocks that never reached the worker (gaps in the offsets), since the reset. */
guint64             ausculta_live_worker_get_n_skipped (AuscultaLiveWorker *worker);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaLiveWorker, ausculta_live_worker_free)

G_END_DECLS
