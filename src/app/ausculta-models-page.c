/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-models-page.h"

#include "ausculta-dataset-archive.h"
#include "ausculta-train.h"
#include "ausculta-validation-view.h"

/* The supervisor's page: import of a labelled test file, training of a
 * candidate in a worker (progress, Cancel), its validation report next to
 * the production model's on the same rows, adding it to the archive, and
 * every model version with approval and roll-back with password re-entry.
 * The page only asks; the archive checks the role (an inspector is refused
 * even through the action) and writes the audit log; the page also hides
 * what the logged-in user may not do. A new production model is announced
 * with "production-changed" so that the next inspection uses it. */
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

G_DEFINE_FINAL_TYPE (AuscultaModelsPage, ausculta_models_page, GTK_TYPE_WIDGET)

enum {
  PRODUCTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe_model (const AuscultaModelInfo *info)
{
  g_autoptr(GDateTime) created = g_date_time_to_local (info->created_at);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H:%M");

  if (info->production)
    /* Translators: who approved the production model, and when it was added */
    return g_strdup_printf (_("In production · approved by %s · added %s"), info->approved_by, date);
  if (info->status == AUSCULTA_MODEL_APPROVED)
    return g_strdup_printf (_("Approved by %s · added %s"), info->approved_by, date);
  if (info->status == AUSCULTA_MODEL_RETIRED)
    return g_strdup_printf (_("Retired · added %s"), date);
  return g_strdup_printf (_("Candidate · added by %s on %s"), info->created_by, date);
}

static GtkWidget *
new_model_row (const AuscultaModelInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = describe_model (info);
  GtkWidget *button = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->version);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (info->status == AUSCULTA_MODEL_CANDIDATE)
    {
      button = gtk_button_new_with_mnemonic (_("_Approve…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "models.approve");
    }
  else if (info->production)
    {
      button = gtk_button_new_with_mnemonic (_("_Roll Back…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "models.roll-back");
    }
  if (button != NULL)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->id);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

void
ausculta_models_page_refresh (AuscultaModelsPage *self)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  /* The rows only: the placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (self->list_box, 0)) != NULL)
    gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
  if (self->archive != NULL)
    models = ausculta_archive_list_models (self->archive, &error);
  if (error != NULL)
    gtk_label_set_label (self->status_label, error->message);
  for (guint i = 0; models != NULL && i < models->len; i++)
    gtk_list_box_append (self->list_box, new_model_row (g_ptr_array_index (models, i)));
}

/* ---- what the logged-in user may do ---- */

static void
update_actions (AuscultaModelsPage *self)
{
  gboolean engineer = self->role >= AUSCULTA_ROLE_ENGINEER;
  gboolean supervisor = self->role >= AUSCULTA_ROLE_SUPERVISOR;

  gtk_widget_set_visible (self->candidate_group, engineer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.import", supervisor && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.train", engineer && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.cancel", self->busy && self->cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.add-candidate",
                                 engineer && !self->busy && self->candidate != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.approve", supervisor);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.roll-back", supervisor);
  gtk_widget_set_visible (self->report_box, engineer && self->report != NULL);
  gtk_widget_set_visible (self->add_button, engineer && self->candidate != NULL);
}

static void
set_busy (AuscultaModelsPage *self,
          gboolean            busy,
          gboolean            cancellable)
{
  self->busy = busy;
  g_clear_object (&self->cancellable);
  if (busy && cancellable)
    self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy && cancellable);
  gtk_widget_set_visible (self->cancel_button, busy && cancellable);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  update_actions (self);
}

/* Tells the user: the status line, and a toast when the page is in a window. */
static void
tell (AuscultaModelsPage *self,
      const char         *text,
      gboolean            is_error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  gtk_label_set_label (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* ---- import of a labelled test file ---- */

typedef struct
{
  char                 *user_name;
  char                 *path;
  AuscultaImportResult  result;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->user_name);
  g_free (job->path);
  g_free (job);
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AuscultaModelsPage *self = source_object;
  ImportJob *job = task_data;
  GError *error = NULL;

  if (ausculta_archive_import_csv (self->archive, job->user_name, job->path, &job->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  set_busy (self, FALSE, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      tell (self, error->message, TRUE);
      return;
    }
  g_free (self->csv_path);
  self->csv_path = g_strdup (job->path);
  name = g_path_get_basename (job->path);
  adw_action_row_set_subtitle (self->import_row, name);
  adw_combo_row_set_selected (self->source_row, 1);
  /* Translators: counts of an import of labelled rows */
  text = g_strdup_printf (_("%s: %u rows read, %u added, %u relabelled, %u conflicting labels"), name,
                          job->result.n_rows, job->result.n_added, job->result.n_relabelled,
                          job->result.n_conflicts);
  tell (self, text, FALSE);
}

void
ausculta_models_page_import (AuscultaModelsPage *self,
                             const char         *path)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->archive == NULL || self->busy)
    return;
  job = g_new0 (ImportJob, 1);
  job->user_name = g_strdup (self->user_name);
  job->path = g_strdup (path);
  set_busy (self, TRUE, FALSE);
  task = g_task_new (self, NULL, on_imported, NULL);
  g_task_set_source_tag (task, ausculta_models_page_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_in_thread);
}

static void
on_import_chosen (GtkNativeDialog    *chooser,
                  int                 response,
                  AuscultaModelsPage *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    ausculta_models_page_import (self, path);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Labelled Rows"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chosen), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- training and validation ---- */

/* The settings of the detector dropdown's entries, in order. */
static const char *detectors[] = {
  "detector=" AUSCULTA_DETECTOR_KNN, "detector=" AUSCULTA_DETECTOR_LOF,
  "detector=" AUSCULTA_DETECTOR_MAHALANOBIS, "detector=" AUSCULTA_DETECTOR_PCA,
  "detector=" AUSCULTA_DETECTOR_LOGISTIC,
};

/* The progress of a worker, shared (reference-counted) between the worker
 * and the idle callbacks that show it. */
typedef struct
{
  GMutex              lock;
  AuscultaModelsPage *page;       /* a reference */
  double              fraction;
  char               *step;
  gboolean            queued;
} Progress;

static void
progress_clear (Progress *progress)
{
  g_mutex_clear (&progress->lock);
  g_object_unref (progress->page);
  g_free (progress->step);
}

static void
progress_unref (Progress *progress)
{
  g_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

typedef struct
{
  Progress *progress;
  char     *user_name;
  char     *csv_path;  /* the test rows; NULL: validate on the training rows */
  gboolean  from_csv;
  GStrv     settings;
} TrainJob;

typedef struct
{
  AuscultaModel            *model;
  AuscultaValidationReport *report;
} TrainResult;

static void
train_job_free (TrainJob *job)
{
  progress_unref (job->progress);
  g_free (job->user_name);
  g_free (job->csv_path);
  g_strfreev (job->settings);
  g_free (job);
}

static void
train_result_free (TrainResult *result)
{
  g_clear_object (&result->model);
  g_clear_pointer (&result->report, ausculta_validation_report_free);
  g_free (result);
}

static gboolean
show_progress (gpointer data)
{
  Progress *progress = data;
  AuscultaModelsPage *self = progress->page;

  g_mutex_lock (&progress->lock);
  progress->queued = FALSE;
  if (self->busy && self->cancellable != NULL)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, progress->fraction);
      gtk_progress_bar_set_text (self->progress_bar, progress->step);
    }
  g_mutex_unlock (&progress->lock);
  return G_SOURCE_REMOVE;
}

static void
on_progress (double      fraction,
             const char *step,
             gpointer    user_data)
{
  Progress *progress = user_data;
  gboolean queue;

  g_mutex_lock (&progress->lock);
  progress->fraction = fraction;
  g_free (progress->step);
  progress->step = g_strdup (step);
  queue = !progress->queued;
  progress->queued = TRUE;
  g_mutex_unlock (&progress->lock);
  if (queue)
    g_idle_add_full (G_PRIORITY_DEFAULT, show_progress, g_rc_box_acquire (progress),
                     (GDestroyNotify) progress_unref);
}

/* The archive's labelled measurements as a dataset; rows with a missing
 * feature are left out. */
static AuscultaDataset *
archive_dataset (AuscultaArchive *archive,
                 GError         **error)
{
  return ausculta_dataset_load_archive (archive, NULL, error);
}

static AuscultaModel *
load_production (AuscultaArchive *archive)
{
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, NULL);
  g_autoptr(GBytes) file = NULL;

  if (info == NULL || (file = ausculta_archive_get_model_file (archive, info->id, NULL)) == NULL)
    return NULL;
  return ausculta_model_load_bytes (file, NULL);
}

static void
train_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AuscultaModelsPage *self = source_object;
  TrainJob *job = task_data;
  g_autoptr(AuscultaDataset) training = NULL;
  g_autoptr(AuscultaDataset) test = NULL;
  g_autoptr(AuscultaModel) production = NULL;
  TrainResult *result = g_new0 (TrainResult, 1);
  const char *paths[] = { job->csv_path, NULL };
  GError *error = NULL;

  if (!ausculta_archive_check_role (self->archive, job->user_name, AUSCULTA_ROLE_ENGINEER, &error)
      || (job->csv_path != NULL && (test = ausculta_dataset_load_csv (paths, &error)) == NULL)
      || (!job->from_csv && (training = archive_dataset (self->archive, &error)) == NULL)
      || (result->model = ausculta_model_train (job->from_csv ? test : training,
                                                (const char * const *) job->settings, cancellable,
                                                on_progress, job->progress, &error)) == NULL)
    {
      train_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  /* The same rows for both models; production is left out if it cannot
   * score them (another profile or feature set). */
  production = load_production (self->archive);
  result->report = ausculta_validate_model (result->model, production, test != NULL ? test : training,
                                            cancellable, on_progress, job->progress, NULL);
  if (result->report == NULL)
    result->report = ausculta_validate_model (result->model, NULL, test != NULL ? test : training,
                                              cancellable, on_progress, job->progress, &error);
  if (result->report == NULL)
    {
      train_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) train_result_free);
}

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
  TrainJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  TrainResult *trained = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  set_busy (self, FALSE, FALSE);
  if (trained == NULL)
    {
      tell (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Training cancelled")
                                                                            : error->message, TRUE);
      return;
    }
  g_set_object (&self->candidate, trained->model);
  g_clear_pointer (&self->report, ausculta_validation_report_free);
  self->report = g_steal_pointer (&trained->report);
  train_result_free (trained);
  show_report (self, job->csv_path == NULL || job->from_csv);
  /* Translators: %s is the new candidate's version */
  text = g_strdup_printf (_("Candidate %s trained and validated"), ausculta_model_get_version (self->candidate));
  tell (self, text, FALSE);
  update_actions (self);
}

void
ausculta_models_page_train (AuscultaModelsPage *self,
                            const char * const *extra_settings)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint detector = adw_combo_row_get_selected (self->detector_row);
  TrainJob *job;

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  if (self->archive == NULL || self->busy)
    return;
  g_strv_builder_add (builder, detectors[MIN (detector, G_N_ELEMENTS (detectors) - 1)]);
  if (extra_settings != NULL)
    g_strv_builder_addv (builder, (const char **) extra_settings);
  job = g_new0 (TrainJob, 1);
  job->progress = g_rc_box_new0 (Progress);
  g_mutex_init (&job->progress->lock);
  job->progress->page = g_object_ref (self);
  job->user_name = g_strdup (self->user_name);
  job->csv_path = g_strdup (self->csv_path);
  job->from_csv = self->csv_path != NULL && adw_combo_row_get_selected (self->source_row) == 1;
  job->settings = g_strv_builder_end (builder);
  set_busy (self, TRUE, TRUE);
  gtk_progress_bar_set_text (self->progress_bar, _("Reading the rows"));
  task = g_task_new (self, self->cancellable, on_trained, NULL);
  g_task_set_source_tag (task, ausculta_models_page_train);
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_free);
  g_task_run_in_thread (task, train_in_thread);
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

  set_busy (self, FALSE, FALSE);
  if (id == NULL)
    {
      tell (self, error->message, TRUE);
      return;
    }
  g_clear_object (&self->candidate);
  update_actions (self);
  ausculta_models_page_refresh (self);
  /* Translators: %s is a model version */
  text = g_strdup_printf (_("Candidate %s added: a supervisor may now approve it"), job->version);
  tell (self, text, FALSE);
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
  set_busy (self, TRUE, FALSE);
  task = g_task_new (self, NULL, on_added, NULL);
  g_task_set_source_tag (task, add_candidate_action);
  g_task_set_task_data (task, job, (GDestroyNotify) add_job_free);
  g_task_run_in_thread (task, add_in_thread);
}

