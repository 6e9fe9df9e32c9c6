/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-models"

#include "config.h"

#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-archive.h"
#include "ausculta-data-paths.h"
#include "ausculta-gui-test.h"
#include "ausculta-inspect-page.h"
#include "ausculta-main-window.h"
#include "ausculta-models-page.h"

#include "ausculta-train.h"
#include "ausculta-validation.h"
#include "ausculta-validation-view.h"
#include "../ausculta-test-shared.h"

/* The Models page: a candidate is listed; an inspector is refused approval
 * even through the action, a wrong password is refused, a supervisor with
 * the right password puts the model in production (the inspection takes it
 * from the archive at its next cycle: tests/capture); rolling back takes it
 * out. */

static AuscultaApplication *the_app;

static char *
prepare_archive (void)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ausculta_data_path ("models/demo.model");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) file = NULL;
  gsize length;
  char *id;

  archive = ausculta_archive_open_default (&error);
  g_assert_no_error (error);
  ausculta_archive_add_user (archive, NULL, "alice", NULL, AUSCULTA_ROLE_ADMIN, "alice password", NULL, &error);
  g_assert_no_error (error);
  ausculta_archive_add_user (archive, "alice", "bob", NULL, AUSCULTA_ROLE_INSPECTOR, "bob password", NULL, &error);
  g_assert_no_error (error);
  ausculta_archive_add_user (archive, "alice", "carol", NULL, AUSCULTA_ROLE_SUPERVISOR, "carol password", NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  file = g_bytes_new_take (g_steal_pointer (&contents), length);
  id = ausculta_archive_add_model (archive, "alice", "candidate-7", file, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
decide (GtkWidget  *page,
        const char *user,
        const char *model_id,
        gboolean    approve,
        const char *password)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), user);
  ausculta_models_page_decide (AUSCULTA_MODELS_PAGE (page), model_id, approve, password);
  while (ausculta_models_page_is_busy (AUSCULTA_MODELS_PAGE (page)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ausculta_models_page_is_busy (AUSCULTA_MODELS_PAGE (page)));
}

static const char *
status_of (GtkWidget *page)
{
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (page, AUSCULTA_TYPE_MODELS_PAGE,
                                                                        "status_label")));
}

static gboolean
has_production (void)
{
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open_default (NULL);
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, NULL);

  return info != NULL;
}

