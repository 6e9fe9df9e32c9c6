/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_WINDOW (ausculta_window_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaWindow, ausculta_window, AUSCULTA, WINDOW, AdwApplicationWindow)

AuscultaWindow *ausculta_window_new              (GtkApplication *application);
const char     *ausculta_window_get_visible_page (AuscultaWindow *self);

G_END_DECLS
