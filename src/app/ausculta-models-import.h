/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* Called with the file the user chose to import. */
typedef void (*AuscultaImportChosenFunc) (const char *path,
                                          gpointer    user_data);

/* The file chooser for a labelled CSV, over @parent's window. */
void     ausculta_models_import_choose      (GtkWidget                *parent,
                                             AuscultaImportChosenFunc  callback,
                                             GObject                  *callback_object);
/* Imports @path into the archive as @user_name (a supervisor; the archive
 * checks) in a worker. */
void     ausculta_models_import_run_async   (GObject                  *source_object,
                                             AuscultaArchive          *archive,
                                             const char               *user_name,
                                             const char               *path,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
/* The counts of the import, and the file imported (@path, owned by @result). */
gboolean ausculta_models_import_finish      (GAsyncResult             *result,
                                             AuscultaImportResult     *counts,
                                             const char              **path,
                                             GError                  **error);

G_END_DECLS
