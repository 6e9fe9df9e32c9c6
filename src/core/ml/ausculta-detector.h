/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-lof.h"
#include "ausculta-safetensors.h"

G_BEGIN_DECLS

/* One scoring method on preprocessed rows; larger scores are more
 * anomalous (or more likely bad, for the classifier). */
typedef enum {
  AUSCULTA_DETECTOR_KIND_LOF,          /* -score_samples of sklearn's LOF(novelty=True) */
  AUSCULTA_DETECTOR_KIND_KNN,          /* mean distance to the k nearest good rows */
  AUSCULTA_DETECTOR_KIND_MAHALANOBIS,  /* squared distance, Ledoit-Wolf covariance */
  AUSCULTA_DETECTOR_KIND_PCA,          /* Hotelling T², SPE (Q), or both */
  AUSCULTA_DETECTOR_KIND_LOGISTIC,     /* logit of L2-regularised logistic regression */
} AuscultaDetectorKind;

typedef enum {
  AUSCULTA_PCA_SPE,
  AUSCULTA_PCA_T2,
  AUSCULTA_PCA_BOTH,   /* T²/components + SPE/mean training SPE */
} AuscultaPcaStatistic;

typedef struct {
  AuscultaDetectorKind kind;
  guint                n_cols;
  /* lof, knn */
  double              *reference;
  guint                n_ref;
  AuscultaMetric       metric;
  guint                n_neighbors;
  AuscultaLof          lof;
  AuscultaNeighbors    neighbors;
  /* mahalanobis; pca keeps its mean in location */
  double              *location;
  double              *precision;
  double               shrinkage;
  /* pca */
  double              *components;     /* n_components × n_cols */
  double              *variance;       /* n_components */
  guint                n_components;
  AuscultaPcaStatistic statistic;
  double               spe_scale;
  /* logistic */
  double              *coef;
  double               intercept;
  double               C;
} AuscultaDetector;

gboolean    ausculta_detector_kind_from_string (const char           *text,
                                                AuscultaDetectorKind *kind);
const char *ausculta_detector_kind_to_string   (AuscultaDetectorKind  kind);

/* @params: the training settings (key → value strings) the detector reads
 * (n_neighbors, metric, n_components, variance, statistic, C); @labels
 * (good = 0, bad = 1) is read by the classifier only. */
gboolean    ausculta_detector_fit              (AuscultaDetector     *det,
                                                AuscultaDetectorKind  kind,
                                                GHashTable           *params,
                                                const double         *rows,
                                                const guint8         *bad,
                                                guint                 n_rows,
                                                guint                 n_cols,
                                                GCancellable         *cancellable,
                                                GError              **error);
void        ausculta_detector_clear            (AuscultaDetector     *det);
/* @nof (nullable): LOF's score_samples (negative outlier factor). */
gboolean    ausculta_detector_score            (const AuscultaDetector *det,
                                                const double         *rows,
                                                guint                 n_rows,
                                                double               *scores,
                                                double               *nof,
                                                GCancellable         *cancellable);
/* Non-negative per-column contributions to the score of one row. */
void        ausculta_detector_contributions    (const AuscultaDetector *det,
                                                const double         *row,
                                                double               *out);
void        ausculta_detector_save             (const AuscultaDetector *det,
                                                AuscultaSafetensors  *st,
                                                const char           *prefix);
gboolean    ausculta_detector_load             (AuscultaDetector     *det,
                                                AuscultaSafetensors  *st,
                                                const char           *prefix,
                                                guint                 n_cols,
                                                GError              **error);

G_END_DECLS
