/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-archive.h"
#include "ausculta-model.h"

G_BEGIN_DECLS

/* Keeps the inspection's model in step with the archive's production
 * model: a supervisor's approval (GUI or CLI) or a champion pulled by sync
 * takes effect at the next cycle. Used by one cycle at a time. */
typedef struct _AuscultaModelFollower AuscultaModelFollower;

AuscultaModelFollower *ausculta_model_follower_new    (void);
void                   ausculta_model_follower_free   (AuscultaModelFollower  *self);

/* Asks @archive which model is in production (one small query) and loads
 * it when its id or SHA-256 differs from the one loaded last. Returns TRUE
 * when the production model in use changed (to none, too: the archive has
 * no production model any more). When the archive's production model
 * cannot be read, the one loaded before stays, and *problem says why. */
gboolean               ausculta_model_follower_update (AuscultaModelFollower  *self,
                                                       AuscultaArchive        *archive,
                                                       char                  **problem);
/* (transfer none) (nullable): the production model in use. */
AuscultaModel         *ausculta_model_follower_get    (AuscultaModelFollower  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaModelFollower, ausculta_model_follower_free)

G_END_DECLS
