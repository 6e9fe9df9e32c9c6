/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdatomic.h>

#include "ausculta-inspection.h"
#include "ausculta-model-follower.h"
#include "ausculta-run-features.h"

G_BEGIN_DECLS

/* The object's state, shared by its files: ausculta-inspection.c (the
 * configuration and the GObject), ausculta-inspection-publish.c (what the
 * observers are told) and ausculta-inspection-cycle.c (the cycle). */
struct _AuscultaInspection
{
  GObject                   parent_instance;

  GMainContext             *context;     /* where observers are told */
  GThread                  *owner;

  GMutex                    lock;        /* guards the configuration below */
  AuscultaProfile          *profile;     /* the next cycle's */
  gboolean                  profile_changed;  /* since the extractor was made */
  AuscultaSource           *source;
  AuscultaModel            *model;
  AuscultaArchive          *archive;
  char                     *serial;
  char                     *operator_name;
  char                     *station;
  atomic_bool               running;

  /* Made and replaced between cycles only (while not running). */
  AuscultaFeatureExtractor *extractor;
  AuscultaRunFeatures      *run_features;   /* the extractor's profile, run by run */
  gboolean                  run_features_tried;
  AuscultaModelFollower    *follower;       /* used by the running cycle only */

  /* What observers see: touched on the owner thread only. */
  AuscultaInspectionState   state;
  char                     *run;
  double                    progress;
  char                     *status;
  AuscultaMeasurement      *measurement;
  AuscultaModel            *production;   /* the archive's, when it has one */

  /* The block sink, called by the cycle under sink_lock. */
  GMutex                    sink_lock;
  AuscultaBlockSink         sink;
  gpointer                  sink_data;
  GDestroyNotify            sink_destroy;
};

typedef enum {
  PROP_0,
  PROP_STATE,
  PROP_RUN,
  PROP_PROGRESS,
  PROP_STATUS,
  PROP_MEASUREMENT,
  PROP_SERIAL,
  PROP_SOURCE,
  PROP_MODEL,
  N_PROPS
} AuscultaInspectionProperty;

/* On the owner thread. */
void                 ausculta_inspection_notify         (AuscultaInspection         *self,
                                                         AuscultaInspectionProperty  property);

/* Between the object (ausculta-inspection.c) and the cycle it runs
 * (ausculta-inspection-cycle.c). Called from the cycle's thread. */

/* Published to the observers on the owner's main context; a NULL string or
 * a negative state leaves that field unchanged. */
void                 ausculta_inspection_publish        (AuscultaInspection       *self,
                                                         int                       state,
                                                         const char               *run,
                                                         const char               *status,
                                                         AuscultaMeasurement      *measurement);
/* The run's progress (0..1), told when it moved by 1 % or reached the end. */
void                 ausculta_inspection_publish_progress (AuscultaInspection     *self,
                                                           double                  progress);
/* Hands a block to the sink, if any. */
void                 ausculta_inspection_publish_block  (AuscultaInspection       *self,
                                                         const AuscultaLiveBlock  *block);

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
