/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-calibration-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-calibration-dialog.h"
#include "ausculta-calibrator.h"

#define CAPTURE_SECONDS 3.0

struct _AuscultaCalibrationDialog
{
  AdwWindow           parent_instance;

  AdwPreferencesGroup *group;
  AdwComboRow         *level_row;
  AdwActionRow        *result_row;
  GtkSpinner          *spinner;
  GtkButton           *capture_button;
  GtkButton           *save_button;

  AuscultaLevelProbe  *probe;      /* not owned: the preferences' */
  guint                channel;
  double               volts_per_unit;
  double               sensitivity;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (AuscultaCalibrationDialog, ausculta_calibration_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CALIBRATED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  AuscultaCalibratorSettings settings;
  GArray                    *samples;
} JudgeData;

static void
judge_data_free (JudgeData *data)
{
  g_array_unref (data->samples);
  g_free (data);
}

static void
judge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  JudgeData *data = task_data;
  AuscultaCalibration *result = g_new0 (AuscultaCalibration, 1);
  GError *error = NULL;

  if (ausculta_calibrator_judge (&data->settings, (const float *) data->samples->data,
                                 data->samples->len, result, &error))
    g_task_return_pointer (task, result, g_free);
  else
    {
      g_free (result);
      g_task_return_error (task, error);
    }
}

static void
show_result (AuscultaCalibrationDialog *self,
             const char                *text,
             gboolean                   accepted)
{
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->capture_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), accepted);
  adw_action_row_set_subtitle (self->result_row, text);
  if (accepted)
    gtk_widget_remove_css_class (GTK_WIDGET (self->result_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->result_row), "error");
}

static void
on_judged (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AuscultaCalibrationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree AuscultaCalibration *calibration = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (calibration == NULL)
    {
      /* Translators: the calibrator capture was refused, then the reason */
      text = g_strdup_printf (_("Refused: %s"), error->message);
      show_result (self, text, FALSE);
      return;
    }
  self->sensitivity = calibration->sensitivity;
  /* Translators: sensitivity, measured tone frequency, level spread */
  text = g_strdup_printf (_("%.3f mV/Pa (tone %.1f Hz, steady within %.2f dB)"),
                          calibration->sensitivity, calibration->frequency, calibration->spread_db);
  show_result (self, text, TRUE);
}

static void
on_captured (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AuscultaCalibrationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *samples = ausculta_level_probe_capture_finish (self->probe, result, &error);
  g_autoptr(GTask) task = NULL;
  JudgeData *data;

  if (samples == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_result (self, error->message, FALSE);
      return;
    }
  data = g_new0 (JudgeData, 1);
  data->samples = samples;
  ausculta_calibrator_settings_init (&data->settings,
                                     adw_combo_row_get_selected (self->level_row) == 1 ? 114.0 : 94.0,
                                     ausculta_level_probe_get_sample_rate (self->probe));
  data->settings.volts_per_unit = self->volts_per_unit;
  /* full-scale samples clip at ±1; values in a unit ("Pa") have no known clip */
  data->settings.full_scale = ausculta_level_probe_get_unit (self->probe, self->channel) == NULL ? 1.0 : 0.0;
  task = g_task_new (NULL, self->cancellable, on_judged, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) judge_data_free);
  g_task_run_in_thread (task, judge_thread);
}

/* Starts a three-second capture, judged when complete. */
void
ausculta_calibration_dialog_capture (AuscultaCalibrationDialog *self)
{
  g_return_if_fail (AUSCULTA_IS_CALIBRATION_DIALOG (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->capture_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_spinner_start (self->spinner);
  adw_action_row_set_subtitle (self->result_row, _("Capturing…"));
  ausculta_level_probe_capture_async (self->probe, self->channel, CAPTURE_SECONDS,
                                      self->cancellable, on_captured, g_object_ref (self));
}

static void
on_capture_clicked (AuscultaCalibrationDialog *self)
{
  ausculta_calibration_dialog_capture (self);
}

static void
on_save_clicked (AuscultaCalibrationDialog *self)
{
  g_signal_emit (self, signals[SIGNAL_CALIBRATED], 0, self->sensitivity);
  gtk_window_close (GTK_WINDOW (self));
}

/* What the result row says: the sensitivity, or the reason of a refusal. */
const char *
ausculta_calibration_dialog_get_result_text (AuscultaCalibrationDialog *self)
{
  g_return_val_if_fail (AUSCULTA_IS_CALIBRATION_DIALOG (self), NULL);
  return adw_action_row_get_subtitle (self->result_row);
}

static void
ausculta_calibration_dialog_dispose (GObject *object)
{
  AuscultaCalibrationDialog *self = AUSCULTA_CALIBRATION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ausculta_calibration_dialog_parent_class)->dispose (object);
}

static void
ausculta_calibration_dialog_class_init (AuscultaCalibrationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_calibration_dialog_dispose;
  signals[SIGNAL_CALIBRATED] = g_signal_new ("calibrated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-calibration-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, group);
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, level_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, result_row);
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, capture_button);
  gtk_widget_class_bind_template_child (widget_class, AuscultaCalibrationDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_capture_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

static void
ausculta_calibration_dialog_init (AuscultaCalibrationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * ausculta_calibration_dialog_new:
 * @probe: the running capture (borrowed: outlive the dialog)
 * @volts_per_unit: volts at the input for one unit of the samples
 */
AuscultaCalibrationDialog *
ausculta_calibration_dialog_new (GtkWindow          *parent,
                                 AuscultaLevelProbe *probe,
                                 guint               channel,
                                 double              volts_per_unit)
{
  AuscultaCalibrationDialog *self = g_object_new (AUSCULTA_TYPE_CALIBRATION_DIALOG,
                                                  "transient-for", parent, NULL);
  g_autofree char *title = NULL;

  self->probe = probe;
  self->channel = channel;
  self->volts_per_unit = volts_per_unit;
  /* Translators: the input being calibrated, counted from 1 */
  title = g_strdup_printf (_("Input %u"), channel + 1);
  adw_preferences_group_set_title (self->group, title);
  return self;
}
