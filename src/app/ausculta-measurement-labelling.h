/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-measurement-page.h"

G_BEGIN_DECLS

/* The labelling panel of the measurement page: defect class, comment,
 * "Set Label" and the label history of the measurement shown. */
GtkWidget *ausculta_measurement_labelling_build        (AuscultaMeasurementPage *self);
void       ausculta_measurement_labelling_show_history (AuscultaMeasurementPage *self);

G_END_DECLS
