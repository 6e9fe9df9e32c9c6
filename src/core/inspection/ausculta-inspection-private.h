/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-inspection.h"

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

/* The cycle's view of the configuration, taken once at its start. */
typedef struct {
  AuscultaProfile          *profile;
  AuscultaSource           *source;
  AuscultaFeatureExtractor *extractor;   /* borrowed from the inspection */
  AuscultaModel            *model;
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
