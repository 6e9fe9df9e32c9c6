/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-live-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-bands.h"
#include "ausculta-bands-view.h"
#include "ausculta-live-view.h"
#include "ausculta-spectrogram-view.h"
#include "ausculta-spectrum.h"
#include "ausculta-spectrum-view.h"
#include "ausculta-waveform-view.h"

/* The live views of one channel: the blocks the inspection publishes are
 * kept as the channel's latest 16384 samples, whose spectrum (the core's
 * kernel, one Hann frame) feeds the spectrum, third-octave, spectrogram
 * and waveform views. Blocks are coalesced (latest wins) when the main
 * loop is busy: the view then shows the newest samples it has, with a gap
 * where blocks were skipped, instead of waiting for a full frame of
 * contiguous blocks. Runs on the main thread, once per delivered block. */
#define FFT_SIZE  16384
#define MAX_BANDS 48

struct _AuscultaLiveView
{
  GtkWidget                parent_instance;

  AuscultaSpectrumView    *spectrum_view;
  AuscultaBandsView       *bands_view;
  AuscultaSpectrogramView *spectrogram_view;
  AuscultaWaveformView    *waveform_view;

  double                   reference;     /* dB reference, in the channel's unit */
  double                   sample_rate;   /* of the spectrum below, 0 before */
  AuscultaSpectrum         spectrum;
  double                  *power;         /* n_bins */
  double                  *levels;        /* n_bins, dB */
  float                   *history;       /* ring of the latest FFT_SIZE samples */
  gsize                    history_end;   /* where the next sample goes */
  gsize                    history_filled;
  float                   *frame;         /* FFT_SIZE, oldest first */
  AuscultaBand             bands[MAX_BANDS];
  double                   centres[MAX_BANDS];
  guint                    n_bands;
  guint                    n_spectra;
};

G_DEFINE_FINAL_TYPE (AuscultaLiveView, ausculta_live_view, GTK_TYPE_WIDGET)

static void
clear_spectrum (AuscultaLiveView *self)
{
  if (self->sample_rate > 0)
    ausculta_spectrum_clear (&self->spectrum);
  self->sample_rate = 0;
  g_clear_pointer (&self->power, g_free);
  g_clear_pointer (&self->levels, g_free);
}

static void
remember (AuscultaLiveView *self,
          const float      *samples,
          gsize             n_samples)
{
  /* Only the newest FFT_SIZE samples matter. */
  if (n_samples > FFT_SIZE)
    {
      samples += n_samples - FFT_SIZE;
      n_samples = FFT_SIZE;
    }
  for (gsize i = 0; i < n_samples; i++)
    {
      self->history[self->history_end] = samples[i];
      self->history_end = (self->history_end + 1) % FFT_SIZE;
    }
  self->history_filled = MIN (FFT_SIZE, self->history_filled + n_samples);
}

/* The ring, oldest first, zero-padded in front until it is full. */
static void
unroll (AuscultaLiveView *self)
{
  gsize missing = FFT_SIZE - self->history_filled;
  gsize start = (self->history_end + FFT_SIZE - self->history_filled) % FFT_SIZE;

  memset (self->frame, 0, missing * sizeof (float));
  for (gsize i = 0; i < self->history_filled; i++)
    self->frame[missing + i] = self->history[(start + i) % FFT_SIZE];
}

static gboolean
prepare_spectrum (AuscultaLiveView *self,
                  double            sample_rate)
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

  if (self->sample_rate == sample_rate)
    return TRUE;
  clear_spectrum (self);
  if (!ausculta_spectrum_init (&self->spectrum, &config, &error))
    {
      g_warning ("Live spectrum at %g Hz: %s", sample_rate, error->message);
      return FALSE;
    }
  self->sample_rate = sample_rate;
  self->history_filled = 0;
  self->power = g_new (double, self->spectrum.n_bins);
  self->levels = g_new (double, self->spectrum.n_bins);
  self->n_bands = ausculta_bands_fractional_octave (3, 12.5, MIN (20000.0, sample_rate / 2.2),
                                                    self->bands, MAX_BANDS, &error);
  for (guint i = 0; i < self->n_bands; i++)
    self->centres[i] = self->bands[i].center;
  return TRUE;
}

static void
show_spectrum (AuscultaLiveView *self)
{
  gsize n_bins = self->spectrum.n_bins;
  double bin_width = ausculta_spectrum_bin_width (&self->spectrum);
  double band_levels[MAX_BANDS];

  if (!ausculta_spectrum_get (&self->spectrum, AUSCULTA_SPECTRUM_POWER, self->power))
    return;
  ausculta_bands_sum_power (self->bands, self->n_bands, self->power, NULL, n_bins,
                            bin_width, band_levels);
  ausculta_spectrum_to_db (band_levels, self->n_bands, TRUE, self->reference);
  memcpy (self->levels, self->power, n_bins * sizeof (double));
  ausculta_spectrum_to_db (self->levels, n_bins, TRUE, self->reference);
  ausculta_spectrum_view_set_spectrum (self->spectrum_view, self->levels, n_bins, bin_width);
  ausculta_spectrogram_view_push (self->spectrogram_view, self->levels, n_bins, bin_width);
  ausculta_bands_view_set_levels (self->bands_view, self->centres, band_levels, self->n_bands);
  self->n_spectra++;
}

