/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Per-column preprocessing before a detector: an optional log10 of the
 * linear (vibration) columns, then an optional standard scaling with the
 * population standard deviation, computed as scikit-learn's StandardScaler
 * does (a zero deviation scales by 1). */
typedef enum {
  AUSCULTA_PREPROCESS_NONE,
  AUSCULTA_PREPROCESS_STANDARD,
  AUSCULTA_PREPROCESS_LOG_STANDARD,
} AuscultaPreprocessKind;

typedef struct {
  AuscultaPreprocessKind kind;
  guint                  n_cols;
  guint8                *log_columns;  /* n_cols, 1 where log10 is taken first */
  double                *mean;         /* n_cols, NULL without scaling */
  double                *scale;        /* n_cols, NULL without scaling */
} AuscultaPreprocess;

/* Smallest value the log transform takes, so a dead channel's 0 stays finite. */
#define AUSCULTA_LOG_FLOOR 1e-12

gboolean    ausculta_preprocess_kind_from_string (const char             *text,
                                                  AuscultaPreprocessKind *kind);
const char *ausculta_preprocess_kind_to_string   (AuscultaPreprocessKind  kind);
gboolean    ausculta_feature_is_linear           (const char             *name);

void        ausculta_preprocess_fit              (AuscultaPreprocess     *pre,
                                                  AuscultaPreprocessKind  kind,
                                                  const char * const     *names,
                                                  const double           *rows,
                                                  guint                   n_rows,
                                                  guint                   n_cols);
void        ausculta_preprocess_clear            (AuscultaPreprocess     *pre);
/* Multiplies the scaled vibration columns by @vib_weight (> 0), acoustic
 * columns keeping weight 1: folded into the scale, so a weighted model is
 * scored exactly as an unweighted one. No effect without scaling. */
void        ausculta_preprocess_weight_vibration (AuscultaPreprocess     *pre,
                                                  const char * const     *names,
                                                  double                  vib_weight);
/* Transforms @n_rows rows of @in into @out (which may be @in). */
void        ausculta_preprocess_apply            (const AuscultaPreprocess *pre,
                                                  const double           *in,
                                                  guint                   n_rows,
                                                  double                 *out);

G_END_DECLS
