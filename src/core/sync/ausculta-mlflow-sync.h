/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-mlflow-client.h"
#include "ausculta-sync-target.h"

G_BEGIN_DECLS

/* The "mlflow" outbox target (DagsHub runs MLflow 2.7.1):
 *   TRAINING_RUN, MODEL: one run per model (params, metrics of its
 *     validation report, the model file and the report as artifacts),
 *     found again by its tag ausculta_model_id, so a replay logs nothing
 *     twice; MODEL also registers a model version (tag ausculta_sha256);
 *   APPROVAL: version tags approved_by / approved_at / validation_summary,
 *     alias `champion` moved to it and the one before kept as `previous`;
 *     a retired champion hands `champion` back to `previous`.
 * A registry answering 404 (DagsHub without registry) degrades to run tags
 * (ausculta_candidate, ausculta_champion...) and the status says so.
 * Pull: after a pass that left nothing due, and then every pull interval
 * (10 min by default), the champion is pulled and installed as the
 * archive's production model (ausculta_mlflow_sync_pull_champion). */
#define AUSCULTA_MLFLOW_DEFAULT_PULL_INTERVAL (10 * G_TIME_SPAN_MINUTE)

#define AUSCULTA_TYPE_MLFLOW_SYNC (ausculta_mlflow_sync_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaMlflowSync, ausculta_mlflow_sync, AUSCULTA, MLFLOW_SYNC, GObject)

AuscultaMlflowSync *ausculta_mlflow_sync_new           (const char          *tracking_uri,
                                                        const char          *username,
                                                        const char          *token,
                                                        const char          *experiment,
                                                        const char          *model_name);
AuscultaMlflowClient *ausculta_mlflow_sync_get_client  (AuscultaMlflowSync  *self);
void                ausculta_mlflow_sync_set_pull_interval (AuscultaMlflowSync *self,
                                                            GTimeSpan           interval);
gboolean            ausculta_mlflow_sync_get_pull_failed (AuscultaMlflowSync *self);
gboolean            ausculta_mlflow_sync_pull_champion (AuscultaMlflowSync  *self,
                                                        AuscultaArchive     *archive,
                                                        gboolean            *installed,
                                                        GError             **error);
gboolean            ausculta_model_bytes_check_format  (GBytes              *bytes,
                                                        GError             **error);

G_END_DECLS
