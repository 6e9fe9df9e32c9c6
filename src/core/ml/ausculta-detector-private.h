/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to the detector: shared by its fitting and scoring
 * (ausculta-detector.c) and its model-file form (ausculta-detector-file.c). */

#include "ausculta-detector.h"

G_BEGIN_DECLS

/* AuscultaPcaStatistic as training parameters and model files spell it;
 * from_string is FALSE for another word (or NULL). */
const char *ausculta_detector_statistic_to_string   (AuscultaPcaStatistic  statistic);
gboolean    ausculta_detector_statistic_from_string (const char           *text,
                                                     AuscultaPcaStatistic *statistic);

G_END_DECLS
