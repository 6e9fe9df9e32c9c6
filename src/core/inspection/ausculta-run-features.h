/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-feature-extractor.h"

G_BEGIN_DECLS

/* The features of one run, computed as soon as that run is captured.
 *
 * The extractor works on a whole measurement; a run's features depend only
 * on that run's signals, and the profile lays them out run after run. So
 * each run gets an extractor of its own, made from a copy of the profile
 * that keeps only that run: its vector is exactly the run's slice of the
 * whole vector. One AuscultaRunFeatures per inspection; run r's extractor
 * must not be used by two threads at once (a cycle uses it once). */
typedef struct _AuscultaRunFeatures AuscultaRunFeatures;

/* NULL with @error when the profile cannot be split by run (its file is
 * gone, a run's copy does not load, or the slices do not add up): the
 * cycle then extracts all runs at its end. */
AuscultaRunFeatures *ausculta_run_features_new     (AuscultaProfile      *profile,
                                                    GError              **error);
void                 ausculta_run_features_free    (AuscultaRunFeatures  *self);
/* Where run r's features start in the whole vector, and how many. */
guint                ausculta_run_features_offset  (AuscultaRunFeatures  *self,
                                                    guint                 run);
guint                ausculta_run_features_count   (AuscultaRunFeatures  *self);

/* Computes run r's features from its signals (those of @signals whose run
 * is run r's name) into @features (count values); ORs each signal's
 * health into it and into *health. Sets *milliseconds to the time spent.
 * @signals is the caller's own array: the measurement's may grow meanwhile. */
gboolean             ausculta_run_features_extract (AuscultaRunFeatures  *self,
                                                    guint                 run,
                                                    AuscultaSignal      **signals,
                                                    guint                 n_signals,
                                                    double               *features,
                                                    guint                *health,
                                                    double               *milliseconds,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaRunFeatures, ausculta_run_features_free)

G_END_DECLS
