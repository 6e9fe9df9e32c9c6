/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-mongo-document.h"

G_BEGIN_DECLS

typedef struct _AuscultaMongoTarget AuscultaMongoTarget;

/* One document the server refused (a write error), by its batch index. */
typedef struct {
  guint  index;
  char  *message;
} AuscultaMongoRejection;

AuscultaMongoTarget *ausculta_mongo_target_new            (const char           *uri,
                                                           const char           *password,
                                                           const char           *database,
                                                           const char           *collection,
                                                           GError              **error);
void                 ausculta_mongo_prepare_process       (void);
void                 ausculta_mongo_target_free           (AuscultaMongoTarget  *target);
const char          *ausculta_mongo_target_get_description (AuscultaMongoTarget *target);
gboolean             ausculta_mongo_target_ping           (AuscultaMongoTarget  *target,
                                                           GError              **error);
gboolean             ausculta_mongo_target_ensure_indexes (AuscultaMongoTarget  *target,
                                                           GError              **error);
gboolean             ausculta_mongo_target_upsert         (AuscultaMongoTarget  *target,
                                                           bson_t * const       *documents,
                                                           guint                 n_documents,
                                                           GPtrArray            *rejections,
                                                           GError              **error);
void                 ausculta_mongo_rejection_free        (gpointer              rejection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaMongoTarget, ausculta_mongo_target_free)

G_END_DECLS
