/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-outbox.h"

G_BEGIN_DECLS

/* A place the outbox drains to (MongoDB, MLflow). The worker hands it the
 * due rows of its outbox target in order; the target sends them and says,
 * row by row, what became of them. Called from the worker's thread only. */
#define AUSCULTA_TYPE_SYNC_TARGET (ausculta_sync_target_get_type ())
G_DECLARE_INTERFACE (AuscultaSyncTarget, ausculta_sync_target, AUSCULTA, SYNC_TARGET, GObject)

struct _AuscultaSyncTargetInterface {
  GTypeInterface parent_iface;

  const char * (*get_name)        (AuscultaSyncTarget *self);
  const char * (*get_description) (AuscultaSyncTarget *self);
  guint        (*get_batch_size)  (AuscultaSyncTarget *self);
  gboolean     (*deliver)         (AuscultaSyncTarget *self,
                                   AuscultaArchive    *archive,
                                   GPtrArray          *items,
                                   GPtrArray          *item_errors,
                                   GError            **error);
  /* optional: work of its own besides the outbox (MLflow: pulling the
   * champion), after a pass that left nothing due; @now_us is the
   * worker's clock, the target decides whether it is time */
  void         (*poll)            (AuscultaSyncTarget *self,
                                   AuscultaArchive    *archive,
                                   gint64              now_us);
};

const char *ausculta_sync_target_get_name        (AuscultaSyncTarget *self);
const char *ausculta_sync_target_get_description (AuscultaSyncTarget *self);
guint       ausculta_sync_target_get_batch_size  (AuscultaSyncTarget *self);
gboolean    ausculta_sync_target_deliver         (AuscultaSyncTarget *self,
                                                  AuscultaArchive    *archive,
                                                  GPtrArray          *items,
                                                  GPtrArray          *item_errors,
                                                  GError            **error);
void        ausculta_sync_target_poll            (AuscultaSyncTarget *self,
                                                  AuscultaArchive    *archive,
                                                  gint64              now_us);

G_END_DECLS
