/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ausculta-dataset.h"
#include "ausculta-model.h"
#include "ausculta-train.h"

G_BEGIN_DECLS

/* A proportion with its 95 % Wilson score interval. */
typedef struct {
  guint  successes;
  guint  trials;
  double value;     /* successes / trials, NaN when trials == 0 */
  double low;
  double high;
} AuscultaRate;

typedef struct {
  double fpr;       /* good units rejected */
  double tpr;       /* bad units caught */
  double threshold;
} AuscultaRocPoint;

typedef struct {
  int          defect_class;   /* > 0, or AUSCULTA_DATASET_LABEL_NG when unknown */
  AuscultaRate recall;         /* rows of this class rejected */
  AuscultaRate left_out;       /* recall when the class was absent from training (cross-validation only) */
} AuscultaClassRecall;

typedef struct {
  double escape;
  double false_reject;
  double auc;
} AuscultaRepeatSummary;

/* What the validation page draws and `ausculta-cli validate` prints.
 * Counts are per row; the folds and any resampling are by motor. The
 * threshold trade-off curve is the ROC read the other way: at each
 * threshold, false-reject rate = fpr and escape rate = 1 - tpr. */
typedef struct _AuscultaValidationReport {
  char                *model_version;
  guint                n_rows;
  guint                n_motors;
  double               threshold;
  /* confusion matrix, positive = bad unit */
  guint                true_nok;      /* bad rejected */
  guint                false_ok;      /* bad accepted: escapes */
  guint                false_nok;     /* good rejected */
  guint                true_ok;       /* good accepted */
  AuscultaRate         escape_rate;
  AuscultaRate         false_reject_rate;
  double               auc, auc_low, auc_high;      /* 95 % CI: 1000 bootstraps over motors */
  double               pauc, pauc_low, pauc_high;   /* standardised (McClish) pAUC at FPR <= 0.1 */
  GArray              *roc;           /* AuscultaRocPoint, fpr increasing */
  GArray              *classes;       /* AuscultaClassRecall, class increasing */
  double              *scores;        /* n_rows, the scores behind the numbers */
  int                 *labels;        /* n_rows */
  char                *method;        /* how the scores were obtained, in words */
  GArray              *repeats;       /* AuscultaRepeatSummary per repeat (cross-validation) */
  struct _AuscultaValidationReport *production;  /* same rows scored by another model, or NULL */
} AuscultaValidationReport;

void                      ausculta_validation_report_free    (AuscultaValidationReport *report);

/* Scores every labelled row of @data with @model and reports; with
 * @production, scores the same rows with it too, for a side-by-side view. */
AuscultaValidationReport *ausculta_validate_model            (AuscultaModel         *model,
                                                              AuscultaModel         *production,
                                                              const AuscultaDataset *data,
                                                              GCancellable          *cancellable,
                                                              AuscultaProgressFunc   progress,
                                                              gpointer               user_data,
                                                              GError               **error);

/* Repeated cross-validation grouped by motor of the training procedure
 * given by @settings (see ausculta_model_train()): every row is scored by
 * models that never saw its motor; then each defect class is left out of
 * training in turn for its left-out recall. */
AuscultaValidationReport *ausculta_cross_validate            (const AuscultaDataset *data,
                                                              const char * const    *settings,
                                                              guint                  folds,
                                                              guint                  repeats,
                                                              guint                  seed,
                                                              GCancellable          *cancellable,
                                                              AuscultaProgressFunc   progress,
                                                              gpointer               user_data,
                                                              GError               **error);

/* Builds the report from scores already computed. */
AuscultaValidationReport *ausculta_validation_report_new     (const double          *scores,
                                                              const int             *labels,
                                                              const guint           *groups,
                                                              guint                  n_rows,
                                                              double                 threshold);

JsonNode                 *ausculta_validation_report_to_json (const AuscultaValidationReport *report);
/* The headline numbers only, as stored in a model file. */
JsonNode                 *ausculta_validation_report_summary_json (const AuscultaValidationReport *report);
char                     *ausculta_validation_report_to_text (const AuscultaValidationReport *report);

AuscultaRate              ausculta_rate_wilson               (guint successes,
                                                              guint trials);

/* Threshold rules on out-of-fold scores (larger = more anomalous): the
 * smallest threshold rejecting at most @target of the good scores, or the
 * largest threshold accepting at most @target of the bad scores. */
double                    ausculta_threshold_for_frr         (const double *good_scores,
                                                              guint         n_good,
                                                              double        target);
double                    ausculta_threshold_for_escape      (const double *bad_scores,
                                                              guint         n_bad,
                                                              double        target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaValidationReport, ausculta_validation_report_free)

G_END_DECLS
