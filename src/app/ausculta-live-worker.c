/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-live-worker"

#include "config.h"

#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-live-worker.h"
#include "ausculta-spectrum.h"

/* The channel's latest FFT_SIZE samples (zero-padded in front until there
 * are that many) make one Hann-windowed spectrum per block the thread
 * takes. Everything here but the lock-protected slots belongs to the
 * thread. */
#define FFT_SIZE 16384
#define F_MIN    10.0

typedef struct
{
  char    *run;
  float   *samples;
  gsize    n_frames;
  double   sample_rate;
  guint64  offset;
  gint64   captured;
} Block;

struct _AuscultaLiveWorker
{
  GThread           *thread;
  GMutex             lock;
  GCond              cond;
  gboolean           quit;
  gboolean           reset;       /* asked by the main thread, done by the thread */
  Block             *input;       /* latest block not taken by the thread */
  gboolean           processing;
  AuscultaLiveFrame *output;      /* latest frame not taken by the main thread */
  double             reference;
  guint64            n_skipped;

  /* The thread's own state. */
  double             sample_rate; /* of the spectrum below, 0 before */
  AuscultaSpectrum   spectrum;
  double            *power;
  float             *history;     /* ring of the latest FFT_SIZE samples */
  gsize              history_end;
  gsize              history_filled;
  float             *frame;
  AuscultaBand       bands[AUSCULTA_LIVE_MAX_BANDS];
  guint              n_bands;
  char              *run;         /* of the last block seen */
  guint64            expected;    /* offset the next block of that run starts at */
  guint64            serial;
};

static void
block_free (Block *block)
{
  if (block == NULL)
    return;
  g_free (block->run);
  g_free (block->samples);
  g_free (block);
}

static void
clear_spectrum (AuscultaLiveWorker *worker)
{
  if (worker->sample_rate > 0)
    ausculta_spectrum_clear (&worker->spectrum);
  worker->sample_rate = 0;
  g_clear_pointer (&worker->power, g_free);
}

static gboolean
prepare_spectrum (AuscultaLiveWorker *worker,
                  double              sample_rate)
{
  AuscultaSpectrumConfig config = {
    .fft_size = FFT_SIZE,
    .sample_rate = sample_rate,
    .window = AUSCULTA_WINDOW_HANN,
    .overlap = 0.5,
    .averaging = AUSCULTA_AVERAGING_LINEAR,
    .n_average = 1,
    .peak_hold = FALSE,
  };
  g_autoptr(GError) error = NULL;

  if (worker->sample_rate == sample_rate)
    return TRUE;
  clear_spectrum (worker);
  if (!ausculta_spectrum_init (&worker->spectrum, &config, &error))
    {
      g_warning ("Live spectrum at %g Hz: %s", sample_rate, error->message);
      return FALSE;
    }
  worker->sample_rate = sample_rate;
  worker->history_filled = 0;
  worker->power = g_new (double, worker->spectrum.n_bins);
  worker->n_bands = ausculta_bands_fractional_octave (3, 12.5, MIN (20000.0, sample_rate / 2.2),
                                                      worker->bands, AUSCULTA_LIVE_MAX_BANDS, &error);
  return TRUE;
}

static void
remember (AuscultaLiveWorker *worker,
          const float        *samples,
          gsize               n_samples)
{
  if (n_samples > FFT_SIZE)
    {
      samples += n_samples - FFT_SIZE;
      n_samples = FFT_SIZE;
    }
  for (gsize i = 0; i < n_samples; i++)
    {
      worker->history[worker->history_end] = samples[i];
      worker->history_end = (worker->history_end + 1) % FFT_SIZE;
    }
  worker->history_filled = MIN (FFT_SIZE, worker->history_filled + n_samples);
}

