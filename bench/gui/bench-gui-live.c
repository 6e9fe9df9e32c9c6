/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bench-gui-live"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ausculta-application.h"
#include "ausculta-archive.h"
#include "ausculta-data-paths.h"
#include "ausculta-feature-layout.h"
#include "ausculta-inspect-page.h"
#include "ausculta-live-view.h"
#include "ausculta-main-window.h"

/* Issue 7 item 6, through the real pipeline: the app's window under Xvfb,
 * the simulator paced in real time, 2 channels at 48 kHz, the live views
 * (16384-point spectrum, third octaves, spectrogram, waveform) during the
 * capture of a motor (two RUN_S-second runs), the second after launch (the
 * first is measured too, see measure_live()). Measures the paints per second that
 * showed a new live frame of both channels (and, as a detail, all the
 * frame clock's paints), the process's CPU share (getrusage over the capture /
 * wall time), the capture-to-pixel latency (a block's capture time to the
 * end of the paint that first shows it) and, in a fresh process, the time
 * from launch to the window's first painted frame with the 1,000,000
 * measurement archive of bench/archive. */
#define RUN_S        5
#define BIG_ARCHIVE  "/tmp/ausculta-archive-bench/1m.sqlite"
#define SMALL_N      20000

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds per thread name, from /proc (10 ms resolution); threads that
 * ended meanwhile are not counted. */
static GHashTable *
thread_cpu_seconds (void)
{
  GHashTable *by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;
      const char *open, *close;
      unsigned long utime, stime;
      double *seconds;

      if (!g_file_get_contents (path, &text, NULL, NULL)
          || (open = strchr (text, '(')) == NULL || (close = strrchr (text, ')')) == NULL
          || sscanf (close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        continue;
      name = g_strndup (open + 1, close - open - 1);
      if ((seconds = g_hash_table_lookup (by_name, name)) == NULL)
        g_hash_table_insert (by_name, g_strdup (name), seconds = g_new0 (double, 1));
      *seconds += (double) (utime + stime) / sysconf (_SC_CLK_TCK);
    }
  return by_name;
}

static char *
describe_thread_cpu (GHashTable *before,
                     GHashTable *after,
                     double      wall_s)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer name, seconds;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &name, &seconds))
    {
      double *start = g_hash_table_lookup (before, name);
      double used = *(double *) seconds - (start != NULL ? *start : 0.0);

      if (used >= 0.01)
        g_string_append_printf (text, "%s%s %.1f %%", text->len > 0 ? ", " : "", (char *) name,
                                100.0 * used / wall_s);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
page_child (GtkWidget  *page,
            const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (page, AUSCULTA_TYPE_INSPECT_PAGE, name));
}

static void
on_first_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  if (!*painted)
    printf ("first-frame %" G_GINT64_FORMAT " cpu %.0f\n", g_get_monotonic_time (),
            cpu_seconds () * 1000.0);
  *painted = TRUE;
}

/* The child: start the app, print the monotonic time of the window's
 * first painted frame, leave. */
static int
first_frame (void)
{
  g_autoptr(AuscultaApplication) app = NULL;
  GtkWindow *window;
  gboolean painted = FALSE;

  ausculta_app_init_i18n ();
  ausculta_app_init_display ();
  gtk_init ();
  adw_init ();
  app = ausculta_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_first_paint), &painted);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  fflush (stdout);
  gtk_window_destroy (window);
  return 0;
}

/* A smaller archive when bench/archive has not made the big one. */
static void
generate_archive (const char *path)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *zeros = g_new0 (double, AUSCULTA_HISTORICAL_N_FEATURES);

  archive = ausculta_archive_open (path, &error);
  if (archive == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < SMALL_N; i += 100)
    {
      AuscultaMeasurement *batch[100];

      for (guint b = 0; b < 100; b++)
        {
          batch[b] = ausculta_measurement_new ();
          batch[b]->serial = g_strdup_printf ("SN-%07u", i + b);
          batch[b]->profile_name = g_strdup ("default");
          batch[b]->verdict = (i + b) % 7 == 0 ? AUSCULTA_VERDICT_NOK : AUSCULTA_VERDICT_OK;
          ausculta_measurement_set_features (batch[b], ausculta_feature_layout_historical (), zeros,
                                             AUSCULTA_HISTORICAL_N_FEATURES);
        }
      if (!ausculta_archive_insert_measurements (archive, batch, 100, &error))
        g_error ("%s", error->message);
      for (guint b = 0; b < 100; b++)
        ausculta_measurement_unref (batch[b]);
    }
}

