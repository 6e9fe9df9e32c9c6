/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-validation-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "ausculta-roc-view.h"
#include "ausculta-validation-view.h"

/* One model's validation report: confusion matrix, escape and false-reject
 * rates with their 95 % intervals, AUC, ROC curve and recall per defect
 * class. Every number is counted again from the report's scores at the
 * current threshold, so that the slider shows the trade-off live. */
struct _AuscultaValidationView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkLabel        *title_label;
  GtkLabel        *method_label;
  GtkLabel        *matrix[4];      /* true NOK, false OK, false NOK, true OK */
  GtkLabel        *escape_label;
  GtkLabel        *false_reject_label;
  GtkLabel        *auc_label;
  GtkLabel        *classes_label;
  GtkLabel        *threshold_label;
  GtkScale        *scale;
  AuscultaRocView *roc_view;

  guint            n_rows;
  double          *scores;
  int             *labels;
  double          *sorted;         /* the scores, increasing: the slider's stops */
  double           threshold;
  AuscultaRate     escape;
  AuscultaRate     false_reject;
};

G_DEFINE_FINAL_TYPE (AuscultaValidationView, ausculta_validation_view, GTK_TYPE_WIDGET)

static char *
format_rate (const AuscultaRate *rate)
{
  if (rate->trials == 0)
    return g_strdup (_("no rows"));
  /* Translators: a rate, its 95 % confidence interval, and the counts behind it */
  return g_strdup_printf (_("%.1f %% (95 %% CI %.1f–%.1f %%) · %u of %u"),
                          100 * rate->value, 100 * rate->low, 100 * rate->high,
                          rate->successes, rate->trials);
}

static char *
format_classes (AuscultaValidationView *self)
{
  GString *text = g_string_new (NULL);

  /* Bad rows of an unknown class first, then each defect class. */
  for (int klass = AUSCULTA_DATASET_LABEL_NG; klass <= 32; klass++)
    {
      guint caught = 0, total = 0;

      for (guint i = 0; i < self->n_rows; i++)
        if (self->labels[i] == klass)
          {
            total++;
            caught += self->scores[i] > self->threshold;
          }
      if (total > 0 && klass != AUSCULTA_DATASET_LABEL_OK)
        {
          AuscultaRate rate = ausculta_rate_wilson (caught, total);
          g_autofree char *value = format_rate (&rate);

          if (klass == AUSCULTA_DATASET_LABEL_NG)
            /* Translators: the recall of the bad units whose defect class is not known */
            g_string_append_printf (text, _("Class unknown: %s"), value);
          else
            /* Translators: the recall of one defect class */
            g_string_append_printf (text, _("Class %d: %s"), klass, value);
          g_string_append_c (text, '\n');
        }
    }
  if (text->len == 0)
    g_string_append (text, _("No defect classes in these rows"));
  else
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

static void
update_numbers (AuscultaValidationView *self)
{
  guint counts[4] = { 0, 0, 0, 0 };
  g_autofree char *escape = NULL, *false_reject = NULL, *classes = NULL, *threshold = NULL;

  for (guint i = 0; i < self->n_rows; i++)
    {
      gboolean nok = self->scores[i] > self->threshold;

      if (ausculta_label_is_bad (self->labels[i]))
        counts[nok ? 0 : 1]++;
      else if (ausculta_label_is_good (self->labels[i]))
        counts[nok ? 2 : 3]++;
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[i]);

      gtk_label_set_label (self->matrix[i], text);
    }
  self->escape = ausculta_rate_wilson (counts[1], counts[0] + counts[1]);
  self->false_reject = ausculta_rate_wilson (counts[2], counts[2] + counts[3]);
  escape = format_rate (&self->escape);
  false_reject = format_rate (&self->false_reject);
  gtk_label_set_label (self->escape_label, escape);
  gtk_label_set_label (self->false_reject_label, false_reject);
  classes = format_classes (self);
  gtk_label_set_label (self->classes_label, classes);
  /* Translators: the decision threshold on the anomaly score */
  threshold = g_strdup_printf (_("Threshold %.4g"), self->threshold);
  gtk_label_set_label (self->threshold_label, threshold);
  ausculta_roc_view_set_point (self->roc_view, self->false_reject.value, 1.0 - self->escape.value);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
on_scale_changed (GtkRange               *range,
                  AuscultaValidationView *self)
{
  double position = gtk_range_get_value (range);
  guint index;

  if (self->n_rows == 0)
    return;
  index = (guint) lround (position * (self->n_rows - 1));
  if (self->sorted[index] == self->threshold)
    return;
  self->threshold = self->sorted[index];
  update_numbers (self);
}

void
ausculta_validation_view_set_threshold (AuscultaValidationView *self,
                                        double                  threshold)
{
  guint below = 0;

  g_return_if_fail (AUSCULTA_IS_VALIDATION_VIEW (self));

  self->threshold = threshold;
  while (below < self->n_rows && self->sorted[below] <= threshold)
    below++;
  g_signal_handlers_block_by_func (self->scale, on_scale_changed, self);
  gtk_range_set_value (GTK_RANGE (self->scale),
                       self->n_rows > 1 && below > 0 ? (double) (below - 1) / (self->n_rows - 1) : 0.0);
  g_signal_handlers_unblock_by_func (self->scale, on_scale_changed, self);
  update_numbers (self);
}

void
ausculta_validation_view_set_report (AuscultaValidationView         *self,
                                     const char                     *title,
                                     const AuscultaValidationReport *report,
                                     gboolean                        adjustable)
{
  g_autofree char *auc = NULL;

  g_return_if_fail (AUSCULTA_IS_VALIDATION_VIEW (self));

  g_clear_pointer (&self->scores, g_free);
  g_clear_pointer (&self->labels, g_free);
  g_clear_pointer (&self->sorted, g_free);
  self->n_rows = 0;
  gtk_widget_set_visible (self->box, report != NULL);
  if (report == NULL)
    return;
  self->n_rows = report->n_rows;
  self->scores = g_memdup2 (report->scores, sizeof (double) * report->n_rows);
  self->labels = g_memdup2 (report->labels, sizeof (int) * report->n_rows);
  self->sorted = g_memdup2 (report->scores, sizeof (double) * report->n_rows);
  qsort (self->sorted, self->n_rows, sizeof (double), compare_doubles);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->method_label, report->method != NULL ? report->method : "");
  /* Translators: area under the ROC curve with its 95 % interval, over motors */
  auc = g_strdup_printf (_("%.3f (95 %% CI %.3f–%.3f) · %u rows, %u motors"),
                         report->auc, report->auc_low, report->auc_high, report->n_rows, report->n_motors);
  gtk_label_set_label (self->auc_label, auc);
  ausculta_roc_view_set_curve (self->roc_view, report->roc);
  gtk_widget_set_visible (GTK_WIDGET (self->scale), adjustable && self->n_rows > 1);
  ausculta_validation_view_set_threshold (self, report->threshold);
}

