/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-measurement-page.h"
#include "ausculta-measurement-page-private.h"
#include "ausculta-measurement-exports.h"
#include "ausculta-measurement-labelling.h"
#include "ausculta-measurement-player.h"
#include "ausculta-plot.h"
#include "ausculta-report.h"

#define DEFAULT_K      3.0

G_DEFINE_FINAL_TYPE (AuscultaMeasurementPage, ausculta_measurement_page, GTK_TYPE_WIDGET)

enum { SIGNAL_BACK, SIGNAL_LABELLED, N_SIGNALS };
enum { PROP_0, PROP_LOADING, N_PROPS };

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

void
ausculta_measurement_page_toast (AuscultaMeasurementPage *self,
                                 const char              *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
set_loading (AuscultaMeasurementPage *self,
             gboolean                 more)
{
  self->n_loading += more ? 1 : -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
run_in_worker (AuscultaMeasurementPage *self,
               GTaskThreadFunc          func,
               gpointer                 data,
               GDestroyNotify           data_free,
               GAsyncReadyCallback      done)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, done, NULL);

  g_object_set_data_full (G_OBJECT (task), "archive", g_object_ref (self->archive), g_object_unref);
  g_task_set_task_data (task, data, data_free);
  set_loading (self, TRUE);
  g_task_run_in_thread (task, func);
}

/* ---- main thread: showing ---- */

static void
draw_plot (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  GdkRGBA ink;

  ausculta_plot_get_ink (GTK_WIDGET (area), &ink);
  ausculta_report_draw_plot (cr, data, width, height, &ink);
}

static void
show_plots (AuscultaMeasurementPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plots_box))) != NULL)
    gtk_box_remove (self->plots_box, child);
  g_clear_pointer (&self->plots, g_ptr_array_unref);
  if (self->loaded == NULL)
    return;
  self->plots = ausculta_report_make_plots (self->loaded->measurement, self->band);
  for (guint i = 0; i < self->plots->len; i++)
    {
      AuscultaReportPlot *plot = g_ptr_array_index (self->plots, i);
      GtkWidget *area = gtk_drawing_area_new ();

      gtk_widget_set_size_request (area, -1, 180);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_plot, plot, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      plot->title, -1);
      gtk_box_append (self->plots_box, area);
    }
}

static void
show_reference_text (AuscultaMeasurementPage *self)
{
  g_autofree char *text = NULL;

  if (self->band != NULL)
    text = g_strdup_printf (_("Reference: mean ± %g σ of %u good units · %u bands outside"),
                            self->band->k, self->band->n_units,
                            ausculta_measurement_page_count_violations (self));
  else
    text = g_strdup_printf (_("No reference band: %s"), self->band_error != NULL ? self->band_error : "…");
  gtk_label_set_label (self->reference_label, text);
}

static void
band_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (source);
  g_autoptr(GError) error = NULL;
  AuscultaReferenceBand *band = g_task_propagate_pointer (G_TASK (result), &error);

  set_loading (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->band, ausculta_reference_band_free);
  g_clear_pointer (&self->band_error, g_free);
  self->band = band;
  self->band_error = error != NULL ? g_strdup (error->message) : NULL;
  show_plots (self);
  show_reference_text (self);
}

static void
compute_band (AuscultaMeasurementPage *self)
{
  double *k = g_new (double, 1);

  *k = gtk_spin_button_get_value (self->k_spin);
  run_in_worker (self, ausculta_measurement_band_thread, k, g_free, band_done);
}

static char *
format_reasons (const AuscultaMeasurement *m)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; m->reasons != NULL && i < m->reasons->len && i < 5; i++)
    {
      const AuscultaReason *reason = g_ptr_array_index (m->reasons, i);

      g_string_append_printf (text, "%s%s %.0f %%", i > 0 ? ", " : "", reason->feature,
                              100.0 * reason->contribution);
    }
  if (text->len == 0)
    g_string_append (text, "—");
  return g_string_free (text, FALSE);
}

