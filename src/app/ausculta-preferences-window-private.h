/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's state, shared by the files of its pages. */
#pragma once

#include "ausculta-inspection.h"
#include "ausculta-level-meter.h"
#include "ausculta-preferences-window.h"
#include "ausculta-profile.h"

G_BEGIN_DECLS

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
  AuscultaInspection   *inspection;    /* the main window's, if any */
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

void ausculta_preferences_window_toast      (AuscultaPreferencesWindow *self,
                                            const char                *text);
void ausculta_preferences_window_save_bench (AuscultaPreferencesWindow *self);
void ausculta_preferences_window_apply_bench (AuscultaPreferencesWindow *self);
void ausculta_preferences_window_clear_rows (AdwPreferencesGroup       *group,
                                            GPtrArray                 *rows);

G_END_DECLS
