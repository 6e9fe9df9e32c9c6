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

/* The live views of one channel: the blocks the inspection publishes go
 * through a 16384-point spectrum (the core's kernel) into the spectrum,
 * third-octave, spectrogram and waveform views. Runs on the main thread,
 * once per coalesced block. */
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

static gboolean
prepare_spectrum (AuscultaLiveView *self,
                  double            sample_rate)
{
  AuscultaSpectrumConfig config = {
    .fft_size = FFT_SIZE,
    .sample_rate = sample_rate,
    .window = AUSCULTA_WINDOW_HANN,
    .overlap = 0.5,
    .averaging = AUSCULTA_AVERAGING_EXPONENTIAL,
    .n_average = 2,
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
  clear_spectrum (AUSCULTA_LIVE_VIEW (object));

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

  if (self->sample_rate > 0)
    ausculta_spectrum_reset (&self->spectrum);
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
  ausculta_spectrum_process (&self->spectrum, samples, n_samples);
  show_spectrum (self);
}

/* Spectra shown since the last reset. */
guint
ausculta_live_view_get_n_spectra (AuscultaLiveView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LIVE_VIEW (self), 0);

  return self->n_spectra;
}
