/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_PREFERENCES_WINDOW (ausculta_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaPreferencesWindow, ausculta_preferences_window, AUSCULTA, PREFERENCES_WINDOW, AdwPreferencesWindow)

AuscultaPreferencesWindow *ausculta_preferences_window_new       (GtkWindow       *parent,
                                                                  GSettings       *settings,
                                                                  AuscultaArchive *archive);
void                       ausculta_preferences_window_set_actor (AuscultaPreferencesWindow *self,
                                                                  const char      *actor);
const char                *ausculta_preferences_window_get_actor (AuscultaPreferencesWindow *self);
const char                *ausculta_preferences_window_get_last_toast
                                                                 (AuscultaPreferencesWindow *self);
char                      *ausculta_preferences_window_bench_path (void);

G_END_DECLS
