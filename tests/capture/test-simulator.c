/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-simulator.h"
#include "ausculta-source-spec.h"
#include "capture-test-util.h"

#define RATE 51200.0
#define SECONDS 5.0

static const AuscultaSourceConfig both_inputs = { 2, { 0, 1 }, RATE, 1024 };

/* One run of both inputs, interleaved. */
static float *
capture (guint64     seed,
         guint       faults,
         const char *run,
         gsize       n_frames)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (seed, faults);
  g_autoptr(GError) error = NULL;
  float *frames = g_new (float, 2 * n_frames);

  g_assert_true (ausculta_source_open (source, &both_inputs, &error));
  g_assert_true (ausculta_source_start (source, run, &error));
  g_assert_cmpint (ausculta_source_read (source, frames, n_frames, &error), ==, n_frames);
  g_assert_no_error (error);
  return frames;
}

static double
rms (const float *frames,
     gsize        n,
     guint        channel)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) frames[2 * i + channel] * frames[2 * i + channel];
  return sqrt (sum / n);
}

static void
test_deterministic (void)
{
  gsize n = (gsize) RATE;
  g_autofree float *once = capture (42, 0, "up", n);
  g_autofree float *chunked = g_new (float, 2 * n);
  g_autofree float *other = capture (43, 0, "up", n);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (42, 0);

  /* Same seed, reads of odd sizes: the same samples. */
  g_assert_true (ausculta_source_open (source, &both_inputs, NULL));
  g_assert_true (ausculta_source_start (source, "up", NULL));
  for (gsize done = 0; done < n;)
    {
      gsize step = MIN (777, n - done);

      g_assert_cmpint (ausculta_source_read (source, chunked + 2 * done, step, NULL), ==, step);
      done += step;
    }
  g_assert_cmpmem (once, 2 * n * sizeof (float), chunked, 2 * n * sizeof (float));
  g_assert_true (memcmp (once, other, 2 * n * sizeof (float)) != 0);
}

static void
test_levels_and_units (void)
{
  gsize n = (gsize) RATE;
  g_autofree float *frames = capture (7, 0, "up", n);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (7, 0);
  double mic = rms (frames, n, 0);
  double vib = rms (frames, n, 1);

  /* A small motor a few centimetres from the microphone: 50 to 75 dB SPL. */
  g_test_message ("microphone %.4f Pa (%.1f dB SPL), accelerometer %.4f m/s²",
                  mic, 20 * log10 (mic / 20e-6), vib);
  g_assert_cmpfloat (20 * log10 (mic / 20e-6), >, 50.0);
  g_assert_cmpfloat (20 * log10 (mic / 20e-6), <, 75.0);
  g_assert_cmpfloat (vib, >, 0.03);
  g_assert_cmpfloat (vib, <, 3.0);
  g_assert_true (ausculta_source_open (source, &both_inputs, NULL));
  g_assert_cmpstr (ausculta_source_get_channel_unit (source, 0), ==, "Pa");
  g_assert_cmpstr (ausculta_source_get_channel_unit (source, 1), ==, "m/s²");
}

static void
test_unit_variation (void)
{
  double lowest = G_MAXDOUBLE, highest = 0.0;

  for (guint64 seed = 1; seed <= 20; seed++)
    {
      g_autoptr(AuscultaSource) source = ausculta_simulator_new (seed, 0);
      double up = ausculta_simulator_get_shaft_rate (AUSCULTA_SIMULATOR (source), "up");
      double down = ausculta_simulator_get_shaft_rate (AUSCULTA_SIMULATOR (source), "down");

      g_assert_cmpfloat (up, >, 35.0);
      g_assert_cmpfloat (down, <, 65.0);
      g_assert_cmpfloat (down, >, up * 1.0);
      lowest = MIN (lowest, up);
      highest = MAX (highest, up);
    }
  g_assert_cmpfloat (highest / lowest, >, 1.02);
}

static void
test_fast (void)
{
  gsize n = (gsize) (RATE * SECONDS);
  gint64 started = g_get_monotonic_time ();
  g_autofree float *up = capture (3, 0, "up", n);
  g_autofree float *down = capture (3, 0, "down", n);
  double seconds = (g_get_monotonic_time () - started) / 1e6;

  g_test_message ("2 runs × 2 channels × 5 s at 51.2 kHz in %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 1.0);
}

/* The ratio of a band's RMS between a faulty and a good unit (same seed). */
static double
fault_gain (guint  fault,
            guint  channel,
            double order_low,
            double order_high,
            gboolean in_hz)
{
  gsize n = (gsize) (RATE * 2);
  g_autofree float *good = capture (11, 0, "up", n);
  g_autofree float *bad = capture (11, fault, "up", n);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (11, 0);
  double f0 = in_hz ? 1.0 : ausculta_simulator_get_shaft_rate (AUSCULTA_SIMULATOR (source), "up");
  double good_rms = capture_test_band_rms (good + channel, n, 2, RATE, order_low * f0, order_high * f0);
  double bad_rms = capture_test_band_rms (bad + channel, n, 2, RATE, order_low * f0, order_high * f0);

  g_test_message ("%s, channel %u, %g to %g %s: %.3g → %.3g (×%.1f)",
                  ausculta_motor_fault_to_string (fault), channel, order_low, order_high,
                  in_hz ? "Hz" : "orders", good_rms, bad_rms, bad_rms / good_rms);
  return bad_rms / good_rms;
}

static void
test_faults (void)
{
  /* Each defect raises the part of the spectrum it should, by a margin. */
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_UNBALANCE, 1, 0.5, 1.5, FALSE), >, 4.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_BENT_SHAFT, 1, 1.5, 2.5, FALSE), >, 3.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_COMMUTATOR, 1, 30.0, 80.0, FALSE), >, 3.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_BEARING, 1, 2.5, 3.5, FALSE), >, 1.3);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_BEARING, 1, 2000, 3500, TRUE), >, 3.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_WHISTLING, 0, 6000, 8500, TRUE), >, 10.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_SCREW_IMPACTS, 1, 2000, 3500, TRUE), >, 3.0);
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_SLACK_WIRE, 0, 3.5, 8.5, FALSE), >, 2.0);
  /* ...and leaves the rest alone: unbalance does not touch the whistle band. */
  g_assert_cmpfloat (fault_gain (AUSCULTA_MOTOR_FAULT_UNBALANCE, 0, 6000, 8500, TRUE), <, 1.2);
}

