/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-bench.h"
#include "ausculta-calibration-dialog.h"
#include "ausculta-inspect-page.h"
#include "ausculta-level-meter.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-preferences-window.h"
#include "ausculta-profile.h"
#include "ausculta-sync-status.h"

#define SIMULATOR_RATE   51200.0
#define METER_PERIOD_MS  100
#define MAX_METERED      8

/* A capture device the bench may use. */
typedef struct {
  char   *spec;        /* "simulator", "portaudio:NAME" */
  guint   n_channels;
  double  rate;
} DeviceChoice;

struct _AuscultaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *station_row;
  AdwComboRow          *profile_row;
  AdwActionRow         *profile_file_row;
  AdwComboRow          *device_row;
  AdwPreferencesGroup  *levels_group;
  AdwPreferencesGroup  *calibration_group;
  AdwEntryRow          *mongo_uri_row;
  AdwEntryRow          *mongo_database_row;
  AdwEntryRow          *mongo_collection_row;
  AdwPasswordEntryRow  *mongo_password_row;
  AdwEntryRow          *mlflow_uri_row;
  AdwEntryRow          *mlflow_username_row;
  AdwEntryRow          *mlflow_experiment_row;
  AdwEntryRow          *mlflow_model_row;
  AdwPasswordEntryRow  *mlflow_token_row;
  AdwActionRow         *sync_status_row;
  GtkListBox           *users_list;
  AdwEntryRow          *new_name_row;
  AdwEntryRow          *new_full_name_row;
  AdwComboRow          *new_role_row;
  AdwPasswordEntryRow  *new_password_row;
  AdwPasswordEntryRow  *new_pin_row;

  AuscultaArchive      *archive;
  char                 *actor;
  GKeyFile             *bench;         /* bench.ini: device, sensitivities, profile */
  AuscultaProfile      *profile;       /* the chosen one, for sensor defaults */
  AuscultaProfile      *in_use;        /* the inspection's, with its sensitivities */
  GtkStringList        *device_names;
  GPtrArray            *devices;       /* DeviceChoice */
  AuscultaLevelProbe   *probe;
  GPtrArray            *level_rows;    /* rows added to levels_group */
  GPtrArray            *meters;        /* AuscultaLevelMeter, one per input */
  GPtrArray            *calibration_rows;
  guint                 meter_id;
  GCancellable         *cancellable;
  char                 *last_toast;
};

G_DEFINE_FINAL_TYPE (AuscultaPreferencesWindow, ausculta_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
device_choice_free (gpointer data)
{
  DeviceChoice *choice = data;

  g_free (choice->spec);
  g_free (choice);
}

static void
toast (AuscultaPreferencesWindow *self,
       const char                *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* $XDG_CONFIG_HOME/ausculta/bench.ini: the capture device ([capture]
 * source, a spec as AUSCULTA_SOURCE takes), the sensitivities
 * ([calibration] input-N, mV per unit) and the profile ([profile] name). */
char *
ausculta_preferences_window_bench_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "ausculta", "bench.ini", NULL);
}

static void
save_bench (AuscultaPreferencesWindow *self)
{
  g_autofree char *path = ausculta_preferences_window_bench_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0
      || !g_key_file_save_to_file (self->bench, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot save %s: %s"), path,
                                               error != NULL ? error->message : g_strerror (errno));
      toast (self, text);
    }
}

/* ---------------------------------------------------------------- profile */

static void
show_profile (AuscultaPreferencesWindow *self)
{
  g_autofree char *name = g_key_file_get_string (self->bench, "profile", "name", NULL);
  guint index = name == NULL || g_strcmp0 (name, "default") == 0 ? 0
                : g_strcmp0 (name, "third-octave") == 0 ? 1 : 2;

  adw_combo_row_set_selected (self->profile_row, index);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_file_row), index == 2);
  if (index == 2)
    adw_action_row_set_subtitle (self->profile_file_row, name);
}

static void
on_profile_selected (AuscultaPreferencesWindow *self)
{
  guint index = adw_combo_row_get_selected (self->profile_row);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_file_row), index == 2);
  if (index < 2)
    {
      g_key_file_set_string (self->bench, "profile", "name", index == 0 ? "default" : "third-octave");
      g_clear_pointer (&self->profile, ausculta_profile_unref);
      save_bench (self);
    }
}