/* The ring, oldest first, zero-padded in front until it is full. */
static void
unroll (AuscultaLiveWorker *worker)
{
  gsize missing = FFT_SIZE - worker->history_filled;
  gsize start = (worker->history_end + FFT_SIZE - worker->history_filled) % FFT_SIZE;

  memset (worker->frame, 0, missing * sizeof (float));
  for (gsize i = 0; i < worker->history_filled; i++)
    worker->frame[missing + i] = worker->history[(start + i) % FFT_SIZE];
}

/* Counts the blocks between the last one seen and this one. */
static guint64
count_gap (AuscultaLiveWorker *worker,
           const Block        *block)
{
  guint64 gap = 0;

  if (g_strcmp0 (worker->run, block->run) != 0)
    {
      g_free (worker->run);
      worker->run = g_strdup (block->run);
      worker->expected = 0;
    }
  if (block->offset > worker->expected && block->n_frames > 0)
    gap = (block->offset - worker->expected + block->n_frames - 1) / block->n_frames;
  worker->expected = block->offset + block->n_frames;
  return gap;
}

static AuscultaLiveFrame *
make_frame (AuscultaLiveWorker *worker,
            const Block        *block,
            double              reference)
{
  g_autofree AuscultaLiveFrame *frame = g_new0 (AuscultaLiveFrame, 1);
  gsize n_bins = worker->spectrum.n_bins;
  double bin_width = ausculta_spectrum_bin_width (&worker->spectrum);

  remember (worker, block->samples, block->n_frames);
  unroll (worker);
  ausculta_spectrum_reset (&worker->spectrum);
  ausculta_spectrum_process (&worker->spectrum, worker->frame, FFT_SIZE);
  if (!ausculta_spectrum_get (&worker->spectrum, AUSCULTA_SPECTRUM_POWER, worker->power))
    return NULL;
  ausculta_bands_sum_power (worker->bands, worker->n_bands, worker->power, NULL, n_bins,
                            bin_width, frame->bands);
  ausculta_spectrum_to_db (frame->bands, worker->n_bands, TRUE, reference);
  for (guint i = 0; i < worker->n_bands; i++)
    frame->centres[i] = worker->bands[i].center;
  frame->n_bands = worker->n_bands;
  ausculta_spectrum_to_db (worker->power, n_bins, TRUE, reference);
  frame->f_min = F_MIN;
  frame->f_max = MAX (10.0 * F_MIN, (n_bins - 1) * bin_width);
  ausculta_plot_reduce_spectrum (worker->power, n_bins, bin_width, frame->f_min, frame->f_max,
                                 frame->spectrum, AUSCULTA_LIVE_SPECTRUM_POINTS);
  ausculta_plot_reduce_spectrum (worker->power, n_bins, bin_width, frame->f_min, frame->f_max,
                                 frame->rows, AUSCULTA_SPECTROGRAM_ROWS);
  frame->peak = ausculta_plot_reduce_samples (block->samples, block->n_frames, frame->waveform,
                                              AUSCULTA_WAVEFORM_COLUMNS);
  frame->n_columns = (guint) MIN ((gsize) AUSCULTA_WAVEFORM_COLUMNS, block->n_frames);
  frame->duration = block->n_frames / block->sample_rate;
  frame->offset = block->offset;
  frame->captured = block->captured;
  frame->serial = ++worker->serial;
  return g_steal_pointer (&frame);
}

static void
forget (AuscultaLiveWorker *worker)
{
  worker->history_filled = 0;
  worker->history_end = 0;
  worker->serial = 0;
  worker->expected = 0;
  g_clear_pointer (&worker->run, g_free);
}

