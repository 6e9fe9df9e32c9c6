/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-run-progress"

#include "config.h"

#include "ausculta-run-progress.h"

#define BAR_HEIGHT 6

struct _AuscultaRunProgress
{
  GtkWidget parent_instance;

  double    fraction;
};

G_DEFINE_FINAL_TYPE (AuscultaRunProgress, ausculta_run_progress, GTK_TYPE_WIDGET)

/* The theme's accent (libadwaita's accent_bg_color), blue without one. */
static void
get_accent (GtkWidget *widget,
            GdkRGBA   *accent)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
ausculta_run_progress_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  AuscultaRunProgress *self = AUSCULTA_RUN_PROGRESS (widget);
  float width = gtk_widget_get_width (widget);
  float top = (gtk_widget_get_height (widget) - BAR_HEIGHT) / 2.0f;
  GskRoundedRect trough, bar;
  GdkRGBA trough_color = { 0.5f, 0.5f, 0.5f, 0.2f };
  GdkRGBA accent;

  get_accent (widget, &accent);
  gsk_rounded_rect_init_from_rect (&trough, &GRAPHENE_RECT_INIT (0, top, width, BAR_HEIGHT), BAR_HEIGHT / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &trough);
  gtk_snapshot_append_color (snapshot, &trough_color, &trough.bounds);
  if (self->fraction > 0.0)
    {
      gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (0, top, width * self->fraction, BAR_HEIGHT),
                                       BAR_HEIGHT / 2.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &accent, &bar.bounds);
      gtk_snapshot_pop (snapshot);
    }
  gtk_snapshot_pop (snapshot);
}

static void
ausculta_run_progress_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : BAR_HEIGHT;
}

static void
ausculta_run_progress_class_init (AuscultaRunProgressClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = ausculta_run_progress_snapshot;
  widget_class->measure = ausculta_run_progress_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
ausculta_run_progress_init (AuscultaRunProgress *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  -1);
}

void
ausculta_run_progress_set_fraction (AuscultaRunProgress *self,
                                    double               fraction)
{
  g_return_if_fail (AUSCULTA_IS_RUN_PROGRESS (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, fraction, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
