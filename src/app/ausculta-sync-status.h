/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ausculta-archive.h"
#include "ausculta-sync-config.h"

G_BEGIN_DECLS

/* The app's sync workers and their status in one line for the Inspect
 * page's badge. (Named "monitor": the core already has AuscultaSyncStatus,
 * the status record of one target.) Properties: "summary" (string),
 * "online" (boolean: every configured target reached), "configured"
 * (boolean), "backlog" (guint64: items waiting, all targets). */
#define AUSCULTA_TYPE_SYNC_MONITOR (ausculta_sync_monitor_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaSyncMonitor, ausculta_sync_monitor, AUSCULTA, SYNC_MONITOR, GObject)

AuscultaSyncMonitor *ausculta_sync_monitor_new           (AuscultaArchive     *archive,
                                                          const char          *config_path);
AuscultaSyncMonitor *ausculta_sync_monitor_get_default   (void);
void                 ausculta_sync_monitor_start_default (AuscultaArchive     *archive);
void                 ausculta_sync_monitor_start         (AuscultaSyncMonitor *self);
void                 ausculta_sync_monitor_stop          (AuscultaSyncMonitor *self);
void                 ausculta_sync_monitor_restart       (AuscultaSyncMonitor *self);
void                 ausculta_sync_monitor_refresh       (AuscultaSyncMonitor *self);
void                 ausculta_sync_monitor_wake          (AuscultaSyncMonitor *self);
const char          *ausculta_sync_monitor_get_summary   (AuscultaSyncMonitor *self);
gboolean             ausculta_sync_monitor_get_online    (AuscultaSyncMonitor *self);
gboolean             ausculta_sync_monitor_get_configured (AuscultaSyncMonitor *self);
guint64              ausculta_sync_monitor_get_backlog   (AuscultaSyncMonitor *self);

/* The endpoints the Preferences edit (no secret in here). */
gboolean             ausculta_sync_settings_save         (const char          *path,
                                                          const AuscultaSyncConfig *config,
                                                          GError             **error);
gboolean             ausculta_sync_settings_store_secret (const char          *path,
                                                          const char          *target,
                                                          const char          *secret,
                                                          GError             **error);
void                 ausculta_sync_test_async            (const char          *path,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
char                *ausculta_sync_test_finish           (GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
