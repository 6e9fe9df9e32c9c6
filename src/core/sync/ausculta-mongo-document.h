/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <bson/bson.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (bson_t, bson_destroy)

bson_t *ausculta_mongo_document_new (const AuscultaMeasurement *measurement,
                                     GPtrArray                 *label_history,
                                     const char                *client);

G_END_DECLS
