/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-archive-page"

#include "config.h"

#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-archive-page.h"
#include "ausculta-gui-test.h"
#include "ausculta-main-window.h"
#include "ausculta-measurement-item.h"

/* The Archive page over a few thousand archived measurements: the count,
 * rows read page by page on demand, the serial and verdict filters. */
#define N_MEASUREMENTS 3000

static AuscultaApplication *the_app;

static void
fill_archive (void)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GPtrArray) measurements = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 2, 6, 0, 0);
  g_autoptr(GError) error = NULL;

  archive = ausculta_archive_open_default (&error);
  g_assert_no_error (error);
  for (int i = 0; i < N_MEASUREMENTS; i++)
    {
      AuscultaMeasurement *measurement = ausculta_measurement_new ();

      measurement->serial = g_strdup_printf ("SN-%05d", i);
      measurement->station = g_strdup ("bench-1");
      g_date_time_unref (measurement->started_at);
      measurement->started_at = g_date_time_add_seconds (start, 20.0 * i);
      /* One motor in ten is bad. */
      measurement->verdict = i % 10 == 0 ? AUSCULTA_VERDICT_NOK : AUSCULTA_VERDICT_OK;
      g_ptr_array_add (measurements, measurement);
    }
  ausculta_archive_insert_measurements (archive, (AuscultaMeasurement **) measurements->pdata,
                                        measurements->len, &error);
  g_assert_no_error (error);
}

static guint
wait_for_n_items (GListModel *model,
                  guint       expected)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != expected && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return g_list_model_get_n_items (model);
}

static char *
serial_at (GListModel *model,
           guint       position)
{
  g_autoptr(AuscultaMeasurementItem) item = g_list_model_get_item (model, position);
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* A placeholder until its page is read in the worker. */
  while (ausculta_measurement_item_get_row (item) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return ausculta_measurement_item_dup_column (item, "serial");
}

static void
test_archive_page (void)
{
  GtkWidget *window, *page;
  GListModel *model;
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *oldest = NULL;

  fill_archive ();
  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = ausculta_main_window_get_page (AUSCULTA_MAIN_WINDOW (window), "archive");
  model = ausculta_archive_page_get_model (AUSCULTA_ARCHIVE_PAGE (page));
  g_assert_nonnull (model);
  /* The window opens on Inspect at once: the archive is counted when its
   * page is first shown, not before. */
  ausculta_test_wait_ms (300);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  gtk_widget_activate_action (window, "win.show-page", "s", "archive");
  g_assert_cmpuint (wait_for_n_items (model, N_MEASUREMENTS), ==, N_MEASUREMENTS);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (page, AUSCULTA_TYPE_ARCHIVE_PAGE, "count_label"))),
                   ==, "3000 measurements");

  /* Newest first; the last row is the first motor. */
  newest = serial_at (model, 0);
  oldest = serial_at (model, N_MEASUREMENTS - 1);
  g_assert_cmpstr (newest, ==, "SN-02999");
  g_assert_cmpstr (oldest, ==, "SN-00000");

  ausculta_test_wait_ms (300);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "archive-light");

  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (page, AUSCULTA_TYPE_ARCHIVE_PAGE, "serial_search")),
                         "SN-001");
  g_assert_cmpuint (wait_for_n_items (model, 100), ==, 100);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (page, AUSCULTA_TYPE_ARCHIVE_PAGE, "serial_search")), "");
  /* NOK is the third row of the verdict filter. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (page, AUSCULTA_TYPE_ARCHIVE_PAGE, "verdict_dropdown")), 3);
  g_assert_cmpuint (wait_for_n_items (model, N_MEASUREMENTS / 10), ==, N_MEASUREMENTS / 10);
  {
    g_autofree char *first_bad = serial_at (model, N_MEASUREMENTS / 10 - 1);

    g_assert_cmpstr (first_bad, ==, "SN-00000");
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "archive-nok-dark");
  gtk_window_destroy (GTK_WINDOW (window));
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

  g_test_add_func ("/ausculta/gui/archive/list-and-filters", test_archive_page);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