/* Launch to first frame, in ms: the best of three launches (the first one
 * also reported, cold caches), and the least CPU time one of them took to
 * get there (what a loaded machine does not inflate much). */
static double
measure_first_frame (const char *self_path,
                     const char *archive,
                     double     *cold_ms,
                     double     *cpu_ms)
{
  double best = G_MAXDOUBLE;

  *cpu_ms = G_MAXDOUBLE;

  for (int i = 0; i < 3; i++)
    {
      const char *argv[] = { self_path, "first-frame", NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "AUSCULTA_ARCHIVE", archive, TRUE);
      gint64 launched = g_get_monotonic_time ();
      gint64 painted;
      int status;
      double ms, cpu;

      if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                         &status, &error)
          || out == NULL || sscanf (out, "first-frame %" G_GINT64_FORMAT " cpu %lf", &painted, &cpu) != 2)
        g_error ("first-frame child failed: %s", error != NULL ? error->message : out);
      ms = (painted - launched) / 1000.0;
      if (i == 0)
        *cold_ms = ms;
      best = MIN (best, ms);
      *cpu_ms = MIN (*cpu_ms, cpu);
    }
  return best;
}

/* With AUSCULTA_SHOT_DIR set: the window as it is, in both styles, saved
 * as inspect-live-{light,dark}.png for a person to look at. */
