/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-sync-worker.h"

G_BEGIN_DECLS

/* Keys of the outbox's per-target state that the worker keeps, so its
 * backoff and its last verdict on the target survive a restart. */
#define SYNC_STATE_KEY_STATE        "worker.state"
#define SYNC_STATE_KEY_FAILURES     "worker.failures"
#define SYNC_STATE_KEY_NEXT_ATTEMPT "worker.next-attempt-us"
#define SYNC_STATE_KEY_NOTE         "worker.note"
#define SYNC_STATE_KEY_CHAMPION     "champion.status"

AuscultaSyncState ausculta_sync_state_from_string         (const char         *text);
gboolean          ausculta_sync_status_update_from_outbox (AuscultaSyncStatus *status,
                                                           AuscultaArchive    *archive,
                                                           GError            **error);

G_END_DECLS