/* ---- approval and roll-back ---- */

typedef struct
{
  char     *user_name;
  char     *password;
  char     *model_id;
  gboolean  approve;
} Decision;

static void
decision_free (Decision *decision)
{
  g_free (decision->user_name);
  if (decision->password != NULL)
    memset (decision->password, 0, strlen (decision->password));
  g_free (decision->password);
  g_free (decision->model_id);
  g_free (decision);
}

static void
decide_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AuscultaModelsPage *self = source_object;
  Decision *decision = task_data;
  g_autoptr(AuscultaUser) user = NULL;
  g_autoptr(AuscultaModelInfo) production = NULL;
  GError *error = NULL;
  gboolean done;

  user = ausculta_archive_authenticate (self->archive, decision->user_name, decision->password, &error);
  if (user == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (decision->approve)
    done = ausculta_archive_approve_model (self->archive, decision->user_name, decision->model_id, &error);
  else
    done = ausculta_archive_retire_model (self->archive, decision->user_name, decision->model_id, &error);
  if (!done)
    {
      g_task_return_error (task, error);
      return;
    }
  /* What decides from now on: the production model's file, or none. */
  production = ausculta_archive_get_production_model (self->archive, NULL);
  if (production == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  {
    g_autoptr(GBytes) file = ausculta_archive_get_model_file (self->archive, production->id, &error);
    AuscultaModel *model = file != NULL ? ausculta_model_load_bytes (file, &error) : NULL;

    if (model == NULL)
      g_task_return_error (task, error);
    else
      g_task_return_pointer (task, model, g_object_unref);
  }
}

static void
on_decided (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  self->busy = FALSE;
  if (error != NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  if (model != NULL)
    /* Translators: %s is a model version */
    text = g_strdup_printf (_("Model %s now decides the inspections"), ausculta_model_get_version (model));
  else
    text = g_strdup (_("No model is in production: inspections have no verdict"));
  gtk_label_set_label (self->status_label, text);
  g_signal_emit (self, signals[PRODUCTION_CHANGED], 0, model);
  ausculta_models_page_refresh (self);
}

void
ausculta_models_page_decide (AuscultaModelsPage *self,
                             const char         *model_id,
                             gboolean            approve,
                             const char         *password)
{
  g_autoptr(GTask) task = NULL;
  Decision *decision;

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));
  g_return_if_fail (model_id != NULL && password != NULL);

  if (self->archive == NULL || self->user_name == NULL || self->busy)
    {
      gtk_label_set_label (self->status_label,
                           _("Log in at the Inspect page as a supervisor to approve or roll back a model"));
      return;
    }
  decision = g_new0 (Decision, 1);
  decision->user_name = g_strdup (self->user_name);
  decision->password = g_strdup (password);
  decision->model_id = g_strdup (model_id);
  decision->approve = approve;
  self->busy = TRUE;
  task = g_task_new (self, NULL, on_decided, NULL);
  g_task_set_source_tag (task, ausculta_models_page_decide);
  g_task_set_task_data (task, decision, (GDestroyNotify) decision_free);
  g_task_run_in_thread (task, decide_in_thread);
}

