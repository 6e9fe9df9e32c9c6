/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ausculta-measurement-page.h"
#include "ausculta-measurement-loader.h"
#include "ausculta-spectrogram-view.h"
#include "ausculta-spectrum-view.h"
#include "ausculta-waveform-view.h"

G_BEGIN_DECLS

/* The measurement page's state, shared by the files of its panels
 * (signal player, labelling, exports); not for use outside the page. */
struct _AuscultaMeasurementPage
{
  GtkWidget                parent_instance;

  AdwToastOverlay         *toasts;
  GtkLabel                *title, *serial, *time, *station, *operator_name, *verdict;
  GtkLabel                *score, *model, *health, *reasons, *reference_label;
  GtkSpinButton           *k_spin;
  GtkBox                  *plots_box;
  GtkWidget               *signals_group;
  GtkDropDown             *signal_dropdown;
  AuscultaSpectrumView    *spectrum_view;
  AuscultaSpectrogramView *spectrogram_view;
  AuscultaWaveformView    *waveform_view;
  GtkButton               *play_button;
  GtkDropDown             *label_dropdown;
  GtkEntry                *comment_entry;
  GtkListBox              *history_list;

  AuscultaArchive         *archive;
  char                    *user_name;
  char                    *id;
  Loaded                  *loaded;
  AuscultaReferenceBand   *band;
  char                    *band_error;
  GPtrArray               *plots;
  GCancellable            *cancellable;
  guint                    n_loading;
};

/* Helpers of ausculta-measurement-page.c used by the panels. */
void       ausculta_measurement_page_toast           (AuscultaMeasurementPage *self,
                                                      const char              *text);
GtkWidget *ausculta_measurement_page_heading         (const char              *text);
GtkWidget *ausculta_measurement_page_button          (const char              *text,
                                                      const char              *accessible,
                                                      GCallback                callback,
                                                      gpointer                 data);
/* Shows @local in a toast, moves it to @error and returns FALSE. */
gboolean   ausculta_measurement_page_fail_with_toast (AuscultaMeasurementPage *self,
                                                      GError                  *local,
                                                      GError                 **error);
gboolean   ausculta_measurement_page_check_loaded    (AuscultaMeasurementPage *self,
                                                      GError                 **error);

G_END_DECLS
