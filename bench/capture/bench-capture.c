/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <portaudio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ausculta-inspection.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-simulator.h"
#include "capture-test-jack.h"
#include "capture-test-model.h"
#include "capture-test-util.h"

/* Two benchmarks of the capture module:
 *   realtime  2 ch × 48 kHz through PortAudio on the JACK dummy clock for
 *             BENCH_SECONDS (60): overruns and CPU of the capture, against a
 *             bare Pa_ReadStream loop on the same route (the library floor);
 *   verdict   end of capture → committed verdict with the default profile,
 *             against the 50 ms target: what is still on that path (the
 *             last run's features and FLAC, score, archive), its CPU, and
 *             the same with every core busy. */

#define RATE 48000

static double
cpu_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the busiest thread other than the caller's: the
 * PortAudio callback thread while a stream runs. */
static double
busiest_other_thread (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  g_autofree char *self_tid = g_strdup_printf ("%d", (int) syscall (SYS_gettid));
  double ticks = sysconf (_SC_CLK_TCK);
  double busiest = 0.0;
  const char *tid;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *stat = NULL;
      unsigned long utime = 0, stime = 0;
      const char *fields;

      if (g_str_equal (tid, self_tid) || !g_file_get_contents (path, &stat, NULL, NULL)
          || (fields = strrchr (stat, ')')) == NULL)
        continue;
      /* After "pid (comm)": state and 10 more fields, then utime, stime. */
      if (sscanf (fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) == 2)
        busiest = MAX (busiest, (utime + stime) / ticks);
    }
  return busiest;
}

/* Returns the process CPU share (%) during the capture. */
static double
capture_with_source (double  seconds,
                     guint  *overruns,
                     double *callback_share)
{
  g_autoptr(AuscultaSource) source = ausculta_portaudio_source_new ("rtcap");
  AuscultaSourceConfig config = { 2, { 0, 1 }, RATE, 1024 };
  gsize n = (gsize) (seconds * RATE);
  g_autofree float *block = g_new (float, 2 * 1024);
  g_autoptr(GError) error = NULL;
  double cpu, wall;

  if (!ausculta_source_open (source, &config, &error) || !ausculta_source_start (source, "up", &error))
    g_error ("%s", error->message);
  cpu = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID);
  wall = g_get_monotonic_time () / 1e6;
  for (gsize done = 0; done < n; done += 1024)
    if (ausculta_source_read (source, block, MIN (1024, n - done), &error) < 0)
      g_error ("%s", error->message);
  cpu = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) - cpu;
  wall = g_get_monotonic_time () / 1e6 - wall;
  *overruns = ausculta_source_get_overruns (source);
  *callback_share = 100.0 * busiest_other_thread () / wall;
  ausculta_source_close (source);
  g_printerr ("ausculta source: %.1f s in %.3f s wall, %.3f s CPU, %u overruns\n", seconds, wall, cpu, *overruns);
  return 100.0 * cpu / wall;
}

static double
capture_bare (double seconds)
{
  PaStream *stream = NULL;
  PaStreamParameters params = { -1, 2, paFloat32, 0.0, NULL };
  g_autofree float *block = g_new (float, 2 * 1024);
  g_autoptr(GError) error = NULL;
  gsize n = (gsize) (seconds * RATE);
  double cpu, wall;

  if (!ausculta_portaudio_acquire (&error))
    g_error ("%s", error->message);
  for (int i = 0; i < Pa_GetDeviceCount (); i++)
    if (strcmp (Pa_GetDeviceInfo (i)->name, "rtcap") == 0)
      params.device = i;
  params.suggestedLatency = Pa_GetDeviceInfo (params.device)->defaultLowInputLatency;
  if (Pa_OpenStream (&stream, &params, NULL, RATE, 1024, paClipOff, NULL, NULL) != paNoError
      || Pa_StartStream (stream) != paNoError)
    g_error ("bare PortAudio: cannot open rtcap");
  cpu = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID);
  wall = g_get_monotonic_time () / 1e6;
  for (gsize done = 0; done < n; done += 1024)
    Pa_ReadStream (stream, block, 1024);
  cpu = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) - cpu;
  wall = g_get_monotonic_time () / 1e6 - wall;
  Pa_CloseStream (stream);
  ausculta_portaudio_release ();
  return 100.0 * cpu / wall;
}

