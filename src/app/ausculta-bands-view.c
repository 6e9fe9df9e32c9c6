/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bands-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-bands-view.h"

/* Fractional-octave band levels as bars over the golden reference band
 * (mean ± kσ of approved good units): a bar outside its band is drawn red,
 * so that a violation stands out from across the bench. */
struct _AuscultaBandsView
{
  AuscultaPlotView  parent_instance;

  GArray           *centres;   /* double, Hz */
  GArray           *levels;    /* double, dB */
  GArray           *low;       /* double, dB: reference band, or empty */
  GArray           *high;
  guint             n_described; /* violations the accessible description tells, + 1; 0 before */
};

G_DEFINE_FINAL_TYPE (AuscultaBandsView, ausculta_bands_view, AUSCULTA_TYPE_PLOT_VIEW)

static gboolean
has_reference (AuscultaBandsView *self)
{
  return self->low->len == self->levels->len && self->levels->len > 0;
}

static gboolean
band_violates (AuscultaBandsView *self,
               guint              i)
{
  double level = g_array_index (self->levels, double, i);

  return has_reference (self)
         && (level > g_array_index (self->high, double, i)
             || level < g_array_index (self->low, double, i));
}

/* The band's horizontal extent: a third of an octave around its centre. */
static void
band_extent (const AuscultaPlotArea *area,
             double                  centre,
             double                 *x0,
             double                 *x1)
{
  double half = pow (2.0, 1.0 / 6.0);

  *x0 = ausculta_plot_x_for_frequency (area, centre / half) + 1.0;
  *x1 = ausculta_plot_x_for_frequency (area, centre * half) - 1.0;
}

static void
paint_bands (AuscultaBandsView      *self,
             cairo_surface_t        *image,
             const AuscultaPlotArea *area,
             const GdkRGBA          *ink)
{
  GdkRGBA blue, red, band = { ink->red, ink->green, ink->blue, 0.18f };
  double bottom = area->y + area->height;

  gdk_rgba_parse (&blue, AUSCULTA_PLOT_BLUE);
  gdk_rgba_parse (&red, AUSCULTA_PLOT_RED);
  for (guint i = 0; i < self->levels->len; i++)
    {
      double centre = g_array_index (self->centres, double, i);
      double level = g_array_index (self->levels, double, i);
      double x0, x1, y;

      band_extent (area, centre, &x0, &x1);
      if (has_reference (self))
        {
          double y_high = ausculta_plot_y_for_value (area, g_array_index (self->high, double, i));
          double y_low = ausculta_plot_y_for_value (area, g_array_index (self->low, double, i));

          ausculta_plot_paint_box (image, area, x0 - 1.0, y_high, x1 - x0 + 2.0, y_low - y_high, &band);
        }
      y = ausculta_plot_y_for_value (area, level);
      ausculta_plot_paint_box (image, area, x0 + 1.0, y, MAX (1.0, x1 - x0 - 2.0), bottom - y,
                               band_violates (self, i) ? &red : &blue);
    }
}

static void
ausculta_bands_view_snapshot_data (AuscultaPlotView       *view,
                                   GtkSnapshot            *snapshot,
                                   const AuscultaPlotArea *area)
{
  AuscultaBandsView *self = AUSCULTA_BANDS_VIEW (view);
  GdkRGBA ink;

  if (self->levels->len == 0)
    return;
  ausculta_plot_get_ink (GTK_WIDGET (self), &ink);
  paint_bands (self, ausculta_plot_view_begin_data (view, area), area, &ink);
  ausculta_plot_view_append_data (view, snapshot, area);
}

static void
ausculta_bands_view_finalize (GObject *object)
{
  AuscultaBandsView *self = AUSCULTA_BANDS_VIEW (object);

  g_array_unref (self->centres);
  g_array_unref (self->levels);
  g_array_unref (self->low);
  g_array_unref (self->high);

  G_OBJECT_CLASS (ausculta_bands_view_parent_class)->finalize (object);
}

static void
ausculta_bands_view_class_init (AuscultaBandsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaPlotViewClass *plot_class = AUSCULTA_PLOT_VIEW_CLASS (klass);

  object_class->finalize = ausculta_bands_view_finalize;
  plot_class->frame = AUSCULTA_PLOT_FRAME_LEVELS;
  plot_class->snapshot_data = ausculta_bands_view_snapshot_data;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "bands-view");
}

static void
ausculta_bands_view_init (AuscultaBandsView *self)
{
  self->centres = g_array_new (FALSE, FALSE, sizeof (double));
  self->levels = g_array_new (FALSE, FALSE, sizeof (double));
  self->low = g_array_new (FALSE, FALSE, sizeof (double));
  self->high = g_array_new (FALSE, FALSE, sizeof (double));
  ausculta_plot_view_set_frequency_range (AUSCULTA_PLOT_VIEW (self), 10.0, 25000.0);
  ausculta_plot_view_set_unit (AUSCULTA_PLOT_VIEW (self), _("dB"));
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 160);
}

GtkWidget *
ausculta_bands_view_new (void)
{
  return g_object_new (AUSCULTA_TYPE_BANDS_VIEW, NULL);
}

/* Only when the count changes: an update is a message to every
 * assistive technology, and live levels arrive at every frame. */
static void
update_accessible_description (AuscultaBandsView *self)
{
  guint n = ausculta_bands_view_count_violations (self);
  g_autofree char *text = NULL;

  if (self->n_described == n + 1)
    return;
  self->n_described = n + 1;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u band outside the reference",
                                       "%u bands outside the reference", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* Shows new band levels; a reference of another length is dropped. */
void
ausculta_bands_view_set_levels (AuscultaBandsView *self,
                                const double      *centres_hz,
                                const double      *levels_db,
                                gsize              n_bands)
{
  g_return_if_fail (AUSCULTA_IS_BANDS_VIEW (self));

  g_array_set_size (self->centres, 0);
  g_array_append_vals (self->centres, centres_hz, n_bands);
  g_array_set_size (self->levels, 0);
  g_array_append_vals (self->levels, levels_db, n_bands);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ausculta_bands_view_set_reference (AuscultaBandsView *self,
                                   const double      *low_db,
                                   const double      *high_db,
                                   gsize              n_bands)
{
  g_return_if_fail (AUSCULTA_IS_BANDS_VIEW (self));

  g_array_set_size (self->low, 0);
  g_array_append_vals (self->low, low_db, n_bands);
  g_array_set_size (self->high, 0);
  g_array_append_vals (self->high, high_db, n_bands);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The bands whose level lies outside the reference band (0 without one). */
guint
ausculta_bands_view_count_violations (AuscultaBandsView *self)
{
  guint count = 0;

  g_return_val_if_fail (AUSCULTA_IS_BANDS_VIEW (self), 0);

  for (guint i = 0; i < self->levels->len; i++)
    if (band_violates (self, i))
      count++;
  return count;
}
