/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_INSPECT_PAGE (ausculta_inspect_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaInspectPage, ausculta_inspect_page, AUSCULTA, INSPECT_PAGE, GtkWidget)

G_END_DECLS