static void
show_header (AuscultaMeasurementPage *self)
{
  const AuscultaMeasurement *m = self->loaded->measurement;
  g_autofree char *time = m->started_at ? g_date_time_format (m->started_at, "%Y-%m-%d %H:%M:%S UTC") : NULL;
  g_autofree char *score = isfinite (m->score) ? g_strdup_printf ("%.4g / %.4g", m->score, m->threshold)
                                               : g_strdup ("—");
  g_autofree char *health = ausculta_health_to_string (m->health);
  g_autofree char *reasons = format_reasons (m);

  gtk_label_set_label (self->title, m->serial);
  gtk_label_set_label (self->serial, m->serial);
  gtk_label_set_label (self->time, time ? time : "—");
  gtk_label_set_label (self->station, m->station ? m->station : "—");
  gtk_label_set_label (self->operator_name, m->operator_name ? m->operator_name : "—");
  gtk_label_set_label (self->verdict, ausculta_verdict_to_string (m->verdict));
  gtk_label_set_label (self->score, score);
  gtk_label_set_label (self->model, m->model_version ? m->model_version : "—");
  gtk_label_set_label (self->health, *health != '\0' ? health : _("good"));
  gtk_label_set_label (self->reasons, reasons);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (source);
  g_autoptr(GError) error = NULL;
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  set_loading (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (loaded == NULL)
    {
      ausculta_measurement_page_toast (self, error->message);
      return;
    }
  ausculta_measurement_loaded_free (self->loaded);
  self->loaded = loaded;
  show_header (self);
  ausculta_measurement_labelling_show_history (self);
  ausculta_measurement_player_show_signals (self);
  show_plots (self);
  show_reference_text (self);
}

/* ---- building ---- */

static GtkLabel *
add_field (GtkGrid    *grid,
           int         row,
           const char *name)
{
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *value = gtk_label_new ("—");

  gtk_label_set_xalign (GTK_LABEL (title), 1);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_grid_attach (grid, title, (row % 2) * 2, row / 2, 1, 1);
  gtk_grid_attach (grid, value, (row % 2) * 2 + 1, row / 2, 1, 1);
  return GTK_LABEL (value);
}

GtkWidget *
ausculta_measurement_page_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

GtkWidget *
ausculta_measurement_page_button (const char *text,
                                  const char *accessible,
                                  GCallback   callback,
                                  gpointer    data)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  if (callback != NULL)
    g_signal_connect_swapped (widget, "clicked", callback, data);
  return widget;
}

static void
on_back (AuscultaMeasurementPage *self)
{
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static GtkWidget *
build_top (AuscultaMeasurementPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");

  gtk_widget_set_tooltip_text (back, _("Back to the list"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back to the list"), -1);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back), self);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-2");
  gtk_box_append (GTK_BOX (box), back);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));
  return box;
}

static GtkWidget *
build_header (AuscultaMeasurementPage *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());

  gtk_grid_set_column_spacing (grid, 12);
  gtk_grid_set_row_spacing (grid, 4);
  self->serial = add_field (grid, 0, _("Serial"));
  self->time = add_field (grid, 1, _("Time"));
  self->station = add_field (grid, 2, _("Station"));
  self->operator_name = add_field (grid, 3, _("Operator"));
  self->verdict = add_field (grid, 4, _("Verdict"));
  self->score = add_field (grid, 5, _("Score / threshold"));
  self->model = add_field (grid, 6, _("Model"));
  self->health = add_field (grid, 7, _("Health"));
  self->reasons = add_field (grid, 8, _("Reasons"));
  return GTK_WIDGET (grid);
}

static GtkWidget *
build_reference (AuscultaMeasurementPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  self->k_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.5, 10.0, 0.5));
  gtk_spin_button_set_value (self->k_spin, DEFAULT_K);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->k_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reference band width in standard deviations"), -1);
  g_signal_connect_swapped (self->k_spin, "value-changed", G_CALLBACK (compute_band), self);
  self->reference_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (GTK_LABEL (self->reference_label), TRUE);
  gtk_label_set_xalign (self->reference_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->reference_label), TRUE);
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("k =")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->k_spin));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reference_label));
  return box;
}

static void
ausculta_measurement_page_init (AuscultaMeasurementPage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
  adw_toast_overlay_set_child (self->toasts, scrolled);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_box_append (GTK_BOX (box), build_top (self));
  gtk_box_append (GTK_BOX (box), build_header (self));
  gtk_box_append (GTK_BOX (box), ausculta_measurement_exports_build (self));
  gtk_box_append (GTK_BOX (box), ausculta_measurement_page_heading (_("Feature Bands over the Reference")));
  gtk_box_append (GTK_BOX (box), build_reference (self));
  self->plots_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plots_box));
  gtk_box_append (GTK_BOX (box), ausculta_measurement_player_build (self));
  gtk_box_append (GTK_BOX (box), ausculta_measurement_labelling_build (self));
  self->cancellable = g_cancellable_new ();
}

