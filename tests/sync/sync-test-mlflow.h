/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The MLflow 2.7.1 test double (mlflow-double.py) as a child process. */
typedef struct {
  GSubprocess *process;
  guint16      port;
  char        *uri;          /* http://127.0.0.1:PORT */
} SyncTestMlflow;

SyncTestMlflow *sync_test_mlflow_start    (guint16         port,
                                           const char     *option);
void            sync_test_mlflow_free     (SyncTestMlflow *double_);
void            sync_test_mlflow_control  (SyncTestMlflow *double_,
                                           const char     *json);
JsonNode       *sync_test_mlflow_state    (SyncTestMlflow *double_);
gint64          sync_test_mlflow_requests (JsonNode       *state,
                                           const char     *route);
guint           sync_test_mlflow_count    (JsonNode       *state,
                                           const char     *member);
/* A small file in the safetensors layout, not a usable model. */
GBytes         *sync_test_model_bytes     (guint           i);
/* A real model the ML module ships: data/models/@name. */
GBytes         *sync_test_data_model      (const char     *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestMlflow, sync_test_mlflow_free)

G_END_DECLS
