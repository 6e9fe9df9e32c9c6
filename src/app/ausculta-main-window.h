/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_MAIN_WINDOW (ausculta_main_window_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaMainWindow, ausculta_main_window, AUSCULTA, MAIN_WINDOW, AdwApplicationWindow)

AuscultaMainWindow *ausculta_main_window_new              (GtkApplication     *application);
const char         *ausculta_main_window_get_visible_page (AuscultaMainWindow *self);
AuscultaArchive    *ausculta_main_window_get_archive      (AuscultaMainWindow *self);
GtkWidget          *ausculta_main_window_get_page         (AuscultaMainWindow *self,
                                                           const char         *name);

G_END_DECLS
