/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-sync-worker.h"

G_BEGIN_DECLS

/* Where the outbox goes: $XDG_CONFIG_HOME/ausculta/sync.ini (no secrets):
 *
 *   [mongodb]
 *   uri=mongodb://bench@db.plant:27017/?tls=true&authSource=admin
 *   database=production
 *   collection=api_mesures
 *   client=Line 3            (optional: the historical `client` field)
 *
 *   [mlflow]
 *   tracking-uri=https://dagshub.com/OWNER/REPO.mlflow
 *   username=OWNER
 *   experiment=ausculta
 *   model-name=ausculta-detector
 *   pull-minutes=10          (how often the champion alias is looked at)
 *
 * The MongoDB password and the MLflow token live in the credential store
 * (ausculta-credentials.h) under ("mongodb", user@hosts) and ("mlflow",
 * username); a password written in the URI is refused. */
typedef struct {
  char *mongo_uri;
  char *mongo_database;
  char *mongo_collection;
  char *mongo_client;
  char *mlflow_uri;
  char *mlflow_username;
  char *mlflow_experiment;
  char *mlflow_model;
  guint mlflow_pull_minutes;   /* 0: the default, 10 */
} AuscultaSyncConfig;

char               *ausculta_sync_config_default_path  (void);
AuscultaSyncConfig *ausculta_sync_config_load          (const char               *path,
                                                        GError                  **error);
char               *ausculta_sync_config_account       (const AuscultaSyncConfig *config,
                                                        const char               *target);
GPtrArray          *ausculta_sync_config_create_targets (const AuscultaSyncConfig *config,
                                                        GError                  **error);
GPtrArray          *ausculta_sync_config_create_workers (const AuscultaSyncConfig *config,
                                                        AuscultaArchive          *archive,
                                                        GError                  **error);
void                ausculta_sync_config_free          (AuscultaSyncConfig       *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaSyncConfig, ausculta_sync_config_free)

G_END_DECLS
