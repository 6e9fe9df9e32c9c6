/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-calibration"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-bench.h"
#include "ausculta-calibration-dialog.h"
#include "ausculta-level-meter.h"
#include "ausculta-preferences-calibration.h"
#include "ausculta-preferences-profile.h"
#include "ausculta-preferences-window-private.h"

/* The profile channel on device input @input that the inspection measures
 * with; without a window's inspection, the profile a new one would use. */
static const AuscultaProfileChannel *
channel_in_use (AuscultaPreferencesWindow *self,
                guint                      input)
{
  if (self->in_use == NULL)
    self->in_use = ausculta_bench_load_profile (NULL);
  for (guint c = 0; self->in_use != NULL && c < ausculta_profile_get_n_channels (self->in_use); c++)
    if (ausculta_profile_get_channel (self->in_use, c)->input == input)
      return ausculta_profile_get_channel (self->in_use, c);
  return NULL;
}

/* The row says which sensitivity the inspection measures with, and
 * whether the saved one differs from it. */
static void
show_sensitivity_in_use (AuscultaPreferencesWindow *self,
                         AdwActionRow              *row,
                         guint                      input,
                         double                     saved)
{
  const AuscultaProfileChannel *channel = channel_in_use (self, input);
  g_autofree char *text = NULL;

  if (channel == NULL)
    text = g_strdup (_("mV per unit (mV/Pa for a microphone)"));
  else if (fabs (channel->sensitivity - saved) <= 5e-4)
    /* Translators: the sensitivity and its unit, e.g. "50.000 mV/Pa" */
    text = g_strdup_printf (_("In use: %.3f mV/%s"), channel->sensitivity, channel->unit);
  else
    /* Translators: the sensitivity in use, its unit, and the one saved */
    text = g_strdup_printf (_("In use: %.3f mV/%s · saved %.3f, used from the next start"),
                            channel->sensitivity, channel->unit, saved);
  adw_action_row_set_subtitle (row, text);
}

static void
on_sensitivity_changed (GtkSpinButton             *spin,
                        AuscultaPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (spin), "ausculta-key");
  guint input = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "ausculta-input"));

  g_key_file_set_double (self->bench, "calibration", key, gtk_spin_button_get_value (spin));
  ausculta_preferences_window_save_bench (self);
  ausculta_preferences_window_apply_bench (self);
  show_sensitivity_in_use (self, g_object_get_data (G_OBJECT (spin), "ausculta-row"), input,
                           gtk_spin_button_get_value (spin));
}

static void
on_calibrated (AuscultaCalibrationDialog *dialog,
               double                     sensitivity,
               GtkSpinButton             *spin)
{
  gtk_spin_button_set_value (spin, sensitivity);
}

static void
on_calibrate_clicked (GtkButton                 *button,
                      AuscultaPreferencesWindow *self)
{
  guint channel = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ausculta-channel"));
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (button), "ausculta-spin");
  double volts = ausculta_level_probe_get_unit (self->probe, channel) == NULL
                 ? ausculta_preferences_profile_input_range (self, channel) : 1.0;
  AuscultaCalibrationDialog *dialog = ausculta_calibration_dialog_new (GTK_WINDOW (self), self->probe,
                                                                       channel, volts);

  g_signal_connect_object (dialog, "calibrated", G_CALLBACK (on_calibrated), spin, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* One row per metered input: its sensitivity, and the calibrator routine. */
void
ausculta_preferences_calibration_add_rows (AuscultaPreferencesWindow *self)
{
  ausculta_preferences_window_clear_rows (self->calibration_group, self->calibration_rows);
  for (guint c = 0; c < self->meters->len; c++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (0.001, 10000.0, 0.1);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Calibrate…"));
      g_autofree char *title = g_strdup_printf (_("Input %u"), c + 1);
      g_autofree char *key = g_strdup_printf ("input-%u", c + 1);
      g_autofree char *spin_name = g_strdup_printf (_("Sensitivity of input %u"), c + 1);
      g_autofree char *button_name = g_strdup_printf (_("Calibrate input %u"), c + 1);
      g_autoptr(GError) error = NULL;
      double value = g_key_file_get_double (self->bench, "calibration", key, &error);
      const AuscultaProfileChannel *info = ausculta_preferences_profile_channel (self, c);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), error == NULL ? value
                                 : info != NULL ? info->sensitivity : 50.0);
      show_sensitivity_in_use (self, ADW_ACTION_ROW (row), c, gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)));
      g_object_set_data (G_OBJECT (spin), "ausculta-row", row);
      g_object_set_data (G_OBJECT (spin), "ausculta-input", GUINT_TO_POINTER (c));
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, spin_name, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_name, -1);
      g_object_set_data_full (G_OBJECT (spin), "ausculta-key", g_steal_pointer (&key), g_free);
      g_object_set_data (G_OBJECT (button), "ausculta-channel", GUINT_TO_POINTER (c));
      g_object_set_data (G_OBJECT (button), "ausculta-spin", spin);
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_sensitivity_changed), self);
      g_signal_connect (button, "clicked", G_CALLBACK (on_calibrate_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->calibration_group, row);
      g_ptr_array_add (self->calibration_rows, row);
    }
}
