/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-measurement-page.h"

G_BEGIN_DECLS

/* The export buttons of the measurement page (CSV, WAV, PNG, PDF) and
 * their file choosers; the exports themselves are in
 * ausculta-measurement-page.h. */
GtkWidget *ausculta_measurement_exports_build (AuscultaMeasurementPage *self);

G_END_DECLS
