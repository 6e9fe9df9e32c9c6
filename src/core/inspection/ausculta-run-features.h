/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-feature-extractor.h"

G_BEGIN_DECLS

/* The features of one run, computed as soon as that run is captured: one
 * extractor of the whole profile per run (ausculta_feature_extractor_
 * extract_run), so that two runs' jobs may overlap. One AuscultaRunFeatures
 * per profile; run r's extractor must not be used by two threads at once
 * (a cycle uses it once). */
typedef struct _AuscultaRunFeatures AuscultaRunFeatures;

/* NULL with @error when an extractor cannot be made (FFT planning). */
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
