/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-migrate"

#include "config.h"

#include "ausculta-archive-private.h"

/* Opening in a worker thread, with an upgrade's progress handed to the
 * opener's main context (a window that must say what takes minutes). */

/**
 * ausculta_archive_needs_upgrade:
 * @path: an archive file
 *
 * Reads @path's header only (no lock, nothing written).
 *
 * Returns: %TRUE when @path is an Ausculta archive of an older version,
 *   which opening it will upgrade
 */
gboolean
ausculta_archive_needs_upgrade (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int application_id = 0, version = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
      || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT application_id, user_version"
                                 " FROM pragma_application_id, pragma_user_version",
                             -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      sqlite3_close_v2 (db);
      return FALSE;
    }
  application_id = sqlite3_column_int (stmt, 0);
  version = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  return application_id == AUSCULTA_ARCHIVE_APPLICATION_ID
         && version > 0 && version < AUSCULTA_ARCHIVE_SCHEMA_VERSION;
}

/* Where and to whom the worker reports an upgrade's progress. */
typedef struct {
  GMainContext               *context;
  AuscultaArchiveProgressFunc progress;
  gpointer                    data;
} Listener;

static void
listener_free (gpointer data)
{
  Listener *listener = data;

  g_main_context_unref (listener->context);
  g_free (listener);
}

typedef struct {
  AuscultaArchiveProgressFunc progress;
  gpointer                    data;
  guint                       done;
  guint                       total;
} Report;

static gboolean
deliver_report (gpointer data)
{
  Report *report = data;

  report->progress (report->done, report->total, report->data);
  return G_SOURCE_REMOVE;
}

/* In the worker: queued on the opener's context at the priority GTask
 * returns at, and before it returns, so every report arrives before the
 * result. */
static void
queue_report (guint    done,
              guint    total,
              gpointer data)
{
  Listener *listener = data;
  Report *report = g_new (Report, 1);

  report->progress = listener->progress;
  report->data = listener->data;
  report->done = done;
  report->total = total;
  g_main_context_invoke_full (listener->context, G_PRIORITY_DEFAULT, deliver_report,
                              report, g_free);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Listener *listener = g_object_get_data (G_OBJECT (task), "listener");
  AuscultaArchiveObserver observer = { listener != NULL ? queue_report : NULL, listener,
                                       cancellable };
  GError *error = NULL;
  AuscultaArchive *archive = ausculta_archive_open_observed (task_data, &observer, &error);

  if (archive == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, archive, g_object_unref);
}

/**
 * ausculta_archive_open_async:
 * @path: the archive file; created (with its folder) when missing
 * @progress: (nullable): told each step of an upgrade (or of a new
 *   archive's creation), in the thread-default main context of the caller
 * @progress_data: for @progress, valid until @callback runs
 *
 * ausculta_archive_open() in a worker thread. Every report reaches
 * @progress before @callback runs. Cancelling @cancellable interrupts an
 * upgrade: the archive stays as it was and the opening fails with
 * G_IO_ERROR_CANCELLED.
 */
void
ausculta_archive_open_async (const char                 *path,
                             AuscultaArchiveProgressFunc progress,
                             gpointer                    progress_data,
                             GCancellable               *cancellable,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ausculta_archive_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  if (progress != NULL)
    {
      Listener *listener = g_new (Listener, 1);

      listener->context = g_main_context_ref_thread_default ();
      listener->progress = progress;
      listener->data = progress_data;
      g_object_set_data_full (G_OBJECT (task), "listener", listener, listener_free);
    }
  g_task_run_in_thread (task, open_in_thread);
}

/**
 * ausculta_archive_open_finish:
 *
 * Returns: (transfer full): the archive, or %NULL with @error set (as
 *   ausculta_archive_open(), or G_IO_ERROR_CANCELLED)
 */
AuscultaArchive *
ausculta_archive_open_finish (GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ausculta_archive_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
