/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ausculta-models-page.h"

/* The supervisor's page: every model version with its state, approval and
 * roll-back with password re-entry. The page only asks; the archive checks
 * the role (an inspector is refused even through the action) and writes
 * the audit log. A new production model is announced with
 * "production-changed" so that the next inspection uses it. */
struct _AuscultaModelsPage
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkListBox      *list_box;
  GtkLabel        *status_label;

  AuscultaArchive *archive;
  char            *user_name;
  gboolean         busy;
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
  GtkWidget *child;

  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  if (self->archive != NULL)
    models = ausculta_archive_list_models (self->archive, &error);
  if (error != NULL)
    gtk_label_set_label (self->status_label, error->message);
  for (guint i = 0; models != NULL && i < models->len; i++)
    gtk_list_box_append (self->list_box, new_model_row (g_ptr_array_index (models, i)));
  gtk_stack_set_visible_child_name (self->stack, models != NULL && models->len > 0 ? "list" : "empty");
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

  g_clear_object (&self->archive);
  /* The template's stack is not bound by name here: unparent every child. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_models_page_parent_class)->dispose (object);
}

static void
ausculta_models_page_finalize (GObject *object)
{
  g_free (AUSCULTA_MODELS_PAGE (object)->user_name);

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-models-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, AuscultaModelsPage, status_label);
  gtk_widget_class_install_action (widget_class, "models.approve", "s", approve_action);
  gtk_widget_class_install_action (widget_class, "models.roll-back", "s", roll_back_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_models_page_init (AuscultaModelsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
ausculta_models_page_set_archive (AuscultaModelsPage *self,
                                  AuscultaArchive    *archive)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  g_set_object (&self->archive, archive);
  ausculta_models_page_refresh (self);
}

/* The user logged in at the bench (NULL: nobody), who acts here. */
void
ausculta_models_page_set_user (AuscultaModelsPage *self,
                               const char         *user_name)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));

  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
}

gboolean
ausculta_models_page_is_busy (AuscultaModelsPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODELS_PAGE (self), FALSE);

  return self->busy;
}
