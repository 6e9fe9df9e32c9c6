/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* The filters of the Archive page as SQL, shared by the page, the count and
 * the features queries (table alias m = measurements). */
char *ausculta_archive_filter_where (const AuscultaArchiveFilter *filter);
void  ausculta_archive_filter_bind  (const AuscultaArchiveFilter *filter,
                                     sqlite3_stmt                *stmt);

G_END_DECLS
