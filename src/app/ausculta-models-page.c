/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-models-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ausculta-models-page-private.h"

#include "ausculta-models-approval.h"

/* The supervisor's page: import of a labelled test file, training of a
 * candidate in a worker (progress, Cancel), its validation report next to
 * the production model's on the same rows, adding it to the archive, and
 * every model version with approval and roll-back with password re-entry.
 * The page only asks; the archive checks the role (an inspector is refused
 * even through the action) and writes the audit log; the page also hides
 * what the logged-in user may not do. The inspection picks up a new
 * production model from the archive at its next cycle. */

G_DEFINE_FINAL_TYPE (AuscultaModelsPage, ausculta_models_page, GTK_TYPE_WIDGET)

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

void
ausculta_models_page_update_actions (AuscultaModelsPage *self)
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

void
ausculta_models_page_set_busy (AuscultaModelsPage *self,
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
  ausculta_models_page_update_actions (self);
}

/* Tells the user: the status line, and a toast when the page is in a window. */
void
ausculta_models_page_tell (AuscultaModelsPage *self,
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

/* ---- approval and roll-back ---- */

static void
on_decided (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AuscultaModelsPage *self = AUSCULTA_MODELS_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_models_approval_decide_finish (result, &error);
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
    text = g_strdup (_("No model is approved: inspections use the bench’s built-in model"));
  gtk_label_set_label (self->status_label, text);
  ausculta_models_page_refresh (self);
}

void
ausculta_models_page_decide (AuscultaModelsPage *self,
                             const char         *model_id,
                             gboolean            approve,
                             const char         *password)
{
  g_return_if_fail (AUSCULTA_IS_MODELS_PAGE (self));
  g_return_if_fail (model_id != NULL && password != NULL);

  if (self->archive == NULL || self->user_name == NULL || self->busy)
    {
      gtk_label_set_label (self->status_label,
                           _("Log in at the Inspect page as a supervisor to approve or roll back a model"));
      return;
    }
  self->busy = TRUE;
  ausculta_models_approval_decide_async (G_OBJECT (self), self->archive, self->user_name, model_id,
                                         approve, password, on_decided, NULL);
}

static void
on_password (const char *model_id,
             gboolean    approve,
             const char *password,
             gpointer    user_data)
{
  ausculta_models_page_decide (AUSCULTA_MODELS_PAGE (user_data), model_id, approve, password);
}

static void
ask_password (AuscultaModelsPage *self,
              const char         *model_id,
              gboolean            approve)
{
  if (self->user_name == NULL)
    ausculta_models_page_decide (self, model_id, approve, "");
  else
    ausculta_models_approval_ask (GTK_WIDGET (self), self->user_name, model_id, approve,
                                  on_password, G_OBJECT (self));
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
  ausculta_models_page_candidate_class_init (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_models_page_init (AuscultaModelsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->list_box, self->empty_page);
  ausculta_models_page_update_actions (self);
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
  ausculta_models_page_update_actions (self);
}

gboolean
ausculta_models_page_is_busy (AuscultaModelsPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MODELS_PAGE (self), FALSE);

  return self->busy;
}