static void
on_profile_file (GtkNativeDialog           *dialog,
                 int                        response,
                 AuscultaPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  profile = ausculta_profile_load (path, &error);
  if (profile == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_key_file_set_string (self->bench, "profile", "name", path);
  g_clear_pointer (&self->profile, ausculta_profile_unref);
  save_bench (self);
  adw_action_row_set_subtitle (self->profile_file_row, path);
}

static void
on_choose_profile (AuscultaPreferencesWindow *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Choose a Profile"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);

  g_signal_connect (dialog, "response", G_CALLBACK (on_profile_file), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The chosen profile's channel @channel, NULL when it has none. */
static const AuscultaProfileChannel *
profile_channel (AuscultaPreferencesWindow *self,
                 guint                      channel)
{
  g_autofree char *name = g_key_file_get_string (self->bench, "profile", "name", NULL);

  if (self->profile == NULL)
    self->profile = ausculta_profile_load (name != NULL ? name : "default", NULL);
  if (self->profile == NULL || channel >= ausculta_profile_get_n_channels (self->profile))
    return NULL;
  return ausculta_profile_get_channel (self->profile, channel);
}

/* The volts of one full-scale unit on input @channel, from the profile. */
static double
input_range (AuscultaPreferencesWindow *self,
             guint                      channel)
{
  const AuscultaProfileChannel *info = profile_channel (self, channel);

  return info != NULL ? info->input_range : 1.0;
}

/* ------------------------------------------------------- capture, levels */

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
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

static void add_calibration_rows (AuscultaPreferencesWindow *self);

static void
stop_probe (AuscultaPreferencesWindow *self)
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

  stop_probe (self);
  clear_rows (self->levels_group, self->level_rows);
  g_ptr_array_set_size (self->meters, 0);
  self->probe = ausculta_level_probe_new (choice->spec, n_channels, choice->rate, &error);
  if (self->probe == NULL)
    {
      adw_preferences_group_set_description (self->levels_group, error->message);
      add_calibration_rows (self);
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
  add_calibration_rows (self);
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
      save_bench (self);
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

static void
list_devices (AuscultaPreferencesWindow *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_devices_listed, self);

  /* Translators: the simulated motor as a capture device */
  add_device (self, _("Simulated bench (2 inputs)"), "simulator",
              2, SIMULATOR_RATE);
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (self->device_names));
  g_task_run_in_thread (task, list_devices_thread);
}

/* ------------------------------------------------------------ calibration */

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
  save_bench (self);
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
                 ? input_range (self, channel) : 1.0;
  AuscultaCalibrationDialog *dialog = ausculta_calibration_dialog_new (GTK_WINDOW (self), self->probe,
                                                                       channel, volts);

  g_signal_connect_object (dialog, "calibrated", G_CALLBACK (on_calibrated), spin, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* One row per metered input: its sensitivity, and the calibrator routine. */
static void
add_calibration_rows (AuscultaPreferencesWindow *self)
{
  clear_rows (self->calibration_group, self->calibration_rows);
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
      const AuscultaProfileChannel *info = profile_channel (self, c);

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

/* ------------------------------------------------------------------- sync */

static void
show_sync_status (AuscultaPreferencesWindow *self)
{
  AuscultaSyncMonitor *monitor = ausculta_sync_monitor_get_default ();

  adw_action_row_set_subtitle (self->sync_status_row,
                               monitor != NULL ? ausculta_sync_monitor_get_summary (monitor)
                                               : _("offline: no sync configured"));
}

static void
show_sync_config (AuscultaPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSyncConfig) config = ausculta_sync_config_load (NULL, &error);

  if (config == NULL)
    {
      adw_action_row_set_subtitle (self->sync_status_row, error->message);
      return;
    }
#define SHOW(row, value) gtk_editable_set_text (GTK_EDITABLE (self->row), (value) != NULL ? (value) : "")
  SHOW (mongo_uri_row, config->mongo_uri);
  SHOW (mongo_database_row, config->mongo_database);
  SHOW (mongo_collection_row, config->mongo_collection);
  SHOW (mlflow_uri_row, config->mlflow_uri);
  SHOW (mlflow_username_row, config->mlflow_username);
  SHOW (mlflow_experiment_row, config->mlflow_experiment);
  SHOW (mlflow_model_row, config->mlflow_model);
#undef SHOW
  show_sync_status (self);
}

/* Stores a typed secret, then empties its row: secrets are never shown back. */
static gboolean
store_secret (AuscultaPreferencesWindow *self,
              AdwPasswordEntryRow       *row,
              const char                *target,
              GError                   **error)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (row));

  if (*secret == '\0')
    return TRUE;
  if (!ausculta_sync_settings_store_secret (NULL, target, secret, error))
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  return TRUE;
}

static void
on_sync_save (AuscultaPreferencesWindow *self)
{
  AuscultaSyncConfig config = { 0 };
  g_autoptr(GError) error = NULL;
  AuscultaSyncMonitor *monitor = ausculta_sync_monitor_get_default ();

#define TEXT(row) ((char *) gtk_editable_get_text (GTK_EDITABLE (self->row)))
  config.mongo_uri = TEXT (mongo_uri_row);
  config.mongo_database = TEXT (mongo_database_row);
  config.mongo_collection = TEXT (mongo_collection_row);
  config.mlflow_uri = TEXT (mlflow_uri_row);
  config.mlflow_username = TEXT (mlflow_username_row);
  config.mlflow_experiment = TEXT (mlflow_experiment_row);
  config.mlflow_model = TEXT (mlflow_model_row);
#undef TEXT
  if (!ausculta_sync_settings_save (NULL, &config, &error)
      || !store_secret (self, self->mongo_password_row, "mongodb", &error)
      || !store_secret (self, self->mlflow_token_row, "mlflow", &error))
    {
      toast (self, error->message);
      return;
    }
  if (monitor != NULL)
    ausculta_sync_monitor_restart (monitor);
  toast (self, _("Synchronisation settings saved"));
  show_sync_status (self);
}

static void
on_sync_tested (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AuscultaPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = ausculta_sync_test_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  adw_action_row_set_subtitle (self->sync_status_row, text != NULL ? text : error->message);
}

static void
on_sync_test (AuscultaPreferencesWindow *self)
{
  adw_action_row_set_subtitle (self->sync_status_row, _("Testing…"));
  ausculta_sync_test_async (NULL, self->cancellable, on_sync_tested, self);
}

/* ------------------------------------------------------------------ users */

static const char *
role_label (AuscultaRole role)
{
  switch (role)
    {
    case AUSCULTA_ROLE_INSPECTOR: return _("Inspector");
    case AUSCULTA_ROLE_ENGINEER: return _("Engineer");
    case AUSCULTA_ROLE_SUPERVISOR: return _("Supervisor");
    case AUSCULTA_ROLE_ADMIN: return _("Administrator");
    default: return "?";
    }
}

static GListModel *
new_role_model (void)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

  for (AuscultaRole role = AUSCULTA_ROLE_INSPECTOR; role <= AUSCULTA_ROLE_ADMIN; role++)
    gtk_string_list_append (roles, role_label (role));
  return G_LIST_MODEL (roles);
}

