/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* The golden reference band: per feature, mean ± k standard deviations of
 * the good-labelled units of a feature matrix. A measurement's feature
 * outside [low, high] is a violation the engineer sees in red. */

#define AUSCULTA_REFERENCE_BAND_ERROR (ausculta_reference_band_error_quark ())

typedef enum {
  AUSCULTA_REFERENCE_BAND_ERROR_TOO_FEW,   /* fewer than 2 good units */
  AUSCULTA_REFERENCE_BAND_ERROR_INVALID,   /* k not finite or negative */
} AuscultaReferenceBandError;

typedef struct {
  guint    n_features;
  char   **feature_names;   /* NULL-terminated */
  double  *mean;            /* NaN where no good unit has the feature */
  double  *sd;              /* sample standard deviation (n - 1) */
  double  *low;             /* mean - k sd */
  double  *high;            /* mean + k sd */
  guint    n_units;         /* good units used */
  double   k;
} AuscultaReferenceBand;

GQuark                 ausculta_reference_band_error_quark (void);
AuscultaReferenceBand *ausculta_reference_band_compute     (const AuscultaFeatureMatrix *matrix,
                                                            double                       k,
                                                            GError                     **error);
/* Index of @name in the band, or -1. */
int                    ausculta_reference_band_find        (const AuscultaReferenceBand *band,
                                                            const char                  *name);
/* How many of @values (named @names) fall outside the band (NaN ignored). */
guint                  ausculta_reference_band_count_violations (const AuscultaReferenceBand *band,
                                                            const char * const          *names,
                                                            const double                *values,
                                                            guint                        n_values);
void                   ausculta_reference_band_free        (AuscultaReferenceBand       *band);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaReferenceBand, ausculta_reference_band_free)

G_END_DECLS
