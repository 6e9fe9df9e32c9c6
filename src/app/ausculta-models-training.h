/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"
#include "ausculta-model.h"
#include "ausculta-validation.h"

G_BEGIN_DECLS

/* The Models page's training task: trains a candidate in a worker on the
 * archive's labelled measurements, or on the rows of @csv_path when
 * @from_csv, then validates it next to the production model on the same
 * rows (the CSV's when there is one). Its progress is shown on
 * @progress_bar until the task is finished; @user_name must be at least an
 * engineer (the archive checks). */
void     ausculta_models_training_run_async (GObject              *source_object,
                                             AuscultaArchive      *archive,
                                             const char           *user_name,
                                             const char           *csv_path,
                                             gboolean              from_csv,
                                             const char * const   *settings,
                                             GtkProgressBar       *progress_bar,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* The candidate and its report (with the production model's, when it could
 * score the rows); @on_training_rows: TRUE when it was validated on the
 * rows it was trained on (optimistic). */
gboolean ausculta_models_training_finish    (GAsyncResult              *result,
                                             AuscultaModel            **model,
                                             AuscultaValidationReport **report,
                                             gboolean                  *on_training_rows,
                                             GError                   **error);

G_END_DECLS