static void list_users (AuscultaPreferencesWindow *self);

static void
on_role_changed (GtkDropDown               *drop_down,
                 GParamSpec                *pspec,
                 AuscultaPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (drop_down), "ausculta-user");
  AuscultaRole role = AUSCULTA_ROLE_INSPECTOR + gtk_drop_down_get_selected (drop_down);
  g_autoptr(GError) error = NULL;

  if (!ausculta_archive_set_user_role (self->archive, self->actor, name, role, &error))
    toast (self, error->message);
  list_users (self);
}

static gboolean
on_enabled_set (GtkSwitch                 *toggle,
                gboolean                   enabled,
                AuscultaPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (toggle), "ausculta-user");
  g_autoptr(GError) error = NULL;

  if (!ausculta_archive_set_user_disabled (self->archive, self->actor, name, !enabled, &error))
    toast (self, error->message);
  list_users (self);
  return TRUE;
}

static GtkWidget *
new_user_row (AuscultaPreferencesWindow *self,
              const AuscultaUser        *user)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GListModel) roles = new_role_model ();
  GtkWidget *drop_down = gtk_drop_down_new (g_object_ref (roles), NULL);
  GtkWidget *toggle = gtk_switch_new ();
  /* Translators: accessible names of a user's role choice and login switch */
  g_autofree char *role_name = g_strdup_printf (_("Role of %s"), user->name);
  g_autofree char *switch_name = g_strdup_printf (_("%s may log in"), user->name);
  g_autofree char *subtitle = g_strdup_printf ("%s%s%s", user->name,
                                               user->disabled ? " · " : "",
                                               user->disabled ? _("disabled") : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 user->full_name != NULL && *user->full_name != '\0'
                                 ? user->full_name : user->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), user->role - AUSCULTA_ROLE_INSPECTOR);
  gtk_switch_set_active (GTK_SWITCH (toggle), !user->disabled);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, role_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, switch_name, -1);
  g_object_set_data_full (G_OBJECT (drop_down), "ausculta-user", g_strdup (user->name), g_free);
  g_object_set_data_full (G_OBJECT (toggle), "ausculta-user", g_strdup (user->name), g_free);
  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (on_role_changed), self);
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_enabled_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  return row;
}

