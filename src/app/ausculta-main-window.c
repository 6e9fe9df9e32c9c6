/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-main-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-application.h"
#include "ausculta-archive-page.h"
#include "ausculta-explore-page.h"
#include "ausculta-models-page.h"
#include "ausculta-inspect-page.h"
#include "ausculta-main-window.h"
#include "ausculta-sync-status.h"

struct _AuscultaMainWindow
{
  AdwApplicationWindow  parent_instance;

  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
  AuscultaInspectPage  *inspect_page;
  AdwBin               *archive_bin;
  AdwBin               *explore_bin;
  AdwBin               *models_bin;

  /* Built in their bin on their first visit (or first use), NULL before:
   * the window's first frame has the Inspect page alone to build. */
  AuscultaArchivePage  *archive_page;
  AuscultaExplorePage  *explore_page;
  AuscultaModelsPage   *models_page;
};

G_DEFINE_FINAL_TYPE (AuscultaMainWindow, ausculta_main_window, ADW_TYPE_APPLICATION_WINDOW)

/* @page in @bin, the pointer at @field cleared when the page goes. */
static void
put_page (AdwBin    *bin,
          GtkWidget *page,
          gpointer  *field)
{
  *field = page;
  g_object_add_weak_pointer (G_OBJECT (page), field);
  adw_bin_set_child (bin, page);
}

/* The page named @name (not the Inspect page), built now as the window
 * would have built it at start if it has not been: on the bench's archive,
 * for the operator logged in now. NULL for another name. */
static GtkWidget *
ensure_page (AuscultaMainWindow *self,
             const char         *name)
{
  AuscultaArchive *archive = ausculta_main_window_get_archive (self);
  const char *user = ausculta_inspect_page_get_operator (self->inspect_page);

  if (g_strcmp0 (name, "archive") == 0)
    {
      if (self->archive_page == NULL)
        {
          put_page (self->archive_bin, g_object_new (AUSCULTA_TYPE_ARCHIVE_PAGE, NULL),
                    (gpointer *) &self->archive_page);
          if (archive != NULL)
            ausculta_archive_page_set_archive (self->archive_page, archive);
          if (user != NULL)
            ausculta_archive_page_set_user (self->archive_page, user);
        }
      return GTK_WIDGET (self->archive_page);
    }
  if (g_strcmp0 (name, "explore") == 0)
    {
      if (self->explore_page == NULL)
        {
          put_page (self->explore_bin, g_object_new (AUSCULTA_TYPE_EXPLORE_PAGE, NULL),
                    (gpointer *) &self->explore_page);
          if (archive != NULL)
            ausculta_explore_page_set_archive (self->explore_page, archive);
        }
      return GTK_WIDGET (self->explore_page);
    }
  if (g_strcmp0 (name, "models") == 0)
    {
      if (self->models_page == NULL)
        {
          put_page (self->models_bin, g_object_new (AUSCULTA_TYPE_MODELS_PAGE, NULL),
                    (gpointer *) &self->models_page);
          if (archive != NULL)
            ausculta_models_page_set_archive (self->models_page, archive);
          if (user != NULL)
            ausculta_models_page_set_user (self->models_page, user);
        }
      return GTK_WIDGET (self->models_page);
    }
  return NULL;
}

static void
on_visible_page (AdwViewStack       *stack,
                 GParamSpec         *pspec,
                 AuscultaMainWindow *self)
{
  ensure_page (self, adw_view_stack_get_visible_child_name (stack));
}

static void
ausculta_main_window_show_page (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  AuscultaMainWindow *self = AUSCULTA_MAIN_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No page named “%s”: expected inspect, archive, explore or models", name);
      return;
    }
  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* Explore's points (and anything else naming a measurement) open it on the
 * Archive page. */
static void
ausculta_main_window_open_measurement (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  AuscultaMainWindow *self = AUSCULTA_MAIN_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "archive");
  ausculta_archive_page_open_measurement (self->archive_page, g_variant_get_string (parameter, NULL));
}

static void
on_station_changed (GSettings          *settings,
                    const char         *key,
                    AuscultaMainWindow *self)
{
  g_autofree char *station = g_settings_get_string (settings, key);

  ausculta_inspect_page_set_station (self->inspect_page, station);
}

