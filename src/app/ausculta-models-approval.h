/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"
#include "ausculta-model.h"

G_BEGIN_DECLS

/* Called with the password typed in the approval dialog (only when the
 * user confirmed). */
typedef void (*AuscultaPasswordFunc) (const char *model_id,
                                      gboolean    approve,
                                      const char *password,
                                      gpointer    user_data);

/* Asks @user_name for their password before approving (or, with @approve
 * FALSE, rolling back) @model_id: a dialog over @parent's window. */
void           ausculta_models_approval_ask          (GtkWidget            *parent,
                                                      const char           *user_name,
                                                      const char           *model_id,
                                                      gboolean              approve,
                                                      AuscultaPasswordFunc  callback,
                                                      GObject              *callback_object);
/* Checks the password, approves or retires the model (the archive checks
 * the role and writes the audit log) and loads the production model that
 * decides from now on, in a worker. */
void           ausculta_models_approval_decide_async (GObject             *source_object,
                                                      AuscultaArchive     *archive,
                                                      const char          *user_name,
                                                      const char          *model_id,
                                                      gboolean             approve,
                                                      const char          *password,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The new production model; NULL with no error when none is left. */
AuscultaModel *ausculta_models_approval_decide_finish (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
