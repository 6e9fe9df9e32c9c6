/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-preferences"

#include "config.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-bench.h"
#include "ausculta-calibration-dialog.h"
#include "ausculta-credentials.h"
#include "ausculta-gui-test.h"
#include "ausculta-inspect-page.h"
#include "ausculta-level-meter.h"
#include "ausculta-preferences-window.h"
#include "ausculta-sync-config.h"
#include "ausculta-sync-status.h"

static const char *page_names[] = { "station", "capture", "calibration", "sync", "users" };

/* The first widget under @widget of @type whose title (a preferences row)
 * or label (a button) is @text; any of that type when @text is NULL. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      const char *title = ADW_IS_PREFERENCES_ROW (widget)
                          ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))
                          : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

      if (text == NULL || g_strcmp0 (title, text) == 0)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_into (AuscultaPreferencesWindow *window,
           GType                      type,
           const char                *title,
           const char                *text)
{
  GtkWidget *row = find_widget (GTK_WIDGET (window), type, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
click (AuscultaPreferencesWindow *window,
       const char                *label)
{
  GtkWidget *button = find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static AuscultaArchive *
open_archive_with_users (void)
{
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = ausculta_archive_open_default (&error);
  GPtrArray *users;

  g_assert_no_error (error);
  users = ausculta_archive_list_users (archive, NULL);
  if (users != NULL && users->len == 0)
    {
      ausculta_archive_add_user (archive, NULL, "alice", "Alice Admin", AUSCULTA_ROLE_ADMIN,
                                 "alice password", NULL, &error);
      g_assert_no_error (error);
      ausculta_archive_add_user (archive, "alice", "bob", "Bob Inspector", AUSCULTA_ROLE_INSPECTOR,
                                 "bob password", "1234", &error);
      g_assert_no_error (error);
    }
  g_clear_pointer (&users, g_ptr_array_unref);
  return archive;
}

static AuscultaUser *
find_user (AuscultaArchive *archive,
           const char      *name)
{
  g_autoptr(GPtrArray) users = ausculta_archive_list_users (archive, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      AuscultaUser *user = users->pdata[i];

      if (g_strcmp0 (user->name, name) == 0)
        {
          AuscultaUser *copy = g_new0 (AuscultaUser, 1);

          copy->name = g_strdup (user->name);
          copy->full_name = g_strdup (user->full_name);
          copy->role = user->role;
          copy->disabled = user->disabled;
          return copy;
        }
    }
  return NULL;
}

/* Every page opens, light and dark; the simulator's inputs move the meters. */
static void
test_pages (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  AuscultaPreferencesWindow *window = ausculta_preferences_window_new (NULL, NULL, archive);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *meter;

  gtk_window_present (GTK_WINDOW (window));
  ausculta_test_wait_ms (1200);
  meter = find_widget (GTK_WIDGET (window), AUSCULTA_TYPE_LEVEL_METER, NULL);
  g_assert_nonnull (meter);
  g_test_message ("input 1 peak %.1f dBFS", ausculta_level_meter_get_level (AUSCULTA_LEVEL_METER (meter)));
  g_assert_cmpfloat (ausculta_level_meter_get_level (AUSCULTA_LEVEL_METER (meter)), >, AUSCULTA_LEVEL_METER_FLOOR_DB);
  g_assert_nonnull (find_widget (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON, NULL));
  for (int dark = 0; dark <= 1; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (gsize i = 0; i < G_N_ELEMENTS (page_names); i++)
        {
          g_autoptr(GdkTexture) shot = NULL;
          g_autofree char *name = g_strdup_printf ("preferences-%s-%s", page_names[i],
                                                   dark ? "dark" : "light");
          double luminance;

          adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), page_names[i]);
          ausculta_test_wait_ms (250);
          g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (window)),
                           ==, page_names[i]);
          shot = ausculta_test_render (GTK_WIDGET (window));
          ausculta_test_save_shot (shot, name);
          luminance = ausculta_test_mean_luminance (shot, 0, 0, gdk_texture_get_width (shot),
                                                    gdk_texture_get_height (shot));
          g_assert_cmpfloat (dark ? luminance : 1.0 - luminance, <, 0.5);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
  ausculta_test_wait_ms (100);
}

static void
wait_for_toast (AuscultaPreferencesWindow *window)
{
  for (int i = 0; i < 100 && ausculta_preferences_window_get_last_toast (window) == NULL; i++)
    ausculta_test_wait_ms (50);
  g_assert_nonnull (ausculta_preferences_window_get_last_toast (window));
}

