/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-preferences-window.h"

struct _AuscultaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *station_row;
  GtkListBox           *users_list;
};

G_DEFINE_FINAL_TYPE (AuscultaPreferencesWindow, ausculta_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
ausculta_preferences_window_class_init (AuscultaPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaPreferencesWindow, station_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaPreferencesWindow, users_list);
}

static void
ausculta_preferences_window_init (AuscultaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* One row per user of the archive: name, full name, role, state. */
static void
list_users (AuscultaPreferencesWindow *self,
            AuscultaArchive           *archive)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  if (archive != NULL)
    users = ausculta_archive_list_users (archive, &error);
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
    {
      AuscultaUser *user = g_ptr_array_index (users, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      /* Translators: a user's role, then whether they may log in */
      subtitle = g_strdup_printf ("%s · %s", ausculta_role_to_string (user->role),
                                  user->disabled ? _("disabled") : _("enabled"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     user->full_name != NULL && *user->full_name != '\0'
                                     ? user->full_name : user->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->users_list, row);
    }
}

/**
 * ausculta_preferences_window_new:
 * @parent: (nullable): the window it belongs to
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

  self = g_object_new (AUSCULTA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  if (settings != NULL)
    g_settings_bind (settings, "station-name", self->station_row, "text",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->station_row), FALSE);
  list_users (self, archive);
  return self;
}
