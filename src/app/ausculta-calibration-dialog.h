/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ausculta-level-meter.h"

G_BEGIN_DECLS

/* Captures three seconds of a calibrator on one channel, judges it with
 * the core calibrator and, when accepted, offers to save the sensitivity:
 * the "calibrated" signal carries it in mV/Pa. */
#define AUSCULTA_TYPE_CALIBRATION_DIALOG (ausculta_calibration_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaCalibrationDialog, ausculta_calibration_dialog, AUSCULTA,
                      CALIBRATION_DIALOG, AdwWindow)

AuscultaCalibrationDialog *ausculta_calibration_dialog_new     (GtkWindow          *parent,
                                                                AuscultaLevelProbe *probe,
                                                                guint               channel,
                                                                double              volts_per_unit);
void                       ausculta_calibration_dialog_capture (AuscultaCalibrationDialog *self);
const char                *ausculta_calibration_dialog_get_result_text
                                                               (AuscultaCalibrationDialog *self);

G_END_DECLS
