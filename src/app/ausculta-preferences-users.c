/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-users"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-preferences-users.h"
#include "ausculta-preferences-window-private.h"

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

GListModel *
ausculta_preferences_users_new_role_model (void)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

  for (AuscultaRole role = AUSCULTA_ROLE_INSPECTOR; role <= AUSCULTA_ROLE_ADMIN; role++)
    gtk_string_list_append (roles, role_label (role));
  return G_LIST_MODEL (roles);
}

static void
on_role_changed (GtkDropDown               *drop_down,
                 GParamSpec                *pspec,
                 AuscultaPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (drop_down), "ausculta-user");
  AuscultaRole role = AUSCULTA_ROLE_INSPECTOR + gtk_drop_down_get_selected (drop_down);
  g_autoptr(GError) error = NULL;

  if (!ausculta_archive_set_user_role (self->archive, self->actor, name, role, &error))
    ausculta_preferences_window_toast (self, error->message);
  ausculta_preferences_users_list (self);
}

static gboolean
on_enabled_set (GtkSwitch                 *toggle,
                gboolean                   enabled,
                AuscultaPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (toggle), "ausculta-user");
  g_autoptr(GError) error = NULL;

  if (!ausculta_archive_set_user_disabled (self->archive, self->actor, name, !enabled, &error))
    ausculta_preferences_window_toast (self, error->message);
  ausculta_preferences_users_list (self);
  return TRUE;
}

static GtkWidget *
new_user_row (AuscultaPreferencesWindow *self,
              const AuscultaUser        *user)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GListModel) roles = ausculta_preferences_users_new_role_model ();
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
void
ausculta_preferences_users_list (AuscultaPreferencesWindow *self)
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
        ausculta_preferences_window_toast (self, error->message);
      return;
    }
  /* Translators: a user was added to the archive */
  text = g_strdup_printf (_("%s added"), user->name);
  ausculta_preferences_window_toast (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_full_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_row), "");
  ausculta_preferences_users_list (self);
}

void
ausculta_preferences_users_add (AuscultaPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;
  NewUser *user;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->new_pin_row));

  if (self->archive == NULL)
    {
      ausculta_preferences_window_toast (self, _("No archive: users cannot be added"));
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
