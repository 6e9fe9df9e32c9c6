/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's capture device choice and input level meters. */
#pragma once

#include "ausculta-preferences-window.h"

G_BEGIN_DECLS

void ausculta_preferences_levels_list_devices (AuscultaPreferencesWindow *self);
void ausculta_preferences_levels_stop         (AuscultaPreferencesWindow *self);
void ausculta_preferences_levels_choice_free  (gpointer                   data);

G_END_DECLS
