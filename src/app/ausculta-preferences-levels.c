/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-levels"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-level-meter.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-preferences-calibration.h"
#include "ausculta-preferences-levels.h"
#include "ausculta-preferences-window-private.h"

#define SIMULATOR_RATE   51200.0
#define METER_PERIOD_MS  100
#define MAX_METERED      8

/* A capture device the bench may use. */
typedef struct {
  char   *spec;        /* "simulator", "portaudio:NAME" */
  guint   n_channels;
  double  rate;
} DeviceChoice;

void
ausculta_preferences_levels_choice_free (gpointer data)
{
  DeviceChoice *choice = data;

  g_free (choice->spec);
  g_free (choice);
}

static gboolean
update_meters (gpointer user_data)
{
  AuscultaPreferencesWindow *self = user_data;
  double peaks[AUSCULTA_SOURCE_MAX_CHANNELS];
  g_autofree char *problem = NULL;

  if (self->probe == NULL)
    return G_SOURCE_CONTINUE;
  if (!ausculta_level_probe_get_peaks (self->probe, peaks, &problem))
    {
      adw_preferences_group_set_description (self->levels_group, problem);
      self->meter_id = 0;
      return G_SOURCE_REMOVE;
    }
  for (guint c = 0; c < self->meters->len; c++)
    {
      g_autofree char *text = NULL;

      ausculta_level_meter_set_level (self->meters->pdata[c], peaks[c]);
      /* Translators: the peak level of an input, in dB of full scale */
      text = g_strdup_printf (_("peak %.1f dBFS"),
                              ausculta_level_meter_get_level (self->meters->pdata[c]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->level_rows->pdata[c]), text);
    }
  return G_SOURCE_CONTINUE;
}

void
ausculta_preferences_levels_stop (AuscultaPreferencesWindow *self)
{
  g_clear_handle_id (&self->meter_id, g_source_remove);
  g_clear_pointer (&self->probe, ausculta_level_probe_free);
}

/* Opens @choice and shows one meter per input. */
static void
start_probe (AuscultaPreferencesWindow *self,
             const DeviceChoice        *choice)
{
  g_autoptr(GError) error = NULL;
  guint n_channels = MIN (choice->n_channels, MAX_METERED);

  ausculta_preferences_levels_stop (self);
  ausculta_preferences_window_clear_rows (self->levels_group, self->level_rows);
  g_ptr_array_set_size (self->meters, 0);
  self->probe = ausculta_level_probe_new (choice->spec, n_channels, choice->rate, &error);
  if (self->probe == NULL)
    {
      adw_preferences_group_set_description (self->levels_group, error->message);
      ausculta_preferences_calibration_add_rows (self);
      return;
    }
  adw_preferences_group_set_description (self->levels_group,
                                         _("Peak level of each input, in dB of full scale, with a two-second peak hold."));
  for (guint c = 0; c < n_channels; c++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *meter = ausculta_level_meter_new ();
      const char *unit = ausculta_level_probe_get_unit (self->probe, c);
      g_autofree char *title = unit != NULL
        /* Translators: an input counted from 1, then the unit of its values */
        ? g_strdup_printf (_("Input %u (%s)"), c + 1, unit) : g_strdup_printf (_("Input %u"), c + 1);
      g_autofree char *name = g_strdup_printf (_("Level of input %u"), c + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_hexpand (meter, TRUE);
      gtk_widget_set_size_request (meter, 260, 12);
      gtk_accessible_update_property (GTK_ACCESSIBLE (meter), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), meter);
      adw_preferences_group_add (self->levels_group, row);
      g_ptr_array_add (self->level_rows, row);
      g_ptr_array_add (self->meters, meter);
    }
  self->meter_id = g_timeout_add (METER_PERIOD_MS, update_meters, self);
  ausculta_preferences_calibration_add_rows (self);
}

static void
on_device_selected (AuscultaPreferencesWindow *self)
{
  guint index = adw_combo_row_get_selected (self->device_row);
  g_autofree char *saved = g_key_file_get_string (self->bench, "capture", "source", NULL);
  DeviceChoice *choice;

  if (index >= self->devices->len)
    return;
  choice = self->devices->pdata[index];
  if (g_strcmp0 (saved, choice->spec) != 0)
    {
      g_key_file_set_string (self->bench, "capture", "source", choice->spec);
      ausculta_preferences_window_save_bench (self);
    }
  start_probe (self, choice);
}

static void
add_device (AuscultaPreferencesWindow *self,
            const char                *label,
            const char                *spec,
            guint                      n_channels,
            double                     rate)
{
  DeviceChoice *choice = g_new0 (DeviceChoice, 1);

  choice->spec = g_strdup (spec);
  choice->n_channels = n_channels;
  choice->rate = rate;
  g_ptr_array_add (self->devices, choice);
  gtk_string_list_append (self->device_names, label);
}

static void
list_devices_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = ausculta_portaudio_list_devices (&error);

  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

/* The sound cards, once PortAudio has listed them; then the saved one is chosen. */
static void
on_devices_listed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AuscultaPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *saved = NULL;
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      AuscultaDeviceInfo *info = devices->pdata[i];
      g_autofree char *rates = ausculta_device_info_describe_rates (info);
      /* Translators: a sound card: name, input count, accepted rates */
      g_autofree char *label = g_strdup_printf (_("%s — %u inputs, %s"), info->name,
                                                info->max_input_channels, rates);
      g_autofree char *spec = g_strdup_printf ("portaudio:%s", info->name);

      if (info->max_input_channels > 0)
        add_device (self, label, spec, info->max_input_channels, info->default_rate);
    }
  saved = g_key_file_get_string (self->bench, "capture", "source", NULL);
  for (guint i = 0; saved != NULL && i < self->devices->len; i++)
    if (g_strcmp0 (((DeviceChoice *) self->devices->pdata[i])->spec, saved) == 0)
      selected = i;
  adw_combo_row_set_selected (self->device_row, selected);
  g_signal_connect_swapped (self->device_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  on_device_selected (self);
}

void
ausculta_preferences_levels_list_devices (AuscultaPreferencesWindow *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_devices_listed, self);

  /* Translators: the simulated motor as a capture device */
  add_device (self, _("Simulated bench (2 inputs)"), "simulator",
              2, SIMULATOR_RATE);
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (self->device_names));
  g_task_run_in_thread (task, list_devices_thread);
}
