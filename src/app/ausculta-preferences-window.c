/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "ausculta-bench.h"
#include "ausculta-inspect-page.h"
#include "ausculta-preferences-calibration.h"
#include "ausculta-preferences-levels.h"
#include "ausculta-preferences-profile.h"
#include "ausculta-preferences-sync.h"
#include "ausculta-preferences-users.h"
#include "ausculta-preferences-window-private.h"

G_DEFINE_FINAL_TYPE (AuscultaPreferencesWindow, ausculta_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

void
ausculta_preferences_window_toast (AuscultaPreferencesWindow *self,
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

void
ausculta_preferences_window_save_bench (AuscultaPreferencesWindow *self)
{
  g_autofree char *path = ausculta_preferences_window_bench_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0
      || !g_key_file_save_to_file (self->bench, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot save %s: %s"), path,
                                               error != NULL ? error->message : g_strerror (errno));
      ausculta_preferences_window_toast (self, text);
    }
}

/* What was just saved (profile, sensitivities) applies from the next
 * inspection cycle of the main window's inspection. */
void
ausculta_preferences_window_apply_bench (AuscultaPreferencesWindow *self)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  if (self->inspection == NULL)
    return;
  /* A profile that cannot be loaded leaves the one in use: say why. */
  ausculta_bench_apply_profile (self->inspection, notes);
  if (notes->len > 0)
    ausculta_preferences_window_toast (self, notes->pdata[0]);
  g_clear_pointer (&self->in_use, ausculta_profile_unref);
  self->in_use = ausculta_inspection_dup_profile (self->inspection);
}

void
ausculta_preferences_window_clear_rows (AdwPreferencesGroup *group,
                                        GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
ausculta_preferences_window_dispose (GObject *object)
{
  AuscultaPreferencesWindow *self = AUSCULTA_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  ausculta_preferences_levels_stop (self);
  g_clear_object (&self->archive);
  g_clear_object (&self->inspection);
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
  gtk_widget_class_bind_template_callback_full (widget_class, "on_choose_profile", G_CALLBACK (ausculta_preferences_profile_choose));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_sync_save", G_CALLBACK (ausculta_preferences_sync_save));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_sync_test", G_CALLBACK (ausculta_preferences_sync_test));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_add_user", G_CALLBACK (ausculta_preferences_users_add));
}

static void
ausculta_preferences_window_init (AuscultaPreferencesWindow *self)
{
  g_autofree char *path = ausculta_preferences_window_bench_path ();
  g_autoptr(GListModel) roles = ausculta_preferences_users_new_role_model ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->bench = g_key_file_new ();
  g_key_file_load_from_file (self->bench, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  self->device_names = gtk_string_list_new (NULL);
  self->devices = g_ptr_array_new_with_free_func (ausculta_preferences_levels_choice_free);
  self->level_rows = g_ptr_array_new ();
  self->meters = g_ptr_array_new ();
  self->calibration_rows = g_ptr_array_new ();
  adw_combo_row_set_model (self->new_role_row, roles);
  ausculta_preferences_profile_show (self);
  g_signal_connect_swapped (self->profile_row, "notify::selected", G_CALLBACK (ausculta_preferences_profile_selected), self);
  ausculta_preferences_sync_show_config (self);
  ausculta_preferences_levels_list_devices (self);
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
      if (inspection != NULL)
        {
          self->inspection = g_object_ref (inspection);
          g_clear_pointer (&self->in_use, ausculta_profile_unref);
          self->in_use = ausculta_inspection_dup_profile (inspection);
          ausculta_preferences_calibration_add_rows (self);
        }
    }
  ausculta_preferences_users_list (self);
  return self;
}
