/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-upgrade"

#include "config.h"

#include <adwaita.h>

#include "ausculta-archive-private.h"
#include "ausculta-data-paths.h"
#include "ausculta-gui-test.h"
#include "ausculta-main-window.h"

static AuscultaApplication *the_app;

/* The bench's default archive as version 3 left it, with @n measurements. */
static char *
make_v3_default_archive (guint n)
{
  char *path = ausculta_default_archive_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *rows = g_strdup_printf (
    "PRAGMA application_id = %d;"
    "INSERT INTO stations (name, created_at) VALUES ('bench-1', 0);"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    "INSERT INTO measurements (id, serial, station, started_at, verdict)"
    "  SELECT printf ('0190f000-0000-7000-8000-%%012d', i), 'SN-' || i, 'bench-1',"
    "         1767312000000000 + i * 1000000, 1 FROM n;"
    "COMMIT", AUSCULTA_ARCHIVE_APPLICATION_ID, n);
  char *sql_error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL, &sql_error) != SQLITE_OK
      || !ausculta_archive_schema_migrate (db, 0, 3, &sql_error)
      || sqlite3_exec (db, rows, NULL, NULL, &sql_error) != SQLITE_OK)
    g_error ("building a version 3 archive: %s", sql_error);
  sqlite3_close (db);
  g_assert_true (ausculta_archive_needs_upgrade (path));
  return path;
}

/* The label of @widget or of a descendant that reads @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkProgressBar *
find_progress_bar (GtkWidget *widget)
{
  return GTK_PROGRESS_BAR (ausculta_test_find_descendant (widget, GTK_TYPE_PROGRESS_BAR));
}
/* Opening an older archive: a window says it is being upgraded and must
 * not be interrupted, counts the steps, then the main window opens on the
 * upgraded archive. */
static void
test_upgrade_window (void)
{
  g_autofree char *path = make_v3_default_archive (100000);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GtkWindow *window;
  GtkProgressBar *bar;
  AuscultaMainWindow *main_window = NULL;
  g_autoptr(GdkTexture) shot = NULL;

  g_application_activate (G_APPLICATION (the_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (the_app));
  g_assert_nonnull (window);
  g_assert_false (AUSCULTA_IS_MAIN_WINDOW (window));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Upgrading the Archive"));
  g_assert_nonnull (find_label (GTK_WIDGET (window),
                                "Please do not close Ausculta or switch off the PC. "
                                "Interrupting is safe (the archive stays as it was) "
                                "but the upgrade then starts again from the beginning."));
  bar = g_object_ref (find_progress_bar (GTK_WIDGET (window)));
  /* Shown, and some steps done. */
  while ((gtk_widget_get_width (GTK_WIDGET (window)) == 0 || gtk_progress_bar_get_fraction (bar) == 0)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (gtk_widget_get_root (GTK_WIDGET (bar)));
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "upgrade-window");

  while (main_window == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      main_window = AUSCULTA_MAIN_WINDOW (ausculta_test_find_window (AUSCULTA_TYPE_MAIN_WINDOW));
    }
  g_assert_nonnull (main_window);
  g_assert_cmpstr (gtk_progress_bar_get_text (bar), ==, "17 of 17 steps done");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 1.0);
  g_assert_cmpint (ausculta_archive_get_schema_version (ausculta_main_window_get_archive (main_window)),
                   ==, ausculta_archive_get_latest_schema_version ());
  g_assert_false (ausculta_archive_needs_upgrade (path));
  g_object_unref (bar);
  gtk_window_destroy (GTK_WINDOW (main_window));
  ausculta_test_wait_ms (50);
}

/* An upgrade that fails says why, leaves the archive as it was and offers
 * to quit (here a table of another program has the name of an index of
 * version 4). */
static void
test_failure (void)
{
  g_autofree char *path = make_v3_default_archive (100);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GdkTexture) shot = NULL;
  GtkWidget *title = NULL;
  GtkWindow *window;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE measurements_verdict_station (x)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_test_expect_message ("ausculta-application", G_LOG_LEVEL_WARNING,
                         "*cannot upgrade the archive from version 3 to 4*nothing was changed*");
  g_application_activate (G_APPLICATION (the_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (the_app));
  while (title == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      title = find_label (GTK_WIDGET (window), "The Archive Could Not Be Upgraded");
    }
  g_test_assert_expected_messages ();
  g_assert_nonnull (title);
  g_assert_null (ausculta_test_find_window (AUSCULTA_TYPE_MAIN_WINDOW));
  g_assert_true (gtk_widget_get_visible (find_label (GTK_WIDGET (window), "_Quit")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_progress_bar (GTK_WIDGET (window)))));
  g_assert_true (ausculta_archive_needs_upgrade (path));
  ausculta_test_wait_ms (100);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "upgrade-failed");
  gtk_window_destroy (window);
  ausculta_test_wait_ms (50);
}

/* Closing the window stops the upgrade: the archive stays as it was. */
static void
test_close_cancels (void)
{
  g_autofree char *path = make_v3_default_archive (20000);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (the_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (the_app));
  g_assert_false (AUSCULTA_IS_MAIN_WINDOW (window));
  gtk_window_close (window);
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 0);
  g_assert_true (ausculta_archive_needs_upgrade (path));
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

  g_test_add_func ("/ausculta/gui/upgrade/window", test_upgrade_window);
  g_test_add_func ("/ausculta/gui/upgrade/failure", test_failure);
  g_test_add_func ("/ausculta/gui/upgrade/close-cancels", test_close_cancels);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
