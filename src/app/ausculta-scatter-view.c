/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-scatter-view"

#include "config.h"

#include <math.h>

#include "ausculta-plot.h"
#include "ausculta-scatter-view.h"

/* A 2-D scatter of the population (two principal components), one colour
 * per group, with a legend. A click selects the nearest point and emits
 * "point-activated" with its index. */
#define N_COLOURS 8
#define MARGIN    40.0

struct _AuscultaScatterView
{
  GtkWidget  parent_instance;

  GArray    *x, *y;          /* double */
  GArray    *groups;         /* guint8 */
  GStrv      legend;
  char      *x_title, *y_title;
  double     x_min, x_max, y_min, y_max;
  int        selected;       /* -1 when none */
};

G_DEFINE_FINAL_TYPE (AuscultaScatterView, ausculta_scatter_view, GTK_TYPE_WIDGET)

enum {
  POINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *colours[N_COLOURS] = {
  "#9a9996", "#2ec27e", "#e01b24", "#3584e4", "#ff7800", "#9141ac", "#f5c211", "#865e3c",
};

static void
to_pixels (AuscultaScatterView *self,
           double               x,
           double               y,
           double              *px,
           double              *py)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN;
  double height = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * MARGIN;

  *px = MARGIN + (x - self->x_min) / (self->x_max - self->x_min) * width;
  *py = MARGIN + (1.0 - (y - self->y_min) / (self->y_max - self->y_min)) * height;
}

static void
draw_frame (AuscultaScatterView *self,
            cairo_t             *cr,
            const GdkRGBA       *ink,
            int                  width,
            int                  height)
{
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, MARGIN + 0.5, MARGIN + 0.5, width - 2 * MARGIN, height - 2 * MARGIN);
  cairo_stroke (cr);
  gdk_cairo_set_source_rgba (cr, ink);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11.0);
  if (self->x_title != NULL)
    {
      cairo_move_to (cr, MARGIN, height - MARGIN / 2 + 4);
      cairo_show_text (cr, self->x_title);
    }
  if (self->y_title != NULL)
    {
      cairo_move_to (cr, MARGIN, MARGIN / 2 + 4);
      cairo_show_text (cr, self->y_title);
    }
}

static void
draw_legend (AuscultaScatterView *self,
             cairo_t             *cr,
             const GdkRGBA       *ink,
             int                  width)
{
  /* Above the plot, right-aligned, so that it never hides a point. */
  double x = width - MARGIN - 110.0 * g_strv_length (self->legend);
  GdkRGBA colour;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11.0);
  for (guint i = 0; self->legend != NULL && self->legend[i] != NULL && i < N_COLOURS; i++)
    {
      double y = MARGIN / 2 + 4;

      gdk_rgba_parse (&colour, colours[i]);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_arc (cr, x, y - 4, 4, 0, 2 * G_PI);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, ink);
      cairo_move_to (cr, x + 10, y);
      cairo_show_text (cr, self->legend[i]);
      x += 110.0;
    }
}

