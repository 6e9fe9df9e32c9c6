/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's synchronisation page: MongoDB and MLflow. */
#pragma once

#include "ausculta-preferences-window.h"

G_BEGIN_DECLS

void ausculta_preferences_sync_show_config (AuscultaPreferencesWindow *self);
void ausculta_preferences_sync_save        (AuscultaPreferencesWindow *self);
void ausculta_preferences_sync_test        (AuscultaPreferencesWindow *self);

G_END_DECLS
