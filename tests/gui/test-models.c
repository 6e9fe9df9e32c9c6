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

/* The Models page: a candidate is listed; an inspector is refused approval
 * even through the action, a wrong password is refused, a supervisor with
 * the right password puts the model in production and the next inspection
 * uses it; rolling back takes it out. */

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
  GtkWidget *window, *page, *inspect_page, *list_box;
  AuscultaInspection *inspection;
  GtkWindow *dialog;
  g_autoptr(GdkTexture) shot = NULL;

  model_id = prepare_archive ();
  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = GTK_WIDGET (gtk_widget_get_template_child (window, AUSCULTA_TYPE_MAIN_WINDOW, "models_page"));
  inspect_page = GTK_WIDGET (gtk_widget_get_template_child (window, AUSCULTA_TYPE_MAIN_WINDOW, "inspect_page"));
  inspection = ausculta_inspect_page_get_inspection (AUSCULTA_INSPECT_PAGE (inspect_page));
  gtk_widget_activate_action (window, "win.show-page", "s", "models");
  ausculta_test_wait_ms (300);

  list_box = GTK_WIDGET (gtk_widget_get_template_child (page, AUSCULTA_TYPE_MODELS_PAGE, "list_box"));
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0))),
                   ==, "candidate-7");

  /* The action asks for the password of whoever is logged in. */
  ausculta_models_page_set_user (AUSCULTA_MODELS_PAGE (page), "bob");
  gtk_widget_activate_action (page, "models.approve", "s", model_id);
  ausculta_test_wait_ms (300);
  dialog = ausculta_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  shot = ausculta_test_render (GTK_WIDGET (dialog));
  ausculta_test_save_shot (shot, "models-approve-dialog");
  gtk_window_destroy (dialog);

  /* An inspector with the right password is still refused, by the archive. */
  decide (page, "bob", model_id, TRUE, "bob password");
  g_assert_false (has_production ());
  g_assert_nonnull (strstr (status_of (page), "bob"));
  g_test_message ("inspector refused: %s", status_of (page));

  /* A supervisor with a wrong password is refused. */
  decide (page, "carol", model_id, TRUE, "not carol's");
  g_assert_false (has_production ());

  /* The supervisor approves: the next inspection uses this model. */
  decide (page, "carol", model_id, TRUE, "carol password");
  g_assert_true (has_production ());
  g_assert_true (g_str_has_suffix (status_of (page), "now decides the inspections"));
  g_assert_nonnull (ausculta_inspection_get_model (inspection));
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (window);
  ausculta_test_save_shot (shot, "models-light");

  /* Rolling back the only approved model leaves none in production. */
  decide (page, "carol", model_id, FALSE, "carol password");
  g_assert_false (has_production ());
  g_assert_null (ausculta_inspection_get_model (inspection));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", "/usr/local/share:/usr/share", TRUE);
  g_unsetenv ("AUSCULTA_ARCHIVE");
  ausculta_app_init_i18n ();
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  the_app = ausculta_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, NULL));

  g_test_add_func ("/ausculta/gui/models/approve-and-roll-back", test_models);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
