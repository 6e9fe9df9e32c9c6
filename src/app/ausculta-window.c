/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-inspect-page.h"
#include "ausculta-window.h"

struct _AuscultaWindow
{
  AdwApplicationWindow  parent_instance;

  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
  AuscultaInspectPage  *inspect_page;
};

G_DEFINE_FINAL_TYPE (AuscultaWindow, ausculta_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ausculta_window_show_page (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  AuscultaWindow *self = AUSCULTA_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No page named “%s”: expected inspect, archive, explore or models", name);
      return;
    }
  adw_view_stack_set_visible_child_name (self->stack, name);
}

static void
ausculta_window_class_init (AuscultaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (AUSCULTA_TYPE_INSPECT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AuscultaWindow, inspect_page);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   ausculta_window_show_page);
}

static void
ausculta_window_init (AuscultaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AuscultaWindow *
ausculta_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (AUSCULTA_TYPE_WINDOW, "application", application, NULL);
}

/**
 * ausculta_window_get_visible_page:
 *
 * Returns: the name of the page shown: inspect, archive, explore or models.
 */
const char *
ausculta_window_get_visible_page (AuscultaWindow *self)
{
  g_return_val_if_fail (AUSCULTA_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}
