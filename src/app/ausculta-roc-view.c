/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-roc-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-plot.h"
#include "ausculta-roc-view.h"
#include "ausculta-validation.h"

/* A ROC curve: good units rejected (x) against bad units caught (y), the
 * chance diagonal, and the operating point of the chosen threshold. */
#define MARGIN 36.0

struct _AuscultaRocView
{
  GtkWidget  parent_instance;

  GArray    *roc;     /* AuscultaRocPoint */
  double     fpr;
  double     tpr;
};

G_DEFINE_FINAL_TYPE (AuscultaRocView, ausculta_roc_view, GTK_TYPE_WIDGET)

static void
to_pixels (double  width,
           double  height,
           double  fpr,
           double  tpr,
           double *px,
           double *py)
{
  *px = MARGIN + fpr * (width - 1.5 * MARGIN);
  *py = height - MARGIN - tpr * (height - 1.5 * MARGIN);
}

static void
draw_frame (cairo_t       *cr,
            const GdkRGBA *ink,
            double         width,
            double         height)
{
  double x0, y0, x1, y1;

  to_pixels (width, height, 0, 0, &x0, &y0);
  to_pixels (width, height, 1, 1, &x1, &y1);
  gdk_cairo_set_source_rgba (cr, ink);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0, y1, x1 - x0, y0 - y1);
  cairo_stroke (cr);
  cairo_save (cr);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.35);
  cairo_set_dash (cr, (double[]) { 4.0, 4.0 }, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  cairo_restore (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11.0);
  cairo_move_to (cr, x0, height - 10);
  cairo_show_text (cr, _("Good units rejected"));
  cairo_save (cr);
  cairo_move_to (cr, 14, y0);
  cairo_rotate (cr, -G_PI / 2);
  cairo_show_text (cr, _("Bad units caught"));
  cairo_restore (cr);
}

static void
ausculta_roc_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  AuscultaRocView *self = AUSCULTA_ROC_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA ink, curve;
  cairo_t *cr;

  if (width <= 2 * MARGIN || height <= 2 * MARGIN)
    return;
  ausculta_plot_get_ink (widget, &ink);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_frame (cr, &ink, width, height);
  gdk_rgba_parse (&curve, "#3584e4");
  gdk_cairo_set_source_rgba (cr, &curve);
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; self->roc != NULL && i < self->roc->len; i++)
    {
      const AuscultaRocPoint *point = &g_array_index (self->roc, AuscultaRocPoint, i);
      double px, py;

      to_pixels (width, height, point->fpr, point->tpr, &px, &py);
      if (i == 0)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
    }
  cairo_stroke (cr);
  if (isfinite (self->fpr) && isfinite (self->tpr))
    {
      double px, py;

      to_pixels (width, height, self->fpr, self->tpr, &px, &py);
      gdk_rgba_parse (&curve, "#e01b24");
      gdk_cairo_set_source_rgba (cr, &curve);
      cairo_arc (cr, px, py, 5.0, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
ausculta_roc_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = 160;
  *natural = 240;
}

static void
ausculta_roc_view_finalize (GObject *object)
{
  g_clear_pointer (&AUSCULTA_ROC_VIEW (object)->roc, g_array_unref);

  G_OBJECT_CLASS (ausculta_roc_view_parent_class)->finalize (object);
}

static void
ausculta_roc_view_class_init (AuscultaRocViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ausculta_roc_view_finalize;
  widget_class->snapshot = ausculta_roc_view_snapshot;
  widget_class->measure = ausculta_roc_view_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ausculta_roc_view_init (AuscultaRocView *self)
{
  self->fpr = self->tpr = NAN;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("ROC curve"), -1);
}

GtkWidget *
ausculta_roc_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_ROC_VIEW, NULL);
}

void
ausculta_roc_view_set_curve (AuscultaRocView *self,
                             GArray          *roc)
{
  g_return_if_fail (AUSCULTA_IS_ROC_VIEW (self));

  g_clear_pointer (&self->roc, g_array_unref);
  if (roc != NULL)
    {
      self->roc = g_array_sized_new (FALSE, FALSE, sizeof (AuscultaRocPoint), roc->len);
      g_array_append_vals (self->roc, roc->data, roc->len);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ausculta_roc_view_set_point (AuscultaRocView *self,
                             double           fpr,
                             double           tpr)
{
  g_return_if_fail (AUSCULTA_IS_ROC_VIEW (self));

  self->fpr = fpr;
  self->tpr = tpr;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
