/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-live-worker"

#include "config.h"

#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-live-worker.h"
#include "ausculta-spectrum.h"

/* The channel's latest FFT_SIZE samples (zero-padded in front until there
 * are that many) make one Hann-windowed spectrum. Blocks only go into the
 * ring of samples; the thread computes a frame when new samples came and
 * the main thread has taken the previous frame, so at most one frame per
 * display frame, always from the newest samples, whatever the block size.
 * The lock protects everything above "the thread's own state". */
#define FFT_SIZE      16384
#define WAVEFORM_SPAN 1024   /* samples the waveform shows: 21 ms at 48 kHz */
#define F_MIN         10.0

struct _AuscultaLiveWorker
{
  GThread           *thread;
  GMutex             lock;
  GCond              cond;
  gboolean           quit;
  guint              generation;  /* bumped by a reset: older frames are dropped */
  float             *history;     /* ring of the latest FFT_SIZE samples */
  gsize              history_end;
  gsize              history_filled;
  double             history_rate;
  gboolean           fresh;       /* samples came since the last frame began */
  guint64            offset;      /* of the newest block, in its run */
  gint64             captured;    /* ... and its capture time */
  char              *run;         /* of the newest block */
  guint64            expected;    /* offset the next block of that run starts at */
  gboolean           processing;
  AuscultaLiveFrame *output;      /* latest frame not taken by the main thread */
  double             reference;
  guint64            n_skipped;
  guint64            serial;

  /* The thread's own state. */
  double             sample_rate; /* of the spectrum below, 0 before */
  AuscultaSpectrum   spectrum;
  double            *power;
  float             *frame;       /* the ring unrolled, oldest first */
  AuscultaBand       bands[AUSCULTA_LIVE_MAX_BANDS];
  guint              n_bands;
  double             f_max;       /* of the spectrum and the spectrogram */
  /* The bins under the spectrum's points and the spectrogram's rows. */
  AuscultaSpectrumSlices *points;
  AuscultaSpectrumSlices *rows;
};

static void
clear_spectrum (AuscultaLiveWorker *worker)
{
  if (worker->sample_rate > 0)
    ausculta_spectrum_clear (&worker->spectrum);
  worker->sample_rate = 0;
  g_clear_pointer (&worker->power, g_free);
  g_clear_pointer (&worker->points, ausculta_spectrum_slices_free);
  g_clear_pointer (&worker->rows, ausculta_spectrum_slices_free);
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
  double bin_width;

  if (worker->sample_rate == sample_rate)
    return TRUE;
  clear_spectrum (worker);
  if (!ausculta_spectrum_init (&worker->spectrum, &config, &error))
    {
      g_warning ("Live spectrum at %g Hz: %s", sample_rate, error->message);
      return FALSE;
    }
  worker->sample_rate = sample_rate;
  worker->power = g_new (double, worker->spectrum.n_bins);
  bin_width = ausculta_spectrum_bin_width (&worker->spectrum);
  worker->f_max = MAX (10.0 * F_MIN, (worker->spectrum.n_bins - 1) * bin_width);
  worker->points = ausculta_spectrum_slices_new (worker->spectrum.n_bins, bin_width, F_MIN, worker->f_max,
                                                 AUSCULTA_LIVE_SPECTRUM_POINTS);
  worker->rows = ausculta_spectrum_slices_new (worker->spectrum.n_bins, bin_width, F_MIN, worker->f_max,
                                               AUSCULTA_SPECTROGRAM_ROWS);
  worker->n_bands = ausculta_bands_fractional_octave (3, 12.5, MIN (20000.0, sample_rate / 2.2),
                                                      worker->bands, AUSCULTA_LIVE_MAX_BANDS, &error);
  return TRUE;
}

/* Under the lock. */
static void
forget_history (AuscultaLiveWorker *worker)
{
  worker->history_filled = 0;
  worker->history_end = 0;
  worker->fresh = FALSE;
}

/* Under the lock: appends a block to the ring. */
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
  while (n_samples > 0)
    {
      gsize n = MIN (n_samples, FFT_SIZE - worker->history_end);

      memcpy (worker->history + worker->history_end, samples, n * sizeof (float));
      worker->history_end = (worker->history_end + n) % FFT_SIZE;
      samples += n;
      n_samples -= n;
      worker->history_filled = MIN (FFT_SIZE, worker->history_filled + n);
    }
}

/* Under the lock: the ring, oldest first, zero-padded in front until it is
 * full, into the thread's frame buffer. */
static void
unroll (AuscultaLiveWorker *worker)
{
  gsize missing = FFT_SIZE - worker->history_filled;
  gsize start = (worker->history_end + missing) % FFT_SIZE;
  gsize first = MIN (worker->history_filled, FFT_SIZE - start);

  memset (worker->frame, 0, missing * sizeof (float));
  memcpy (worker->frame + missing, worker->history + start, first * sizeof (float));
  memcpy (worker->frame + missing + first, worker->history,
          (worker->history_filled - first) * sizeof (float));
}

/* Under the lock: counts the blocks missing between the last one seen and
 * this one. */
static guint64
count_gap (AuscultaLiveWorker *worker,
           const char         *run,
           guint64             offset,
           gsize               n_frames)
{
  guint64 gap = 0;

  if (g_strcmp0 (worker->run, run) != 0)
    {
      /* A new run starts at its first frame; after a reset, the first
       * block seen is where counting starts. */
      worker->expected = worker->run != NULL ? 0 : offset;
      g_free (worker->run);
      worker->run = g_strdup (run);
    }
  if (offset > worker->expected && n_frames > 0)
    gap = (offset - worker->expected + n_frames - 1) / n_frames;
  worker->expected = offset + n_frames;
  return gap;
}

