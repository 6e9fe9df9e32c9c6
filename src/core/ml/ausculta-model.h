/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-measurement.h"

G_BEGIN_DECLS

/* A trained model: preprocessing, detector (or classifier), decision
 * threshold and provenance, loaded from or saved to one self-describing
 * file in the safetensors layout (DESIGN.md §5). Immutable once trained or
 * loaded, so one model may score from several threads at once. */

#define AUSCULTA_MODEL_ERROR (ausculta_model_error_quark ())

typedef enum {
  AUSCULTA_MODEL_ERROR_IO,          /* the file cannot be read or written */
  AUSCULTA_MODEL_ERROR_CORRUPT,     /* not a model file, truncated, bad header or tensor */
  AUSCULTA_MODEL_ERROR_VERSION,     /* written by an incompatible format version */
  AUSCULTA_MODEL_ERROR_FEATURES,    /* feature names do not match the model's */
  AUSCULTA_MODEL_ERROR_PROFILE,     /* measurement made with another profile */
  AUSCULTA_MODEL_ERROR_NAN,         /* a feature is NaN or infinite */
  AUSCULTA_MODEL_ERROR_PARAMETER,   /* an unknown or invalid training parameter */
  AUSCULTA_MODEL_ERROR_DATA,        /* not enough (or unusable) training data */
} AuscultaModelError;

/* Detector kinds, as written in the model file's metadata. */
#define AUSCULTA_DETECTOR_LOF          "lof"
#define AUSCULTA_DETECTOR_KNN          "knn"
#define AUSCULTA_DETECTOR_MAHALANOBIS  "mahalanobis"
#define AUSCULTA_DETECTOR_PCA          "pca"
#define AUSCULTA_DETECTOR_LOGISTIC     "logistic"

#define AUSCULTA_TYPE_MODEL (ausculta_model_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaModel, ausculta_model, AUSCULTA, MODEL, GObject)

GQuark              ausculta_model_error_quark           (void);

AuscultaModel      *ausculta_model_load                  (const char          *path,
                                                          GError             **error);
AuscultaModel      *ausculta_model_load_bytes            (GBytes              *bytes,
                                                          GError             **error);
gboolean            ausculta_model_save                  (AuscultaModel       *model,
                                                          const char          *path,
                                                          GError             **error);
GBytes             *ausculta_model_serialize             (AuscultaModel       *model);

const char * const *ausculta_model_get_feature_names     (AuscultaModel       *model);
guint               ausculta_model_get_n_features        (AuscultaModel       *model);
const char         *ausculta_model_get_profile_name      (AuscultaModel       *model);
const char         *ausculta_model_get_profile_hash      (AuscultaModel       *model);
const char         *ausculta_model_get_detector          (AuscultaModel       *model);
double              ausculta_model_get_threshold         (AuscultaModel       *model);
const char         *ausculta_model_get_threshold_rule    (AuscultaModel       *model);
const char         *ausculta_model_get_version           (AuscultaModel       *model);
const char         *ausculta_model_get_sha256            (AuscultaModel       *model);
const char         *ausculta_model_get_training_hash     (AuscultaModel       *model);
guint               ausculta_model_get_training_rows     (AuscultaModel       *model);
const char         *ausculta_model_get_validation_summary (AuscultaModel      *model);
const char         *ausculta_model_get_parameter         (AuscultaModel       *model,
                                                          const char          *key);
gboolean            ausculta_model_is_lof                (AuscultaModel       *model);

void                ausculta_model_set_profile           (AuscultaModel       *model,
                                                          const char          *name,
                                                          const char          *hash);
void                ausculta_model_set_validation_summary (AuscultaModel      *model,
                                                          const char          *json);

/* Scores one vector given in the model's feature order. @negative_outlier_factor
 * (nullable) receives scikit-learn's score_samples for LOF models, NaN otherwise. */
gboolean            ausculta_model_score_vector          (AuscultaModel       *model,
                                                          const double        *features,
                                                          double              *score,
                                                          double              *negative_outlier_factor,
                                                          GError             **error);

/* Scores @n_rows row-major rows of ausculta_model_get_n_features() columns in
 * the model's order into @scores (and @negative_outlier_factor, nullable). */
gboolean            ausculta_model_score_matrix          (AuscultaModel       *model,
                                                          const double        *rows,
                                                          guint                n_rows,
                                                          double              *scores,
                                                          double              *negative_outlier_factor,
                                                          GError             **error);

/* Checks the measurement's feature names (any order) and profile against the
 * model and its values for NaN, then sets score, threshold, verdict, reasons
 * (the bands contributing most, with their shares), model_version and
 * model_hash. On error the measurement is left unchanged. */
gboolean            ausculta_model_score_measurement     (AuscultaModel       *model,
                                                          AuscultaMeasurement *measurement,
                                                          GError             **error);

G_END_DECLS