static void
test_models (void)
{
  g_autofree char *model_id = NULL;
  GtkWidget *window, *page, *list_box;
  GtkWindow *dialog;
  g_autoptr(GdkTexture) shot = NULL;

  model_id = prepare_archive ();
  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = ausculta_main_window_get_page (AUSCULTA_MAIN_WINDOW (window), "models");
  gtk_widget_activate_action (window, "win.show-page", "s", "models");
  ausculta_test_wait_ms (300);

  list_box = GTK_WIDGET (gtk_widget_get_template_child (page, AUSCULTA_TYPE_MODELS_PAGE, "list_box"));
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0))),
                   ==, "candidate-7");

  /* An inspector cannot reach approval: the action is disabled. */
  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), "bob");
  gtk_widget_activate_action (page, "models.approve", "s", model_id);
  ausculta_test_wait_ms (300);
  g_assert_null (ausculta_test_find_window (ADW_TYPE_MESSAGE_DIALOG));

  /* The action asks for the password of whoever is logged in. */
  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), "carol");
  gtk_widget_activate_action (page, "models.approve", "s", model_id);
  ausculta_test_wait_ms (300);
  dialog = ausculta_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  shot = ausculta_test_render (GTK_WIDGET (dialog));
  ausculta_test_save_shot (shot, "models-approve-dialog");
  gtk_window_destroy (dialog);

  /* Even past the page, an inspector with the right password is refused by the archive. */
  decide (page, "bob", model_id, TRUE, "bob password");
  g_assert_false (has_production ());
  g_assert_nonnull (strstr (status_of (page), "bob"));
  g_test_message ("inspector refused: %s", status_of (page));

  /* A supervisor with a wrong password is refused. */
  decide (page, "carol", model_id, TRUE, "not carol's");
  g_assert_false (has_production ());

  /* The supervisor approves: the model is in production. */
  decide (page, "carol", model_id, TRUE, "carol password");
  g_assert_true (has_production ());
  g_assert_true (g_str_has_suffix (status_of (page), "now decides the inspections"));
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "models-light");

  /* Rolling back the only approved model leaves none in production. */
  decide (page, "carol", model_id, FALSE, "carol password");
  g_assert_false (has_production ());
  g_assert_true (g_str_has_suffix (status_of (page), "the bench’s built-in model"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- a candidate trained from the imported test file ---- */

static void
wait_idle (GtkWidget *page,
           guint      seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (ausculta_models_page_is_busy (AUSCULTA_MODELS_PAGE (page)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ausculta_models_page_is_busy (AUSCULTA_MODELS_PAGE (page)));
  ausculta_test_wait_ms (100);
}

static GObject *
child_of (GtkWidget  *page,
          const char *name)
{
  return gtk_widget_get_template_child (page, AUSCULTA_TYPE_MODELS_PAGE, name);
}

/* What the core reports for the same training settings and test rows. */
static AuscultaValidationReport *
core_report (const char         *csv,
             const char * const *settings)
{
  const char *paths[] = { csv, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaDataset) data = ausculta_dataset_load_csv (paths, &error);
  g_autoptr(AuscultaModel) model = NULL;
  AuscultaValidationReport *report;

  g_assert_no_error (error);
  model = ausculta_model_train (data, settings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  report = ausculta_validate_model (model, NULL, data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return report;
}

static char *
find_model_id (const char *version)
{
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open_default (NULL);
  g_autoptr(GPtrArray) models = ausculta_archive_list_models (archive, NULL);

  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      AuscultaModelInfo *info = g_ptr_array_index (models, i);

      if (g_str_equal (info->version, version))
        return g_strdup (info->id);
    }
  return NULL;
}

static void
check_slider (AuscultaValidationView *view)
{
  GtkRange *scale = GTK_RANGE (ausculta_test_find_descendant (GTK_WIDGET (view), GTK_TYPE_SCALE));
  AuscultaRate strict_escape, strict_frr, lax_escape, lax_frr;

  g_assert_nonnull (scale);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (scale)));
  gtk_range_set_value (scale, 0.05);
  strict_escape = ausculta_validation_view_get_escape_rate (view);
  strict_frr = ausculta_validation_view_get_false_reject_rate (view);
  gtk_range_set_value (scale, 0.95);
  lax_escape = ausculta_validation_view_get_escape_rate (view);
  lax_frr = ausculta_validation_view_get_false_reject_rate (view);
  g_test_message ("slider 0.05: escape %.3f, false rejects %.3f; 0.95: escape %.3f, false rejects %.3f",
                  strict_escape.value, strict_frr.value, lax_escape.value, lax_frr.value);
  /* A higher threshold lets more bad units through and rejects fewer good ones. */
  g_assert_cmpfloat (lax_escape.value, >, strict_escape.value);
  g_assert_cmpfloat (lax_frr.value, <, strict_frr.value);
}

static void
test_train (void)
{
  const char *extra[] = { "folds=2", "repeats=1", NULL };
  const char *settings[] = { "detector=knn", "folds=2", "repeats=1", NULL };
  g_autofree char *csv = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed",
                                           "DATASET_VALIDATION_dev.csv", NULL);
  g_autofree char *bad = g_build_filename (g_get_tmp_dir (), "not-a-table.csv", NULL);
  g_autofree char *candidate_id = NULL;
  g_autoptr(AuscultaValidationReport) expected = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree char *demo_id = prepare_archive ();
  GtkWidget *window, *page;
  AuscultaValidationView *view;
  AuscultaRate escape, frr;
  double threshold;

  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = ausculta_main_window_get_page (AUSCULTA_MAIN_WINDOW (window), "models");
  view = AUSCULTA_VALIDATION_VIEW (child_of (page, "candidate_view"));
  gtk_widget_activate_action (window, "win.show-page", "s", "models");

  /* An inspector sees no training, and the core refuses it anyway. */
  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), "bob");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "candidate_group"))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child_of (page, "train_button"))));
  ausculta_models_page_train (AUSCULTA_MODELS_PAGE (page), extra);
  wait_idle (page, 60);
  g_assert_nonnull (strstr (status_of (page), "bob"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "report_box"))));

  /* A bad file: its one-line message. */
  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), "carol");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "candidate_group"))));
  g_assert_true (g_file_set_contents (bad, "this is\nnot a table\n", -1, NULL));
  ausculta_models_page_import (AUSCULTA_MODELS_PAGE (page), bad);
  wait_idle (page, 60);
  g_test_message ("bad file: %s", status_of (page));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (child_of (page, "status_label")), "error"));
  g_assert_null (strchr (status_of (page), '\n'));
  g_assert_nonnull (strstr (status_of (page), "not-a-table.csv"));

  /* The demo model in production, to compare with. */
  decide (page, "carol", demo_id, TRUE, "carol password");
  g_assert_true (has_production ());

  /* The seed validation file, then a candidate trained on it. */
  ausculta_models_page_import (AUSCULTA_MODELS_PAGE (page), csv);
  wait_idle (page, 120);
  g_test_message ("import: %s", status_of (page));
  g_assert_nonnull (strstr (status_of (page), "650 rows read"));
  /* Cancel stops a training at once. */
  ausculta_models_page_train (AUSCULTA_MODELS_PAGE (page), extra);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "cancel_button"))));
  gtk_widget_activate_action (page, "models.cancel", NULL);
  wait_idle (page, 60);
  g_assert_cmpstr (status_of (page), ==, "Training cancelled");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "report_box"))));

  ausculta_models_page_train (AUSCULTA_MODELS_PAGE (page), extra);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "progress_bar"))));
  wait_idle (page, 300);
  g_test_message ("train: %s", status_of (page));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child_of (page, "report_box"))));

  /* The numbers are the core's for the same data. */
  expected = core_report (csv, settings);
  escape = ausculta_validation_view_get_escape_rate (view);
  frr = ausculta_validation_view_get_false_reject_rate (view);
  g_test_message ("escape %u/%u, false rejects %u/%u (core: %u/%u, %u/%u)", escape.successes, escape.trials,
                  frr.successes, frr.trials, expected->escape_rate.successes, expected->escape_rate.trials,
                  expected->false_reject_rate.successes, expected->false_reject_rate.trials);
  g_assert_cmpuint (escape.successes, ==, expected->escape_rate.successes);
  g_assert_cmpuint (escape.trials, ==, expected->escape_rate.trials);
  g_assert_cmpuint (frr.successes, ==, expected->false_reject_rate.successes);
  g_assert_cmpuint (frr.trials, ==, expected->false_reject_rate.trials);
  g_assert_cmpfloat_with_epsilon (escape.high, expected->escape_rate.high, 1e-12);
  threshold = ausculta_validation_view_get_threshold (view);
  g_assert_cmpfloat (threshold, ==, expected->threshold);
  ausculta_test_wait_ms (300);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "models-report-light");

  /* The slider shows the trade-off live. */
  check_slider (view);
  ausculta_validation_view_set_threshold (view, threshold);

  /* Added to the archive, then approved with the password. */
  gtk_widget_activate_action (page, "models.add-candidate", NULL);
  wait_idle (page, 60);
  g_test_message ("add: %s", status_of (page));
  candidate_id = find_model_id (expected->model_version);
  g_assert_nonnull (candidate_id);
  decide (page, "carol", candidate_id, TRUE, "carol password");
  g_assert_true (g_str_has_suffix (status_of (page), "now decides the inspections"));
  {
    g_autoptr(AuscultaArchive) archive = ausculta_archive_open_default (NULL);
    g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, NULL);

    g_assert_cmpstr (info->id, ==, candidate_id);
    g_assert_cmpstr (info->approved_by, ==, "carol");
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "models-report-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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

  g_test_add_func ("/ausculta/gui/models/approve-and-roll-back", test_models);
  g_test_add_func ("/ausculta/gui/models/import-train-approve", test_train);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
