/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-target"

#include "config.h"

#include "ausculta-sync-target.h"

G_DEFINE_INTERFACE (AuscultaSyncTarget, ausculta_sync_target, G_TYPE_OBJECT)

static void
ausculta_sync_target_default_init (AuscultaSyncTargetInterface *iface)
{
}

/* The outbox target this drains, e.g. AUSCULTA_OUTBOX_TARGET_MONGODB. */
const char *
ausculta_sync_target_get_name (AuscultaSyncTarget *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_TARGET (self), NULL);
  return AUSCULTA_SYNC_TARGET_GET_IFACE (self)->get_name (self);
}

/* Where it sends, for people: "127.0.0.1:27017/production.api_mesures". */
const char *
ausculta_sync_target_get_description (AuscultaSyncTarget *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_TARGET (self), NULL);
  return AUSCULTA_SYNC_TARGET_GET_IFACE (self)->get_description (self);
}

guint
ausculta_sync_target_get_batch_size (AuscultaSyncTarget *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_TARGET (self), 1);
  return AUSCULTA_SYNC_TARGET_GET_IFACE (self)->get_batch_size (self);
}

/**
 * ausculta_sync_target_deliver:
 * @items: (element-type AuscultaOutboxItem): due rows, oldest first
 * @item_errors: (element-type GError): filled with one entry per item: NULL
 *   when delivered, or why this item alone was refused
 *
 * Returns: FALSE with an AUSCULTA_SYNC_ERROR when the batch as a whole did
 *   not go through (nothing may be assumed delivered; it is sent again).
 */
gboolean
ausculta_sync_target_deliver (AuscultaSyncTarget *self,
                              AuscultaArchive    *archive,
                              GPtrArray          *items,
                              GPtrArray          *item_errors,
                              GError            **error)
{
  g_return_val_if_fail (AUSCULTA_IS_SYNC_TARGET (self), FALSE);
  g_return_val_if_fail (items != NULL && item_errors != NULL, FALSE);
  return AUSCULTA_SYNC_TARGET_GET_IFACE (self)->deliver (self, archive, items, item_errors, error);
}

/* Targets without work of their own do nothing here. */
void
ausculta_sync_target_poll (AuscultaSyncTarget *self,
                           AuscultaArchive    *archive,
                           gint64              now_us)
{
  AuscultaSyncTargetInterface *iface;

  g_return_if_fail (AUSCULTA_IS_SYNC_TARGET (self));
  iface = AUSCULTA_SYNC_TARGET_GET_IFACE (self);
  if (iface->poll != NULL)
    iface->poll (self, archive, now_us);
}
