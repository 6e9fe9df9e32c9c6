/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ausculta-models-page-private.h"

#include "ausculta-models-import.h"
#include "ausculta-models-training.h"
#include "ausculta-train.h"

/* The Models page's candidate: the labelled test file it is validated on,
 * its training and validation next to the production model, and its
 * addition to the archive for a supervisor to approve. */

/* ---- import of a labelled test file ---- */

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  g_autoptr(GError) error = NULL;
  AuscultaImportResult counts;
  const char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  ausculta_models_page_set_busy (self, FALSE, FALSE);
  if (!ausculta_models_import_finish (result, &counts, &path, &error))
    {
      ausculta_models_page_tell (self, error->message, TRUE);
      return;
    }
  g_free (self->csv_path);
  self->csv_path = g_strdup (path);
  name = g_path_get_basename (path);
  adw_action_row_set_subtitle (self->import_row, name);
  adw_combo_row_set_selected (self->source_row, 1);
  /* Translators: counts of an import of labelled rows */
  text = g_strdup_printf (_("%s: %u rows read, %u added, %u relabelled, %u conflicting labels"), name,
                          counts.n_rows, counts.n_added, counts.n_relabelled, counts.n_conflicts);
  ausculta_models_page_tell (self, text, FALSE);
}

void
ausculta_models_page_import (AuscultaModelsPage *self,
                             const char         *path)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->archive == NULL || self->busy)
    return;
  ausculta_models_page_set_busy (self, TRUE, FALSE);
  ausculta_models_import_run_async (G_OBJECT (self), self->archive, self->user_name, path, on_imported, NULL);
}

static void
on_import_chosen (const char *path,
                  gpointer    user_data)
{
  ausculta_models_page_import (AUSCULTA_MODELS_PAGE (user_data), path);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ausculta_models_import_choose (widget, on_import_chosen, G_OBJECT (widget));
}

/* ---- training and validation ---- */

/* The settings of the detector dropdown's entries, in order. */
static const char *detectors[] = {
  "detector=" AUSCULTA_DETECTOR_KNN, "detector=" AUSCULTA_DETECTOR_LOF,
  "detector=" AUSCULTA_DETECTOR_MAHALANOBIS, "detector=" AUSCULTA_DETECTOR_PCA,
  "detector=" AUSCULTA_DETECTOR_LOGISTIC,
};

static void
show_report (AuscultaModelsPage *self,
             gboolean            on_training_rows)
{
  g_autofree char *title = NULL;
  const AuscultaValidationReport *production = self->report->production;

  /* Translators: %s is the candidate model's version */
  title = g_strdup_printf (on_training_rows ? _("Candidate %s (on its training rows: optimistic)")
                                            : _("Candidate %s"),
                           ausculta_model_get_version (self->candidate));
  ausculta_validation_view_set_report (self->candidate_view, title, self->report, TRUE);
  g_clear_pointer (&title, g_free);
  if (production != NULL)
    /* Translators: %s is the production model's version */
    title = g_strdup_printf (_("Production %s"), production->model_version);
  ausculta_validation_view_set_report (self->production_view, title, production, FALSE);
}

static void
on_trained (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  AuscultaValidationReport *report = NULL;
  gboolean on_training_rows = FALSE;
  g_autofree char *text = NULL;

  if (!ausculta_models_training_finish (result, &model, &report, &on_training_rows, &error))
    {
      ausculta_models_page_set_busy (self, FALSE, FALSE);
      ausculta_models_page_tell (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                       ? _("Training cancelled") : error->message, TRUE);
      return;
    }
  ausculta_models_page_set_busy (self, FALSE, FALSE);
  g_set_object (&self->candidate, model);
  g_clear_pointer (&self->report, ausculta_validation_report_free);
  self->report = report;
  show_report (self, on_training_rows);
  /* Translators: %s is the new candidate's version */
  text = g_strdup_printf (_("Candidate %s trained and validated"), ausculta_model_get_version (self->candidate));
  ausculta_models_page_tell (self, text, FALSE);
  ausculta_models_page_update_actions (self);
}

void
ausculta_models_page_train (AuscultaModelsPage *self,
                            const char * const *extra_settings)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) settings = NULL;
  guint detector = adw_combo_row_get_selected (self->detector_row);

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  if (self->archive == NULL || self->busy)
    return;
  g_strv_builder_add (builder, detectors[MIN (detector, G_N_ELEMENTS (detectors) - 1)]);
  if (extra_settings != NULL)
    g_strv_builder_addv (builder, (const char **) extra_settings);
  settings = g_strv_builder_end (builder);
  ausculta_models_page_set_busy (self, TRUE, TRUE);
  gtk_progress_bar_set_text (self->progress_bar, _("Reading the rows"));
  ausculta_models_training_run_async (G_OBJECT (self), self->archive, self->user_name, self->csv_path,
                                      adw_combo_row_get_selected (self->source_row) == 1,
                                      (const char * const *) settings, self->progress_bar,
                                      self->cancellable, on_trained, NULL);
}

static void
train_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ausculta_models_page_train (AUSCULTA_MODELS_PAGE (widget), NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- adding the candidate to the archive ---- */

typedef struct
{
  char   *user_name;
  char   *version;
  GBytes *file;
  char   *summary;
} AddJob;

static void
add_job_free (AddJob *job)
{
  g_free (job->user_name);
  g_free (job->version);
  g_bytes_unref (job->file);
  g_free (job->summary);
  g_free (job);
}

static void
add_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AuscultaModelsPage *self = source_object;
  AddJob *job = task_data;
  GError *error = NULL;
  char *id = ausculta_archive_add_model (self->archive, job->user_name, job->version, job->file,
                                         job->summary, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

static void
on_added (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  AddJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  ausculta_models_page_set_busy (self, FALSE, FALSE);
  if (id == NULL)
    {
      ausculta_models_page_tell (self, error->message, TRUE);
      return;
    }
  g_clear_object (&self->candidate);
  ausculta_models_page_update_actions (self);
  ausculta_models_page_refresh (self);
  /* Translators: %s is a model version */
  text = g_strdup_printf (_("Candidate %s added: a supervisor may now approve it"), job->version);
  ausculta_models_page_tell (self, text, FALSE);
}

static void
add_candidate_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) summary = NULL;
  AddJob *job;

  if (self->candidate == NULL || self->archive == NULL || self->busy)
    return;
  summary = ausculta_validation_report_summary_json (self->report);
  job = g_new0 (AddJob, 1);
  job->user_name = g_strdup (self->user_name);
  job->version = g_strdup (ausculta_model_get_version (self->candidate));
  job->file = ausculta_model_serialize (self->candidate);
  job->summary = json_to_string (summary, FALSE);
  ausculta_models_page_set_busy (self, TRUE, FALSE);
  task = g_task_new (self, NULL, on_added, NULL);
  g_task_set_source_tag (task, add_candidate_action);
  g_task_set_task_data (task, job, (GDestroyNotify) add_job_free);
  g_task_run_in_thread (task, add_in_thread);
}

void
ausculta_models_page_candidate_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "models.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "models.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "models.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "models.add-candidate", NULL, add_candidate_action);
}
