/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-plot-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-plot-view.h"

/* What the four plot views share. A live view repaints up to 60 times a
 * second while its axes, grids, labels and title stay the same: those are
 * drawn once into an image, wrapped in a render node (the "frame") kept
 * until the size, the scale, the style's ink, the title or a range
 * changes. Every paint appends that same node under the subclass's data:
 * the renderer sees it unchanged and redraws only the data area. A node
 * painting an image rather than a GdkTexture, because GTK 4.8's cairo
 * renderer converts a texture's pixels one by one on every frame while it
 * composites an image directly. */
typedef struct
{
  char            *title;
  char            *unit;       /* of the levels (dB) or of the samples */
  double           db_min, db_max;
  double           f_min, f_max;

  GskRenderNode   *frame;      /* NULL when it must be drawn again */
  int              frame_width, frame_height, frame_scale;
  GdkRGBA          frame_ink;
  guint            n_frames_drawn;
  PangoLayout     *corner;     /* the corner text, laid out when it changes */
  GskRenderNode   *corner_node; /* ... and drawn: reused while text and place stay */
  double           corner_right;
  cairo_surface_t *data[2];    /* the data area's images, taking turns */
  guint            data_turn;
} AuscultaPlotViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AuscultaPlotView, ausculta_plot_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_UNIT,
  PROP_DB_MIN,
  PROP_DB_MAX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
invalidate_frame (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_clear_pointer (&priv->frame, gsk_render_node_unref);
  g_clear_pointer (&priv->corner_node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
draw_frame (AuscultaPlotView       *self,
            cairo_t                *cr,
            const AuscultaPlotArea *area,
            const GdkRGBA          *ink)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  guint8 r, g, b;

  switch (AUSCULTA_PLOT_VIEW_GET_CLASS (self)->frame)
    {
    case AUSCULTA_PLOT_FRAME_LEVELS:
      ausculta_plot_draw_log_f_axes (cr, area, ink, 20.0, priv->unit);
      break;
    case AUSCULTA_PLOT_FRAME_FILLED:
      ausculta_plot_colormap (0.0, &r, &g, &b);
      cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
      cairo_rectangle (cr, area->x, area->y, area->width, area->height);
      cairo_fill (cr);
      break;
    case AUSCULTA_PLOT_FRAME_BOX:
    default:
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.5);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, area->x + 0.5, area->y + 0.5, area->width - 1, area->height - 1);
      cairo_stroke (cr);
      break;
    }
  ausculta_plot_draw_title (cr, area, ink, priv->title);
}

/* Draws the frame again only when something it shows has changed. */
static void
ensure_frame (AuscultaPlotView *self,
              int               width,
              int               height)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *image;
  AuscultaPlotArea area;
  GdkRGBA ink;
  cairo_t *cr;

  ausculta_plot_get_ink (GTK_WIDGET (self), &ink);
  if (priv->frame != NULL && priv->frame_width == width && priv->frame_height == height
      && priv->frame_scale == scale && gdk_rgba_equal (&ink, &priv->frame_ink))
    return;
  g_clear_pointer (&priv->frame, gsk_render_node_unref);
  g_clear_pointer (&priv->corner_node, gsk_render_node_unref);
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (image, scale, scale);
  cr = cairo_create (image);
  ausculta_plot_view_get_area (self, &area);
  draw_frame (self, cr, &area, &ink);
  cairo_destroy (cr);
  priv->frame = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, width, height));
  cr = gsk_cairo_node_get_draw_context (priv->frame);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  priv->frame_width = width;
  priv->frame_height = height;
  priv->frame_scale = scale;
  priv->frame_ink = ink;
  priv->n_frames_drawn++;
}

static void
ausculta_plot_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  AuscultaPlotView *self = AUSCULTA_PLOT_VIEW (widget);
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  AuscultaPlotArea area;

  if (width <= 0 || height <= 0)
    return;
  ensure_frame (self, width, height);
  gtk_snapshot_append_node (snapshot, priv->frame);
  ausculta_plot_view_get_area (self, &area);
  if (AUSCULTA_PLOT_VIEW_GET_CLASS (self)->snapshot_data != NULL)
    AUSCULTA_PLOT_VIEW_GET_CLASS (self)->snapshot_data (self, snapshot, &area);
}

