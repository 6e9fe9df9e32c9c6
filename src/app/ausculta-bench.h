/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-archive.h"
#include "ausculta-inspection.h"

G_BEGIN_DECLS

/* The bench the app starts on when nothing is configured: the default
 * profile, the simulated motor (or $AUSCULTA_SOURCE), the local archive
 * and its production model (else the demo model in data/models). Each part that is missing is reported in @notes
 * (one line each) and left out: the app still comes up. */
AuscultaInspection *ausculta_bench_new_inspection (AuscultaArchive **archive,
                                                   GPtrArray        *notes);

/* The chosen profile with the sensitivities saved by the Preferences
 * (bench.ini [calibration] input-N) in place of its own. */
AuscultaProfile    *ausculta_bench_load_profile   (GPtrArray        *notes);

/* That profile for @inspection's next cycle (a running one keeps its
 * own): a calibration or a profile saved in the Preferences applies
 * without a restart. FALSE when it cannot be loaded (in @notes). */
gboolean            ausculta_bench_apply_profile  (AuscultaInspection *inspection,
                                                   GPtrArray          *notes);

G_END_DECLS
