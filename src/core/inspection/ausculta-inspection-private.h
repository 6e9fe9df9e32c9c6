/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-inspection.h"
#include "ausculta-model-follower.h"
#include "ausculta-run-features.h"

G_BEGIN_DECLS

/* Between the object (ausculta-inspection.c) and the cycle it runs
 * (ausculta-inspection-cycle.c). Called from the cycle's thread. */

/* Published to the observers on the owner's main context; a NULL string or
 * a negative state leaves that field unchanged. */
void                 ausculta_inspection_publish        (AuscultaInspection       *self,
                                                         int                       state,
                                                         const char               *run,
                                                         const char               *status,
                                                         AuscultaMeasurement      *measurement);
void                 ausculta_inspection_publish_block  (AuscultaInspection       *self,
                                                         const char               *run,
                                                         double                    progress,
                                                         double                    sample_rate,
                                                         AuscultaSignal          **signals,
                                                         guint                     n_channels,
                                                         gsize                     offset,
                                                         gsize                     n_frames);

/* The archive's production model changed (NULL: there is none any more):
 * the "model" property follows it. */
void                 ausculta_inspection_publish_production (AuscultaInspection  *self,
                                                             AuscultaModel       *production);

/* The cycle's view of the configuration, taken once at its start. */
typedef struct {
  AuscultaProfile          *profile;
  AuscultaSource           *source;
  AuscultaFeatureExtractor *extractor;   /* borrowed from the inspection */
  AuscultaRunFeatures      *run_features; /* borrowed; NULL: extract at the end */
  AuscultaModelFollower    *follower;     /* borrowed */
  AuscultaModel            *model;        /* the one given, if any */
  AuscultaArchive          *archive;
  char                     *serial;
  char                     *operator_name;
  char                     *station;
} AuscultaInspectionSetup;

/* Runs one cycle with a setup taken by ausculta_inspection_take_setup();
 * clears it and ends the cycle. */
AuscultaMeasurement *ausculta_inspection_cycle          (AuscultaInspection       *self,
                                                         AuscultaInspectionSetup  *setup,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
gboolean             ausculta_inspection_take_setup     (AuscultaInspection       *self,
                                                         AuscultaInspectionSetup  *setup,
                                                         GError                  **error);
void                 ausculta_inspection_setup_clear    (AuscultaInspectionSetup  *setup);
/* The cycle is over, whatever the outcome: the next one may start. */
void                 ausculta_inspection_cycle_ended    (AuscultaInspection       *self);

G_END_DECLS
