/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"
#include "ausculta-model.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_MODELS_PAGE (ausculta_models_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaModelsPage, ausculta_models_page, AUSCULTA, MODELS_PAGE, GtkWidget)

void     ausculta_models_page_set_archive (AuscultaModelsPage  *self,
                                           AuscultaArchive     *archive);
void     ausculta_models_page_set_user    (AuscultaModelsPage  *self,
                                           const char          *user_name);
void     ausculta_models_page_refresh     (AuscultaModelsPage  *self);
/* Approves (or, with @approve FALSE, retires: a roll-back) a model as the
 * logged-in user, after checking @password; the core enforces the role. */
void     ausculta_models_page_decide      (AuscultaModelsPage  *self,
                                           const char          *model_id,
                                           gboolean             approve,
                                           const char          *password);
gboolean ausculta_models_page_is_busy     (AuscultaModelsPage  *self);
/* Imports a labelled CSV file into the archive (supervisor), in a worker;
 * its rows become the candidate's test rows. */
void     ausculta_models_page_import      (AuscultaModelsPage  *self,
                                           const char          *path);
/* Trains a candidate with the chosen detector (plus @extra_settings,
 * "key=value", may be NULL) in a worker, then validates it and the
 * production model on the same rows. */
void     ausculta_models_page_train       (AuscultaModelsPage  *self,
                                           const char * const  *extra_settings);

G_END_DECLS
