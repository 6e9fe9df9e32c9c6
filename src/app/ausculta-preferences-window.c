/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-preferences-window"

#include "config.h"

#include "ausculta-preferences-window.h"

struct _AuscultaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *station_row;
};

G_DEFINE_FINAL_TYPE (AuscultaPreferencesWindow, ausculta_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
ausculta_preferences_window_class_init (AuscultaPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaPreferencesWindow, station_row);
}

static void
ausculta_preferences_window_init (AuscultaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ausculta_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: (nullable): the application's settings; without them the rows
 *   that would change a setting are insensitive
 */
AuscultaPreferencesWindow *
ausculta_preferences_window_new (GtkWindow *parent,
                                 GSettings *settings)
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
  return self;
}
