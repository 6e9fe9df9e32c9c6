/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-application"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ausculta-application.h"
#include "ausculta-preferences-window.h"
#include "ausculta-main-window.h"

struct _AuscultaApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (AuscultaApplication, ausculta_application, ADW_TYPE_APPLICATION)

/* True when this executable was built in the build tree that compiled it and
 * has not been installed: it then finds its translations and settings schema
 * there instead of under the install prefix. */
static gboolean
ausculta_app_is_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, AUSCULTA_BUILD_ROOT "/");
}

void
ausculta_app_init_i18n (void)
{
  const char *localedir = LOCALEDIR;

  if (g_getenv ("AUSCULTA_LOCALEDIR") != NULL)
    localedir = g_getenv ("AUSCULTA_LOCALEDIR");
  else if (ausculta_app_is_uninstalled ())
    localedir = BUILD_LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* Before GTK starts: when the cairo renderer is asked for (GSK_RENDERER=
 * cairo, as on a bench PC without a GPU or under Xvfb), GDK 4.8 still
 * loads OpenGL at start-up to choose the window's visual, which nothing
 * will draw with: about 170 ms of CPU before the first frame. GDK_DEBUG=
 * gl-disable is GTK's own switch for that; a GDK_DEBUG already set wins. */
void
ausculta_app_init_display (void)
{
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

static GSettings *
ausculta_app_load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (ausculta_app_is_uninstalled ())
    {
      build_source = g_settings_schema_source_new_from_directory (AUSCULTA_BUILD_SCHEMADIR,
                                                                  source, FALSE, &error);
      if (build_source == NULL)
        g_warning ("Cannot read the settings schema built in %s: %s",
                   AUSCULTA_BUILD_SCHEMADIR, error->message);
      else
        source = build_source;
    }
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Settings are a convenience: the bench still works on built-in
       * defaults, kept in memory for this session. */
      g_warning ("Settings schema %s is not installed; preferences will not be kept", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
ausculta_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ausculta_main_window_new (GTK_APPLICATION (app)));
  gtk_window_present (window);
}

static void
ausculta_application_quit (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
ausculta_application_show_about (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Ausculta developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", "Ausculta",
                         "application-icon", APP_ID,
                         "developer-name", _("The Ausculta developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "comments", _("End-of-line acoustic and vibration inspection of electric motors"),
                         "website", "https://github.com/ausculta/ausculta",
                         "issue-url", "https://github.com/ausculta/ausculta/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Ausculta developers",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
ausculta_application_show_preferences (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  AuscultaApplication *self = AUSCULTA_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AuscultaPreferencesWindow *preferences;
  AuscultaArchive *archive = NULL;

  if (AUSCULTA_IS_MAIN_WINDOW (parent))
    archive = ausculta_main_window_get_archive (AUSCULTA_MAIN_WINDOW (parent));
  preferences = ausculta_preferences_window_new (parent, self->settings, archive);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = ausculta_application_quit },
  { .name = "about", .activate = ausculta_application_show_about },
  { .name = "preferences", .activate = ausculta_application_show_preferences },
};

static void
ausculta_application_startup (GApplication *app)
{
  AuscultaApplication *self = AUSCULTA_APPLICATION (app);
  static const struct { const char *action; const char *accels[2]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-page::inspect", { "<Alt>1", NULL } },
    { "win.show-page::archive", { "<Alt>2", NULL } },
    { "win.show-page::explore", { "<Alt>3", NULL } },
    { "win.show-page::models", { "<Alt>4", NULL } },
  };

  G_APPLICATION_CLASS (ausculta_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
  self->settings = ausculta_app_load_settings ();
}

static void
ausculta_application_dispose (GObject *object)
{
  AuscultaApplication *self = AUSCULTA_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ausculta_application_parent_class)->dispose (object);
}

static void
ausculta_application_class_init (AuscultaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ausculta_application_dispose;
  app_class->startup = ausculta_application_startup;
  app_class->activate = ausculta_application_activate;
}

static void
ausculta_application_init (AuscultaApplication *self)
{
}

AuscultaApplication *
ausculta_application_new (GApplicationFlags flags)
{
  return g_object_new (AUSCULTA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/ausculta/Ausculta",
                       NULL);
}

/**
 * ausculta_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the application's settings, or %NULL
 *   when the schema is not installed.
 */
GSettings *
ausculta_application_get_settings (AuscultaApplication *self)
{
  g_return_val_if_fail (AUSCULTA_IS_APPLICATION (self), NULL);

  return self->settings;
}
