/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The run's progress as a thin bar in the accent colour, exposed to
 * assistive technologies as a progress bar. A new fraction only redraws
 * it: unlike GtkProgressBar it never makes GTK lay the window out again,
 * which at every step of a live capture costs the main thread dearly. */
#define AUSCULTA_TYPE_RUN_PROGRESS (ausculta_run_progress_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaRunProgress, ausculta_run_progress, AUSCULTA, RUN_PROGRESS, GtkWidget)

void ausculta_run_progress_set_fraction (AuscultaRunProgress *self,
                                         double               fraction);

G_END_DECLS