static void
on_password_response (AdwMessageDialog   *dialog,
                      const char         *response,
                      AuscultaModelsPage *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *model_id = g_object_get_data (G_OBJECT (dialog), "ausculta-model-id");
  gboolean approve = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ausculta-approve"));

  if (g_str_equal (response, "confirm"))
    ausculta_models_page_decide (self, model_id, approve, gtk_editable_get_text (entry));
}

static void
ask_password (AuscultaModelsPage *self,
              const char         *model_id,
              gboolean            approve)
{
  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's warns from a signal
   * handler when a dialog holding one is destroyed while focused. */
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->user_name == NULL)
    {
      ausculta_models_page_decide (self, model_id, approve, "");
      return;
    }
  /* Translators: %s is the user name whose password is asked */
  body = g_strdup_printf (_("Enter the password of %s. The decision is recorded in the audit log."),
                          self->user_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       approve ? _("Approve This Model?")
                                                               : _("Roll Back This Model?"),
                                                       body));
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "confirm", approve ? _("_Approve") : _("_Roll Back"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm",
                                              approve ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "confirm");
  g_object_set_data_full (G_OBJECT (dialog), "ausculta-model-id", g_strdup (model_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "ausculta-approve", GINT_TO_POINTER (approve));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ask_password (AUSCULTA_MODELS_PAGE (widget), g_variant_get_string (parameter, NULL), TRUE);
}

