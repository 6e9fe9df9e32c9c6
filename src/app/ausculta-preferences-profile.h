/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's profile row: the profile a new inspection uses
 * and the sensor defaults it gives. */
#pragma once

#include "ausculta-preferences-window.h"
#include "ausculta-profile.h"

G_BEGIN_DECLS

void                          ausculta_preferences_profile_show        (AuscultaPreferencesWindow *self);
void                          ausculta_preferences_profile_selected    (AuscultaPreferencesWindow *self);
void                          ausculta_preferences_profile_choose      (AuscultaPreferencesWindow *self);
const AuscultaProfileChannel *ausculta_preferences_profile_channel     (AuscultaPreferencesWindow *self,
                                                                        guint                      channel);
double                        ausculta_preferences_profile_input_range (AuscultaPreferencesWindow *self,
                                                                        guint                      channel);

G_END_DECLS
