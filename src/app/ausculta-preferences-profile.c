/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-preferences-profile.h"
#include "ausculta-preferences-window-private.h"

void
ausculta_preferences_profile_show (AuscultaPreferencesWindow *self)
{
  g_autofree char *name = g_key_file_get_string (self->bench, "profile", "name", NULL);
  guint index = name == NULL || g_strcmp0 (name, "default") == 0 ? 0
                : g_strcmp0 (name, "third-octave") == 0 ? 1 : 2;

  adw_combo_row_set_selected (self->profile_row, index);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_file_row), index == 2);
  if (index == 2)
    adw_action_row_set_subtitle (self->profile_file_row, name);
}

void
ausculta_preferences_profile_selected (AuscultaPreferencesWindow *self)
{
  guint index = adw_combo_row_get_selected (self->profile_row);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_file_row), index == 2);
  if (index < 2)
    {
      g_key_file_set_string (self->bench, "profile", "name", index == 0 ? "default" : "third-octave");
      g_clear_pointer (&self->profile, ausculta_profile_unref);
      ausculta_preferences_window_save_bench (self);
      ausculta_preferences_window_apply_bench (self);
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
      ausculta_preferences_window_toast (self, error->message);
      return;
    }
  g_key_file_set_string (self->bench, "profile", "name", path);
  g_clear_pointer (&self->profile, ausculta_profile_unref);
  ausculta_preferences_window_save_bench (self);
  ausculta_preferences_window_apply_bench (self);
  adw_action_row_set_subtitle (self->profile_file_row, path);
}

void
ausculta_preferences_profile_choose (AuscultaPreferencesWindow *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Choose a Profile"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);

  g_signal_connect (dialog, "response", G_CALLBACK (on_profile_file), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The chosen profile's channel @channel, NULL when it has none. */
const AuscultaProfileChannel *
ausculta_preferences_profile_channel (AuscultaPreferencesWindow *self,
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
double
ausculta_preferences_profile_input_range (AuscultaPreferencesWindow *self,
                                          guint                      channel)
{
  const AuscultaProfileChannel *info = ausculta_preferences_profile_channel (self, channel);

  return info != NULL ? info->input_range : 1.0;
}
