/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-measurement-page"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-application.h"
#include "ausculta-archive-page.h"
#include "ausculta-gui-test.h"
#include "ausculta-inspection.h"
#include "ausculta-main-window.h"
#include "ausculta-measurement-item.h"
#include "ausculta-measurement-page.h"
#include "ausculta-playback.h"
#include "ausculta-source-spec.h"

/* A measurement of a simulated inspection opened from the Archive: its
 * header, its feature bands over the reference band of good units (one
 * band pushed out, drawn red), a label in the history, and its exports. */
#define N_GOOD 6

static AuscultaApplication *the_app;

static AuscultaMeasurement *
inspect_simulated (AuscultaArchive *archive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = ausculta_profile_load ("default", &error);
  g_autoptr(AuscultaSource) source = NULL;
  g_autoptr(AuscultaInspection) inspection = NULL;
  AuscultaMeasurement *measurement;

  g_assert_no_error (error);
  source = ausculta_source_new_from_spec ("simulator,seed=5", &error);
  g_assert_no_error (error);
  inspection = ausculta_inspection_new (profile, source);
  ausculta_inspection_set_archive (inspection, archive);
  ausculta_inspection_set_station (inspection, "bench-7");
  ausculta_inspection_set_operator (inspection, "admin");
  ausculta_inspection_set_serial (inspection, "SN-MEAS-1");
  measurement = ausculta_inspection_run (inspection, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (measurement->signals->len, >, 0);
  return measurement;
}

/* Good units like the inspected one, except that their first feature sits
 * 20 units higher: the inspected motor violates that band only. */
static void
add_good_units (AuscultaArchive     *archive,
                AuscultaMeasurement *model)
{
  g_autoptr(GDateTime) earlier = g_date_time_add_hours (model->started_at, -1);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < N_GOOD; i++)
    {
      g_autoptr(AuscultaMeasurement) good = ausculta_measurement_new ();
      g_autofree double *values = g_new (double, model->n_features);

      for (guint j = 0; j < model->n_features; j++)
        values[j] = model->features[j] + (i - N_GOOD / 2) * 0.01 + (j == 0 ? 20.0 : 0.0);
      good->serial = g_strdup_printf ("SN-GOOD-%d", i);
      good->station = g_strdup ("bench-7");
      g_date_time_unref (good->started_at);
      good->started_at = g_date_time_add_minutes (earlier, i);
      ausculta_measurement_set_features (good, (const char * const *) model->feature_names, values,
                                         model->n_features);
      ausculta_archive_insert_measurement (archive, good, &error);
      g_assert_no_error (error);
      ausculta_archive_set_label (archive, "admin", good->id, AUSCULTA_LABEL_OK, NULL, &error);
      g_assert_no_error (error);
    }
}

static gboolean
has_label_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0
      && gtk_widget_is_visible (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label_prefix (GtkWidget  *widget,
                  const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_prefix (child, prefix))
      return TRUE;
  return FALSE;
}

/* Play in a worker: the page stays alive; without an output device the
 * reason shows in a toast (with one, the signal plays to its end). */
static void
check_play (AuscultaMeasurementPage *page)
{
  GtkWidget *play = find_button (GTK_WIDGET (page), "_Play");
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  const float silence[64] = { 0 };
  g_autoptr(GError) probe = NULL;
  gboolean has_output = ausculta_playback_play (silence, G_N_ELEMENTS (silence), 48000.0, &probe);

  g_assert_nonnull (play);
  g_signal_emit_by_name (play, "clicked");
  g_assert_false (gtk_widget_get_sensitive (play));
  while (!gtk_widget_get_sensitive (play) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_sensitive (play));
  ausculta_test_wait_ms (100);
  g_test_message ("output device: %s", has_output ? "yes" : probe->message);
  if (!has_output)
    g_assert_true (has_label_prefix (GTK_WIDGET (page), "playback: no audio output device"));
}

static void
wait_loaded (AuscultaMeasurementPage *page)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  ausculta_test_wait_ms (50);
  while (ausculta_measurement_page_get_loading (page) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ausculta_measurement_page_get_loading (page));
}