static void
ausculta_live_view_dispose (GObject *object)
{
  GtkWidget *child;

  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_live_view_parent_class)->dispose (object);
}

static void
ausculta_live_view_finalize (GObject *object)
{
  AuscultaLiveView *self = AUSCULTA_LIVE_VIEW (object);

  clear_spectrum (self);
  g_free (self->history);
  g_free (self->frame);

  G_OBJECT_CLASS (ausculta_live_view_parent_class)->finalize (object);
}

static void
ausculta_live_view_class_init (AuscultaLiveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_live_view_dispose;
  object_class->finalize = ausculta_live_view_finalize;

  g_type_ensure (AUSCULTA_TYPE_SPECTRUM_VIEW);
  g_type_ensure (AUSCULTA_TYPE_BANDS_VIEW);
  g_type_ensure (AUSCULTA_TYPE_SPECTROGRAM_VIEW);
  g_type_ensure (AUSCULTA_TYPE_WAVEFORM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-live-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, spectrum_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, bands_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, spectrogram_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLiveView, waveform_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_live_view_init (AuscultaLiveView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reference = 20e-6;
  self->history = g_new0 (float, FFT_SIZE);
  self->frame = g_new (float, FFT_SIZE);
}

GtkWidget *
ausculta_live_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_LIVE_VIEW, NULL);
}

/* Names the channel in each view; levels are dB re @reference (@unit). */
void
ausculta_live_view_set_channel (AuscultaLiveView *self,
                                const char       *title,
                                const char       *unit,
                                double            reference)
{
  g_autofree char *spectrum_title = NULL;
  g_autofree char *bands_title = NULL;
  g_autofree char *spectrogram_title = NULL;
  g_autofree char *waveform_title = NULL;

  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));
  g_return_if_fail (reference > 0);

  self->reference = reference;
  /* Translators: the title of a plot, %s is the channel (AC, vib) */
  spectrum_title = g_strdup_printf (_("%s spectrum"), title);
  bands_title = g_strdup_printf (_("%s third octaves"), title);
  spectrogram_title = g_strdup_printf (_("%s spectrogram"), title);
  waveform_title = g_strdup_printf (_("%s waveform"), title);
  g_object_set (self->spectrum_view, "title", spectrum_title, NULL);
  g_object_set (self->bands_view, "title", bands_title, NULL);
  g_object_set (self->spectrogram_view, "title", spectrogram_title, NULL);
  g_object_set (self->waveform_view, "title", waveform_title, "unit", unit, NULL);
}

/* The level axis of the spectrum, the bars and the spectrogram's colours,
 * fixed per channel so that one motor compares with the next. */
void
ausculta_live_view_set_range (AuscultaLiveView *self,
                              double            db_min,
                              double            db_max)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));
  g_return_if_fail (db_min < db_max);

  g_object_set (self->spectrum_view, "db-min", db_min, "db-max", db_max, NULL);
  g_object_set (self->bands_view, "db-min", db_min, "db-max", db_max, NULL);
  g_object_set (self->spectrogram_view, "db-min", db_min, "db-max", db_max, NULL);
}

/* A new motor: forget the previous spectra and peaks. */
void
ausculta_live_view_reset (AuscultaLiveView *self)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));

  self->history_filled = 0;
  self->history_end = 0;
  ausculta_spectrogram_view_clear (self->spectrogram_view);
  ausculta_spectrum_view_reset_peak_hold (self->spectrum_view);
  self->n_spectra = 0;
}

/* Feeds one block of calibrated samples of this channel. */
void
ausculta_live_view_process (AuscultaLiveView *self,
                            const float      *samples,
                            gsize             n_samples,
                            double            sample_rate)
{
  g_return_if_fail (AUSCULTA_IS_LIVE_VIEW (self));

  if (n_samples == 0 || !prepare_spectrum (self, sample_rate))
    return;
  ausculta_waveform_view_set_samples (self->waveform_view, samples, n_samples, sample_rate);
  remember (self, samples, n_samples);
  /* From the first block on, zero-padded: a coarse spectrum at once beats
   * an empty plot while the first 16384 samples come in. */
  unroll (self);
  ausculta_spectrum_reset (&self->spectrum);
  ausculta_spectrum_process (&self->spectrum, self->frame, FFT_SIZE);
  show_spectrum (self);
}

/* Spectra shown since the last reset. */
guint
ausculta_live_view_get_n_spectra (AuscultaLiveView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LIVE_VIEW (self), 0);

  return self->n_spectra;
}