static void
save_shots (GtkWidget *window)
{
  const char *dir = g_getenv ("AUSCULTA_SHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *names[] = { "light", "dark" };

  if (dir == NULL || *dir == '\0')
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *file = g_strdup_printf ("inspect-live-%s.png", names[i]);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      adw_style_manager_set_color_scheme (style, i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 5; g_get_monotonic_time () < until;)
        g_main_context_iteration (NULL, FALSE);
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                              gtk_widget_get_height (window));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        continue;
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
      if (gdk_texture_save_to_png (texture, path))
        printf ("screenshot: %s\n", path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
count_phase (GdkFrameClock *clock,
             guint         *n)
{
  (*n)++;
}

/* A profile like the default one at 48 kHz with RUN_S-second runs. */
static char *
write_profile (const char *dir)
{
  g_autofree char *source = ausculta_data_path ("profiles/default.ini");
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "bench-48k.ini", NULL);

  if (!g_key_file_load_from_file (keys, source, G_KEY_FILE_KEEP_COMMENTS, &error))
    g_error ("%s", error->message);
  g_key_file_set_double (keys, "profile", "sample-rate", 48000.0);
  g_key_file_set_double (keys, "run down", "duration", RUN_S);
  g_key_file_set_double (keys, "run up", "duration", RUN_S);
  if (!g_key_file_save_to_file (keys, path, &error))
    g_error ("%s", error->message);
  return path;
}

static gboolean
capturing (AuscultaInspection *inspection)
{
  AuscultaInspectionState state = ausculta_inspection_get_state (inspection);

  return state == AUSCULTA_INSPECTION_RUN_UP || state == AUSCULTA_INSPECTION_RUN_DOWN;
}

typedef struct
{
  double fps_paints;
  double fps_live;
  double layouts_per_s;
  double cpu_percent;
  double latency_mean_ms;
  double latency_max_ms;
  guint64 skipped;
  char   *threads;
} LiveResult;

/* One motor, measured from the start of its capture to the end; returns
 * once the page is ready for the next serial. */
static void
measure_cycle (GtkWidget          *window,
               GtkWidget          *page,
               AuscultaInspection *inspection,
               const char         *serial,
               LiveResult         *result)
{
  AuscultaLiveStats stats[2];
  guint n_paints = 0, n_layouts = 0;
  gulong paint_id, layout_id;
  gint64 start, end;
  double cpu_start;
  GdkFrameClock *clock;
  g_autoptr(GHashTable) threads_start = NULL;
  g_autoptr(GHashTable) threads_end = NULL;

  gtk_editable_set_text (GTK_EDITABLE (page_child (page, "serial_entry")), serial);
  g_signal_emit_by_name (page_child (page, "serial_entry"), "activate");
  while (!capturing (inspection))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (window);
  paint_id = g_signal_connect (clock, "paint", G_CALLBACK (count_phase), &n_paints);
  layout_id = g_signal_connect (clock, "layout", G_CALLBACK (count_phase), &n_layouts);
  ausculta_live_view_reset (AUSCULTA_LIVE_VIEW (page_child (page, "first_view")));
  ausculta_live_view_reset (AUSCULTA_LIVE_VIEW (page_child (page, "second_view")));
  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  threads_start = thread_cpu_seconds ();
  while (capturing (inspection))
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  result->cpu_percent = 100.0 * (cpu_seconds () - cpu_start) / ((end - start) / 1e6);
  threads_end = thread_cpu_seconds ();
  result->threads = describe_thread_cpu (threads_start, threads_end, (end - start) / 1e6);
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (clock, layout_id);

  ausculta_live_view_get_stats (AUSCULTA_LIVE_VIEW (page_child (page, "first_view")), &stats[0]);
  ausculta_live_view_get_stats (AUSCULTA_LIVE_VIEW (page_child (page, "second_view")), &stats[1]);
  result->fps_paints = n_paints / ((end - start) / 1e6);
  result->layouts_per_s = n_layouts / ((end - start) / 1e6);
  /* The channel that showed fewer new frames counts. */
  result->fps_live = MIN (stats[0].n_frames_painted, stats[1].n_frames_painted)
                     / ((end - start) / 1e6);
  result->latency_mean_ms = (stats[0].latency_sum_ms + stats[1].latency_sum_ms)
                            / MAX (1, stats[0].n_frames_painted + stats[1].n_frames_painted);
  result->latency_max_ms = MAX (stats[0].latency_max_ms, stats[1].latency_max_ms);
  result->skipped = stats[0].n_blocks_skipped + stats[1].n_blocks_skipped;
  while (ausculta_inspection_is_running (inspection))
    g_main_context_iteration (NULL, TRUE);
  /* Start is enabled again once the page has shown the verdict. */
  while (!gtk_widget_get_sensitive (page_child (page, "start_button")))
    g_main_context_iteration (NULL, TRUE);
}

/* The first motor after launch pays for first use: the views' images and
 * the X shared memory for a whole window of damage are set up during its
 * first frames, which come late. It is measured and printed; the headline
 * is the next motor's, as at the bench for the rest of a shift. */
static void
measure_live (AuscultaApplication *app,
              LiveResult          *first,
              LiveResult          *result)
{
  GtkWidget *window, *page;
  AuscultaInspection *inspection;

  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  page = GTK_WIDGET (gtk_widget_get_template_child (window, AUSCULTA_TYPE_MAIN_WINDOW, "inspect_page"));
  inspection = ausculta_inspect_page_get_inspection (AUSCULTA_INSPECT_PAGE (page));
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  measure_cycle (window, page, inspection, "SN-BENCH-FIRST", first);
  measure_cycle (window, page, inspection, "SN-BENCH-LIVE", result);
  /* Screenshots in the middle of another motor, outside the measurement. */
  if (g_getenv ("AUSCULTA_SHOT_DIR") != NULL)
    {
      gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      gtk_editable_set_text (GTK_EDITABLE (page_child (page, "serial_entry")), "SN-BENCH-SHOT");
      g_signal_emit_by_name (page_child (page, "serial_entry"), "activate");
      while (!capturing (inspection) && g_get_monotonic_time () < give_up)
        g_main_context_iteration (NULL, FALSE);
      for (gint64 until = g_get_monotonic_time () + RUN_S * G_USEC_PER_SEC * 3 / 2;
           g_get_monotonic_time () < until;)
        g_main_context_iteration (NULL, TRUE);
      save_shots (window);
      while (ausculta_inspection_is_running (inspection))
        g_main_context_iteration (NULL, TRUE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *archive = NULL;
  g_autoptr(AuscultaApplication) app = NULL;
  LiveResult live = { 0 }, first = { 0 };
  double first_ms = 0, cold_ms = 0, first_cpu_ms = 0, empty_ms = 0, empty_cold_ms = 0;
  double empty_cpu_ms = 0;
  g_autofree char *empty = NULL;
  gboolean big, live_only;

  if (argc > 1 && strcmp (argv[1], "first-frame") == 0)
    return first_frame ();
  live_only = argc > 1 && strcmp (argv[1], "live") == 0;
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("skipped: needs a display (run under xvfb-run)\n");
      return 0;
    }
  dir = g_dir_make_tmp ("ausculta-bench-gui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("AUSCULTA_SOURCE", "simulator", TRUE);
  g_unsetenv ("AUSCULTA_SOURCE_PACE");
  /* Xvfb has no GPU: GL would be Mesa's llvmpipe, which costs several
   * times cairo's CPU for these views. A set GSK_RENDERER is kept. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  big = g_file_test (BIG_ARCHIVE, G_FILE_TEST_IS_REGULAR);
  archive = big ? g_strdup (BIG_ARCHIVE) : g_build_filename (dir, "small.sqlite", NULL);
  /* "live" alone (for a profiler) skips the launches. */
  if (!live_only && !big)
    generate_archive (archive);
  if (!live_only)
    {
      first_ms = measure_first_frame (argv[0], archive, &cold_ms, &first_cpu_ms);
      /* The same launch on an empty archive: what the archive's size adds. */
      empty = g_build_filename (dir, "empty.sqlite", NULL);
      empty_ms = measure_first_frame (argv[0], empty, &empty_cold_ms, &empty_cpu_ms);
    }

  profile = write_profile (dir);
  g_setenv ("AUSCULTA_PROFILE", profile, TRUE);
  archive = (g_free (archive), g_build_filename (dir, "live.sqlite", NULL));
  g_setenv ("AUSCULTA_ARCHIVE", archive, TRUE);
  ausculta_app_init_i18n ();
  ausculta_app_init_display ();
  gtk_init ();
  adw_init ();
  app = ausculta_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  measure_live (app, &first, &live);

  printf ("live views, 2 channels at 48 kHz, 16384-point spectrum, third octaves, spectrogram, "
          "waveform; simulator in real time, %d s runs; GSK_RENDERER=%s\n", RUN_S,
          g_getenv ("GSK_RENDERER"));
  printf ("ausculta: %.1f fps showing new live data (paints that showed a new frame of each "
          "channel; the second motor after launch)\n", live.fps_live);
  printf ("first motor after launch: %.1f fps showing new live data, %.1f painted, %.1f %% of one "
          "core (its first frames set up the views' images and the X shared memory)\n",
          first.fps_live, first.fps_paints, first.cpu_percent);
  g_free (first.threads);
  printf ("painted: %.1f fps (frame clock paints, new live data or not); %.1f window layouts/s\n",
          live.fps_paints, live.layouts_per_s);
  printf ("reference: 60 fps (target)\nratio: %.2fx\n", live.fps_live / 60.0);
  printf ("ausculta: %.1f %% of one core (the whole app process, capture and DSP included)\n",
          live.cpu_percent);
  printf ("threads: %s\n", live.threads);
  g_free (live.threads);
  printf ("reference: 25 %% (target)\nratio: %.2fx\n", 25.0 / MAX (live.cpu_percent, 0.01));
  printf ("ausculta: %.1f ms capture-to-pixel latency (mean; max %.1f ms; %" G_GUINT64_FORMAT
          " blocks that never reached the live views)\n", live.latency_mean_ms,
          live.latency_max_ms, live.skipped);
  printf ("reference: 50 ms (target)\nratio: %.2fx\n", 50.0 / MAX (live.latency_mean_ms, 0.01));
  if (live_only)
    return 0;
  printf ("ausculta: %.0f ms launch to first frame (best of 3; first %.0f ms) with %s\n",
          first_ms, cold_ms, big ? "the 1,000,000-measurement archive " BIG_ARCHIVE
                                 : "a generated 20,000-measurement archive (no 1M archive: run bench/archive first)");
  printf ("cpu: %.0f ms of CPU time to the first frame (least of 3; %.0f ms with an empty archive)\n",
          first_cpu_ms, empty_cpu_ms);
  printf ("reference: 500 ms (target); %.0f ms with an empty archive in this run\n", empty_ms);
  printf ("ratio: %.2fx\n", 500.0 / first_ms);
  return 0;
}