static void
roll_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_password (AUSCULTA_MODELS_PAGE (widget), g_variant_get_string (parameter, NULL), FALSE);
}

/* ---- GObject ---- */

static void
ausculta_models_page_dispose (GObject *object)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->archive);
  g_clear_object (&self->candidate);
  g_clear_pointer (&self->report, ausculta_validation_report_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_models_page_parent_class)->dispose (object);
}

static void
ausculta_models_page_finalize (GObject *object)
{
  g_free (AUSCULTA_MODELS_PAGE (object)->user_name);
  g_free (AUSCULTA_MODELS_PAGE (object)->csv_path);

  G_OBJECT_CLASS (ausculta_models_page_parent_class)->finalize (object);
}

static void
ausculta_models_page_class_init (AuscultaModelsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_models_page_dispose;
  object_class->finalize = ausculta_models_page_finalize;

  /* The new production model (an AuscultaModel), or NULL after the last
   * one is rolled back. */
  signals[PRODUCTION_CHANGED] =
    g_signal_new ("production-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AUSCULTA_TYPE_MODEL);

  g_type_ensure (AUSCULTA_TYPE_VALIDATION_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-models-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, candidate_group);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, import_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, detector_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, source_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, train_button);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, report_box);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, candidate_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, production_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, status_label);
  gtk_widget_class_install_action (widget_class, "models.approve", "s", approve_action);
  gtk_widget_class_install_action (widget_class, "models.roll-back", "s", roll_back_action);
  gtk_widget_class_install_action (widget_class, "models.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "models.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "models.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "models.add-candidate", NULL, add_candidate_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_models_page_init (AuscultaModelsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->list_box, self->empty_page);
  update_actions (self);
}

void
ausculta_models_page_set_archive (AuscultaModelsPage *self,
                                  AuscultaArchive    *archive)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  g_set_object (&self->archive, archive);
  ausculta_models_page_set_user (self, self->user_name);
  ausculta_models_page_refresh (self);
}

/* The user logged in at the bench (NULL: nobody), who acts here. */
void
ausculta_models_page_set_user (AuscultaModelsPage *self,
                               const char         *user_name)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  if (self->user_name != user_name)
    {
      g_free (self->user_name);
      self->user_name = g_strdup (user_name);
    }
  self->role = 0;
  if (self->archive != NULL && user_name != NULL)
    {
      g_autoptr(GPtrArray) users = ausculta_archive_list_users (self->archive, NULL);

      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          const AuscultaUser *user = g_ptr_array_index (users, i);

          if (g_str_equal (user->name, user_name) && !user->disabled)
            self->role = user->role;
        }
    }
  update_actions (self);
}

gboolean
ausculta_models_page_is_busy (AuscultaModelsPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODELS_PAGE (self), FALSE);

  return self->busy;
}