/* The spectrum of worker->frame and what the views show of it. */
static void
compute_frame (AuscultaLiveWorker *worker,
               AuscultaLiveFrame  *frame,
               gsize               n_filled,
               double              reference)
{
  gsize n_bins = worker->spectrum.n_bins;
  double bin_width = ausculta_spectrum_bin_width (&worker->spectrum);
  gsize span = MIN ((gsize) WAVEFORM_SPAN, n_filled);

  ausculta_spectrum_reset (&worker->spectrum);
  ausculta_spectrum_process (&worker->spectrum, worker->frame, FFT_SIZE);
  if (!ausculta_spectrum_get (&worker->spectrum, AUSCULTA_SPECTRUM_POWER, worker->power))
    return;
  ausculta_bands_sum_power (worker->bands, worker->n_bands, worker->power, NULL, n_bins,
                            bin_width, frame->bands);
  ausculta_spectrum_to_db (frame->bands, worker->n_bands, TRUE, reference);
  for (guint i = 0; i < worker->n_bands; i++)
    frame->centres[i] = worker->bands[i].center;
  frame->n_bands = worker->n_bands;
  frame->f_min = F_MIN;
  frame->f_max = worker->f_max;
  /* The strongest bin per point is the same in power as in dB: reduced
   * first, only the points go through the logarithm, not every bin. */
  ausculta_spectrum_slices_reduce (worker->points, worker->power, frame->spectrum);
  ausculta_spectrum_slices_reduce (worker->rows, worker->power, frame->rows);
  for (guint p = 0; p < AUSCULTA_LIVE_SPECTRUM_POINTS; p++)
    ausculta_spectrum_to_db (&frame->spectrum[p].level, 1, TRUE, reference);
  for (guint r = 0; r < AUSCULTA_SPECTROGRAM_ROWS; r++)
    ausculta_spectrum_to_db (&frame->rows[r].level, 1, TRUE, reference);
  frame->peak = ausculta_plot_reduce_samples (worker->frame + FFT_SIZE - span, span,
                                              frame->waveform, AUSCULTA_WAVEFORM_COLUMNS);
  frame->n_columns = (guint) MIN ((gsize) AUSCULTA_WAVEFORM_COLUMNS, span);
  frame->duration = span / worker->sample_rate;
}

/* Under the lock on entry and on return: one frame from the newest
 * samples, published unless a reset came meanwhile. */
static void
make_frame (AuscultaLiveWorker *worker)
{
  AuscultaLiveFrame *frame = g_new0 (AuscultaLiveFrame, 1);
  guint generation = worker->generation;
  double rate = worker->history_rate;
  double reference = worker->reference;
  gsize n_filled = worker->history_filled;
  gboolean made = FALSE;

  unroll (worker);
  worker->fresh = FALSE;
  worker->processing = TRUE;
  frame->offset = worker->offset;
  frame->captured = worker->captured;
  g_mutex_unlock (&worker->lock);

  if (prepare_spectrum (worker, rate))
    {
      compute_frame (worker, frame, n_filled, reference);
      made = TRUE;
    }

  g_mutex_lock (&worker->lock);
  worker->processing = FALSE;
  if (!made || generation != worker->generation)
    {
      g_free (frame);
      return;
    }
  frame->serial = ++worker->serial;
  g_free (worker->output);
  worker->output = frame;
}

static gpointer
run_thread (gpointer data)
{
  AuscultaLiveWorker *worker = data;

  g_mutex_lock (&worker->lock);
  while (!worker->quit)
    {
      if (worker->fresh && worker->output == NULL)
        make_frame (worker);
      else
        g_cond_wait (&worker->cond, &worker->lock);
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
  worker->generation++;
  forget_history (worker);
  g_clear_pointer (&worker->output, g_free);
  g_clear_pointer (&worker->run, g_free);
  worker->expected = 0;
  worker->serial = 0;
  worker->n_skipped = 0;
  g_mutex_unlock (&worker->lock);
}

/* Copies the block into the ring: no allocation, no computing here. */
void
ausculta_live_worker_push (AuscultaLiveWorker *worker,
                           const char         *run,
                           const float        *samples,
                           gsize               n_frames,
                           double              sample_rate,
                           guint64             offset,
                           gint64              captured)
{
  g_return_if_fail (sample_rate > 0);

  if (n_frames == 0)
    return;
  g_mutex_lock (&worker->lock);
  /* A block that never came leaves a gap in the offsets. */
  worker->n_skipped += count_gap (worker, run, offset, n_frames);
  if (sample_rate != worker->history_rate)
    {
      forget_history (worker);
      worker->history_rate = sample_rate;
    }
  remember (worker, samples, n_frames);
  worker->offset = offset;
  worker->captured = captured;
  worker->fresh = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
}

/* Taking the frame lets the thread make the next one, if samples came. */
AuscultaLiveFrame *
ausculta_live_worker_take_frame (AuscultaLiveWorker *worker)
{
  AuscultaLiveFrame *frame;

  g_mutex_lock (&worker->lock);
  frame = g_steal_pointer (&worker->output);
  if (frame != NULL && worker->fresh)
    g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
  return frame;
}

gboolean
ausculta_live_worker_is_busy (AuscultaLiveWorker *worker)
{
  gboolean busy;

  g_mutex_lock (&worker->lock);
  busy = worker->fresh || worker->processing;
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