static AuscultaPreferencesWindow *
add_user_as (AuscultaArchive *archive,
             const char      *actor,
             const char      *name)
{
  AuscultaPreferencesWindow *window = ausculta_preferences_window_new (NULL, NULL, archive);

  ausculta_preferences_window_set_actor (window, actor);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "users");
  type_into (window, ADW_TYPE_ENTRY_ROW, "Login Name", name);
  type_into (window, ADW_TYPE_ENTRY_ROW, "Full Name", "Dave Engineer");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Role")), 1);
  type_into (window, ADW_TYPE_PASSWORD_ENTRY_ROW, "Password", "dave password");
  click (window, "_Add User");
  wait_for_toast (window);
  return window;
}

/* An admin adds a user through the form: the archive has them, the list shows them. */
static void
test_add_user (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  AuscultaPreferencesWindow *window = add_user_as (archive, "alice", "dave");
  g_autoptr(AuscultaUser) dave = find_user (archive, "dave");
  g_autoptr(GdkTexture) shot = NULL;

  g_assert_cmpstr (ausculta_preferences_window_get_last_toast (window), ==, "dave added");
  g_assert_nonnull (dave);
  g_assert_cmpstr (dave->full_name, ==, "Dave Engineer");
  g_assert_cmpint (dave->role, ==, AUSCULTA_ROLE_ENGINEER);
  g_assert_nonnull (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Dave Engineer"));
  ausculta_test_wait_ms (200);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "preferences-user-added");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An inspector's attempt is refused by the core, and the toast says why. */
static void
test_inspector_refused (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  AuscultaPreferencesWindow *window = add_user_as (archive, "bob", "eve");
  g_autoptr(AuscultaUser) eve = find_user (archive, "eve");
  const char *toast = ausculta_preferences_window_get_last_toast (window);

  g_test_message ("toast: %s", toast);
  g_assert_null (eve);
  g_assert_nonnull (strstr (toast, "refused"));
  g_assert_nonnull (strstr (toast, "“bob” is inspector"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* No sync.ini: the badge says so. Saved endpoints reach sync.ini, the
 * password reaches the credential store and is not shown back. */
static void
test_sync (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  AuscultaPreferencesWindow *window = NULL;
  AuscultaSyncMonitor *monitor;
  g_autoptr(AuscultaSyncConfig) config = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *account = NULL;
  GtkWidget *password, *status_row;

  ausculta_sync_monitor_start_default (archive);
  monitor = ausculta_sync_monitor_get_default ();
  g_assert_cmpstr (ausculta_sync_monitor_get_summary (monitor), ==, "offline: no sync configured");
  g_assert_false (ausculta_sync_monitor_get_configured (monitor));

  window = ausculta_preferences_window_new (NULL, NULL, archive);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sync");
  type_into (window, ADW_TYPE_ENTRY_ROW, "MongoDB URI (without password)",
             "mongodb://bench@127.0.0.1:9/?serverSelectionTimeoutMS=200");
  password = find_widget (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW, "MongoDB Password");
  gtk_editable_set_text (GTK_EDITABLE (password), "s3cret");
  click (window, "_Save");
  wait_for_toast (window);
  g_assert_cmpstr (ausculta_preferences_window_get_last_toast (window), ==, "Synchronisation settings saved");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");

  config = ausculta_sync_config_load (NULL, NULL);
  g_assert_nonnull (config);
  g_assert_cmpstr (config->mongo_uri, ==, "mongodb://bench@127.0.0.1:9/?serverSelectionTimeoutMS=200");
  g_assert_cmpstr (config->mongo_database, ==, "production");
  account = ausculta_sync_config_account (config, "mongodb");
  secret = ausculta_credentials_lookup ("mongodb", account, NULL);
  g_assert_cmpstr (secret, ==, "s3cret");
  g_assert_true (ausculta_sync_monitor_get_configured (monitor));
  g_test_message ("summary: %s", ausculta_sync_monitor_get_summary (monitor));
  g_assert_null (strstr (ausculta_sync_monitor_get_summary (monitor), "no sync configured"));
  /* nothing listens on port 9: the test says so, in the status line */
  status_row = find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Status");
  click (window, "_Test Connection");
  for (int i = 0; i < 200 && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)), "Testing…") == 0; i++)
    ausculta_test_wait_ms (50);
  g_test_message ("test connection: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)), "MongoDB: "));
  ausculta_sync_monitor_stop (monitor);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The simulated motor is no calibrator: its capture is refused with a reason. */
static void
test_calibration_refused (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  AuscultaPreferencesWindow *window = ausculta_preferences_window_new (NULL, NULL, archive);
  AuscultaCalibrationDialog *dialog = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  const char *text;

  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "calibration");
  ausculta_test_wait_ms (800);
  click (window, "_Calibrate…");
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (AUSCULTA_IS_CALIBRATION_DIALOG (toplevel))
        dialog = AUSCULTA_CALIBRATION_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  ausculta_calibration_dialog_capture (dialog);
  for (int i = 0; i < 150 && g_str_has_suffix (ausculta_calibration_dialog_get_result_text (dialog), "…"); i++)
    ausculta_test_wait_ms (50);
  text = ausculta_calibration_dialog_get_result_text (dialog);
  g_test_message ("calibration: %s", text);
  g_assert_true (g_str_has_prefix (text, "Refused: calibrator"));
  ausculta_test_wait_ms (300);
  g_test_message ("dialog mapped %d, %dx%d", gtk_widget_get_mapped (GTK_WIDGET (dialog)),
                  gtk_widget_get_width (GTK_WIDGET (dialog)), gtk_widget_get_height (GTK_WIDGET (dialog)));
  shot = ausculta_test_render (GTK_WIDGET (dialog));
  ausculta_test_save_shot (shot, "preferences-calibration-refused");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static AdwActionRow *
open_input_row (AuscultaPreferencesWindow *window,
                GtkSpinButton            **spin)
{
  AdwActionRow *row;

  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "calibration");
  ausculta_test_wait_ms (800);
  row = ADW_ACTION_ROW (find_widget (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Input 1"));
  g_assert_nonnull (row);
  *spin = GTK_SPIN_BUTTON (find_widget (GTK_WIDGET (row), GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (*spin);
  return row;
}

/* A sensitivity saved in Preferences is kept in bench.ini and is the one
 * the next inspection measures with; the row says which one is in use. */
static void
test_calibration_applied (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  g_autoptr(AuscultaArchive) bench_archive = NULL;
  g_autoptr(AuscultaInspection) inspection = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GKeyFile) bench = g_key_file_new ();
  g_autofree char *bench_path = g_build_filename (g_get_user_config_dir (), "ausculta", "bench.ini", NULL);
  AuscultaPreferencesWindow *window = ausculta_preferences_window_new (NULL, NULL, archive);
  const AuscultaProfileChannel *channel;
  GtkSpinButton *spin;
  AdwActionRow *row = open_input_row (window, &spin);

  /* The default profile's microphone: 50 mV/Pa on input 1. */
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "In use: 50.000 mV/Pa");
  gtk_spin_button_set_value (spin, 42.5);
  g_test_message ("after a change: %s", adw_action_row_get_subtitle (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "In use: 50.000 mV/Pa · saved 42.500, used from the next start");
  g_assert_true (g_key_file_load_from_file (bench, bench_path, G_KEY_FILE_NONE, NULL));
  g_assert_cmpfloat_with_epsilon (g_key_file_get_double (bench, "calibration", "input-1", NULL), 42.5, 1e-9);
  gtk_window_destroy (GTK_WINDOW (window));

  inspection = ausculta_bench_new_inspection (&bench_archive, notes);
  g_assert_nonnull (inspection);
  g_assert_cmpuint (notes->len, ==, 0);
  channel = ausculta_profile_find_channel (ausculta_inspection_get_profile (inspection), "AC");
  g_assert_cmpuint (channel->input, ==, 0);
  g_assert_cmpfloat_with_epsilon (channel->sensitivity, 42.5, 1e-9);
  /* The accelerometer keeps the profile's own. */
  channel = ausculta_profile_find_channel (ausculta_inspection_get_profile (inspection), "vib");
  g_assert_cmpfloat_with_epsilon (channel->sensitivity, 10.2, 1e-9);
  g_assert_cmpstr (ausculta_profile_get_name (ausculta_inspection_get_profile (inspection)), ==, "default");

  window = ausculta_preferences_window_new (NULL, NULL, archive);
  row = open_input_row (window, &spin);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 42.5, 1e-9);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "In use: 42.500 mV/Pa");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A recording as the bench's converter writes it (±1 = full scale): a
 * 1 kHz tone on the microphone's input, a motor's 50 Hz and 150 Hz lines
 * on the accelerometer's, over a little noise. */
static char *
write_recording (const char *dir)
{
  char *path = g_build_filename (dir, "motor.wav", NULL);
  SF_INFO info = { .samplerate = 51200, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  gsize n = 51200 * 5 / 2;
  g_autofree float *frames = g_new (float, 2 * n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  SNDFILE *file;

  for (gsize i = 0; i < n; i++)
    {
      double t = i / 51200.0;

      frames[2 * i] = (float) (0.01 * sin (2 * G_PI * 1000.0 * t) + g_rand_double_range (rand, -1e-4, 1e-4));
      frames[2 * i + 1] = (float) (0.02 * sin (2 * G_PI * 50.0 * t) + 0.01 * sin (2 * G_PI * 150.0 * t)
                                   + g_rand_double_range (rand, -1e-4, 1e-4));
    }
  file = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (file);
  g_assert_cmpint (sf_writef_float (file, frames, n), ==, n);
  sf_close (file);
  return path;
}

/* The default profile with runs of 1 s. */
static char *
write_short_profile (const char *dir)
{
  g_autoptr(AuscultaProfile) bundled = ausculta_profile_load ("default", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  char *path = g_build_filename (dir, "short.ini", NULL);

  g_assert_nonnull (bundled);
  g_assert_true (g_key_file_load_from_file (file, ausculta_profile_get_path (bundled), G_KEY_FILE_NONE, NULL));
  g_key_file_set_double (file, "run down", "duration", 1.0);
  g_key_file_set_double (file, "run up", "duration", 1.0);
  g_assert_true (g_key_file_save_to_file (file, path, NULL));
  return path;
}

static double
inspect_level (AuscultaInspection *inspection,
               const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) measurement = NULL;

  ausculta_inspection_set_serial (inspection, "SN-CAL");
  measurement = ausculta_inspection_run (inspection, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < measurement->n_features; i++)
    if (g_str_equal (measurement->feature_names[i], name))
      return measurement->features[i];
  g_assert_not_reached ();
}

/* With the app's inspection open, a sensitivity typed in Preferences is
 * the one the very next inspection measures with: twice the mV/Pa, the
 * 1 kHz band 6.02 dB lower. */
static void
test_calibration_live (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive_with_users ();
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "bench", NULL);
  g_autofree char *wav = NULL, *profile = NULL, *spec = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  AuscultaInspectPage *page;
  AuscultaInspection *inspection;
  AuscultaPreferencesWindow *window;
  GtkSpinButton *spin;
  AdwActionRow *row;
  double before, after;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  wav = write_recording (dir);
  profile = write_short_profile (dir);
  spec = g_strconcat ("file:", wav, NULL);
  g_setenv ("AUSCULTA_SOURCE", spec, TRUE);
  g_setenv ("AUSCULTA_SOURCE_PACE", "fast", TRUE);
  g_setenv ("AUSCULTA_PROFILE", profile, TRUE);
  page = g_object_new (AUSCULTA_TYPE_INSPECT_PAGE, NULL);
  gtk_window_set_child (parent, GTK_WIDGET (page));
  inspection = ausculta_inspect_page_get_inspection (page);
  g_assert_nonnull (inspection);
  before = inspect_level (inspection, "G2_AC_down");

  window = ausculta_preferences_window_new (parent, NULL, archive);
  row = open_input_row (window, &spin);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "In use: 50.000 mV/Pa");
  gtk_spin_button_set_value (spin, 100.0);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "In use: 100.000 mV/Pa");
  g_assert_cmpfloat (ausculta_profile_find_channel (ausculta_inspection_get_profile (inspection), "AC")->sensitivity,
                     ==, 100.0);
  after = inspect_level (inspection, "G2_AC_down");
  g_test_message ("G2_AC_down: %.3f dB at 50 mV/Pa, %.3f dB at 100 mV/Pa", before, after);
  g_assert_cmpfloat_with_epsilon (after - before, -20.0 * log10 (2.0), 1e-6);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (parent);
  g_unsetenv ("AUSCULTA_SOURCE");
  g_unsetenv ("AUSCULTA_SOURCE_PACE");
  g_unsetenv ("AUSCULTA_PROFILE");
}

int
main (int   argc,
      char *argv[])
{
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

  g_test_add_func ("/ausculta/gui/preferences/pages", test_pages);
  g_test_add_func ("/ausculta/gui/preferences/add-user", test_add_user);
  g_test_add_func ("/ausculta/gui/preferences/inspector-refused", test_inspector_refused);
  g_test_add_func ("/ausculta/gui/preferences/sync", test_sync);
  g_test_add_func ("/ausculta/gui/preferences/calibration-refused", test_calibration_refused);
  g_test_add_func ("/ausculta/gui/preferences/calibration-applied", test_calibration_applied);
  g_test_add_func ("/ausculta/gui/preferences/calibration-live", test_calibration_live);
  return g_test_run ();
}
