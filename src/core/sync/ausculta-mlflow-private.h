/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-mlflow-sync.h"

G_BEGIN_DECLS

/* Tags and artifact names Ausculta writes, found again on replay. Tag keys
 * are plain identifiers so that search filters need no quoting. */
#define MLFLOW_TAG_MODEL_ID     "ausculta_model_id"
#define MLFLOW_TAG_SHA256       "ausculta_sha256"
#define MLFLOW_TAG_LOGGED       "ausculta_logged"
#define MLFLOW_MODEL_ARTIFACT   "model/model.safetensors"
#define MLFLOW_REPORT_ARTIFACT  "validation/report.json"
#define MLFLOW_ALIAS_CHAMPION   "champion"
#define MLFLOW_ALIAS_PREVIOUS   "previous"

JsonNode   *mlflow_object        (const char *first_key, ...) G_GNUC_NULL_TERMINATED;
JsonNode   *mlflow_string        (const char *value);
JsonNode   *mlflow_key_values    (const char * const *pairs);
const char *mlflow_get_string    (JsonNode *node, const char *path);
JsonObject *mlflow_get_object    (JsonNode *node, const char *path);
JsonArray  *mlflow_get_array     (JsonNode *node, const char *path);
const char *mlflow_member_string (JsonObject *object, const char *member);
const char *mlflow_find_tag      (JsonObject *object, const char *member, const char *key);

const char *mlflow_sync_get_model_name (AuscultaMlflowSync *self);
JsonNode   *mlflow_call          (AuscultaMlflowSync *self, const char *method,
                                  const char *path, JsonNode *body, GError **error);
gboolean    mlflow_post          (AuscultaMlflowSync *self, const char *path,
                                  JsonNode *body, GError **error);
const char *mlflow_ensure_experiment (AuscultaMlflowSync *self, GError **error);
JsonNode   *mlflow_ensure_run    (AuscultaMlflowSync *self, AuscultaArchive *archive,
                                  const AuscultaModelInfo *info, GError **error);
gboolean    mlflow_set_run_tags  (AuscultaMlflowSync *self, JsonNode *run,
                                  const char * const *pairs, GError **error);
char       *mlflow_get_alias     (AuscultaMlflowSync *self, const char *alias, GError **error);
void        mlflow_sync_iface_init (AuscultaSyncTargetInterface *iface);
void        mlflow_sync_poll     (AuscultaSyncTarget *target, AuscultaArchive *archive,
                                  gint64 now_us);

G_END_DECLS
