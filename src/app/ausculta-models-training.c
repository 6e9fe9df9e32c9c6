/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-training"

#include "config.h"

#include "ausculta-models-training.h"

#include "ausculta-dataset-archive.h"
#include "ausculta-train.h"

/* The progress of a worker, shared (reference-counted) between the worker
 * and the idle callbacks that show it; nothing is shown once the task is
 * finished. */
typedef struct
{
  GMutex          lock;
  GtkProgressBar *bar;       /* a reference */
  double          fraction;
  char           *step;
  gboolean        queued;
  gboolean        finished;
} Progress;

typedef struct
{
  Progress        *progress;
  AuscultaArchive *archive;
  char            *user_name;
  char            *csv_path;  /* the test rows; NULL: validate on the training rows */
  gboolean         from_csv;
  GStrv            settings;
} TrainJob;

typedef struct
{
  AuscultaModel            *model;
  AuscultaValidationReport *report;
} TrainResult;

static void
progress_clear (Progress *progress)
{
  g_mutex_clear (&progress->lock);
  g_object_unref (progress->bar);
  g_free (progress->step);
}

static void
progress_unref (Progress *progress)
{
  g_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

static void
train_job_free (TrainJob *job)
{
  progress_unref (job->progress);
  g_object_unref (job->archive);
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

  g_mutex_lock (&progress->lock);
  progress->queued = FALSE;
  if (!progress->finished)
    {
      gtk_progress_bar_set_fraction (progress->bar, progress->fraction);
      gtk_progress_bar_set_text (progress->bar, progress->step);
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

static AuscultaModel *
load_production (AuscultaArchive *archive)
{
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, NULL);
  g_autoptr(GBytes) file = NULL;

  if (info == NULL || (file = ausculta_archive_get_model_file (archive, info->id, NULL)) == NULL)
    return NULL;
  return ausculta_model_load_bytes (file, NULL);
}

/* Both models on the same rows; production is left out if it cannot score
 * them (another profile or feature set). */
static AuscultaValidationReport *
validate (TrainJob        *job,
          AuscultaModel   *model,
          AuscultaDataset *rows,
          GCancellable    *cancellable,
          GError         **error)
{
  g_autoptr(AuscultaModel) production = load_production (job->archive);
  AuscultaValidationReport *report;

  report = ausculta_validate_model (model, production, rows, cancellable, on_progress, job->progress, NULL);
  if (report == NULL)
    report = ausculta_validate_model (model, NULL, rows, cancellable, on_progress, job->progress, error);
  return report;
}

static void
train_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TrainJob *job = task_data;
  g_autoptr(AuscultaDataset) training = NULL;
  g_autoptr(AuscultaDataset) test = NULL;
  TrainResult *result = g_new0 (TrainResult, 1);
  const char *paths[] = { job->csv_path, NULL };
  GError *error = NULL;

  if (!ausculta_archive_check_role (job->archive, job->user_name, AUSCULTA_ROLE_ENGINEER, &error)
      || (job->csv_path != NULL && (test = ausculta_dataset_load_csv (paths, &error)) == NULL)
      || (!job->from_csv && (training = ausculta_dataset_load_archive (job->archive, NULL, &error)) == NULL)
      || (result->model = ausculta_model_train (job->from_csv ? test : training,
                                                (const char * const *) job->settings, cancellable,
                                                on_progress, job->progress, &error)) == NULL
      || (result->report = validate (job, result->model, test != NULL ? test : training,
                                     cancellable, &error)) == NULL)
    {
      train_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) train_result_free);
}

void
ausculta_models_training_run_async (GObject              *source_object,
                                    AuscultaArchive      *archive,
                                    const char           *user_name,
                                    const char           *csv_path,
                                    gboolean              from_csv,
                                    const char * const   *settings,
                                    GtkProgressBar       *progress_bar,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  TrainJob *job;

  g_return_if_fail (AUSCULTA_IS_ARCHIVE (archive));
  g_return_if_fail (GTK_IS_PROGRESS_BAR (progress_bar));

  job = g_new0 (TrainJob, 1);
  job->progress = g_rc_box_new0 (Progress);
  g_mutex_init (&job->progress->lock);
  job->progress->bar = g_object_ref (progress_bar);
  job->archive = g_object_ref (archive);
  job->user_name = g_strdup (user_name);
  job->csv_path = g_strdup (csv_path);
  job->from_csv = csv_path != NULL && from_csv;
  job->settings = g_strdupv ((char **) settings);
  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, ausculta_models_training_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) train_job_free);
  g_task_run_in_thread (task, train_in_thread);
}

gboolean
ausculta_models_training_finish (GAsyncResult              *result,
                                 AuscultaModel            **model,
                                 AuscultaValidationReport **report,
                                 gboolean                  *on_training_rows,
                                 GError                   **error)
{
  TrainJob *job = g_task_get_task_data (G_TASK (result));
  TrainResult *trained;

  g_mutex_lock (&job->progress->lock);
  job->progress->finished = TRUE;
  g_mutex_unlock (&job->progress->lock);
  trained = g_task_propagate_pointer (G_TASK (result), error);
  if (trained == NULL)
    return FALSE;
  *model = g_steal_pointer (&trained->model);
  *report = g_steal_pointer (&trained->report);
  *on_training_rows = job->csv_path == NULL || job->from_csv;
  train_result_free (trained);
  return TRUE;
}
