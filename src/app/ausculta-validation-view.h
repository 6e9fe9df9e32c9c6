/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-validation.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_VALIDATION_VIEW (ausculta_validation_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaValidationView, ausculta_validation_view, AUSCULTA, VALIDATION_VIEW, GtkWidget)

GtkWidget   *ausculta_validation_view_new                   (void);
/* Shows @report (copied; NULL shows nothing) under @title. With
 * @adjustable, a slider moves the threshold over the report's scores and
 * every number follows it. */
void         ausculta_validation_view_set_report            (AuscultaValidationView         *self,
                                                             const char                     *title,
                                                             const AuscultaValidationReport *report,
                                                             gboolean                        adjustable);
void         ausculta_validation_view_set_threshold         (AuscultaValidationView         *self,
                                                             double                          threshold);
double       ausculta_validation_view_get_threshold         (AuscultaValidationView         *self);
/* At the current threshold: bad units accepted, good units rejected. */
AuscultaRate ausculta_validation_view_get_escape_rate       (AuscultaValidationView         *self);
AuscultaRate ausculta_validation_view_get_false_reject_rate (AuscultaValidationView         *self);

G_END_DECLS
