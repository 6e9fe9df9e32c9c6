/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-approval"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ausculta-models-approval.h"

/* Approval and roll-back of a model version: the password dialog, and the
 * decision in a worker. */

typedef struct
{
  AuscultaArchive *archive;
  char            *user_name;
  char            *password;
  char            *model_id;
  gboolean         approve;
} Decision;

static void
decision_free (Decision *decision)
{
  g_object_unref (decision->archive);
  g_free (decision->user_name);
  if (decision->password != NULL)
    memset (decision->password, 0, strlen (decision->password));
  g_free (decision->password);
  g_free (decision->model_id);
  g_free (decision);
}

/* What decides from now on: the production model's file, or none. */
static void
return_production (GTask           *task,
                   AuscultaArchive *archive)
{
  g_autoptr(AuscultaModelInfo) production = ausculta_archive_get_production_model (archive, NULL);
  g_autoptr(GBytes) file = NULL;
  GError *error = NULL;
  AuscultaModel *model;

  if (production == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  file = ausculta_archive_get_model_file (archive, production->id, &error);
  model = file != NULL ? ausculta_model_load_bytes (file, &error) : NULL;
  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, g_object_unref);
}

static void
decide_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Decision *decision = task_data;
  g_autoptr(AuscultaUser) user = NULL;
  GError *error = NULL;
  gboolean done;

  user = ausculta_archive_authenticate (decision->archive, decision->user_name, decision->password, &error);
  if (user == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (decision->approve)
    done = ausculta_archive_approve_model (decision->archive, decision->user_name, decision->model_id, &error);
  else
    done = ausculta_archive_retire_model (decision->archive, decision->user_name, decision->model_id, &error);
  if (!done)
    {
      g_task_return_error (task, error);
      return;
    }
  return_production (task, decision->archive);
}

void
ausculta_models_approval_decide_async (GObject             *source_object,
                                       AuscultaArchive     *archive,
                                       const char          *user_name,
                                       const char          *model_id,
                                       gboolean             approve,
                                       const char          *password,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Decision *decision;

  g_return_if_fail (AUSCULTA_IS_ARCHIVE (archive));
  g_return_if_fail (user_name != NULL && model_id != NULL && password != NULL);

  decision = g_new0 (Decision, 1);
  decision->archive = g_object_ref (archive);
  decision->user_name = g_strdup (user_name);
  decision->password = g_strdup (password);
  decision->model_id = g_strdup (model_id);
  decision->approve = approve;
  task = g_task_new (source_object, NULL, callback, user_data);
  g_task_set_source_tag (task, ausculta_models_approval_decide_async);
  g_task_set_task_data (task, decision, (GDestroyNotify) decision_free);
  g_task_run_in_thread (task, decide_in_thread);
}

AuscultaModel *
ausculta_models_approval_decide_finish (GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      GObject          *callback_object)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *model_id = g_object_get_data (G_OBJECT (dialog), "ausculta-model-id");
  gboolean approve = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ausculta-approve"));
  AuscultaPasswordFunc callback = g_object_get_data (G_OBJECT (dialog), "ausculta-callback");

  if (g_str_equal (response, "confirm"))
    callback (model_id, approve, gtk_editable_get_text (entry), callback_object);
}

void
ausculta_models_approval_ask (GtkWidget            *parent,
                              const char           *user_name,
                              const char           *model_id,
                              gboolean              approve,
                              AuscultaPasswordFunc  callback,
                              GObject              *callback_object)
{
  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's warns from a signal
   * handler when a dialog holding one is destroyed while focused. */
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  /* Translators: %s is the user name whose password is asked */
  body = g_strdup_printf (_("Enter the password of %s. The decision is recorded in the audit log."),
                          user_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (parent)),
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
  g_object_set_data (G_OBJECT (dialog), "ausculta-callback", callback);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), callback_object, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
