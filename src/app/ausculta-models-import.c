/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-import"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-models-import.h"

/* The import of a labelled test file on the Models page: the file chooser
 * and the import in a worker. */

typedef struct
{
  AuscultaArchive      *archive;
  char                 *user_name;
  char                 *path;
  AuscultaImportResult  result;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_object_unref (job->archive);
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
  ImportJob *job = task_data;
  GError *error = NULL;

  if (ausculta_archive_import_csv (job->archive, job->user_name, job->path, &job->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ausculta_models_import_run_async (GObject             *source_object,
                                  AuscultaArchive     *archive,
                                  const char          *user_name,
                                  const char          *path,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (AUSCULTA_IS_ARCHIVE (archive));
  g_return_if_fail (path != NULL);

  job = g_new0 (ImportJob, 1);
  job->archive = g_object_ref (archive);
  job->user_name = g_strdup (user_name);
  job->path = g_strdup (path);
  task = g_task_new (source_object, NULL, callback, user_data);
  g_task_set_source_tag (task, ausculta_models_import_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_in_thread);
}

gboolean
ausculta_models_import_finish (GAsyncResult          *result,
                               AuscultaImportResult  *counts,
                               const char           **path,
                               GError               **error)
{
  ImportJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *counts = job->result;
  *path = job->path;
  return TRUE;
}

static void
on_import_chosen (GtkNativeDialog *chooser,
                  int              response,
                  GObject         *callback_object)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  AuscultaImportChosenFunc callback = g_object_get_data (G_OBJECT (chooser), "ausculta-callback");

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    callback (path, callback_object);
  g_object_unref (chooser);
}

void
ausculta_models_import_choose (GtkWidget                *parent,
                               AuscultaImportChosenFunc  callback,
                               GObject                  *callback_object)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Labelled Rows"),
                                         GTK_WINDOW (gtk_widget_get_root (parent)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "ausculta-callback", callback);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chosen), callback_object, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
