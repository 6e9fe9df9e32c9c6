/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-measurement-page.h"

G_BEGIN_DECLS

/* The stored-signals panel of the measurement page: signal choice,
 * spectrum, spectrogram, waveform and playback. */
GtkWidget *ausculta_measurement_player_build        (AuscultaMeasurementPage *self);
void       ausculta_measurement_player_show_signals (AuscultaMeasurementPage *self);

G_END_DECLS