/* One row per user of the archive: name, role (a choice), may log in (a switch). */
static void
list_users (AuscultaPreferencesWindow *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->users_list))) != NULL)
    gtk_list_box_remove (self->users_list, child);
  if (self->archive != NULL)
    users = ausculta_archive_list_users (self->archive, &error);
  if (users == NULL || users->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     error != NULL ? error->message
                                                   : _("No users yet: the bench is open to anyone"));
      gtk_list_box_append (self->users_list, row);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    gtk_list_box_append (self->users_list, new_user_row (self, users->pdata[i]));
}

typedef struct {
  AuscultaArchive *archive;
  char            *actor, *name, *full_name, *password, *pin;
  AuscultaRole     role;
} NewUser;

static void
new_user_free (NewUser *user)
{
  g_object_unref (user->archive);
  g_free (user->actor);
  g_free (user->name);
  g_free (user->full_name);
  g_free (user->password);
  g_free (user->pin);
  g_free (user);
}

/* Argon2id hashing takes a moment: off the main thread. */
static void
add_user_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  NewUser *user = task_data;
  GError *error = NULL;

  if (ausculta_archive_add_user (user->archive, user->actor, user->name, user->full_name,
                                 user->role, user->password, user->pin, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_user_added (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AuscultaPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  NewUser *user = g_task_get_task_data (G_TASK (result));
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  /* Translators: a user was added to the archive */
  text = g_strdup_printf (_("%s added"), user->name);
  toast (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_full_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_row), "");
  list_users (self);
}

static void
on_add_user (AuscultaPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;
  NewUser *user;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->new_pin_row));

  if (self->archive == NULL)
    {
      toast (self, _("No archive: users cannot be added"));
      return;
    }
  user = g_new0 (NewUser, 1);
  user->archive = g_object_ref (self->archive);
  user->actor = g_strdup (self->actor);
  user->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_name_row)));
  user->full_name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_full_name_row)));
  user->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_password_row)));
  user->pin = *pin != '\0' ? g_strdup (pin) : NULL;
  user->role = AUSCULTA_ROLE_INSPECTOR + adw_combo_row_get_selected (self->new_role_row);
  task = g_task_new (NULL, self->cancellable, on_user_added, self);
  g_task_set_task_data (task, user, (GDestroyNotify) new_user_free);
  g_task_run_in_thread (task, add_user_thread);
}

/* ------------------------------------------------------------------------ */

static void
ausculta_preferences_window_dispose (GObject *object)
{
  AuscultaPreferencesWindow *self = AUSCULTA_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  stop_probe (self);
  g_clear_object (&self->archive);
  G_OBJECT_CLASS (ausculta_preferences_window_parent_class)->dispose (object);
}

static void
ausculta_preferences_window_finalize (GObject *object)
{
  AuscultaPreferencesWindow *self = AUSCULTA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->device_names);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->level_rows, g_ptr_array_unref);
  g_clear_pointer (&self->meters, g_ptr_array_unref);
  g_clear_pointer (&self->calibration_rows, g_ptr_array_unref);
  g_clear_pointer (&self->bench, g_key_file_unref);
  g_clear_pointer (&self->profile, ausculta_profile_unref);
  g_clear_pointer (&self->in_use, ausculta_profile_unref);
  g_free (self->actor);
  g_free (self->last_toast);
  G_OBJECT_CLASS (ausculta_preferences_window_parent_class)->finalize (object);
}