static void
ausculta_plot_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AuscultaPlotView *self = AUSCULTA_PLOT_VIEW (object);
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TITLE:
      ausculta_plot_view_set_title (self, g_value_get_string (value));
      break;
    case PROP_UNIT:
      ausculta_plot_view_set_unit (self, g_value_get_string (value));
      break;
    case PROP_DB_MIN:
      ausculta_plot_view_set_db_range (self, g_value_get_double (value), priv->db_max);
      break;
    case PROP_DB_MAX:
      ausculta_plot_view_set_db_range (self, priv->db_min, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_plot_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AuscultaPlotView *self = AUSCULTA_PLOT_VIEW (object);
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_UNIT:
      g_value_set_string (value, priv->unit);
      break;
    case PROP_DB_MIN:
      g_value_set_double (value, priv->db_min);
      break;
    case PROP_DB_MAX:
      g_value_set_double (value, priv->db_max);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_plot_view_dispose (GObject *object)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (AUSCULTA_PLOT_VIEW (object));

  g_clear_pointer (&priv->frame, gsk_render_node_unref);
  g_clear_object (&priv->corner);
  g_clear_pointer (&priv->corner_node, gsk_render_node_unref);
  g_clear_pointer (&priv->data[0], cairo_surface_destroy);
  g_clear_pointer (&priv->data[1], cairo_surface_destroy);

  G_OBJECT_CLASS (ausculta_plot_view_parent_class)->dispose (object);
}

static void
ausculta_plot_view_finalize (GObject *object)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (AUSCULTA_PLOT_VIEW (object));

  g_free (priv->title);
  g_free (priv->unit);

  G_OBJECT_CLASS (ausculta_plot_view_parent_class)->finalize (object);
}

static void
ausculta_plot_view_class_init (AuscultaPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = ausculta_plot_view_set_property;
  object_class->get_property = ausculta_plot_view_get_property;
  object_class->dispose = ausculta_plot_view_dispose;
  object_class->finalize = ausculta_plot_view_finalize;
  widget_class->snapshot = ausculta_plot_view_snapshot;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB_MIN] =
    g_param_spec_double ("db-min", NULL, NULL, -400.0, 400.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB_MAX] =
    g_param_spec_double ("db-max", NULL, NULL, -400.0, 400.0, 100.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ausculta_plot_view_init (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  priv->db_min = 0.0;
  priv->db_max = 100.0;
  priv->f_min = 10.0;
  priv->f_max = 24000.0;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

const char *
ausculta_plot_view_get_title (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), NULL);

  return priv->title;
}

void
ausculta_plot_view_set_title (AuscultaPlotView *self,
                              const char       *title)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
ausculta_plot_view_get_unit (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), NULL);

  return priv->unit;
}

/* The unit of the values: over the level labels, after a waveform's peak. */
void
ausculta_plot_view_set_unit (AuscultaPlotView *self,
                             const char       *unit)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));

  if (g_strcmp0 (priv->unit, unit) == 0)
    return;
  g_free (priv->unit);
  priv->unit = g_strdup (unit);
  invalidate_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

double
ausculta_plot_view_get_db_min (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), 0.0);

  return priv->db_min;
}

double
ausculta_plot_view_get_db_max (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), 0.0);

  return priv->db_max;
}

/* The level axis (and the spectrogram's colours), in dB. */
void
ausculta_plot_view_set_db_range (AuscultaPlotView *self,
                                 double            db_min,
                                 double            db_max)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  gboolean min_changed, max_changed;

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));

  min_changed = priv->db_min != db_min;
  max_changed = priv->db_max != db_max;
  if (!min_changed && !max_changed)
    return;
  priv->db_min = db_min;
  priv->db_max = db_max;
  invalidate_frame (self);
  if (min_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_MIN]);
  if (max_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_MAX]);
}

/* The frequency axis, in Hz (log). */
void
ausculta_plot_view_set_frequency_range (AuscultaPlotView *self,
                                        double            f_min,
                                        double            f_max)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));
  g_return_if_fail (0 < f_min && f_min < f_max);

  if (priv->f_min == f_min && priv->f_max == f_max)
    return;
  priv->f_min = f_min;
  priv->f_max = f_max;
  invalidate_frame (self);
}

/* The data area inside the frame at the widget's size, with the ranges. */
void
ausculta_plot_view_get_area (AuscultaPlotView *self,
                             AuscultaPlotArea *area)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));

  ausculta_plot_area_init (area, gtk_widget_get_width (GTK_WIDGET (self)),
                           gtk_widget_get_height (GTK_WIDGET (self)),
                           AUSCULTA_PLOT_VIEW_GET_CLASS (self)->frame == AUSCULTA_PLOT_FRAME_LEVELS);
  area->f_min = priv->f_min;
  area->f_max = priv->f_max;
  area->v_min = priv->db_min;
  area->v_max = priv->db_max;
}

