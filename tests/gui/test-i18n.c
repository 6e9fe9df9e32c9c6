/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-i18n"

#include "config.h"

#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-gui-test.h"
#include "ausculta-main-window.h"

static AuscultaApplication *the_app;

static GtkWidget *
find_status_page (GtkWidget  *root,
                  const char *title)
{
  if (ADW_IS_STATUS_PAGE (root)
      && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_status_page (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window, its pages and its empty states speak French when the user's
 * language is French; the product name does not change. */
static void
test_french_window (void)
{
  AuscultaMainWindow *window;
  AdwViewStack *stack;
  g_autoptr(GdkTexture) shot = NULL;
  static const struct { const char *name; const char *title; } pages[] = {
    { "inspect", "Contrôle" },
    { "archive", "Archive" },
    { "explore", "Exploration" },
    { "models", "Modèles" },
  };

  g_application_activate (G_APPLICATION (the_app));
  window = AUSCULTA_MAIN_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  ausculta_test_wait_ms (300);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Ausculta");

  /* The Archive page is built on its first visit. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "archive");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (find_status_page (GTK_WIDGET (window),
                                                                     "Aucune mesure pour l’instant"),
                                                   ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (stack);
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, pages[i].name);

      g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (stack, child)),
                       ==, pages[i].title);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "models");
  g_assert_nonnull (find_status_page (GTK_WIDGET (window), "Aucun modèle candidat"));
  ausculta_test_wait_ms (250);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "window-models-fr");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Debian's minimal locales: C.UTF-8 plus LANGUAGE is what works here. */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "fr", TRUE);
  the_app = ausculta_test_start_app ();
  if (the_app == NULL)
    return 0;

  g_test_add_func ("/ausculta/gui/i18n/french-window", test_french_window);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