static void
ausculta_preferences_window_class_init (AuscultaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_preferences_window_dispose;
  object_class->finalize = ausculta_preferences_window_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AuscultaPreferencesWindow, name)
  BIND (station_row);
  BIND (profile_row);
  BIND (profile_file_row);
  BIND (device_row);
  BIND (levels_group);
  BIND (calibration_group);
  BIND (mongo_uri_row);
  BIND (mongo_database_row);
  BIND (mongo_collection_row);
  BIND (mongo_password_row);
  BIND (mlflow_uri_row);
  BIND (mlflow_username_row);
  BIND (mlflow_experiment_row);
  BIND (mlflow_model_row);
  BIND (mlflow_token_row);
  BIND (sync_status_row);
  BIND (users_list);
  BIND (new_name_row);
  BIND (new_full_name_row);
  BIND (new_role_row);
  BIND (new_password_row);
  BIND (new_pin_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_choose_profile);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_save);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_test);
  gtk_widget_class_bind_template_callback (widget_class, on_add_user);
}

static void
ausculta_preferences_window_init (AuscultaPreferencesWindow *self)
{
  g_autofree char *path = ausculta_preferences_window_bench_path ();
  g_autoptr(GListModel) roles = new_role_model ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->bench = g_key_file_new ();
  g_key_file_load_from_file (self->bench, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  self->device_names = gtk_string_list_new (NULL);
  self->devices = g_ptr_array_new_with_free_func (device_choice_free);
  self->level_rows = g_ptr_array_new ();
  self->meters = g_ptr_array_new ();
  self->calibration_rows = g_ptr_array_new ();
  adw_combo_row_set_model (self->new_role_row, roles);
  show_profile (self);
  g_signal_connect_swapped (self->profile_row, "notify::selected", G_CALLBACK (on_profile_selected), self);
  show_sync_config (self);
  list_devices (self);
}

/**
 * ausculta_preferences_window_set_actor:
 * @actor: (nullable): who is logged in: the archive checks their role on
 *   every change of a user (an admin's right)
 */
void
ausculta_preferences_window_set_actor (AuscultaPreferencesWindow *self,
                                       const char                *actor)
{
  g_return_if_fail (AUSCULTA_IS_PREFERENCES_WINDOW (self));

  g_free (self->actor);
  self->actor = g_strdup (actor);
}

const char *
ausculta_preferences_window_get_actor (AuscultaPreferencesWindow *self)
{
  g_return_val_if_fail (AUSCULTA_IS_PREFERENCES_WINDOW (self), NULL);
  return self->actor;
}

/* The text of the last toast shown (what the user last read). */
const char *
ausculta_preferences_window_get_last_toast (AuscultaPreferencesWindow *self)
{
  g_return_val_if_fail (AUSCULTA_IS_PREFERENCES_WINDOW (self), NULL);
  return self->last_toast;
}

/* The Inspect page somewhere under @widget, if any. */
static AuscultaInspectPage *
find_inspect_page (GtkWidget *widget)
{
  if (AUSCULTA_IS_INSPECT_PAGE (widget))
    return AUSCULTA_INSPECT_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AuscultaInspectPage *page = find_inspect_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

/**
 * ausculta_preferences_window_new:
 * @parent: (nullable): the window it belongs to; a main window gives the
 *   logged-in user as the actor
 * @settings: (nullable): the application's settings; without them the rows
 *   that would change a setting are insensitive
 * @archive: (nullable): where the users are listed from
 */
AuscultaPreferencesWindow *
ausculta_preferences_window_new (GtkWindow       *parent,
                                 GSettings       *settings,
                                 AuscultaArchive *archive)
{
  AuscultaPreferencesWindow *self;
  AuscultaInspectPage *page;

  self = g_object_new (AUSCULTA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  if (settings != NULL)
    g_settings_bind (settings, "station-name", self->station_row, "text",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->station_row), FALSE);
  self->archive = archive != NULL ? g_object_ref (archive) : NULL;
  if (parent != NULL && (page = find_inspect_page (GTK_WIDGET (parent))) != NULL)
    {
      AuscultaInspection *inspection = ausculta_inspect_page_get_inspection (page);

      self->actor = g_strdup (ausculta_inspect_page_get_operator (page));
      if (inspection != NULL && ausculta_inspection_get_profile (inspection) != NULL)
        {
          g_clear_pointer (&self->in_use, ausculta_profile_unref);
          self->in_use = ausculta_profile_ref (ausculta_inspection_get_profile (inspection));
          add_calibration_rows (self);
        }
    }
  list_users (self);
  return self;
}
