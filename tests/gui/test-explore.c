/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-explore"

#include "config.h"

#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-archive.h"
#include "ausculta-data-paths.h"
#include "ausculta-explore-page.h"
#include "ausculta-gui-test.h"
#include "ausculta-main-window.h"
#include "ausculta-scatter-view.h"
#include "../ausculta-test-shared.h"

/* The Explore page over the historical validation set, imported with
 * ausculta-cli as a supervisor would: every motor becomes a point, good
 * and bad motors in their colours, and a click names the measurement. */

static AuscultaApplication *the_app;

/* Imports the validation set; returns the measurements the archive holds
 * (a few rows of the file repeat a motor and are not added twice). */
static guint
import_validation_set (void)
{
  g_autofree char *csv = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed",
                                           "DATASET_VALIDATION_dev.csv", NULL);
  g_autofree char *ng_csv = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed",
                                              "DATASET_NG_dev.csv", NULL);
  g_autofree char *archive = ausculta_default_archive_path ();
  /* The NG file gives the bad motors their defect class. */
  const char *argv[] = { g_getenv ("AUSCULTA_CLI"), "import", "--archive", archive, csv, ng_csv, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  {
    g_autoptr(AuscultaArchive) opened = ausculta_archive_open (archive, &error);
    AuscultaArchiveFilter filter;
    guint64 count = 0;

    g_assert_no_error (error);
    ausculta_archive_filter_init (&filter);
    ausculta_archive_count (opened, &filter, &count, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count, >, 600);
    return (guint) count;
  }
}

/* Renders @window until @drawn says the picture is there, for up to 5 s: a
 * busy machine can take longer than one frame to switch page or colours,
 * and a person looks until it is drawn. */
static GdkTexture *
render_when (GtkWidget  *window,
             gboolean  (*drawn) (GdkTexture *shot, guint reference),
             guint       reference)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GdkTexture *shot = ausculta_test_render (window);

  while (!drawn (shot, reference) && g_get_monotonic_time () < end)
    {
      g_object_unref (shot);
      ausculta_test_wait_ms (100);
      shot = ausculta_test_render (window);
    }
  return shot;
}

static gboolean
by_label_drawn (GdkTexture *shot,
                guint       reference)
{
  return ausculta_test_count_pixels (shot, 0x2ec27e, 20) > 200
         && ausculta_test_count_pixels (shot, 0xe01b24, 20) > 100;
}

static gboolean
by_verdict_drawn (GdkTexture *shot,
                  guint       grey_by_label)
{
  return ausculta_test_count_pixels (shot, 0x9a9996, 10) > grey_by_label + 5000
         && ausculta_test_count_pixels (shot, 0xe01b24, 20) < 100;
}

static guint
class_pixels (GdkTexture *shot)
{
  return ausculta_test_count_pixels (shot, 0x3584e4, 20) + ausculta_test_count_pixels (shot, 0xff7800, 20)
         + ausculta_test_count_pixels (shot, 0x9141ac, 20);
}

static gboolean
by_class_drawn (GdkTexture *shot,
                guint       reference)
{
  return class_pixels (shot) > 300;
}

static void
test_explore (void)
{
  GtkWidget *window, *page, *scatter;
  g_autoptr(GdkTexture) shot = NULL;
  gint64 end;
  guint n_archived = import_validation_set ();
  guint grey_by_label;
  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = ausculta_main_window_get_page (AUSCULTA_MAIN_WINDOW (window), "explore");
  scatter = GTK_WIDGET (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "scatter_view"));
  gtk_widget_activate_action (window, "win.show-page", "s", "explore");
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  do
    g_main_context_iteration (NULL, TRUE);
  while ((ausculta_explore_page_is_busy (AUSCULTA_EXPLORE_PAGE (page))
          || ausculta_explore_page_get_n_points (AUSCULTA_EXPLORE_PAGE (page)) == 0)
         && g_get_monotonic_time () < end);

  /* One point per archived measurement. */
  g_assert_cmpuint (ausculta_explore_page_get_n_points (AUSCULTA_EXPLORE_PAGE (page)), ==, n_archived);
  shot = render_when (window, by_label_drawn, 0);
  ausculta_test_save_shot (shot, "explore-light");
  /* Good motors green, bad ones red. */
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0x2ec27e, 20), >, 200);
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0xe01b24, 20), >, 100);

  grey_by_label = ausculta_test_count_pixels (shot, 0x9a9996, 10);

  /* Coloured by verdict: imported rows have none, so they turn grey. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "colour_drop_down")), 0);
  g_clear_object (&shot);
  shot = render_when (window, by_verdict_drawn, grey_by_label);
  ausculta_test_save_shot (shot, "explore-verdict-light");
  g_test_message ("by verdict: %u grey, %u red pixels", ausculta_test_count_pixels (shot, 0x9a9996, 10),
                  ausculta_test_count_pixels (shot, 0xe01b24, 20));
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0x9a9996, 10), >, grey_by_label + 5000);
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0xe01b24, 20), <, 100);

  /* Selecting a point names its motor; without a measurement page the
   * window gets a toast. */
  ausculta_scatter_view_select (AUSCULTA_SCATTER_VIEW (scatter), 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "selection_label"))),
                                   "Motor "));

  /* Coloured by defect class: the classes' own colours (3 blue, 4 orange, 5 purple). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "colour_drop_down")), 2);
  g_clear_object (&shot);
  shot = render_when (window, by_class_drawn, 0);
  ausculta_test_save_shot (shot, "explore-defect-class-light");
  g_test_message ("by defect class: %u blue, %u orange, %u purple pixels",
                  ausculta_test_count_pixels (shot, 0x3584e4, 20), ausculta_test_count_pixels (shot, 0xff7800, 20),
                  ausculta_test_count_pixels (shot, 0x9141ac, 20));
  g_assert_cmpuint (class_pixels (shot), >, 300);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "colour_drop_down")), 1);

  /* Another pair of components redraws the same points. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (page, AUSCULTA_TYPE_EXPLORE_PAGE, "y_spin")), 3);
  g_assert_cmpuint (ausculta_explore_page_get_n_points (AUSCULTA_EXPLORE_PAGE (page)), ==, n_archived);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "explore-pc1-pc3-dark");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();
  the_app = ausculta_test_start_app ();
  if (the_app == NULL)
    return 0;

  g_test_add_func ("/ausculta/gui/explore/pca-scatter", test_explore);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
