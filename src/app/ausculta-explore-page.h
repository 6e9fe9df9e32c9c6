/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_EXPLORE_PAGE (ausculta_explore_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaExplorePage, ausculta_explore_page, AUSCULTA, EXPLORE_PAGE, GtkWidget)

void     ausculta_explore_page_set_archive (AuscultaExplorePage *self,
                                            AuscultaArchive     *archive);
void     ausculta_explore_page_invalidate  (AuscultaExplorePage *self);
gboolean ausculta_explore_page_is_busy     (AuscultaExplorePage *self);
guint    ausculta_explore_page_get_n_points (AuscultaExplorePage *self);

G_END_DECLS