static int
bench_realtime (void)
{
  const char *env = g_getenv ("BENCH_SECONDS");
  double seconds = env ? g_ascii_strtod (env, NULL) : 60.0;
  g_autofree char *dir = g_dir_make_tmp ("ausculta-bench-XXXXXX", NULL);
  g_autofree char *raw = g_build_filename (dir, "in.raw", NULL);
  g_autofree char *name = g_strdup_printf ("ausculta-bench-%d", getpid ());
  gsize n = (gsize) ((seconds + 20) * RATE);
  g_autofree float *recording = capture_test_stereo_f32 (n, RATE);
  g_autofree char *conf = NULL;
  GSubprocess *jackd;
  double ours, bare, callback = 0.0;
  guint overruns = 0;

  g_assert_true (g_file_set_contents (raw, (char *) recording, n * 2 * sizeof (float), NULL));
  conf = capture_test_write_alsa_config (dir, raw, RATE, TRUE);
  g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);
  if (!(jackd = capture_test_jack_start (name, RATE)))
    g_error ("jackd could not start");
  ours = capture_with_source (seconds, &overruns, &callback);
  bare = capture_bare (MIN (seconds, 15.0));
  capture_test_jack_stop (jackd);
  g_unlink (raw);
  g_unlink (conf);
  g_rmdir (dir);
  g_print ("capture: 2 ch x %d Hz for %.0f s through PortAudio (JACK dummy clock): %u overruns, "
           "capture (callback) thread %.2f %% CPU\n", RATE, seconds, overruns, callback);
  g_print ("ausculta: %.2f %% CPU (whole process while capturing: callback + ring + reader)\n", ours);
  g_print ("reference: %.2f %% CPU (bare Pa_ReadStream loop on the same device)\n", bare);
  g_print ("ratio: %.2fx\n", bare / ours);
  return overruns == 0 ? 0 : 1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Medians over the cycles of one condition. "wait" is the part of the
 * end of capture spent waiting for the last run's work (its features, and
 * FLAC of a signal that could not be streamed), the rest is score and
 * archive; "features" (workers) and "flac" (streamed by the capture thread
 * block by block, or workers) are spent while the runs are captured. */
typedef struct {
  double end_to_verdict;
  double end_cpu;          /* process CPU (all threads) from end of capture to verdict */
  double cycle_cpu;        /* process CPU of the whole cycle */
  double wait;
  double score;
  double archive;
  double features;
  double flac;
  double overruns;         /* the sum over the cycles, not a median */
} VerdictTimes;

enum { N_TIMES = sizeof (VerdictTimes) / sizeof (double) };

static double
timing (AuscultaMeasurement *m,
        const char          *step)
{
  double *value = g_hash_table_lookup (m->timings_ms, step);

  return value ? *value : 0.0;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static double
process_cpu_ms (void)
{
  return cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) * 1000.0;
}

/* The cycle runs in this thread, so the state change to "processing"
 * (the end of capture) is seen here synchronously. */
static void
on_state (AuscultaInspection *inspection,
          GParamSpec         *pspec,
          double             *end_of_capture_cpu)
{
  if (ausculta_inspection_get_state (inspection) == AUSCULTA_INSPECTION_PROCESSING)
    *end_of_capture_cpu = process_cpu_ms ();
}

static VerdictTimes
time_cycles (AuscultaInspection *inspection,
             const char         *station,
             guint               n)
{
  g_autofree double *all = g_new (double, N_TIMES * n);
  double end_of_capture_cpu = 0.0;
  gulong handler = g_signal_connect (inspection, "notify::state", G_CALLBACK (on_state), &end_of_capture_cpu);
  VerdictTimes result;

  ausculta_inspection_set_station (inspection, station);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *serial = g_strdup_printf ("BENCH-%s-%u", station, i);
      g_autoptr(AuscultaMeasurement) m = NULL;
      g_autoptr(GError) error = NULL;
      double cpu = process_cpu_ms ();
      VerdictTimes times;

      ausculta_inspection_set_serial (inspection, serial);
      m = ausculta_inspection_run (inspection, NULL, &error);
      g_assert_no_error (error);
      times = (VerdictTimes) {
        timing (m, "end_to_verdict"), process_cpu_ms () - end_of_capture_cpu, process_cpu_ms () - cpu,
        timing (m, "wait_runs"), timing (m, "score"), timing (m, "archive"), timing (m, "features"),
        timing (m, "flac") + timing (m, "flac_stream"), m->overruns,
      };
      for (guint k = 0; k < N_TIMES; k++)
        all[k * n + i] = ((double *) &times)[k];
    }
  g_signal_handler_disconnect (inspection, handler);
  result.overruns = 0.0;
  for (guint i = 0; i < n; i++)
    result.overruns += all[(N_TIMES - 1) * n + i];
  for (guint k = 0; k + 1 < N_TIMES; k++)
    ((double *) &result)[k] = median (all + k * n, n);
  return result;
}

