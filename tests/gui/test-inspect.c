/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-inspect"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ausculta-application.h"
#include "ausculta-archive.h"
#include "ausculta-data-paths.h"
#include "ausculta-gui-test.h"
#include "ausculta-inspect-page.h"
#include "ausculta-live-view.h"
#include "ausculta-login-bar.h"
#include "ausculta-main-window.h"
#include "ausculta-plot-view.h"
#include "ausculta-verdict-banner.h"

/* The Inspect page as an inspector uses it, in-process: log in with a PIN,
 * scan a serial, press Enter, watch the live views, read the verdict. The
 * bench is the simulated motor through the real inspection cycle, with a
 * copy of the default profile whose runs last one second. */

static AuscultaApplication *the_app;

static GtkWidget *
child (GtkWidget  *page,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (page, AUSCULTA_TYPE_INSPECT_PAGE, name);

  /* The login widgets are the login bar's. */
  if (object == NULL)
    object = gtk_widget_get_template_child (GTK_WIDGET (gtk_widget_get_template_child (page, AUSCULTA_TYPE_INSPECT_PAGE, "login_bar")),
                                            AUSCULTA_TYPE_LOGIN_BAR, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static gboolean
wait_until (gboolean (*done) (GtkWidget *), GtkWidget *page, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!done (page) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return done (page);
}

static gboolean
login_answered (GtkWidget *page)
{
  return gtk_widget_get_sensitive (child (page, "login_button"));
}

static gboolean
cycle_over (GtkWidget *page)
{
  AuscultaInspection *inspection = ausculta_inspect_page_get_inspection (AUSCULTA_INSPECT_PAGE (page));

  return !ausculta_inspection_is_running (inspection)
         && ausculta_verdict_banner_get_state (AUSCULTA_VERDICT_BANNER (child (page, "banner")))
            != AUSCULTA_BANNER_RUNNING;
}

static void
log_in (GtkWidget  *page,
        const char *user,
        const char *secret)
{
  gtk_editable_set_text (GTK_EDITABLE (child (page, "user_entry")), user);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "secret_entry")), secret);
  g_signal_emit_by_name (child (page, "secret_entry"), "activate");
  g_assert_true (wait_until (login_answered, page, 30));
}

/* A profile like the default one, with one-second runs. */
static char *
write_short_profile (void)
{
  g_autofree char *source = ausculta_data_path ("profiles/default.ini");
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_data_dir (), "short.ini", NULL);

  g_key_file_load_from_file (keys, source, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_key_file_set_double (keys, "run down", "duration", 1.0);
  g_key_file_set_double (keys, "run up", "duration", 1.0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_key_file_save_to_file (keys, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
add_users (void)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;

  archive = ausculta_archive_open_default (&error);
  g_assert_no_error (error);
  ausculta_archive_add_user (archive, NULL, "alice", "Alice Admin", AUSCULTA_ROLE_ADMIN,
                             "correct horse battery", "1234", &error);
  g_assert_no_error (error);
  ausculta_archive_add_user (archive, "alice", "bob", "Bob Inspector", AUSCULTA_ROLE_INSPECTOR,
                             "bob's long password", "4321", &error);
  g_assert_no_error (error);
}

static gboolean
live_views_shown (GtkWidget *page)
{
  return ausculta_live_view_get_n_spectra (AUSCULTA_LIVE_VIEW (child (page, "first_view"))) > 0
         && ausculta_live_view_get_n_spectra (AUSCULTA_LIVE_VIEW (child (page, "second_view"))) > 0;
}

static gboolean
sync_badge_shown (GtkWidget *page)
{
  return gtk_widget_get_visible (child (page, "sync_label"))
         && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (child (page, "sync_label"))), "Offline");
}

static const AuscultaBannerState expected_banner[] = {
  [AUSCULTA_VERDICT_NONE] = AUSCULTA_BANNER_UNDECIDED,
  [AUSCULTA_VERDICT_OK] = AUSCULTA_BANNER_OK,
  [AUSCULTA_VERDICT_NOK] = AUSCULTA_BANNER_NOK,
  [AUSCULTA_VERDICT_REPEAT] = AUSCULTA_BANNER_REPEAT,
};

