/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window's sensitivity rows, one per metered input. */
#pragma once

#include "ausculta-preferences-window.h"

G_BEGIN_DECLS

void ausculta_preferences_calibration_add_rows (AuscultaPreferencesWindow *self);

G_END_DECLS
