/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's users page: roles, logins, new users. */
#pragma once

#include "ausculta-preferences-window.h"

G_BEGIN_DECLS

GListModel *ausculta_preferences_users_new_role_model (void);
void        ausculta_preferences_users_list           (AuscultaPreferencesWindow *self);
void        ausculta_preferences_users_add            (AuscultaPreferencesWindow *self);

G_END_DECLS