double
ausculta_validation_view_get_threshold (AuscultaValidationView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_VALIDATION_VIEW (self), NAN);

  return self->threshold;
}

AuscultaRate
ausculta_validation_view_get_escape_rate (AuscultaValidationView *self)
{
  return self->escape;
}

AuscultaRate
ausculta_validation_view_get_false_reject_rate (AuscultaValidationView *self)
{
  return self->false_reject;
}

/* ---- construction ---- */

static GtkLabel *
add_label (GtkGrid    *grid,
           const char *text,
           int         column,
           int         row,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
build_matrix (AuscultaValidationView *self,
              GtkGrid                *grid)
{
  add_label (grid, _("Rejected"), 1, 0, "heading");
  add_label (grid, _("Accepted"), 2, 0, "heading");
  add_label (grid, _("Bad units"), 0, 1, "heading");
  add_label (grid, _("Good units"), 0, 2, "heading");
  self->matrix[0] = add_label (grid, "", 1, 1, "numeric");
  self->matrix[1] = add_label (grid, "", 2, 1, "numeric");
  self->matrix[2] = add_label (grid, "", 1, 2, "numeric");
  self->matrix[3] = add_label (grid, "", 2, 2, "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->matrix[1]), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->matrix[2]), "warning");
}

static void
build_rates (AuscultaValidationView *self,
             GtkGrid                *grid)
{
  add_label (grid, _("Escape rate"), 0, 0, "heading");
  self->escape_label = add_label (grid, "", 1, 0, NULL);
  add_label (grid, _("False rejects"), 0, 1, "heading");
  self->false_reject_label = add_label (grid, "", 1, 1, NULL);
  add_label (grid, _("AUC"), 0, 2, "heading");
  self->auc_label = add_label (grid, "", 1, 2, NULL);
}

static GtkGrid *
new_grid (GtkWidget *box)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_box_append (GTK_BOX (box), grid);
  return GTK_GRID (grid);
}

static void
ausculta_validation_view_init (AuscultaValidationView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkGrid *grid;

  self->box = box;
  gtk_widget_set_parent (box, GTK_WIDGET (self));
  grid = new_grid (box);
  self->title_label = add_label (grid, "", 0, 0, "title-4");
  self->method_label = add_label (grid, "", 0, 1, "dim-label");
  build_matrix (self, new_grid (box));
  build_rates (self, new_grid (box));
  self->roc_view = AUSCULTA_ROC_VIEW (ausculta_roc_view_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->roc_view));
  grid = new_grid (box);
  self->threshold_label = add_label (grid, "", 0, 0, "heading");
  self->scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.001));
  gtk_scale_set_draw_value (self->scale, FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scale), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Decision threshold"), -1);
  gtk_grid_attach (grid, GTK_WIDGET (self->scale), 1, 0, 1, 1);
  g_signal_connect (self->scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  grid = new_grid (box);
  add_label (grid, _("Recall per defect class"), 0, 0, "heading");
  self->classes_label = add_label (grid, "", 0, 1, NULL);
  gtk_widget_set_visible (box, FALSE);
}

static void
ausculta_validation_view_dispose (GObject *object)
{
  AuscultaValidationView *self = AUSCULTA_VALIDATION_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ausculta_validation_view_parent_class)->dispose (object);
}

static void
ausculta_validation_view_finalize (GObject *object)
{
  AuscultaValidationView *self = AUSCULTA_VALIDATION_VIEW (object);

  g_free (self->scores);
  g_free (self->labels);
  g_free (self->sorted);

  G_OBJECT_CLASS (ausculta_validation_view_parent_class)->finalize (object);
}

static void
ausculta_validation_view_class_init (AuscultaValidationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_validation_view_dispose;
  object_class->finalize = ausculta_validation_view_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

GtkWidget *
ausculta_validation_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_VALIDATION_VIEW, NULL);
}
