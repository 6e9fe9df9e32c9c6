/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-sync-target.h"

G_BEGIN_DECLS

/* The "mongodb" outbox target: each MEASUREMENT or LABEL row becomes the
 * measurement's current document, upserted by its UUIDv7 `_id`. */
#define AUSCULTA_TYPE_MONGO_SYNC (ausculta_mongo_sync_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaMongoSync, ausculta_mongo_sync, AUSCULTA, MONGO_SYNC, GObject)

AuscultaMongoSync *ausculta_mongo_sync_new (const char  *uri,
                                            const char  *password,
                                            const char  *database,
                                            const char  *collection,
                                            const char  *client,
                                            GError     **error);

G_END_DECLS
