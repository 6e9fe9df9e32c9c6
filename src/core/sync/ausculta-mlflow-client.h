/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A small MLflow 2.7.1 REST client (what DagsHub runs): JSON calls under
 * <tracking-uri>/api/2.0/mlflow/ and artifacts through the mlflow-artifacts
 * proxy, HTTP Basic auth, bounded timeouts. Each call is one request:
 * retrying is the sync worker's job. Errors are AUSCULTA_SYNC_ERROR codes:
 * OFFLINE (transport, timeout), SERVER (5xx, 429), AUTH (401, 403),
 * NOT_FOUND (JSON 404), UNSUPPORTED (404 of an unknown route), EXISTS
 * (RESOURCE_ALREADY_EXISTS), REJECTED (other 4xx). One client per thread. */
typedef struct _AuscultaMlflowClient AuscultaMlflowClient;

AuscultaMlflowClient *ausculta_mlflow_client_new          (const char           *tracking_uri,
                                                           const char           *username,
                                                           const char           *token);
void                  ausculta_mlflow_client_free         (AuscultaMlflowClient *client);
void                  ausculta_mlflow_client_set_timeout  (AuscultaMlflowClient *client,
                                                           guint                 milliseconds);
const char           *ausculta_mlflow_client_get_uri      (AuscultaMlflowClient *client);
JsonNode             *ausculta_mlflow_client_call         (AuscultaMlflowClient *client,
                                                           const char           *method,
                                                           const char           *path,
                                                           JsonNode             *body,
                                                           GError              **error);
gboolean              ausculta_mlflow_client_upload       (AuscultaMlflowClient *client,
                                                           const char           *artifact_path,
                                                           GBytes               *content,
                                                           GError              **error);
GBytes               *ausculta_mlflow_client_download     (AuscultaMlflowClient *client,
                                                           const char           *artifact_path,
                                                           GError              **error);
char                 *ausculta_mlflow_escape              (const char           *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaMlflowClient, ausculta_mlflow_client_free)

G_END_DECLS
