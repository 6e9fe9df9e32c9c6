/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-player"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-measurement-player.h"
#include "ausculta-measurement-page-private.h"
#include "ausculta-playback.h"

static void
show_signal (AuscultaMeasurementPage *self)
{
  guint i = gtk_drop_down_get_selected (self->signal_dropdown);
  const AuscultaSignal *signal;
  const SignalSpectra *spectra;

  ausculta_spectrogram_view_clear (self->spectrogram_view);
  if (self->loaded == NULL || i >= self->loaded->measurement->signals->len)
    return;
  signal = g_ptr_array_index (self->loaded->measurement->signals, i);
  spectra = g_ptr_array_index (self->loaded->spectra, i);
  ausculta_waveform_view_set_samples (self->waveform_view, signal->samples, signal->n_samples,
                                      signal->sample_rate);
  if (spectra->levels == NULL)
    return;
  ausculta_spectrum_view_reset_peak_hold (self->spectrum_view);
  ausculta_spectrum_view_set_spectrum (self->spectrum_view, spectra->levels, spectra->n_bins,
                                       spectra->bin_width);
  for (guint c = 0; c < spectra->n_columns; c++)
    ausculta_spectrogram_view_push (self->spectrogram_view, spectra->columns + (gsize) c * spectra->n_bins,
                                    spectra->n_bins, spectra->bin_width);
}

void
ausculta_measurement_player_show_signals (AuscultaMeasurementPage *self)
{
  const AuscultaMeasurement *m = self->loaded->measurement;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < m->signals->len; i++)
    {
      const AuscultaSignal *signal = g_ptr_array_index (m->signals, i);
      g_autofree char *name = g_strdup_printf ("%s · %s", signal->run, signal->channel);

      gtk_string_list_append (names, name);
    }
  gtk_widget_set_visible (self->signals_group, m->signals->len > 0);
  gtk_drop_down_set_model (self->signal_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->signal_dropdown, 0);
  show_signal (self);
}

static void
play_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (source);
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    ausculta_measurement_page_toast (self, error->message);
}

static void
play_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const AuscultaSignal *signal = task_data;
  GError *error = NULL;

  if (ausculta_playback_play (signal->samples, signal->n_samples, signal->sample_rate, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_play (AuscultaMeasurementPage *self)
{
  guint i = gtk_drop_down_get_selected (self->signal_dropdown);
  g_autoptr(GTask) task = NULL;

  if (self->loaded == NULL || i >= self->loaded->measurement->signals->len)
    return;
  task = g_task_new (self, NULL, play_done, NULL);
  /* The measurement outlives the task: it is kept by the task below. */
  g_object_set_data_full (G_OBJECT (task), "measurement",
                          ausculta_measurement_ref (self->loaded->measurement),
                          (GDestroyNotify) ausculta_measurement_unref);
  g_task_set_task_data (task, g_ptr_array_index (self->loaded->measurement->signals, i), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), FALSE);
  g_task_run_in_thread (task, play_thread);
}

GtkWidget *
ausculta_measurement_player_build (AuscultaMeasurementPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  self->signal_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Stored signal"), -1);
  g_signal_connect_swapped (self->signal_dropdown, "notify::selected", G_CALLBACK (show_signal), self);
  self->play_button = GTK_BUTTON (ausculta_measurement_page_button (_("_Play"), _("Play the signal"), G_CALLBACK (on_play), self));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->signal_dropdown));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->play_button));
  self->spectrum_view = AUSCULTA_SPECTRUM_VIEW (ausculta_spectrum_view_new ());
  self->spectrogram_view = AUSCULTA_SPECTROGRAM_VIEW (ausculta_spectrogram_view_new ());
  self->waveform_view = AUSCULTA_WAVEFORM_VIEW (ausculta_waveform_view_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->spectrum_view), -1, 200);
  gtk_widget_set_size_request (GTK_WIDGET (self->spectrogram_view), -1, 160);
  gtk_widget_set_size_request (GTK_WIDGET (self->waveform_view), -1, 120);
  gtk_box_append (GTK_BOX (box), ausculta_measurement_page_heading (_("Stored Signals")));
  gtk_box_append (GTK_BOX (box), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spectrum_view));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spectrogram_view));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->waveform_view));
  self->signals_group = box;
  return box;
}