static void
open_first_row (GtkWidget *archive_page)
{
  GListModel *model = ausculta_archive_page_get_model (AUSCULTA_ARCHIVE_PAGE (archive_page));
  GtkWidget *column_view = GTK_WIDGET (gtk_widget_get_template_child (archive_page, AUSCULTA_TYPE_ARCHIVE_PAGE,
                                                                      "column_view"));
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(AuscultaMeasurementItem) item = NULL;

  ausculta_archive_page_refresh (AUSCULTA_ARCHIVE_PAGE (archive_page));
  while (g_list_model_get_n_items (model) != N_GOOD + 1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_GOOD + 1);
  item = g_list_model_get_item (model, 0);
  while (ausculta_measurement_item_get_row (item) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  /* What Enter or a double click on the newest row does. */
  g_signal_emit_by_name (column_view, "activate", 0);
}

static guint
shown_rows (GtkWidget *archive_page,
            guint      expected)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (archive_page, AUSCULTA_TYPE_ARCHIVE_PAGE,
                                                                        "column_view"));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))) != expected
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static void
set_entry (GtkWidget  *archive_page,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (archive_page, AUSCULTA_TYPE_ARCHIVE_PAGE, name)),
                         text);
}

/* Dates, label, station and model narrow the list; a bad date is marked. */
static void
check_filters (GtkWidget *archive_page)
{
  GtkDropDown *label = GTK_DROP_DOWN (gtk_widget_get_template_child (archive_page, AUSCULTA_TYPE_ARCHIVE_PAGE,
                                                                     "label_dropdown"));
  GtkWidget *from = GTK_WIDGET (gtk_widget_get_template_child (archive_page, AUSCULTA_TYPE_ARCHIVE_PAGE, "from_entry"));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  set_entry (archive_page, "station_entry", "bench-7");
  g_assert_cmpuint (shown_rows (archive_page, N_GOOD + 1), ==, N_GOOD + 1);
  set_entry (archive_page, "station_entry", "bench-8");
  g_assert_cmpuint (shown_rows (archive_page, 0), ==, 0);
  set_entry (archive_page, "station_entry", "");
  /* Row 2 is OK: the good units only (the inspected one is labelled 6). */
  gtk_drop_down_set_selected (label, 2);
  g_assert_cmpuint (shown_rows (archive_page, N_GOOD), ==, N_GOOD);
  gtk_drop_down_set_selected (label, 0);
  set_entry (archive_page, "to_entry", today);
  g_assert_cmpuint (shown_rows (archive_page, N_GOOD + 1), ==, N_GOOD + 1);
  set_entry (archive_page, "to_entry", "");
  set_entry (archive_page, "from_entry", "2999-01-01");
  g_assert_cmpuint (shown_rows (archive_page, 0), ==, 0);
  set_entry (archive_page, "from_entry", "2026-13-45");
  g_assert_true (gtk_widget_has_css_class (from, "error"));
  set_entry (archive_page, "from_entry", "");
  g_assert_false (gtk_widget_has_css_class (from, "error"));
  set_entry (archive_page, "model_entry", "no-such-model");
  g_assert_cmpuint (shown_rows (archive_page, 0), ==, 0);
  set_entry (archive_page, "model_entry", "");
  g_assert_cmpuint (shown_rows (archive_page, N_GOOD + 1), ==, N_GOOD + 1);
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
check_exports (AuscultaMeasurementPage *page,
               AuscultaMeasurement     *measurement)
{
  g_autofree char *folder = g_dir_make_tmp ("ausculta-export-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (folder, "m.csv", NULL);
  g_autofree char *pdf = g_build_filename (folder, "m.pdf", NULL);
  g_autofree char *png = g_build_filename (folder, "m.png", NULL);
  g_autofree char *csv_text = NULL, *pdf_text = NULL, *png_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_wav = 0;
  const char *name;
  gsize pdf_size;

  g_assert_true (ausculta_measurement_page_export_csv (page, csv, &error));
  g_assert_no_error (error);
  csv_text = read_text (csv);
  lines = g_strsplit (csv_text, "\n", -1);
  g_assert_true (g_str_has_prefix (csv_text, "index,target,"));
  g_assert_nonnull (strstr (csv_text, measurement->id));
  g_assert_cmpuint (g_strv_length (lines), >=, 2);

  g_assert_true (ausculta_measurement_page_export_wav (page, folder, &error));
  g_assert_no_error (error);
  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".wav"))
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_autofree char *wav = read_text (path);

        g_assert_true (g_str_has_prefix (wav, "RIFF"));
        n_wav++;
      }
  g_assert_cmpuint (n_wav, ==, measurement->signals->len);

  g_assert_true (ausculta_measurement_page_export_pdf (page, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &pdf_text, &pdf_size, NULL));
  g_assert_true (g_str_has_prefix (pdf_text, "%PDF-"));
  g_assert_cmpuint (pdf_size, >, 5000);
  g_assert_true (ausculta_measurement_page_export_png (page, png, &error));
  g_assert_no_error (error);
  png_text = read_text (png);
  g_assert_cmpint (memcmp (png_text, "\x89PNG", 4), ==, 0);
  g_test_message ("exports in %s (PDF %" G_GSIZE_FORMAT " bytes)", folder, pdf_size);
}

