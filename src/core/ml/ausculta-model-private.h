/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-dataset.h"
#include "ausculta-detector.h"
#include "ausculta-model.h"
#include "ausculta-preprocess.h"

G_BEGIN_DECLS

#define AUSCULTA_MODEL_FORMAT         "ausculta-model"
#define AUSCULTA_MODEL_FORMAT_VERSION "1"

struct _AuscultaModel {
  GObject             parent_instance;
  char              **feature_names;
  guint               n_features;
  GHashTable         *feature_index;   /* name -> position + 1 */
  char               *profile_name;
  char               *profile_hash;
  AuscultaPreprocess  pre;
  AuscultaDetector    primary;
  AuscultaDetector    secondary;
  gboolean            combined;
  double              center[2];
  double              scale[2];
  double              threshold;
  char               *threshold_rule;
  char               *version;
  char               *sha256;
  char               *training_hash;
  guint               training_rows;
  char               *validation;
  GHashTable         *parameters;      /* training settings, key -> value */
};


/* How training hands a model its parts (ownership moves to the model). With
 * a @secondary detector the score is the larger of the two scores, each
 * centred and scaled on out-of-fold scores of good units (@center, @scale). */
AuscultaModel *ausculta_model_new_from_parts (const char * const *feature_names,
                                              AuscultaPreprocess *pre,
                                              AuscultaDetector   *primary,
                                              AuscultaDetector   *secondary,
                                              const double       *center,
                                              const double       *scale,
                                              GHashTable         *parameters);
void           ausculta_model_set_threshold  (AuscultaModel      *model,
                                              double              threshold,
                                              const char         *rule);
void           ausculta_model_set_training   (AuscultaModel      *model,
                                              const char         *hash,
                                              guint               n_rows,
                                              const char         *version);
/* The scores of each part before they are combined (for the threshold
 * of a combined model); @parts is n_rows × 2 (second column NaN if none). */
gboolean       ausculta_model_score_parts    (AuscultaModel      *model,
                                              const double       *rows,
                                              guint               n_rows,
                                              double             *parts,
                                              GCancellable       *cancellable);
void           ausculta_model_set_feature_names (AuscultaModel   *model,
                                              const char * const *names);
void           ausculta_model_set_combination (AuscultaModel     *model,
                                              const double       *center,
                                              const double       *scale);

/* Fold of each motor group: groups shuffled with @seed, dealt round-robin. */
guint         *ausculta_assign_folds         (const AuscultaDataset *data,
                                              guint               folds,
                                              guint               seed);

gboolean       ausculta_model_fail           (GError            **error,
                                              AuscultaModelError  code,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