/* How many times the frame was drawn: once per size, style, title or range,
 * not once per data frame. */
guint
ausculta_plot_view_get_n_frames_drawn (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), 0);

  return priv->n_frames_drawn;
}

static PangoLayout *
create_corner_layout (AuscultaPlotView *self)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attributes, pango_attr_size_new_absolute (11 * PANGO_SCALE));
  pango_layout_set_attributes (layout, attributes);
  return layout;
}

/* The width the title takes on its line, in the corner text's font. */
static int
title_width (AuscultaPlotView *self)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle extents;

  if (priv->title == NULL)
    return 0;
  layout = create_corner_layout (self);
  pango_layout_set_text (layout, priv->title, -1);
  pango_layout_get_pixel_extents (layout, NULL, &extents);
  return extents.width;
}

/* The image drawn into takes turns with the one the previous frame shows:
 * a cairo node keeps a copy-on-write snapshot of the image it paints, and
 * drawing into that image again would copy it whole. */
cairo_surface_t *
ausculta_plot_view_begin_data (AuscultaPlotView       *self,
                               const AuscultaPlotArea *area)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = (int) ceil (area->width * scale), height = (int) ceil (area->height * scale);
  cairo_surface_t **image;

  g_return_val_if_fail (AUSCULTA_IS_PLOT_VIEW (self), NULL);

  priv->data_turn ^= 1;
  image = &priv->data[priv->data_turn];
  if (*image == NULL || cairo_image_surface_get_width (*image) != width
      || cairo_image_surface_get_height (*image) != height)
    {
      g_clear_pointer (image, cairo_surface_destroy);
      *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cairo_surface_set_device_scale (*image, scale, scale);
      return *image;
    }
  cairo_surface_flush (*image);
  memset (cairo_image_surface_get_data (*image), 0, (gsize) cairo_image_surface_get_stride (*image) * height);
  cairo_surface_mark_dirty (*image);
  return *image;
}

void
ausculta_plot_view_append_data (AuscultaPlotView       *self,
                                GtkSnapshot            *snapshot,
                                const AuscultaPlotArea *area)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  cairo_t *cr;

  g_return_if_fail (AUSCULTA_IS_PLOT_VIEW (self));
  g_return_if_fail (priv->data[priv->data_turn] != NULL);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (area->x, area->y, area->width, area->height));
  cairo_set_source_surface (cr, priv->data[priv->data_turn], area->x, area->y);
  cairo_paint (cr);
  cairo_destroy (cr);
}

/**
 * ausculta_plot_view_snapshot_corner_text:
 *
 * Appends @text right-aligned above the data area, where the title's line
 * ends, or inside the data area's top right corner when the line has no
 * room left after the title. The same text at the same place appends the
 * same node as the frame before: the renderer then has nothing to draw
 * again.
 */
void
ausculta_plot_view_snapshot_corner_text (AuscultaPlotView       *self,
                                         GtkSnapshot            *snapshot,
                                         const AuscultaPlotArea *area,
                                         const char             *text)
{
  AuscultaPlotViewPrivate *priv = ausculta_plot_view_get_instance_private (self);
  double right = area->x + area->width - 4.0;
  g_autoptr(GtkSnapshot) text_snapshot = NULL;
  PangoRectangle extents;
  GdkRGBA ink;
  double top;

  if (priv->corner == NULL)
    priv->corner = create_corner_layout (self);
  if (priv->corner_node == NULL || priv->corner_right != right
      || g_strcmp0 (pango_layout_get_text (priv->corner), text) != 0)
    {
      g_clear_pointer (&priv->corner_node, gsk_render_node_unref);
      pango_layout_set_text (priv->corner, text, -1);
      pango_layout_get_pixel_extents (priv->corner, NULL, &extents);
      ausculta_plot_get_ink (GTK_WIDGET (self), &ink);
      text_snapshot = gtk_snapshot_new ();
      if (right - extents.width >= area->x + title_width (self) + 8.0)
        top = area->y - 8.0 - pango_layout_get_baseline (priv->corner) / (double) PANGO_SCALE;
      else
        top = area->y + 2.0;
      gtk_snapshot_translate (text_snapshot, &GRAPHENE_POINT_INIT (right - extents.width, top));
      gtk_snapshot_append_layout (text_snapshot, priv->corner, &ink);
      priv->corner_node = gtk_snapshot_free_to_node (g_steal_pointer (&text_snapshot));
      priv->corner_right = right;
    }
  if (priv->corner_node != NULL)
    gtk_snapshot_append_node (snapshot, priv->corner_node);
}
