/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-application.h"

G_BEGIN_DECLS

/* What the GUI tests share: starting the app, spinning the main loop,
 * finding windows, and rendering a widget in-process to a texture (saved
 * as a PNG to look at). */
AuscultaApplication *ausculta_test_start_app (void);
void        ausculta_test_wait_ms          (guint        ms);
GtkWindow  *ausculta_test_find_window      (GType        type);
GtkWidget  *ausculta_test_find_descendant  (GtkWidget   *widget,
                                            GType        type);
GdkTexture *ausculta_test_render           (GtkWidget   *widget);
void        ausculta_test_save_shot        (GdkTexture  *texture,
                                            const char  *name);
double      ausculta_test_mean_luminance   (GdkTexture  *texture,
                                            int          x,
                                            int          y,
                                            int          width,
                                            int          height);
guint       ausculta_test_count_pixels     (GdkTexture  *texture,
                                            guint32      rgb,
                                            guint        tolerance);

G_END_DECLS
