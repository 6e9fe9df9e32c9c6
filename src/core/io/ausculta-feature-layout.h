/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The historical 432-column feature layout of the original bench:
 * for each run (down, up), for each band (V1..V75, then G1..G33),
 * for each channel (AC, vib): "{band}_{channel}_{run}", except that the
 * vibration column of band G29 is spelled "G29vib_{run}" (kept as it is). */
#define AUSCULTA_HISTORICAL_N_FEATURES 432

const char * const *ausculta_feature_layout_historical (void);
int                 ausculta_feature_layout_historical_find (const char *name);
char               *ausculta_feature_layout_motor_group (const char *index);

G_END_DECLS
