/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-error"

#include "config.h"

#include "ausculta-sync-error.h"

G_DEFINE_QUARK (ausculta-sync-error-quark, ausculta_sync_error)

/* TRUE when trying again later may succeed without anyone acting. */
gboolean
ausculta_sync_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE)
         || g_error_matches (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER);
}
