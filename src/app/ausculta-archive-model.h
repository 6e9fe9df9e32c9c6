/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_ARCHIVE_MODEL (ausculta_archive_model_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaArchiveModel, ausculta_archive_model, AUSCULTA, ARCHIVE_MODEL, GObject)

AuscultaArchiveModel *ausculta_archive_model_new         (AuscultaArchive      *archive);
void                  ausculta_archive_model_set_filter  (AuscultaArchiveModel *self,
                                                          const char           *serial_prefix,
                                                          int                   verdict);
void                  ausculta_archive_model_refresh     (AuscultaArchiveModel *self);
guint                 ausculta_archive_model_get_n_pages_loaded (AuscultaArchiveModel *self);

G_END_DECLS
