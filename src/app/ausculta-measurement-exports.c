/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-exports"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-measurement-exports.h"
#include "ausculta-measurement-page-private.h"
#include "ausculta-report.h"

typedef gboolean (*ExportFunc) (AuscultaMeasurementPage *, const char *, GError **);

static void
on_chooser_response (GtkNativeDialog         *chooser,
                     int                      response,
                     AuscultaMeasurementPage *self)
{
  ExportFunc export = g_object_get_data (G_OBJECT (chooser), "export");
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL && export (self, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Exported to %s"), path);

      ausculta_measurement_page_toast (self, text);
    }
  g_object_unref (chooser);
}

static void
choose_file (AuscultaMeasurementPage *self,
             const char              *title,
             GtkFileChooserAction     action,
             const char              *suggested,
             ExportFunc               export)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (native), action, _("_Save"), NULL);
  if (suggested != NULL && action == GTK_FILE_CHOOSER_ACTION_SAVE && self->loaded != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", self->loaded->measurement->serial, suggested);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  g_object_set_data (G_OBJECT (chooser), "export", export);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export (GtkButton               *button,
           AuscultaMeasurementPage *self)
{
  const char *kind = g_object_get_data (G_OBJECT (button), "kind");

  if (g_str_equal (kind, "csv"))
    choose_file (self, _("Export as CSV"), GTK_FILE_CHOOSER_ACTION_SAVE, "csv", ausculta_measurement_page_export_csv);
  else if (g_str_equal (kind, "wav"))
    choose_file (self, _("Export Signals as WAV"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL,
                 ausculta_measurement_page_export_wav);
  else if (g_str_equal (kind, "png"))
    choose_file (self, _("Export Plots as PNG"), GTK_FILE_CHOOSER_ACTION_SAVE, "png", ausculta_measurement_page_export_png);
  else
    choose_file (self, _("Export PDF Report"), GTK_FILE_CHOOSER_ACTION_SAVE, "pdf", ausculta_measurement_page_export_pdf);
}

GtkWidget *
ausculta_measurement_exports_build (AuscultaMeasurementPage *self)
{
  static const struct { const char *kind, *text, *accessible; } exports[] = {
    { "csv", N_("_CSV"), N_("Export as CSV") },
    { "wav", N_("_WAV"), N_("Export signals as WAV") },
    { "png", N_("P_NG"), N_("Export plots as PNG") },
    { "pdf", N_("P_DF Report"), N_("Export PDF report") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  for (gsize i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      GtkWidget *widget = ausculta_measurement_page_button (_(exports[i].text), _(exports[i].accessible), NULL, NULL);

      g_signal_connect (widget, "clicked", G_CALLBACK (on_export), self);
      g_object_set_data (G_OBJECT (widget), "kind", (gpointer) exports[i].kind);
      gtk_box_append (GTK_BOX (box), widget);
    }
  return box;
}

/* The historical VALIDATION layout (index,target,<features>) of this one
 * measurement: the filter pins its serial and start time. */
gboolean
ausculta_measurement_page_export_csv (AuscultaMeasurementPage *self,
                                      const char              *path,
                                      GError                 **error)
{
  const AuscultaMeasurement *m;
  AuscultaArchiveFilter filter;
  g_autoptr(GDateTime) to = NULL;
  GError *local = NULL;
  guint n_rows = 0;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  if (!ausculta_measurement_page_check_loaded (self, error))
    return FALSE;
  m = self->loaded->measurement;
  ausculta_archive_filter_init (&filter);
  filter.serial_prefix = m->serial;
  filter.from = m->started_at;
  to = g_date_time_add_seconds (m->started_at, 0.001);
  filter.to = to;
  if (!ausculta_archive_export_csv (self->archive, &filter, AUSCULTA_EXPORT_VALIDATION, path, &n_rows, &local))
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  return TRUE;
}

gboolean
ausculta_measurement_page_export_wav (AuscultaMeasurementPage *self,
                                      const char              *folder,
                                      GError                 **error)
{
  GError *local = NULL;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  if (!ausculta_measurement_page_check_loaded (self, error))
    return FALSE;
  if (!ausculta_archive_export_wav (self->archive, self->loaded->measurement->id, folder, NULL, &local))
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  return TRUE;
}

gboolean
ausculta_measurement_page_export_png (AuscultaMeasurementPage *self,
                                      const char              *path,
                                      GError                 **error)
{
  GError *local = NULL;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  if (!ausculta_measurement_page_check_loaded (self, error))
    return FALSE;
  if (!ausculta_report_write_png (self->plots, path, &local))
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  return TRUE;
}

gboolean
ausculta_measurement_page_export_pdf (AuscultaMeasurementPage *self,
                                      const char              *path,
                                      GError                 **error)
{
  GError *local = NULL;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  if (!ausculta_measurement_page_check_loaded (self, error))
    return FALSE;
  if (!ausculta_report_write_pdf (self->loaded->measurement, self->loaded->labels, self->plots, path, &local))
    return ausculta_measurement_page_fail_with_toast (self, local, error);
  return TRUE;
}
