/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-archive.h"
#include "ausculta-reference-band.h"

G_BEGIN_DECLS

/* The measurement page's workers: loading a stored measurement with the
 * spectra of its signals, and the reference band of the good units. Both
 * run in a GTask thread; the task holds the archive as its "archive" data. */

/* The spectra of one stored signal, computed in the loading worker. */
typedef struct {
  double *levels;        /* n_bins, dB: Welch over the whole signal */
  double *columns;       /* n_columns * n_bins, dB: the spectrogram */
  gsize   n_bins;
  guint   n_columns;
  double  bin_width;
} SignalSpectra;

typedef struct {
  AuscultaMeasurement *measurement;
  GPtrArray           *labels;
  GPtrArray           *spectra;   /* SignalSpectra*, one per signal */
} Loaded;

void  ausculta_measurement_loaded_free (Loaded *loaded);

/* Task data: the measurement id (a string). Returns a Loaded. */
void  ausculta_measurement_load_thread (GTask        *task,
                                        gpointer      source,
                                        gpointer      task_data,
                                        GCancellable *cancellable);
/* Task data: k (a double). Returns an AuscultaReferenceBand. */
void  ausculta_measurement_band_thread (GTask        *task,
                                        gpointer      source,
                                        gpointer      task_data,
                                        GCancellable *cancellable);

G_END_DECLS
