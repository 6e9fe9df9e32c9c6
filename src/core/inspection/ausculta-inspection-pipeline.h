/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-inspection-private.h"

G_BEGIN_DECLS

/* What a cycle hands to workers while it goes on capturing, so that the
 * end of capture waits only for the last run's share:
 *   - at its start: which model the archive has in production (loaded
 *     when it changed);
 *   - when a run ends: that run's features and the FLAC encoding of its
 *     signals (when the archive keeps the station's signals).
 * Private to the inspection module. */
typedef struct _AuscultaPipeline AuscultaPipeline;

AuscultaPipeline *ausculta_pipeline_new           (AuscultaInspectionSetup  *setup);
/* Whether the archive will keep the signals: the cycle may then stream
 * their FLAC encoding during capture (a signal that arrives with its
 * encoding is not encoded again). */
gboolean          ausculta_pipeline_encodes       (AuscultaPipeline         *self);
/* The run (profile index @run) is captured: its signals are complete. */
void              ausculta_pipeline_run_ended     (AuscultaPipeline         *self,
                                                   guint                     run,
                                                   AuscultaSignal          **signals,
                                                   guint                     n_signals);
/* Waits for every job submitted so far. */
void              ausculta_pipeline_wait          (AuscultaPipeline         *self);
/* Waits for every job, then sets the measurement's features, health and
 * timings ("wait_runs": how long the end of capture waited). FALSE when
 * the features cannot be computed. */
gboolean          ausculta_pipeline_finish        (AuscultaPipeline         *self,
                                                   AuscultaMeasurement      *measurement,
                                                   GError                  **error);
/* After finish: the model to score with (the archive's production model,
 * else the one the inspection was given), whether the production model
 * changed in this cycle, and why it could not be loaded (or NULL). */
AuscultaModel    *ausculta_pipeline_get_model     (AuscultaPipeline         *self);
gboolean          ausculta_pipeline_model_changed (AuscultaPipeline         *self);
const char       *ausculta_pipeline_model_problem (AuscultaPipeline         *self);
/* Waits for the jobs still running (a failed capture), then frees. */
void              ausculta_pipeline_free          (AuscultaPipeline         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaPipeline, ausculta_pipeline_free)

G_END_DECLS
