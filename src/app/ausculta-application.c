/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-application"

#include "config.h"

#include <dlfcn.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "ausculta-application.h"
#include "ausculta-data-paths.h"
#include "ausculta-preferences-window.h"
#include "ausculta-main-window.h"

struct _AuscultaApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;

  /* While an older archive is upgraded, before the main window opens. */
  GtkWindow      *upgrade_window;
  AdwStatusPage  *upgrade_status;
  GtkProgressBar *upgrade_bar;
  GtkWidget      *upgrade_spinner;
  GtkWidget      *upgrade_note;
  GtkWidget      *upgrade_quit;
  GCancellable   *upgrade_cancellable;
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
on_upgrade_progress (guint    done,
                     guint    total,
                     gpointer data)
{
  AuscultaApplication *self = data;
  /* Translators: the progress of the archive's upgrade */
  g_autofree char *text = g_strdup_printf (_("%u of %u steps done"), done, total);

  gtk_progress_bar_set_fraction (self->upgrade_bar, total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (self->upgrade_bar, text);
}

static void
show_upgrade_error (AuscultaApplication *self,
                    const GError        *error)
{
  g_autofree char *message = g_markup_escape_text (error->message, -1);

  adw_status_page_set_icon_name (self->upgrade_status, "dialog-error-symbolic");
  adw_status_page_set_title (self->upgrade_status, _("The Archive Could Not Be Upgraded"));
  adw_status_page_set_description (self->upgrade_status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->upgrade_bar), FALSE);
  gtk_widget_set_visible (self->upgrade_spinner, FALSE);
  gtk_widget_set_visible (self->upgrade_note, FALSE);
  gtk_widget_set_visible (self->upgrade_quit, TRUE);
}

static void
on_upgraded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AuscultaApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open_finish (result, &error);
  gboolean closed = g_cancellable_is_cancelled (self->upgrade_cancellable);

  g_application_release (G_APPLICATION (self));
  g_clear_object (&self->upgrade_cancellable);
  if (archive == NULL && !closed)
    {
      g_warning ("%s", error->message);
      show_upgrade_error (self, error);
      return;
    }
  /* Upgraded: the bench opens it as on any other day (unless the window
   * was closed meanwhile: then the app quits). */
  g_clear_object (&archive);
  if (!closed)
    gtk_window_present (GTK_WINDOW (ausculta_main_window_new (GTK_APPLICATION (self))));
  gtk_window_destroy (self->upgrade_window);
}

/* Closing during the upgrade stops it (the archive stays as it was) and
 * quits once it has stopped. */
static gboolean
on_upgrade_close_request (GtkWindow           *window,
                          AuscultaApplication *self)
{
  if (self->upgrade_cancellable == NULL)
    return FALSE;
  g_cancellable_cancel (self->upgrade_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  return TRUE;
}

static GtkWidget *
new_upgrade_content (AuscultaApplication *self,
                     const char          *path)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *clamp = adw_clamp_new ();
  g_autofree char *description = NULL;

  self->upgrade_status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->upgrade_status, "software-update-available-symbolic");
  adw_status_page_set_title (self->upgrade_status, _("Upgrading the Archive"));
  /* Translators: %s is the archive's file */
  description = g_markup_printf_escaped (_("The archive %s is being upgraded for this version "
                                           "of Ausculta. With a million measurements this takes "
                                           "a few minutes; the bench opens when it is done."), path);
  adw_status_page_set_description (self->upgrade_status, description);
  self->upgrade_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->upgrade_bar, TRUE);
  gtk_progress_bar_set_text (self->upgrade_bar, _("Starting…"));
  self->upgrade_note = gtk_label_new (_("Please do not close Ausculta or switch off the PC. "
                                        "Interrupting is safe (the archive stays as it was) "
                                        "but the upgrade then starts again from the beginning."));
  gtk_label_set_wrap (GTK_LABEL (self->upgrade_note), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->upgrade_note), GTK_JUSTIFY_CENTER);
  self->upgrade_quit = gtk_button_new_with_mnemonic (_("_Quit"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->upgrade_quit), "app.quit");
  gtk_widget_set_halign (self->upgrade_quit, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->upgrade_quit, FALSE);
  /* A step can take half a minute: the spinner shows the app is alive. */
  self->upgrade_spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (self->upgrade_spinner));
  gtk_widget_set_size_request (self->upgrade_spinner, 32, 32);
  gtk_box_append (GTK_BOX (box), self->upgrade_spinner);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->upgrade_bar));
  gtk_box_append (GTK_BOX (box), self->upgrade_note);
  gtk_box_append (GTK_BOX (box), self->upgrade_quit);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_status_page_set_child (self->upgrade_status, clamp);
  gtk_widget_set_vexpand (GTK_WIDGET (self->upgrade_status), TRUE);
  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->upgrade_status));
  return content;
}

/* The window says what takes minutes while the archive at @path is
 * upgraded in a worker; the main window follows. */
static void
start_upgrade (AuscultaApplication *self,
               const char          *path)
{
  self->upgrade_window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (self)));
  g_object_add_weak_pointer (G_OBJECT (self->upgrade_window), (gpointer *) &self->upgrade_window);
  gtk_window_set_title (self->upgrade_window, "Ausculta");
  gtk_window_set_default_size (self->upgrade_window, 720, 640);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self->upgrade_window),
                                      new_upgrade_content (self, path));
  g_signal_connect (self->upgrade_window, "close-request",
                    G_CALLBACK (on_upgrade_close_request), self);
  self->upgrade_cancellable = g_cancellable_new ();
  g_application_hold (G_APPLICATION (self));
  ausculta_archive_open_async (path, on_upgrade_progress, self, self->upgrade_cancellable,
                               on_upgraded, g_object_ref (self));
  gtk_window_present (self->upgrade_window);
}

static void
ausculta_application_activate (GApplication *app)
{
  AuscultaApplication *self = AUSCULTA_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *path = NULL;

  if (window == NULL)
    {
      path = ausculta_default_archive_path ();
      if (ausculta_archive_needs_upgrade (path))
        {
          start_upgrade (self, path);
          return;
        }
      window = GTK_WINDOW (ausculta_main_window_new (GTK_APPLICATION (app)));
    }
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

  /* Not while the archive is upgraded: nothing is there to set yet. */
  if (self->upgrade_window != NULL)
    return;
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

/* OpenBLAS starts its thread pool when the library is loaded, and each
 * of its threads then spins (sched_yield) for about 2^28 cycles before it
 * sleeps: some 100 ms of a core taken from the start-up on a two-core
 * bench PC, for a pool the start-up does not use. OpenBLAS's
 * own blas_thread_shutdown_ (what it runs before a fork) stops the pool,
 * and its next multi-threaded call starts it again. Looked up at run
 * time: another BLAS has no such pool, and no such function. Run as the
 * program is loaded (after the libraries' own constructors): by main()'s
 * first line the pool has already spun for tens of milliseconds. */
__attribute__ ((constructor)) static void
stop_idle_blas_threads (void)
{
  void (*shutdown) (void) = (void (*) (void)) dlsym (RTLD_DEFAULT, "blas_thread_shutdown_");

  if (shutdown != NULL)
    shutdown ();
}

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
  g_clear_weak_pointer (&self->upgrade_window);

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
