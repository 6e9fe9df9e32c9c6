/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_LOGIN_BAR (ausculta_login_bar_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaLoginBar, ausculta_login_bar, AUSCULTA, LOGIN_BAR, GtkWidget)

void        ausculta_login_bar_set_archive   (AuscultaLoginBar *self,
                                              AuscultaArchive  *archive);
const char *ausculta_login_bar_get_user_name (AuscultaLoginBar *self);
gboolean    ausculta_login_bar_is_required   (AuscultaLoginBar *self);
void        ausculta_login_bar_focus         (AuscultaLoginBar *self);

G_END_DECLS
