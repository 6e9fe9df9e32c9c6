/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-measurement.h"
#include "ausculta-profile.h"
#include "ausculta-signal-health.h"

G_BEGIN_DECLS

#define AUSCULTA_FEATURE_ERROR (ausculta_feature_error_quark ())

typedef enum {
  AUSCULTA_FEATURE_ERROR_MISSING_SIGNAL,   /* the profile's run/channel is not in the measurement */
  AUSCULTA_FEATURE_ERROR_SAMPLE_RATE,      /* not finite, ≤ 0, or too low for one FFT frame's bands */
  AUSCULTA_FEATURE_ERROR_TOO_SHORT,        /* fewer samples than one FFT frame */
  AUSCULTA_FEATURE_ERROR_SAMPLES,          /* NaN or infinite samples */
  AUSCULTA_FEATURE_ERROR_DSP,              /* FFT planning failed */
} AuscultaFeatureError;

/* Turns the signals of a measurement into the profile's feature vector.
 * One extractor per thread; reuse it across measurements (its FFT plans
 * are made once per sample rate). */
typedef struct _AuscultaFeatureExtractor AuscultaFeatureExtractor;

GQuark                     ausculta_feature_error_quark        (void);

AuscultaFeatureExtractor  *ausculta_feature_extractor_new      (AuscultaProfile           *profile,
                                                                GError                   **error);
void                       ausculta_feature_extractor_free     (AuscultaFeatureExtractor  *extractor);
AuscultaProfile           *ausculta_feature_extractor_get_profile (AuscultaFeatureExtractor *extractor);

/* Sets the features, measurement->health and each signal's health,
 * profile_name, profile_hash and the "features" timing (ms). Signals may
 * have any sample rate: the FFT size follows it to keep the profile's
 * resolution, and a band beyond the Nyquist frequency is NaN (a missing
 * value, as in the historical CSV files); so are the orders of a run
 * whose shaft rate cannot be found. A tachometer channel gives the shaft
 * rate and has no features of its own. */
gboolean                   ausculta_feature_extractor_extract  (AuscultaFeatureExtractor  *extractor,
                                                                AuscultaMeasurement       *measurement,
                                                                GError                   **error);

/* One run alone: the profile lays its features out run after run, each
 * run get_run_size() values; extract_run computes run r's slice (from the
 * signals of that run among @signals, whose health it sets) with the same
 * values as extract. Two runs may be extracted at once only by two
 * extractors. */
guint                      ausculta_feature_extractor_get_run_size (AuscultaFeatureExtractor *extractor);
gboolean                   ausculta_feature_extractor_extract_run  (AuscultaFeatureExtractor  *extractor,
                                                                    guint                      run,
                                                                    AuscultaSignal           **signals,
                                                                    guint                      n_signals,
                                                                    double                    *features,
                                                                    guint                     *health,
                                                                    GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaFeatureExtractor, ausculta_feature_extractor_free)

G_END_DECLS
