/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-preferences-sync.h"
#include "ausculta-preferences-window-private.h"
#include "ausculta-sync-status.h"

static void
show_sync_status (AuscultaPreferencesWindow *self)
{
  AuscultaSyncMonitor *monitor = ausculta_sync_monitor_get_default ();

  adw_action_row_set_subtitle (self->sync_status_row,
                               monitor != NULL ? ausculta_sync_monitor_get_summary (monitor)
                                               : _("offline: no sync configured"));
}

void
ausculta_preferences_sync_show_config (AuscultaPreferencesWindow *self)
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

void
ausculta_preferences_sync_save (AuscultaPreferencesWindow *self)
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
      ausculta_preferences_window_toast (self, error->message);
      return;
    }
  if (monitor != NULL)
    ausculta_sync_monitor_restart (monitor);
  ausculta_preferences_window_toast (self, _("Synchronisation settings saved"));
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

void
ausculta_preferences_sync_test (AuscultaPreferencesWindow *self)
{
  adw_action_row_set_subtitle (self->sync_status_row, _("Testing…"));
  ausculta_sync_test_async (NULL, self->cancellable, on_sync_tested, self);
}
