/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *ausculta_data_path             (const char *relative);
char *ausculta_default_archive_path  (void);

G_END_DECLS