static void
ausculta_scatter_view_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  AuscultaScatterView *self = AUSCULTA_SCATTER_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA ink, colour;
  cairo_t *cr;

  if (width <= 2 * MARGIN || height <= 2 * MARGIN)
    return;
  ausculta_plot_get_ink (widget, &ink);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_frame (self, cr, &ink, width, height);
  for (guint i = 0; i < self->x->len; i++)
    {
      double px, py;

      to_pixels (self, g_array_index (self->x, double, i), g_array_index (self->y, double, i), &px, &py);
      gdk_rgba_parse (&colour, colours[g_array_index (self->groups, guint8, i) % N_COLOURS]);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_arc (cr, px, py, 3.0, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  if (self->selected >= 0)
    {
      double px, py;

      to_pixels (self, g_array_index (self->x, double, self->selected),
                 g_array_index (self->y, double, self->selected), &px, &py);
      gdk_cairo_set_source_rgba (cr, &ink);
      cairo_set_line_width (cr, 2.0);
      cairo_arc (cr, px, py, 8.0, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  draw_legend (self, cr, &ink, width);
  cairo_destroy (cr);
}

static void
on_pressed (GtkGestureClick     *gesture,
            int                  n_press,
            double               x,
            double               y,
            AuscultaScatterView *self)
{
  ausculta_scatter_view_select (self, ausculta_scatter_view_pick (self, x, y));
}

static void
ausculta_scatter_view_finalize (GObject *object)
{
  AuscultaScatterView *self = AUSCULTA_SCATTER_VIEW (object);

  g_array_unref (self->x);
  g_array_unref (self->y);
  g_array_unref (self->groups);
  g_strfreev (self->legend);
  g_free (self->x_title);
  g_free (self->y_title);

  G_OBJECT_CLASS (ausculta_scatter_view_parent_class)->finalize (object);
}

static void
ausculta_scatter_view_class_init (AuscultaScatterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ausculta_scatter_view_finalize;
  widget_class->snapshot = ausculta_scatter_view_snapshot;

  signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_css_name (widget_class, "scatter-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ausculta_scatter_view_init (AuscultaScatterView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->x = g_array_new (FALSE, FALSE, sizeof (double));
  self->y = g_array_new (FALSE, FALSE, sizeof (double));
  self->groups = g_array_new (FALSE, FALSE, sizeof (guint8));
  self->selected = -1;
  self->x_min = self->y_min = -1;
  self->x_max = self->y_max = 1;
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
ausculta_scatter_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_SCATTER_VIEW, NULL);
}

static void
fit_range (const double *values,
           guint         n,
           double       *low,
           double       *high)
{
  *low = INFINITY;
  *high = -INFINITY;
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        *low = MIN (*low, values[i]);
        *high = MAX (*high, values[i]);
      }
  if (!(*low < *high))
    {
      *low = isfinite (*low) ? *low - 1 : -1;
      *high = *low + 2;
    }
  else
    {
      /* A little air around the outermost points. */
      double span = *high - *low;

      *low -= 0.05 * span;
      *high += 0.05 * span;
    }
}

void
ausculta_scatter_view_set_points (AuscultaScatterView *self,
                                  const double        *x,
                                  const double        *y,
                                  const guint8        *groups,
                                  guint                n_points,
                                  const char * const  *legend)
{
  g_return_if_fail (AUSCULTA_IS_SCATTER_VIEW (self));
  g_return_if_fail (legend != NULL);

  g_array_set_size (self->x, 0);
  g_array_append_vals (self->x, x, n_points);
  g_array_set_size (self->y, 0);
  g_array_append_vals (self->y, y, n_points);
  g_array_set_size (self->groups, 0);
  g_array_append_vals (self->groups, groups, n_points);
  g_strfreev (self->legend);
  self->legend = g_strdupv ((char **) legend);
  fit_range (x, n_points, &self->x_min, &self->x_max);
  fit_range (y, n_points, &self->y_min, &self->y_max);
  /* The same population seen along other axes keeps its selection. */
  if (self->selected >= (int) n_points)
    self->selected = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ausculta_scatter_view_set_axes (AuscultaScatterView *self,
                                const char          *x_title,
                                const char          *y_title)
{
  g_return_if_fail (AUSCULTA_IS_SCATTER_VIEW (self));

  g_free (self->x_title);
  self->x_title = g_strdup (x_title);
  g_free (self->y_title);
  self->y_title = g_strdup (y_title);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The point nearest widget position (x, y) within 10 pixels, or -1. */
int
ausculta_scatter_view_pick (AuscultaScatterView *self,
                            double               x,
                            double               y)
{
  double best = 100.0;
  int index = -1;

  g_return_val_if_fail (AUSCULTA_IS_SCATTER_VIEW (self), -1);

  for (guint i = 0; i < self->x->len; i++)
    {
      double px, py, d;

      to_pixels (self, g_array_index (self->x, double, i), g_array_index (self->y, double, i), &px, &py);
      d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d < best)
        {
          best = d;
          index = (int) i;
        }
    }
  return index;
}

/* Selects point @index (-1: none); a point emits "point-activated". */
void
ausculta_scatter_view_select (AuscultaScatterView *self,
                              int                  index)
{
  g_return_if_fail (AUSCULTA_IS_SCATTER_VIEW (self));
  g_return_if_fail (index < (int) self->x->len);

  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (index >= 0)
    g_signal_emit (self, signals[POINT_ACTIVATED], 0, index);
}

int
ausculta_scatter_view_get_selected (AuscultaScatterView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SCATTER_VIEW (self), -1);

  return self->selected;
}

guint
ausculta_scatter_view_get_n_points (AuscultaScatterView *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SCATTER_VIEW (self), 0);

  return self->x->len;
}
