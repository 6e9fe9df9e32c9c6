/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-loader"

#include "config.h"

#include "ausculta-measurement-loader.h"
#include "ausculta-spectrum.h"

#define FFT_SIZE       4096
#define MAX_COLUMNS    400   /* the spectrogram view keeps 400 columns */
#define MAX_REFERENCE  5000

static void
signal_spectra_free (SignalSpectra *spectra)
{
  g_free (spectra->levels);
  g_free (spectra->columns);
  g_free (spectra);
}

void
ausculta_measurement_loaded_free (Loaded *loaded)
{
  if (loaded == NULL)
    return;
  g_clear_pointer (&loaded->measurement, ausculta_measurement_unref);
  g_clear_pointer (&loaded->labels, g_ptr_array_unref);
  g_clear_pointer (&loaded->spectra, g_ptr_array_unref);
  g_free (loaded);
}

static double
db_reference (const AuscultaSignal *signal)
{
  return g_strcmp0 (signal->unit, "Pa") == 0 ? 20e-6 : 1e-6;
}

static SignalSpectra *
compute_spectra (const AuscultaSignal *signal)
{
  AuscultaSpectrumConfig config = { FFT_SIZE, signal->sample_rate, AUSCULTA_WINDOW_HANN, 0.5,
                                    AUSCULTA_AVERAGING_LINEAR, 1, FALSE };
  SignalSpectra *spectra = g_new0 (SignalSpectra, 1);
  AuscultaSpectrum spectrum;
  gsize n_frames, stride;

  if (signal->n_samples < FFT_SIZE || !ausculta_spectrum_init (&spectrum, &config, NULL))
    return spectra;
  spectra->n_bins = spectrum.n_bins;
  spectra->bin_width = ausculta_spectrum_bin_width (&spectrum);
  n_frames = signal->n_samples / FFT_SIZE;
  stride = MAX (1, (signal->n_samples - FFT_SIZE) / MAX_COLUMNS);
  spectra->columns = g_new (double, (gsize) MAX_COLUMNS * spectra->n_bins);
  for (gsize start = 0; start + FFT_SIZE <= signal->n_samples && spectra->n_columns < MAX_COLUMNS;
       start += stride)
    {
      double *column = spectra->columns + (gsize) spectra->n_columns * spectra->n_bins;

      ausculta_spectrum_reset (&spectrum);
      ausculta_spectrum_process (&spectrum, signal->samples + start, FFT_SIZE);
      ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, column);
      ausculta_spectrum_to_db (column, spectra->n_bins, TRUE, db_reference (signal));
      spectra->n_columns++;
    }
  ausculta_spectrum_reset (&spectrum);
  ausculta_spectrum_process (&spectrum, signal->samples, n_frames * FFT_SIZE);
  spectra->levels = g_new (double, spectra->n_bins);
  ausculta_spectrum_get (&spectrum, AUSCULTA_SPECTRUM_POWER, spectra->levels);
  ausculta_spectrum_to_db (spectra->levels, spectra->n_bins, TRUE, db_reference (signal));
  ausculta_spectrum_clear (&spectrum);
  return spectra;
}

void
ausculta_measurement_load_thread (GTask        *task,
                                  gpointer      source,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  AuscultaArchive *archive = g_object_get_data (G_OBJECT (task), "archive");
  Loaded *loaded = g_new0 (Loaded, 1);
  GError *error = NULL;

  loaded->measurement = ausculta_archive_load_measurement (archive, task_data, TRUE, &error);
  if (loaded->measurement != NULL)
    loaded->labels = ausculta_archive_get_label_history (archive, task_data, &error);
  if (error != NULL)
    {
      ausculta_measurement_loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  loaded->spectra = g_ptr_array_new_with_free_func ((GDestroyNotify) signal_spectra_free);
  for (guint i = 0; i < loaded->measurement->signals->len; i++)
    g_ptr_array_add (loaded->spectra, compute_spectra (g_ptr_array_index (loaded->measurement->signals, i)));
  g_task_return_pointer (task, loaded, (GDestroyNotify) ausculta_measurement_loaded_free);
}

void
ausculta_measurement_band_thread (GTask        *task,
                                  gpointer      source,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  AuscultaArchive *archive = g_object_get_data (G_OBJECT (task), "archive");
  double k = *(double *) task_data;
  AuscultaArchiveFilter filter;
  g_autoptr(AuscultaFeatureMatrix) matrix = NULL;
  AuscultaReferenceBand *band;
  GError *error = NULL;

  ausculta_archive_filter_init (&filter);
  filter.label = AUSCULTA_LABEL_OK;
  matrix = ausculta_archive_get_features (archive, &filter, MAX_REFERENCE, &error);
  band = matrix != NULL ? ausculta_reference_band_compute (matrix, k, &error) : NULL;
  if (band == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, band, (GDestroyNotify) ausculta_reference_band_free);
}

