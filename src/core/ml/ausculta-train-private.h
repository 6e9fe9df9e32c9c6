/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-model-private.h"
#include "ausculta-train.h"

G_BEGIN_DECLS

/* How ausculta_model_train() works inside, in three files by job: the
 * settings checked into a plan (ausculta-train-plan.c), out-of-fold scores,
 * their combination and the threshold (ausculta-train-oof.c), fitting and
 * assembling the model (ausculta-train.c). */

typedef struct {
  GHashTable            *params;
  AuscultaDetectorKind   kind;           /* classifier when supervised */
  gboolean               supervised;
  gboolean               combined;
  AuscultaDetectorKind   combine_kind;
  AuscultaPreprocessKind pre_kind;
  double                 vib_weight;
  double                 target_frr;
  double                 target_escape;  /* NaN: use target_frr */
  guint                  folds;
  guint                  repeats;
  guint                  seed;
} AuscultaTrainPlan;

void      ausculta_train_plan_clear     (AuscultaTrainPlan       *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuscultaTrainPlan, ausculta_train_plan_clear)

/* Reads the "key=value" settings (see ausculta_model_train()), defaults filled in. */
gboolean  ausculta_train_plan_init      (AuscultaTrainPlan       *plan,
                                         const char * const      *settings,
                                         GError                 **error);
/* Whether row @r is learnt from: the good rows, the bad ones too when
 * supervised, every row when the data has no labels at all. */
gboolean  ausculta_train_plan_uses_row  (const AuscultaTrainPlan *plan,
                                         const AuscultaDataset   *data,
                                         gboolean                 unlabelled,
                                         guint                    r);

/* Preprocessing, detector (and its partner when combined) fitted on @rows. */
AuscultaModel *ausculta_train_fit_model (const AuscultaTrainPlan *plan,
                                         const AuscultaDataset   *data,
                                         const guint             *rows,
                                         guint                    n,
                                         GCancellable            *cancellable,
                                         GError                 **error);

typedef struct {
  guint   repeats;
  guint   n_rows;
  double *parts;     /* repeats × n_rows × 2, NaN where a row was not scored */
} AuscultaOutOfFold;

void      ausculta_out_of_fold_clear    (AuscultaOutOfFold       *oof);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuscultaOutOfFold, ausculta_out_of_fold_clear)

/* Scores of each part for every row by models that never saw its motor. */
gboolean  ausculta_out_of_fold_scores   (const AuscultaTrainPlan *plan,
                                         const AuscultaDataset   *data,
                                         gboolean                 unlabelled,
                                         AuscultaOutOfFold       *oof,
                                         GCancellable            *cancellable,
                                         AuscultaProgressFunc     progress,
                                         gpointer                 user_data,
                                         GError                 **error);
void      ausculta_combination_from_oof (const AuscultaOutOfFold *oof,
                                         const AuscultaDataset   *data,
                                         double                  *center,
                                         double                  *scale);
double    ausculta_combined_score       (const double            *parts,
                                         gboolean                 combined,
                                         const double            *center,
                                         const double            *scale);
/* Threshold from pooled out-of-fold scores; @rule receives it in words. */
double    ausculta_choose_threshold     (const AuscultaTrainPlan *plan,
                                         const AuscultaDataset   *data,
                                         const double            *scores,
                                         guint                    n,
                                         char                   **rule);

G_END_DECLS