static void
test_inspect (void)
{
  AuscultaMainWindow *window;
  GtkWidget *page;
  AuscultaMeasurement *measurement;
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(AuscultaMeasurement) archived = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = write_short_profile ();

  /* Isolated folders exist inside a test case only. */
  g_setenv ("AUSCULTA_PROFILE", profile, TRUE);
  add_users ();
  g_application_activate (G_APPLICATION (the_app));
  window = AUSCULTA_MAIN_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), AUSCULTA_TYPE_MAIN_WINDOW,
                                                    "inspect_page"));
  ausculta_test_wait_ms (300);

  /* Users exist: nobody may start before logging in. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "login_stack"))), ==, "login");
  g_assert_false (gtk_widget_get_sensitive (child (page, "start_button")));

  log_in (page, "bob", "0000");
  g_assert_true (gtk_widget_get_visible (child (page, "login_error_label")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "login_stack"))), ==, "login");
  g_assert_null (ausculta_inspect_page_get_operator (AUSCULTA_INSPECT_PAGE (page)));

  log_in (page, "bob", "4321");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "login_stack"))), ==, "user");
  g_assert_cmpstr (ausculta_inspect_page_get_operator (AUSCULTA_INSPECT_PAGE (page)), ==, "bob");
  g_assert_true (gtk_widget_get_sensitive (child (page, "start_button")));
  /* Ready for the scanner. */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == child (page, "serial_entry")
                 || gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                            child (page, "serial_entry")));

  /* A scanner types the serial and Enter. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, "serial_entry")), "SN-0001");
  g_signal_emit_by_name (child (page, "serial_entry"), "activate");
  g_assert_cmpint (ausculta_verdict_banner_get_state (AUSCULTA_VERDICT_BANNER (child (page, "banner"))),
                   ==, AUSCULTA_BANNER_RUNNING);
  /* During the run the page holds the focus: no text cursor is drawn at
   * every live frame, and a second scan types nowhere. */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == page);
  g_assert_true (wait_until (cycle_over, page, 90));

  /* The live views show the worker threads' spectra at the next frame
   * clock ticks (a loaded machine may paint the last ones after the cycle). */
  g_assert_true (wait_until (live_views_shown, page, 5));
  {
    AuscultaLiveStats stats;

    /* Frames were painted, each a short time after its block was captured. */
    ausculta_live_view_get_stats (AUSCULTA_LIVE_VIEW (child (page, "first_view")), &stats);
    g_test_message ("live: %" G_GUINT64_FORMAT " frames painted, %" G_GUINT64_FORMAT
                    " blocks skipped, latency mean %.1f ms max %.1f ms", stats.n_frames_painted,
                    stats.n_blocks_skipped, stats.latency_sum_ms / MAX (stats.n_frames_painted, 1),
                    stats.latency_max_ms);
    g_assert_cmpuint (stats.n_frames_painted, >, 0);
    /* Every block reached the views' worker, however busy the main thread. */
    g_assert_cmpuint (stats.n_blocks_skipped, ==, 0);
    g_assert_cmpfloat (stats.latency_max_ms, >, 0.0);
    g_assert_cmpfloat (stats.latency_max_ms, <, 5000.0);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "serial_entry"))), ==, "");
  /* Ready for the next scan. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), child (page, "serial_entry")));

  measurement = ausculta_inspection_get_measurement (ausculta_inspect_page_get_inspection (AUSCULTA_INSPECT_PAGE (page)));
  g_assert_nonnull (measurement);
  /* The banner shows the cycle's verdict (none without a model), and the
   * shift counters count it. */
  g_assert_cmpint (ausculta_verdict_banner_get_state (AUSCULTA_VERDICT_BANNER (child (page, "banner"))),
                   ==, expected_banner[measurement->verdict]);
  g_assert_cmpuint (ausculta_inspect_page_get_count (AUSCULTA_INSPECT_PAGE (page), measurement->verdict), ==, 1);
  if (measurement->model_version != NULL)
    {
      g_autofree char *model_text = g_strdup_printf ("Model %s", measurement->model_version);

      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (child (page, "banner"),
                                                                                       AUSCULTA_TYPE_VERDICT_BANNER,
                                                                                       "model_label"))),
                       ==, model_text);
    }
  /* Bands are named as reasons for a rejection only: on an OK they would
   * read as faults. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                   child (page, "banner"), AUSCULTA_TYPE_VERDICT_BANNER, "reasons_label")))
                 == (measurement->verdict == AUSCULTA_VERDICT_NOK));
  archive = ausculta_archive_open_default (&error);
  g_assert_no_error (error);
  archived = ausculta_archive_load_measurement (archive, measurement->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (archived->serial, ==, "SN-0001");
  g_assert_cmpstr (archived->operator_name, ==, "bob");
  /* The badge counts the measurement waiting for the plant database (in a
   * worker: a million-row outbox takes a while to count). */
  g_assert_true (wait_until (sync_badge_shown, page, 10));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "sync_label"))), ==, "Offline · 1 queued");

  /* The inspector confirms an OK/NOK verdict: the measurement is labelled
   * accordingly, by them. */
  if (measurement->verdict == AUSCULTA_VERDICT_OK || measurement->verdict == AUSCULTA_VERDICT_NOK)
    {
      g_autoptr(GPtrArray) labels = NULL;
      AuscultaLabel *label;

      g_assert_true (gtk_widget_get_visible (child (page, "review_box")));
      gtk_widget_activate_action (page, "inspect.confirm", NULL);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "status_label"))), ==, "Verdict confirmed");
      labels = ausculta_archive_get_label_history (archive, measurement->id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (labels->len, ==, 1);
      label = g_ptr_array_index (labels, 0);
      g_assert_cmpint (label->label, ==, measurement->verdict == AUSCULTA_VERDICT_OK ? AUSCULTA_LABEL_OK
                                                                                     : AUSCULTA_LABEL_NG);
      g_assert_cmpstr (label->user_name, ==, "bob");
      g_assert_false (gtk_widget_get_visible (child (page, "review_box")));
    }

  ausculta_test_wait_ms (300);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "inspect-after-run-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_clear_object (&shot);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "inspect-after-run-dark");

  /* Switching user needs the PIN again. */
  gtk_widget_activate_action (child (page, "login_bar"), "login.switch-user", NULL);
  g_assert_null (ausculta_inspect_page_get_operator (AUSCULTA_INSPECT_PAGE (page)));
  g_assert_false (gtk_widget_get_sensitive (child (page, "start_button")));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* @text with @from, found once, replaced by @to. */
