/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-inspection.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_INSPECT_PAGE (ausculta_inspect_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaInspectPage, ausculta_inspect_page, AUSCULTA, INSPECT_PAGE, GtkWidget)

void                ausculta_inspect_page_set_station    (AuscultaInspectPage *self,
                                                          const char          *station);
AuscultaInspection *ausculta_inspect_page_get_inspection (AuscultaInspectPage *self);
const char         *ausculta_inspect_page_get_operator   (AuscultaInspectPage *self);
guint               ausculta_inspect_page_get_count      (AuscultaInspectPage *self,
                                                          AuscultaVerdict      verdict);

G_END_DECLS
