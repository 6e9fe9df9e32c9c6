/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* The Inspect page's sync badge on a label: "Offline · 3 queued",
 * "Synced", "Nothing to sync" or "Not archiving", from the archive's
 * outbox, with the sync workers' own words as its tooltip. The outbox is
 * counted in a worker (a million-row outbox takes a while): first once the
 * window is drawn, then every five seconds, and when asked. */
#define AUSCULTA_TYPE_SYNC_BADGE (ausculta_sync_badge_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaSyncBadge, ausculta_sync_badge, AUSCULTA, SYNC_BADGE, GObject)

AuscultaSyncBadge *ausculta_sync_badge_new    (GtkLabel          *label,
                                               AuscultaArchive   *archive);
void               ausculta_sync_badge_update (AuscultaSyncBadge *self);

G_END_DECLS
