/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-gui-test"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "ausculta-gui-test.h"

/**
 * ausculta_test_start_app:
 *
 * After g_test_init() (isolated folders) and any environment of the test's
 * own: the app with a fresh default archive, in-process. Returns %NULL, the
 * TAP skip line printed, when there is no display.
 */
AuscultaApplication *
ausculta_test_start_app (void)
{
  AuscultaApplication *app;

  /* Keep the user's folders isolated but the system's: GTK needs its icon
   * theme, settings schemas and MIME database. */
  g_setenv ("XDG_DATA_DIRS", "/usr/local/share:/usr/share", TRUE);
  g_unsetenv ("AUSCULTA_ARCHIVE");
  ausculta_app_init_i18n ();
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return NULL;
    }
  adw_init ();
  /* Without a window manager the window is never active: a blinking
   * cursor then warns that it lost its focus-out event. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  app = ausculta_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

static gboolean
set_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ausculta_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The first visible toplevel of @type, or NULL. */
GtkWindow *
ausculta_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* @widget or its first descendant of @type, depth first, or NULL. */
GtkWidget *
ausculta_test_find_descendant (GtkWidget *widget,
                               GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ausculta_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GdkTexture *
ausculta_test_render (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  /* A window in the middle of a change (a colour scheme switch, say) can
   * draw nothing until its next frame: a person would see that frame. */
  for (int tries = 0; node == NULL && tries < 40; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (tries > 0)
        ausculta_test_wait_ms (50);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Saves under $AUSCULTA_SHOT_DIR when set, else under the tests' build
 * folder, so that a person can look at what the test saw. */
void
ausculta_test_save_shot (GdkTexture *texture,
                         const char *name)
{
  const char *dir = g_getenv ("AUSCULTA_SHOT_DIR");
  g_autofree char *fallback = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "shots", NULL);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    dir = fallback;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static guint32 *
download (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  guint32 *pixels = g_new (guint32, (gsize) width * height);

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels;
}

double
ausculta_test_mean_luminance (GdkTexture *texture,
                              int         x,
                              int         y,
                              int         width,
                              int         height)
{
  g_autofree guint32 *pixels = download (texture);
  int stride = gdk_texture_get_width (texture);
  double sum = 0;

  g_assert_cmpint (x + width, <=, gdk_texture_get_width (texture));
  g_assert_cmpint (y + height, <=, gdk_texture_get_height (texture));
  for (int row = y; row < y + height; row++)
    for (int col = x; col < x + width; col++)
      {
        guint32 p = pixels[row * stride + col];

        sum += 0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff);
      }
  return sum / (255.0 * width * height);
}

guint
ausculta_test_count_pixels (GdkTexture *texture,
                            guint32     rgb,
                            guint       tolerance)
{
  g_autofree guint32 *pixels = download (texture);
  gsize n = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture);
  guint count = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint32 p = pixels[i];

      if ((guint) abs ((int) ((p >> 16) & 0xff) - (int) ((rgb >> 16) & 0xff)) <= tolerance
          && (guint) abs ((int) ((p >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff)) <= tolerance
          && (guint) abs ((int) (p & 0xff) - (int) (rgb & 0xff)) <= tolerance)
        count++;
    }
  return count;
}
