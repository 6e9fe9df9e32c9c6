/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-labelling"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-measurement-labelling.h"
#include "ausculta-measurement-page-private.h"
#include "ausculta-report.h"

/* Label dropdown rows: OK, classes 1..7, NG. */
static int
label_for_row (guint row)
{
  return row == 0 ? AUSCULTA_LABEL_OK : row <= 7 ? (int) row : AUSCULTA_LABEL_NG;
}

void
ausculta_measurement_labelling_show_history (AuscultaMeasurementPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  for (guint i = 0; self->loaded->labels != NULL && i < self->loaded->labels->len; i++)
    {
      const AuscultaLabel *label = g_ptr_array_index (self->loaded->labels, i);
      g_autofree char *name = ausculta_report_label_name (label->label);
      g_autofree char *when = g_date_time_format (label->created_at, "%Y-%m-%d %H:%M");
      g_autofree char *text = g_strdup_printf ("%s — %s, %s%s%s", name, label->user_name, when,
                                               label->comment && *label->comment ? " — " : "",
                                               label->comment ? label->comment : "");
      GtkWidget *row = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (row), 0);
      gtk_label_set_wrap (GTK_LABEL (row), TRUE);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
on_set_label (AuscultaMeasurementPage *self)
{
  g_autoptr(GError) error = NULL;
  int label = label_for_row (gtk_drop_down_get_selected (self->label_dropdown));

  if (ausculta_measurement_page_set_label (self, label, gtk_editable_get_text (GTK_EDITABLE (self->comment_entry)),
                                           &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
      ausculta_measurement_page_toast (self, _("Label saved"));
    }
}

GtkWidget *
ausculta_measurement_labelling_build (AuscultaMeasurementPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i <= 8; i++)
    {
      g_autofree char *name = ausculta_report_label_name (label_for_row (i));

      gtk_string_list_append (names, name);
    }
  self->label_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (G_LIST_MODEL (names)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->label_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Defect class"), -1);
  self->comment_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->comment_entry, _("Comment"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Label comment"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->comment_entry), TRUE);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->label_dropdown));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->comment_entry));
  gtk_box_append (GTK_BOX (row), ausculta_measurement_page_button (_("Set _Label"), _("Set label"), G_CALLBACK (on_set_label), self));
  self->history_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->history_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->history_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->history_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Label history"), -1);
  gtk_box_append (GTK_BOX (box), ausculta_measurement_page_heading (_("Label")));
  gtk_box_append (GTK_BOX (box), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->history_list));
  return box;
}

/* The core checks the user's role: its refusal is shown as it is. */
gboolean
ausculta_measurement_page_set_label (AuscultaMeasurementPage *self,
                                     int                      label,
                                     const char              *comment,
                                     GError                 **error)
{
  GError *local = NULL;
  GPtrArray *history;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  if (!ausculta_measurement_page_check_loaded (self, error))
    return FALSE;
  if (!ausculta_archive_set_label (self->archive, self->user_name, self->loaded->measurement->id,
                                   label, comment != NULL && *comment != '\0' ? comment : NULL, &local))
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  history = ausculta_archive_get_label_history (self->archive, self->loaded->measurement->id, &local);
  if (history == NULL)
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  g_clear_pointer (&self->loaded->labels, g_ptr_array_unref);
  self->loaded->labels = history;
  ausculta_measurement_labelling_show_history (self);
  g_signal_emit_by_name (self, "labelled");
  return TRUE;
}