static void
print_times (const char         *condition,
             const VerdictTimes *t)
{
  g_print ("  %-34s %6.1f ms  (waiting for the last run's work %.1f, score %.1f, archive %.1f); "
           "CPU %.1f ms on the path, %.0f ms per cycle; off the path: features %.1f ms, FLAC %.1f ms; "
           "%.0f overruns\n",
           condition, t->end_to_verdict, t->wait, t->score, t->archive, t->end_cpu, t->cycle_cpu,
           t->features, t->flac, t->overruns);
}

/* "bench-capture spin": another program keeping one core busy (at most
 * ten minutes, should its parent die without stopping it). */
static int
spin (void)
{
  volatile double x = 1.0;
  gint64 until = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    for (int i = 0; i < 1000000; i++)
      x = x * 1.0000001 + 1e-9;
  return 0;
}

/* The same cycles with every core kept busy by other processes (their CPU
 * is not counted in ours). */
static VerdictTimes
time_cycles_loaded (AuscultaInspection *inspection,
                    guint               n)
{
  g_autoptr(GPtrArray) spinners = g_ptr_array_new_with_free_func (g_object_unref);
  VerdictTimes result;

  for (guint i = 0; i < g_get_num_processors (); i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *spinner = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/proc/self/exe", "spin", NULL);

      if (spinner == NULL)
        g_error ("%s", error->message);
      g_ptr_array_add (spinners, spinner);
    }
  result = time_cycles (inspection, "with-signals", n);
  for (guint i = 0; i < spinners->len; i++)
    {
      g_subprocess_force_exit (spinners->pdata[i]);
      g_subprocess_wait (spinners->pdata[i], NULL, NULL);
    }
  return result;
}

static AuscultaModel *
train_on_simulated_units (AuscultaProfile *profile)
{
  AuscultaMeasurement *good[20];
  AuscultaModel *model;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(AuscultaSource) source = ausculta_simulator_new (100 + i, 0);
      g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
      g_autoptr(GError) error = NULL;

      ausculta_inspection_set_serial (inspection, "TRAIN");
      good[i] = ausculta_inspection_run (inspection, NULL, &error);
      g_assert_no_error (error);
    }
  model = capture_test_train_model (good, G_N_ELEMENTS (good), ausculta_profile_get_name (profile),
                                    ausculta_profile_get_hash (profile));
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    ausculta_measurement_unref (good[i]);
  return model;
}

static int
bench_verdict (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "archive.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = ausculta_profile_load ("default", &error);
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (1, 0);
  g_autoptr(AuscultaInspection) inspection = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };
  const char *env = g_getenv ("BENCH_CYCLES");
  guint n = env ? (guint) MAX (1, atoi (env)) : 7;
  VerdictTimes with_signals, without_signals, loaded;

  g_assert_no_error (error);
  model = train_on_simulated_units (profile);
  inspection = ausculta_inspection_new (profile, source);
  ausculta_inspection_set_model (inspection, model);
  ausculta_inspection_set_archive (inspection, archive);
  /* Paced as a bench is: the workers have the next run's 5 s. */
  ausculta_source_set_realtime (source, TRUE);
  /* A station that keeps only features and verdicts (no FLAC signals). */
  if (!ausculta_archive_add_user (archive, NULL, "admin", "Bench admin", AUSCULTA_ROLE_ADMIN, "bench-password", NULL, &error)
      || !ausculta_archive_set_station (archive, "admin", "no-signals", "bench without signals", FALSE, &error))
    g_error ("%s", error->message);
  with_signals = time_cycles (inspection, "with-signals", n);
  without_signals = time_cycles (inspection, "no-signals", n);
  loaded = time_cycles_loaded (inspection, n);
  g_print ("end of capture -> committed verdict, default profile (2 runs x 2 ch x 5 s at 51.2 kHz, "
           "simulator paced in real time), LOF model, SQLite archive; medians of %u cycles; "
           "%u processors:\n", n, g_get_num_processors ());
  print_times ("station keeping signals:", &with_signals);
  print_times ("station without signals:", &without_signals);
  print_times ("keeping signals, cores busy elsewhere:", &loaded);
  g_print ("ausculta: %.1f ms\n", with_signals.end_to_verdict);
  g_print ("reference: 50.0 ms (the target of issue 3)\n");
  g_print ("ratio: %.2fx\n", 50.0 / with_signals.end_to_verdict);
  g_clear_object (&inspection);
  g_clear_object (&archive);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "realtime"))
    return bench_realtime ();
  if (argc > 1 && g_str_equal (argv[1], "verdict"))
    return bench_verdict ();
  if (argc > 1 && g_str_equal (argv[1], "spin"))
    return spin ();
  g_printerr ("usage: bench-capture realtime|verdict\n");
  return 1;
}