static gpointer
run_thread (gpointer data)
{
  AuscultaLiveWorker *worker = data;

  g_mutex_lock (&worker->lock);
  for (;;)
    {
      Block *block;
      AuscultaLiveFrame *frame = NULL;
      double reference;
      guint64 gap;

      while (worker->input == NULL && !worker->quit && !worker->reset)
        g_cond_wait (&worker->cond, &worker->lock);
      if (worker->quit)
        break;
      if (worker->reset)
        {
          forget (worker);
          worker->reset = FALSE;
          continue;
        }
      block = g_steal_pointer (&worker->input);
      reference = worker->reference;
      worker->processing = TRUE;
      g_mutex_unlock (&worker->lock);

      gap = count_gap (worker, block);
      if (block->n_frames > 0 && prepare_spectrum (worker, block->sample_rate))
        frame = make_frame (worker, block, reference);
      block_free (block);

      g_mutex_lock (&worker->lock);
      worker->processing = FALSE;
      if (worker->reset)
        {
          g_free (frame);
          continue;
        }
      worker->n_skipped += gap;
      if (frame != NULL)
        {
          g_free (worker->output);
          worker->output = frame;
        }
    }
  g_mutex_unlock (&worker->lock);
  return NULL;
}

AuscultaLiveWorker *
ausculta_live_worker_new (void)
{
  AuscultaLiveWorker *worker = g_new0 (AuscultaLiveWorker, 1);

  g_mutex_init (&worker->lock);
  g_cond_init (&worker->cond);
  worker->reference = 20e-6;
  worker->history = g_new0 (float, FFT_SIZE);
  worker->frame = g_new (float, FFT_SIZE);
  worker->thread = g_thread_new ("ausculta-live", run_thread, worker);
  return worker;
}

void
ausculta_live_worker_free (AuscultaLiveWorker *worker)
{
  if (worker == NULL)
    return;
  g_mutex_lock (&worker->lock);
  worker->quit = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
  g_thread_join (worker->thread);
  block_free (worker->input);
  g_free (worker->output);
  clear_spectrum (worker);
  g_free (worker->history);
  g_free (worker->frame);
  g_free (worker->run);
  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->cond);
  g_free (worker);
}

void
ausculta_live_worker_set_reference (AuscultaLiveWorker *worker,
                                    double              reference)
{
  g_return_if_fail (reference > 0);

  g_mutex_lock (&worker->lock);
  worker->reference = reference;
  g_mutex_unlock (&worker->lock);
}

void
ausculta_live_worker_reset (AuscultaLiveWorker *worker)
{
  g_mutex_lock (&worker->lock);
  g_clear_pointer (&worker->input, block_free);
  g_clear_pointer (&worker->output, g_free);
  worker->n_skipped = 0;
  worker->reset = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

void
ausculta_live_worker_push (AuscultaLiveWorker *worker,
                           const char         *run,
                           float              *samples,
                           gsize               n_frames,
                           double              sample_rate,
                           guint64             offset,
                           gint64              captured)
{
  Block *block = g_new0 (Block, 1);

  block->run = g_strdup (run);
  block->samples = samples;
  block->n_frames = n_frames;
  block->sample_rate = sample_rate;
  block->offset = offset;
  block->captured = captured;
  g_mutex_lock (&worker->lock);
  /* The thread is behind: the block it has not taken is skipped, which
   * the gap in offsets will count. */
  block_free (worker->input);
  worker->input = block;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

AuscultaLiveFrame *
ausculta_live_worker_take_frame (AuscultaLiveWorker *worker)
{
  AuscultaLiveFrame *frame;

  g_mutex_lock (&worker->lock);
  frame = g_steal_pointer (&worker->output);
  g_mutex_unlock (&worker->lock);
  return frame;
}

gboolean
ausculta_live_worker_is_busy (AuscultaLiveWorker *worker)
{
  gboolean busy;

  g_mutex_lock (&worker->lock);
  busy = worker->input != NULL || worker->processing;
  g_mutex_unlock (&worker->lock);
  return busy;
}

guint64
ausculta_live_worker_get_n_skipped (AuscultaLiveWorker *worker)
{
  guint64 n;

  g_mutex_lock (&worker->lock);
  n = worker->n_skipped;
  g_mutex_unlock (&worker->lock);
  return n;
}