static void
ausculta_measurement_page_dispose (GObject *object)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->toasts != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->toasts));
  self->toasts = NULL;
  g_clear_pointer (&self->plots, g_ptr_array_unref);
  G_OBJECT_CLASS (ausculta_measurement_page_parent_class)->dispose (object);
}

static void
ausculta_measurement_page_finalize (GObject *object)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (object);

  g_clear_object (&self->archive);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loaded, ausculta_measurement_loaded_free);
  g_clear_pointer (&self->band, ausculta_reference_band_free);
  g_free (self->band_error);
  g_free (self->user_name);
  g_free (self->id);
  G_OBJECT_CLASS (ausculta_measurement_page_parent_class)->finalize (object);
}

static void
ausculta_measurement_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AuscultaMeasurementPage *self = AUSCULTA_MEASUREMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->n_loading > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_measurement_page_class_init (AuscultaMeasurementPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_measurement_page_dispose;
  object_class->finalize = ausculta_measurement_page_finalize;
  object_class->get_property = ausculta_measurement_page_get_property;
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LABELLED] = g_signal_new ("labelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "back", NULL);
}

GtkWidget *
ausculta_measurement_page_new (void)
{
  return g_object_new (AUSCULTA_TYPE_MEASUREMENT_PAGE, NULL);
}

void
ausculta_measurement_page_set_archive (AuscultaMeasurementPage *self,
                                       AuscultaArchive         *archive)
{
  g_return_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self));

  g_set_object (&self->archive, archive);
}

void
ausculta_measurement_page_set_user (AuscultaMeasurementPage *self,
                                    const char              *user_name)
{
  g_return_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self));

  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
}

/* Reads @measurement_id with its signals and labels, and the reference
 * band of the archive's good units, each in a worker. */
void
ausculta_measurement_page_load (AuscultaMeasurementPage *self,
                                const char              *measurement_id)
{
  g_return_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self));
  g_return_if_fail (self->archive != NULL);

  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->id);
  self->id = g_strdup (measurement_id);
  run_in_worker (self, ausculta_measurement_load_thread, g_strdup (measurement_id), g_free, load_done);
  compute_band (self);
}

gboolean
ausculta_measurement_page_get_loading (AuscultaMeasurementPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), FALSE);

  return self->n_loading > 0;
}

/**
 * ausculta_measurement_page_get_measurement:
 *
 * Returns: (transfer none) (nullable): the measurement shown.
 */
AuscultaMeasurement *
ausculta_measurement_page_get_measurement (AuscultaMeasurementPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), NULL);

  return self->loaded != NULL ? self->loaded->measurement : NULL;
}

const AuscultaReferenceBand *
ausculta_measurement_page_get_reference (AuscultaMeasurementPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), NULL);

  return self->band;
}

/**
 * ausculta_measurement_page_get_labels:
 *
 * Returns: (transfer none) (nullable): AuscultaLabel*, the history shown.
 */
GPtrArray *
ausculta_measurement_page_get_labels (AuscultaMeasurementPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), NULL);

  return self->loaded != NULL ? self->loaded->labels : NULL;
}

guint
ausculta_measurement_page_count_violations (AuscultaMeasurementPage *self)
{
  guint n = 0;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_PAGE (self), 0);

  for (guint i = 0; self->plots != NULL && i < self->plots->len; i++)
    n += ausculta_report_plot_count_violations (g_ptr_array_index (self->plots, i));
  return n;
}

gboolean
ausculta_measurement_page_fail_with_toast (AuscultaMeasurementPage *self,
                                           GError                  *local,
                                           GError                 **error)
{
  ausculta_measurement_page_toast (self, local->message);
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
ausculta_measurement_page_check_loaded (AuscultaMeasurementPage *self,
                                        GError                 **error)
{
  if (self->loaded != NULL)
    return TRUE;
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND, "no measurement shown");
  return FALSE;
}