static void
check_labelling (AuscultaMeasurementPage *page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *labels;
  const AuscultaLabel *label;

  /* Nobody logged in: the archive refuses, the page says why. */
  ausculta_measurement_page_set_user (page, NULL);
  g_assert_false (ausculta_measurement_page_set_label (page, 6, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  ausculta_measurement_page_set_user (page, "admin");
  g_assert_true (ausculta_measurement_page_set_label (page, 6, "heard a beat", &error));
  g_assert_no_error (error);
  labels = ausculta_measurement_page_get_labels (page);
  g_assert_cmpuint (labels->len, ==, 1);
  label = g_ptr_array_index (labels, 0);
  g_assert_cmpint (label->label, ==, 6);
  g_assert_cmpstr (label->user_name, ==, "admin");
  g_assert_cmpstr (label->comment, ==, "heard a beat");
}

static void
test_measurement_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open_default (&error);
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  AuscultaMeasurementPage *page;
  GtkWidget *window, *archive_page;

  g_assert_no_error (error);
  ausculta_archive_add_user (archive, NULL, "admin", "Ada Admin", AUSCULTA_ROLE_ADMIN, "secret-pass", NULL, &error);
  g_assert_no_error (error);
  measurement = inspect_simulated (archive);
  add_good_units (archive, measurement);

  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 1000);
  archive_page = ausculta_main_window_get_page (AUSCULTA_MAIN_WINDOW (window), "archive");
  gtk_widget_activate_action (window, "win.show-page", "s", "archive");
  open_first_row (archive_page);
  page = AUSCULTA_MEASUREMENT_PAGE (ausculta_archive_page_get_measurement_page (AUSCULTA_ARCHIVE_PAGE (archive_page)));
  wait_loaded (page);

  g_assert_cmpstr (ausculta_measurement_page_get_measurement (page)->id, ==, measurement->id);
  g_assert_true (has_label_text (GTK_WIDGET (page), "SN-MEAS-1"));
  g_assert_true (has_label_text (GTK_WIDGET (page), "bench-7"));
  g_assert_true (has_label_text (GTK_WIDGET (page), "admin"));
  g_assert_nonnull (ausculta_measurement_page_get_reference (page));
  g_assert_cmpuint (ausculta_measurement_page_get_reference (page)->n_units, ==, N_GOOD);
  g_assert_cmpuint (ausculta_measurement_page_count_violations (page), ==, 1);

  check_play (page);
  check_labelling (page);
  check_exports (page, measurement);
  g_assert_true (has_label_text (GTK_WIDGET (page), "Reference: mean ± 3 σ of 6 good units · 1 bands outside"));

  ausculta_test_wait_ms (400);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "measurement-light");
  /* The one violating band is drawn red. */
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0xe01b24, 8), >, 20);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "measurement-dark");
  {
    /* The lower half: stored signals and the label history. */
    GtkWidget *scrolled = gtk_widget_get_ancestor (find_button (GTK_WIDGET (page), "_Play"), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    ausculta_test_wait_ms (300);
    g_clear_object (&shot);
    shot = ausculta_test_render (window);
    ausculta_test_save_shot (shot, "measurement-signals-dark");
  }

  g_signal_emit_by_name (page, "back");
  check_filters (archive_page);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_unsetenv ("AUSCULTA_SOURCE");
  the_app = ausculta_test_start_app ();
  if (the_app == NULL)
    return 0;

  g_test_add_func ("/ausculta/gui/measurement/open-label-export", test_measurement_page);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
