/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ausculta-models-page.h"
#include "ausculta-validation-view.h"

G_BEGIN_DECLS

/* The page's state, shared with the file of its candidate's part; not for
 * use outside the page. */
struct _AuscultaModelsPage
{
  GtkWidget               parent_instance;

  GtkWidget              *candidate_group;
  AdwActionRow           *import_row;
  AdwComboRow            *detector_row;
  AdwComboRow            *source_row;
  GtkProgressBar         *progress_bar;
  GtkWidget              *cancel_button;
  GtkWidget              *train_button;
  GtkWidget              *report_box;
  AuscultaValidationView *candidate_view;
  AuscultaValidationView *production_view;
  GtkWidget              *add_button;
  GtkListBox             *list_box;
  GtkWidget              *empty_page;
  GtkLabel               *status_label;

  AuscultaArchive        *archive;
  char                   *user_name;
  AuscultaRole            role;          /* 0 when nobody or unknown */
  char                   *csv_path;      /* the imported test file */
  GCancellable           *cancellable;
  AuscultaModel          *candidate;
  AuscultaValidationReport *report;
  gboolean                busy;
};

/* Helpers of ausculta-models-page.c used by the candidate's part
 * (ausculta-models-page-candidate.c). */
void ausculta_models_page_update_actions (AuscultaModelsPage *self);
void ausculta_models_page_set_busy       (AuscultaModelsPage *self,
                                          gboolean            busy,
                                          gboolean            cancellable);
void ausculta_models_page_tell           (AuscultaModelsPage *self,
                                          const char         *text,
                                          gboolean            is_error);

/* Installs the candidate's actions: import, train, cancel, add-candidate. */
void ausculta_models_page_candidate_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
