/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-window"

#include "config.h"

#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-gui-test.h"
#include "ausculta-preferences-window.h"
#include "ausculta-main-window.h"

static const char *page_names[] = { "inspect", "archive", "explore", "models" };

/* One application per process, as GtkApplication expects; each test gets a
 * fresh window. */
static AuscultaApplication *the_app;

typedef struct
{
  AuscultaApplication *app;
  AuscultaMainWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = the_app;
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = AUSCULTA_MAIN_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  ausculta_test_wait_ms (300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  ausculta_test_wait_ms (50);
}

static void
test_title (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Ausculta");
  g_assert_cmpstr (ausculta_main_window_get_visible_page (fixture->window), ==, "inspect");
}

/* Visits every page through its action, as its shortcut would, and saves a
 * light and a dark screenshot of each. */
static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = GTK_WIDGET (fixture->window);

  for (int dark = 0; dark <= 1; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (gsize i = 0; i < G_N_ELEMENTS (page_names); i++)
        {
          /* Start from another page so that the action must change it. */
          const char *before = page_names[(i + 1) % G_N_ELEMENTS (page_names)];
          g_autoptr(GdkTexture) shot = NULL;
          g_autofree char *name = NULL;
          double luminance;

          gtk_widget_activate_action (window, "win.show-page", "s", before);
          g_assert_cmpstr (ausculta_main_window_get_visible_page (fixture->window), ==, before);
          gtk_widget_activate_action (window, "win.show-page", "s", page_names[i]);
          g_assert_cmpstr (ausculta_main_window_get_visible_page (fixture->window), ==, page_names[i]);
          ausculta_test_wait_ms (250);

          shot = ausculta_test_render (window);
          name = g_strdup_printf ("window-%s-%s", page_names[i], dark ? "dark" : "light");
          ausculta_test_save_shot (shot, name);
          /* The content area below the header bar follows the style. */
          luminance = ausculta_test_mean_luminance (shot, 0, 100, gdk_texture_get_width (shot),
                                                    gdk_texture_get_height (shot) - 100);
          if (dark)
            g_assert_cmpfloat (luminance, <, 0.35);
          else
            g_assert_cmpfloat (luminance, >, 0.65);
        }
    }
}

static void
test_unknown_page (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "archive");
  g_test_expect_message ("ausculta-main-window", G_LOG_LEVEL_WARNING, "No page named “nowhere”*");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "nowhere");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ausculta_main_window_get_visible_page (fixture->window), ==, "archive");
}

static void
test_accelerators (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkApplication *app = GTK_APPLICATION (fixture->app);

  for (gsize i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_autofree char *action = g_strconcat ("win.show-page::", page_names[i], NULL);
      g_autofree char *expected = g_strdup_printf ("<Alt>%" G_GSIZE_FORMAT, i + 1);
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, action);

      g_assert_cmpuint (g_strv_length (accels), ==, 1);
      g_assert_cmpstr (accels[0], ==, expected);
    }
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *preferences;
  g_autoptr(GdkTexture) shot = NULL;

  g_assert_null (ausculta_test_find_window (AUSCULTA_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  ausculta_test_wait_ms (300);
  preferences = ausculta_test_find_window (AUSCULTA_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (fixture->window));
  /* A fresh archive has no users: the Users page says the bench is open. */
  {
    GtkListBox *users = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                     AUSCULTA_TYPE_PREFERENCES_WINDOW,
                                                                     "users_list"));

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (users, 0))),
                     ==, "No users yet: the bench is open to anyone");
  }
  shot = ausculta_test_render (GTK_WIDGET (preferences));
  ausculta_test_save_shot (shot, "preferences-light");
}

static void
test_about (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  ausculta_test_wait_ms (300);
  about = ausculta_test_find_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Ausculta");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
}

static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWindow *shortcuts;
  g_autoptr(GdkTexture) shot = NULL;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL);
  ausculta_test_wait_ms (300);
  shortcuts = ausculta_test_find_window (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  shot = ausculta_test_render (GTK_WIDGET (shortcuts));
  ausculta_test_save_shot (shot, "shortcuts-light");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  the_app = ausculta_test_start_app ();
  if (the_app == NULL)
    return 0;

#define ADD(path, func) \
  g_test_add ("/ausculta/gui/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("title", test_title);
  ADD ("pages", test_pages);
  ADD ("unknown-page", test_unknown_page);
  ADD ("accelerators", test_accelerators);
  ADD ("preferences", test_preferences);
  ADD ("about", test_about);
  ADD ("shortcuts", test_shortcuts);
#undef ADD

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