static void
ausculta_main_window_dispose (GObject *object)
{
  AuscultaMainWindow *self = AUSCULTA_MAIN_WINDOW (object);

  g_clear_weak_pointer (&self->archive_page);
  g_clear_weak_pointer (&self->explore_page);
  g_clear_weak_pointer (&self->models_page);

  G_OBJECT_CLASS (ausculta_main_window_parent_class)->dispose (object);
}

static void
ausculta_main_window_class_init (AuscultaMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_main_window_dispose;

  g_type_ensure (AUSCULTA_TYPE_INSPECT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, inspect_page);
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, archive_bin);
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, explore_bin);
  gtk_widget_class_bind_template_child (widget_class, AuscultaMainWindow, models_bin);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   ausculta_main_window_show_page);
  gtk_widget_class_install_action (widget_class, "win.open-measurement", "s",
                                   ausculta_main_window_open_measurement);
}

/* Each finished inspection shows up in the Archive at once (a page not
 * built yet reads the archive when it is). */
static void
on_measurement (AuscultaInspection *inspection,
                GParamSpec         *pspec,
                AuscultaMainWindow *self)
{
  if (self->archive_page != NULL)
    ausculta_archive_page_refresh (self->archive_page);
  if (self->explore_page != NULL)
    ausculta_explore_page_invalidate (self->explore_page);
}

/* Whoever logs in at the bench acts on the Models page: the archive
 * decides what their role allows. */
static void
on_operator (AuscultaInspectPage *page,
             GParamSpec          *pspec,
             AuscultaMainWindow  *self)
{
  if (self->models_page != NULL)
    ausculta_models_page_set_user (self->models_page, ausculta_inspect_page_get_operator (page));
  if (self->archive_page != NULL)
    ausculta_archive_page_set_user (self->archive_page, ausculta_inspect_page_get_operator (page));
}

static void
ausculta_main_window_init (AuscultaMainWindow *self)
{
  AuscultaInspection *inspection;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->inspect_page, "notify::operator", G_CALLBACK (on_operator), self, 0);
  g_signal_connect_object (self->stack, "notify::visible-child-name", G_CALLBACK (on_visible_page),
                           self, 0);
  inspection = ausculta_inspect_page_get_inspection (self->inspect_page);
  if (inspection != NULL)
    {
      g_signal_connect_object (inspection, "notify::measurement", G_CALLBACK (on_measurement), self, 0);
      ausculta_sync_monitor_start_default (ausculta_inspection_get_archive (inspection));
    }
}

AuscultaMainWindow *
ausculta_main_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  AuscultaMainWindow *self = g_object_new (AUSCULTA_TYPE_MAIN_WINDOW, "application", application, NULL);
  GSettings *settings = NULL;

  if (AUSCULTA_IS_APPLICATION (application))
    settings = ausculta_application_get_settings (AUSCULTA_APPLICATION (application));
  if (settings != NULL)
    {
      g_autofree char *station = g_settings_get_string (settings, "station-name");

      ausculta_inspect_page_set_station (self->inspect_page, station);
      g_signal_connect_object (settings, "changed::station-name",
                               G_CALLBACK (on_station_changed), self, 0);
    }
  return self;
}

/**
 * ausculta_main_window_get_visible_page:
 *
 * Returns: the name of the page shown: inspect, archive, explore or models.
 */
const char *
ausculta_main_window_get_visible_page (AuscultaMainWindow *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MAIN_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

/**
 * ausculta_main_window_get_archive:
 *
 * Returns: (transfer none) (nullable): the archive the bench writes to.
 */
AuscultaArchive *
ausculta_main_window_get_archive (AuscultaMainWindow *self)
{
  AuscultaInspection *inspection;

  g_return_val_if_fail (AUSCULTA_IS_MAIN_WINDOW (self), NULL);

  inspection = ausculta_inspect_page_get_inspection (self->inspect_page);
  return inspection != NULL ? ausculta_inspection_get_archive (inspection) : NULL;
}

/**
 * ausculta_main_window_get_page:
 * @name: inspect, archive, explore or models
 *
 * The page named @name, built now if it has not been shown yet.
 *
 * Returns: (transfer none) (nullable): the page, %NULL for an unknown name
 */
GtkWidget *
ausculta_main_window_get_page (AuscultaMainWindow *self,
                               const char         *name)
{
  g_return_val_if_fail (AUSCULTA_IS_MAIN_WINDOW (self), NULL);

  if (g_strcmp0 (name, "inspect") == 0)
    return GTK_WIDGET (self->inspect_page);
  return ensure_page (self, name);
}