static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoinv (to, parts);
}

static const char *
view_title (GtkWidget  *page,
            const char *view,
            const char *plot)
{
  GObject *widget = gtk_widget_get_template_child (child (page, view), AUSCULTA_TYPE_LIVE_VIEW, plot);

  return ausculta_plot_view_get_title (AUSCULTA_PLOT_VIEW (widget));
}

/* A profile chosen (or calibrated) in Preferences while the page shows
 * another one: the live views name its channels from the next motor on. */
static void
test_profile_names_views (void)
{
  g_autofree char *path = write_short_profile ();
  g_autofree char *text = NULL;
  g_autofree char *renamed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = NULL;
  AuscultaInspection *inspection;
  GtkWidget *window, *page;

  g_setenv ("AUSCULTA_PROFILE", path, TRUE);
  g_application_activate (G_APPLICATION (the_app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  page = GTK_WIDGET (gtk_widget_get_template_child (window, AUSCULTA_TYPE_MAIN_WINDOW, "inspect_page"));
  inspection = ausculta_inspect_page_get_inspection (AUSCULTA_INSPECT_PAGE (page));
  g_assert_cmpstr (view_title (page, "first_view", "spectrum_view"), ==, "AC spectrum");

  /* The same bench with its microphone channel called "mic". */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  renamed = replace_once (text, "[channel AC]", "[channel mic]");
  g_free (text);
  text = replace_once (renamed, "channels=AC;vib", "channels=mic;vib");
  g_free (renamed);
  /* The historical column names are the AC channel's. */
  renamed = replace_once (text, "naming=historical", "naming=generated");
  g_free (text);
  text = g_steal_pointer (&renamed);
  profile = ausculta_profile_load_from_data (text, -1, "renamed.ini", &error);
  g_assert_no_error (error);
  ausculta_inspection_set_profile (inspection, profile);
  g_assert_cmpstr (view_title (page, "first_view", "spectrum_view"), ==, "AC spectrum");

  gtk_editable_set_text (GTK_EDITABLE (child (page, "serial_entry")), "SN-RENAMED");
  g_signal_emit_by_name (child (page, "serial_entry"), "activate");
  g_assert_cmpstr (view_title (page, "first_view", "spectrum_view"), ==, "mic spectrum");
  g_assert_cmpstr (view_title (page, "first_view", "spectrogram_view"), ==, "mic spectrogram");
  g_assert_cmpstr (view_title (page, "second_view", "bands_view"), ==, "vib third octaves");
  g_assert_true (wait_until (cycle_over, page, 90));
  g_test_message ("first feature: %s", ausculta_inspection_get_measurement (inspection)->feature_names[0]);
  g_assert_nonnull (strstr (ausculta_inspection_get_measurement (inspection)->feature_names[0], "mic"));
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

  g_test_add_func ("/ausculta/gui/inspect/login-scan-run", test_inspect);
  g_test_add_func ("/ausculta/gui/inspect/profile-names-views", test_profile_names_views);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
