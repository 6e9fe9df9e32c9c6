/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to the detector: shared by its fitting and scoring
 * (ausculta-detector.c) and its model-file form (ausculta-detector-file.c). */

#include "ausculta-detector.h"

G_BEGIN_DECLS

/* AuscultaPcaStatistic as training parameters and model files spell it. */
extern const char * const ausculta_detector_statistic_names[3];

G_END_DECLS
