/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_ARCHIVE_PAGE (ausculta_archive_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaArchivePage, ausculta_archive_page, AUSCULTA, ARCHIVE_PAGE, GtkWidget)

void        ausculta_archive_page_set_archive (AuscultaArchivePage *self,
                                               AuscultaArchive     *archive);
void        ausculta_archive_page_refresh     (AuscultaArchivePage *self);
GListModel *ausculta_archive_page_get_model   (AuscultaArchivePage *self);
void        ausculta_archive_page_set_user    (AuscultaArchivePage *self,
                                               const char          *user_name);
void        ausculta_archive_page_open_measurement (AuscultaArchivePage *self,
                                               const char          *measurement_id);
GtkWidget  *ausculta_archive_page_get_measurement_page (AuscultaArchivePage *self);

G_END_DECLS
