/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AUSCULTA_TYPE_APPLICATION (ausculta_application_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaApplication, ausculta_application, AUSCULTA, APPLICATION, AdwApplication)

AuscultaApplication *ausculta_application_new          (GApplicationFlags    flags);
GSettings           *ausculta_application_get_settings (AuscultaApplication *self);
void                 ausculta_app_init_i18n            (void);
void                 ausculta_app_init_display         (void);

G_END_DECLS