static void
test_disconnect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("simulator:disconnect=0.5", &error);
  g_autofree float *frames = g_new (float, 2 * (gsize) RATE);

  g_assert_no_error (error);
  g_assert_true (ausculta_source_open (source, &both_inputs, &error));
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, (gsize) RATE, &error), ==, -1);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, "disconnected 0.50 s into run “up”"));
}

static void
test_unsupported (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (1, 0);
  AuscultaSourceConfig slow = { 1, { 0 }, 4000, 256 };
  AuscultaSourceConfig three = { 3, { 0, 1, 2 }, RATE, 256 };
  g_autoptr(GError) error = NULL;

  g_assert_false (ausculta_source_open (source, &slow, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "supports 8000 to 192000 Hz"));
  g_clear_error (&error);
  g_assert_false (ausculta_source_open (source, &three, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "no input 2: the simulated bench has 2 inputs"));
  g_clear_error (&error);
  g_assert_false (ausculta_source_start (source, "up", &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_STATE);
}

static void
test_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("simulator:unbalance+bearing,seed=7", &error);
  g_autoptr(AuscultaSource) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ausculta_simulator_get_seed (AUSCULTA_SIMULATOR (source)), ==, 7);
  g_assert_cmpuint (ausculta_simulator_get_faults (AUSCULTA_SIMULATOR (source)), ==,
                    AUSCULTA_MOTOR_FAULT_UNBALANCE | AUSCULTA_MOTOR_FAULT_BEARING);
  g_assert_cmpstr (ausculta_source_get_name (source), ==, "simulator:unbalance+bearing");
  none = ausculta_source_new_from_spec ("simulator:warp", &error);
  g_assert_null (none);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "unknown fault “warp”; the faults are: commutator,"));
  g_clear_error (&error);
  none = ausculta_source_new_from_spec ("microphone", &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "invalid source “microphone”: expected simulator"));
}

static void
test_realtime_pacing (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (5, 0);
  g_autofree float *frames = g_new (float, 2 * (gsize) (RATE * 0.4));
  g_autofree float *direct = capture (5, 0, "down", (gsize) (RATE * 0.4));
  gint64 started;
  double seconds;

  ausculta_source_set_realtime (source, TRUE);
  g_assert_true (ausculta_source_open (source, &both_inputs, NULL));
  g_assert_true (ausculta_source_start (source, "down", NULL));
  started = g_get_monotonic_time ();
  g_assert_cmpint (ausculta_source_read (source, frames, (gsize) (RATE * 0.4), NULL), ==, (gsize) (RATE * 0.4));
  seconds = (g_get_monotonic_time () - started) / 1e6;
  ausculta_source_stop (source);
  g_test_message ("0.4 s of real-time simulation read in %.3f s", seconds);
  g_assert_cmpfloat (seconds, >, 0.35);
  g_assert_cmpuint (ausculta_source_get_overruns (source), ==, 0);
  /* Paced or not, the same motor. */
  g_assert_cmpmem (frames, 2 * (gsize) (RATE * 0.4) * sizeof (float),
                   direct, 2 * (gsize) (RATE * 0.4) * sizeof (float));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/capture/simulator/deterministic", test_deterministic);
  g_test_add_func ("/ausculta/capture/simulator/levels", test_levels_and_units);
  g_test_add_func ("/ausculta/capture/simulator/unit-variation", test_unit_variation);
  g_test_add_func ("/ausculta/capture/simulator/fast", test_fast);
  g_test_add_func ("/ausculta/capture/simulator/faults", test_faults);
  g_test_add_func ("/ausculta/capture/simulator/disconnect", test_disconnect);
  g_test_add_func ("/ausculta/capture/simulator/unsupported", test_unsupported);
  g_test_add_func ("/ausculta/capture/simulator/spec", test_spec);
  g_test_add_func ("/ausculta/capture/simulator/realtime", test_realtime_pacing);
  return g_test_run ();
}
