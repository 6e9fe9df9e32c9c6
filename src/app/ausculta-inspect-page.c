/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspect-page"

#include "config.h"

#include <adwaita.h>

#include "ausculta-inspect-page.h"

struct _AuscultaInspectPage
{
  GtkWidget      parent_instance;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (AuscultaInspectPage, ausculta_inspect_page, GTK_TYPE_WIDGET)

static void
ausculta_inspect_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AUSCULTA_TYPE_INSPECT_PAGE);

  G_OBJECT_CLASS (ausculta_inspect_page_parent_class)->dispose (object);
}

static void
ausculta_inspect_page_class_init (AuscultaInspectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_inspect_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-inspect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaInspectPage, status_page);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_inspect_page_init (AuscultaInspectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
