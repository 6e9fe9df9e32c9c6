/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-inspection.h"
#include "ausculta-outbox.h"
#include "ausculta-simulator.h"
#include "ausculta-source-spec.h"
#include "capture-test-model.h"

static AuscultaProfile *profile;

static AuscultaMeasurement *
inspect (AuscultaInspection *inspection,
         const char         *serial,
         GError            **error)
{
  ausculta_inspection_set_serial (inspection, serial);
  return ausculta_inspection_run (inspection, NULL, error);
}

static AuscultaMeasurement *
inspect_simulator (const char *spec,
                   const char *serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec, &error);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  AuscultaMeasurement *measurement = inspect (inspection, serial, &error);

  g_assert_no_error (error);
  return measurement;
}

static double
feature (AuscultaMeasurement *measurement,
         const char          *name)
{
  for (guint i = 0; i < measurement->n_features; i++)
    if (g_str_equal (measurement->feature_names[i], name))
      return measurement->features[i];
  g_assert_not_reached ();
}

static void
test_simulator_cycle (void)
{
  g_autoptr(AuscultaMeasurement) m = inspect_simulator ("simulator,seed=3", "SN-0001");
  const AuscultaSignal *ac = ausculta_measurement_find_signal (m, "up", "AC");
  double sum = 0.0;

  g_assert_cmpstr (m->serial, ==, "SN-0001");
  g_assert_cmpstr (m->source, ==, "simulator");
  g_assert_cmpuint (m->signals->len, ==, 4);
  g_assert_nonnull (ac);
  g_assert_cmpuint (ac->n_samples, ==, 5 * 51200);
  g_assert_cmpstr (ac->unit, ==, "Pa");
  for (gsize i = 0; i < ac->n_samples; i++)
    sum += (double) ac->samples[i] * ac->samples[i];
  g_assert_cmpfloat (sqrt (sum / ac->n_samples), >, 0.003);   /* Pa, not volts nor full scale */
  g_assert_cmpuint (m->n_features, ==, 432);
  g_assert_cmpuint (m->health & AUSCULTA_HEALTH_REPEAT_MASK, ==, 0);
  g_assert_cmpuint (m->overruns, ==, 0);
  /* No model: no verdict, and the status says why. */
  g_assert_cmpint (m->verdict, ==, AUSCULTA_VERDICT_NONE);
  g_assert_true (isnan (m->score));
  g_assert_nonnull (g_hash_table_lookup (m->timings_ms, "features"));
  g_assert_nonnull (g_hash_table_lookup (m->timings_ms, "capture_down"));
  g_assert_nonnull (g_hash_table_lookup (m->timings_ms, "end_to_verdict"));
}

typedef struct {
  GMainLoop           *loop;
  GPtrArray           *states;
  GArray              *progress;    /* the values notified, in order */
  AuscultaMeasurement *result;
  GError              *error;
} Observer;

static void
on_state (AuscultaInspection *inspection,
          GParamSpec         *pspec,
          Observer           *observer)
{
  g_ptr_array_add (observer->states,
                   (gpointer) ausculta_inspection_state_to_string (ausculta_inspection_get_state (inspection)));
}

static void
on_progress (AuscultaInspection *inspection,
             GParamSpec         *pspec,
             Observer           *observer)
{
  double progress = ausculta_inspection_get_progress (inspection);

  g_array_append_val (observer->progress, progress);
}

static void
on_finished (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Observer *observer = data;

  observer->result = ausculta_inspection_run_finish (AUSCULTA_INSPECTION (object), result, &observer->error);
  g_main_loop_quit (observer->loop);
}

/* What the block sink saw, on the cycle's thread: each run's samples
 * appended block after block. */
typedef struct {
  GThread    *main_thread;
  gboolean    other_thread;   /* every call came from the cycle's thread */
  guint       n_blocks;
  guint       n_channels;
  double      sample_rate;
  GHashTable *samples;        /* "run/channel index" → GArray of float */
  gboolean    freed;
} Sink;

static void
on_live_block (const AuscultaLiveBlock *block,
               gpointer                 data)
{
  Sink *sink = data;

  sink->other_thread = sink->other_thread && g_thread_self () != sink->main_thread;
  sink->n_blocks++;
  sink->n_channels = block->n_channels;
  sink->sample_rate = block->sample_rate;
  for (guint c = 0; c < block->n_channels; c++)
    {
      g_autofree char *key = g_strdup_printf ("%s/%u", block->run, c);
      GArray *seen = g_hash_table_lookup (sink->samples, key);

      if (seen == NULL)
        g_hash_table_insert (sink->samples, g_strdup (key), seen = g_array_new (FALSE, FALSE, sizeof (float)));
      /* In order and without a gap: the block starts where the last ended. */
      g_assert_cmpuint (block->offset, ==, seen->len);
      g_array_append_vals (seen, block->samples[c], block->n_frames);
    }
}

static void
sink_freed (gpointer data)
{
  ((Sink *) data)->freed = TRUE;
}

/* The sink got every sample the cycle measured, exactly. */
static void
assert_sink_saw (Sink                *sink,
                 AuscultaMeasurement *measurement)
{
  g_assert_true (sink->other_thread);
  g_assert_cmpuint (sink->n_channels, ==, 2);
  g_assert_cmpfloat (sink->sample_rate, ==, 51200.0);
  g_assert_cmpuint (g_hash_table_size (sink->samples), ==, measurement->signals->len);
  for (guint i = 0; i < measurement->signals->len; i++)
    {
      const AuscultaSignal *signal = g_ptr_array_index (measurement->signals, i);
      g_autofree char *key = g_strdup_printf ("%s/%u", signal->run, g_str_equal (signal->channel, "AC") ? 0 : 1);
      GArray *seen = g_hash_table_lookup (sink->samples, key);

      g_assert_nonnull (seen);
      g_assert_cmpmem (seen->data, seen->len * sizeof (float), signal->samples, signal->n_samples * sizeof (float));
    }
}

static void
test_observed_async (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (9, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  Observer observer = { g_main_loop_new (NULL, FALSE), g_ptr_array_new (),
                        g_array_new (FALSE, FALSE, sizeof (double)), NULL, NULL };
  Sink sink = { g_thread_self (), TRUE, 0, 0, 0.0,
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref),
                FALSE };
  g_autofree char *sequence = NULL;
  guint n_zeros = 0;

  /* The demo mode: the simulator paced in real time, watched from the main loop. */
  ausculta_source_set_realtime (source, TRUE);
  g_signal_connect (inspection, "notify::state", G_CALLBACK (on_state), &observer);
  g_signal_connect (inspection, "notify::progress", G_CALLBACK (on_progress), &observer);
  ausculta_inspection_set_block_sink (inspection, on_live_block, &sink, sink_freed);
  ausculta_inspection_set_serial (inspection, "SN-ASYNC");
  ausculta_inspection_run_async (inspection, NULL, on_finished, &observer);
  g_main_loop_run (observer.loop);
  g_assert_no_error (observer.error);
  g_ptr_array_add (observer.states, NULL);
  sequence = g_strjoinv (" ", (char **) observer.states->pdata);
  g_assert_cmpstr (sequence, ==, "armed run-down run-up processing done");
  g_assert_cmpuint (ausculta_inspection_get_measurement (inspection)->overruns, ==, 0);
  g_assert_true (ausculta_inspection_get_measurement (inspection) == observer.result);

  /* Live: every block, on the cycle's thread; the main loop only sees the
   * progress, rising in steps of 1 % or more within each run, to the end. */
  g_test_message ("%u live blocks, %u progress notifications", sink.n_blocks, observer.progress->len);
  assert_sink_saw (&sink, observer.result);
  for (guint i = 0; i < observer.progress->len; i++)
    {
      double p = g_array_index (observer.progress, double, i);

      if (p == 0.0)
        n_zeros++;
      else if (i > 0 && g_array_index (observer.progress, double, i - 1) != 0.0 && p != 1.0)
        g_assert_cmpfloat (p - g_array_index (observer.progress, double, i - 1), >=, 0.01 - 1e-12);
    }
  g_assert_cmpuint (n_zeros, ==, 2);   /* each run starts from 0 */
  g_assert_cmpuint (observer.progress->len, <=, 2 * 101 + 1);
  g_assert_cmpuint (observer.progress->len, >=, 2 * 50);
  g_assert_cmpfloat (ausculta_inspection_get_progress (inspection), ==, 1.0);

  /* Removing the sink frees its data, and no block comes any more. */
  ausculta_inspection_set_block_sink (inspection, NULL, NULL, NULL);
  g_assert_true (sink.freed);
  g_hash_table_unref (sink.samples);
  ausculta_measurement_unref (observer.result);
  g_ptr_array_unref (observer.states);
  g_array_unref (observer.progress);
  g_main_loop_unref (observer.loop);
}

/* A main loop too busy to look while the blocks are captured loses no
 * live sample: the sink does not wait for it. */
static void
test_busy_main_loop (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (10, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  Observer observer = { g_main_loop_new (NULL, FALSE), g_ptr_array_new (),
                        g_array_new (FALSE, FALSE, sizeof (double)), NULL, NULL };
  Sink sink = { g_thread_self (), TRUE, 0, 0, 0.0,
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref),
                FALSE };
  g_autofree char *sequence = NULL;

  g_signal_connect (inspection, "notify::state", G_CALLBACK (on_state), &observer);
  ausculta_inspection_set_block_sink (inspection, on_live_block, &sink, NULL);
  ausculta_inspection_set_serial (inspection, "SN-BUSY-GUI");
  ausculta_inspection_run_async (inspection, NULL, on_finished, &observer);
  while (ausculta_inspection_is_running (inspection))
    g_usleep (1000);
  g_assert_cmpuint (sink.n_blocks, >, 500);
  g_main_loop_run (observer.loop);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (observer.error);
  assert_sink_saw (&sink, observer.result);
  g_ptr_array_add (observer.states, NULL);
  sequence = g_strjoinv (" ", (char **) observer.states->pdata);
  g_assert_cmpstr (sequence, ==, "armed run-down run-up processing done");
  g_hash_table_unref (sink.samples);
  ausculta_measurement_unref (observer.result);
  g_ptr_array_unref (observer.states);
  g_array_unref (observer.progress);
  g_main_loop_unref (observer.loop);
}

static void
test_disconnect_then_next (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("simulator:disconnect=2.5", &error);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(AuscultaMeasurement) failed = inspect (inspection, "SN-CABLE", &error);
  g_autoptr(AuscultaMeasurement) next = NULL;
  AuscultaMeasurement *invalid = ausculta_inspection_get_measurement (inspection);

  g_assert_null (failed);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED);
  g_assert_cmpstr (error->message, ==, "invalid run, measure again: simulator: the bench cable was "
                                       "disconnected 2.50 s into run “down”");
  /* The observers get the invalid measurement: REPEAT, short run, said so. */
  g_assert_nonnull (invalid);
  g_assert_cmpint (invalid->verdict, ==, AUSCULTA_VERDICT_REPEAT);
  g_assert_cmpuint (invalid->health & AUSCULTA_HEALTH_SHORT_RUN, !=, 0);
  g_assert_cmpint (ausculta_inspection_get_state (inspection), ==, AUSCULTA_INSPECTION_DONE);
  g_assert_cmpstr (ausculta_inspection_get_status (inspection), ==, error->message);
  g_assert_false (ausculta_inspection_is_running (inspection));
  /* Cable back in: the next cycle works. */
  g_clear_error (&error);
  ausculta_simulator_set_disconnect_after (AUSCULTA_SIMULATOR (source), 0.0);
  next = inspect (inspection, "SN-CABLE", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->n_features, ==, 432);
  g_assert_cmpint (next->verdict, ==, AUSCULTA_VERDICT_NONE);
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancelled (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (2, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Observer observer = { g_main_loop_new (NULL, FALSE), g_ptr_array_new (), 0, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) next = NULL;

  /* The operator presses Stop half a second into the run. */
  ausculta_source_set_realtime (source, TRUE);
  ausculta_inspection_set_serial (inspection, "SN-STOP");
  ausculta_inspection_run_async (inspection, cancellable, on_finished, &observer);
  g_timeout_add (500, cancel_soon, cancellable);
  g_main_loop_run (observer.loop);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (observer.result);
  g_assert_error (observer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ausculta_inspection_get_state (inspection), ==, AUSCULTA_INSPECTION_ARMED);
  g_assert_cmpstr (ausculta_inspection_get_status (inspection), ==, "cancelled");
  g_assert_null (ausculta_inspection_get_measurement (inspection));
  /* Start again: the same serial is measured. */
  ausculta_source_set_realtime (source, FALSE);
  next = ausculta_inspection_run (inspection, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (next->serial, ==, "SN-STOP");
  g_clear_error (&observer.error);
  g_ptr_array_unref (observer.states);
  g_main_loop_unref (observer.loop);
}

static void
test_unsupported_then_next (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-inspection-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mono.wav", NULL);
  g_autofree char *spec = g_strconcat ("file:", path, NULL);
  SF_INFO info = { .samplerate = 51200, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *file = sf_open (path, SFM_WRITE, &info);
  g_autoptr(AuscultaSource) mono = NULL;
  g_autoptr(AuscultaSource) simulator = ausculta_simulator_new (6, 0);
  g_autoptr(AuscultaInspection) inspection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) failed = NULL;
  g_autoptr(AuscultaMeasurement) next = NULL;
  g_autofree char *expected = NULL;
  short silence[512] = { 0 };

  g_assert_nonnull (file);
  sf_writef_short (file, silence, 512);
  sf_close (file);
  mono = ausculta_source_new_from_spec (spec, NULL);
  inspection = ausculta_inspection_new (profile, mono);
  /* The profile wants input 1 (vib): the message says what the file has. */
  failed = inspect (inspection, "SN-MONO", &error);
  g_assert_null (failed);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED);
  expected = g_strdup_printf ("%s: no channel 1: the file has 1 channel (0 to 0)", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (ausculta_inspection_get_measurement (inspection)->verdict, ==, AUSCULTA_VERDICT_REPEAT);
  g_clear_error (&error);
  ausculta_inspection_set_source (inspection, simulator);
  next = inspect (inspection, "SN-MONO", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->n_features, ==, 432);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_no_serial (void)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (1, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) m = inspect (inspection, "   ", &error);

  g_assert_null (m);
  g_assert_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_NO_SERIAL);
  g_assert_cmpstr (error->message, ==, "no serial: scan or type the motor's serial first");
  g_assert_cmpint (ausculta_inspection_get_state (inspection), ==, AUSCULTA_INSPECTION_IDLE);
}

/* A recording of the simulator as the bench's converter would write it:
 * normalised to the channels' full scale. Zeroes a channel if asked. */
static char *
record_simulator (const char *dir,
                  guint64     seed,
                  double      seconds,
                  int         dead_channel)
{
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (seed, 0);
  AuscultaSourceConfig config = { 2, { 0, 1 }, 51200, 1024 };
  gsize n = (gsize) (seconds * 51200);
  g_autofree float *frames = g_new (float, 2 * n);
  char *path = g_build_filename (dir, dead_channel >= 0 ? "dead.wav" : "good.wav", NULL);
  SF_INFO info = { .samplerate = 51200, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
  SNDFILE *file;
  double full_scale[2];

  for (guint c = 0; c < 2; c++)
    full_scale[c] = ausculta_profile_channel_full_scale (ausculta_profile_get_channel (profile, c));
  g_assert_true (ausculta_source_open (source, &config, NULL));
  g_assert_true (ausculta_source_start (source, "down", NULL));
  g_assert_cmpint (ausculta_source_read (source, frames, n, NULL), ==, n);
  for (gsize i = 0; i < 2 * n; i++)
    frames[i] = (int) (i % 2) == dead_channel ? 0.0f : (float) (frames[i] / full_scale[i % 2]);
  file = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (file);
  g_assert_cmpint (sf_writef_float (file, frames, n), ==, n);
  sf_close (file);
  return path;
}

static void
test_file_replay (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-inspection-XXXXXX", NULL);
  g_autofree char *good = record_simulator (dir, 4, 10.0, -1);
  g_autofree char *dead = record_simulator (dir, 4, 10.0, 1);
  g_autofree char *spec_good = g_strconcat ("file:", good, NULL);
  g_autofree char *spec_dead = g_strconcat ("file:", dead, NULL);
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec_good, NULL);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) replayed = inspect (inspection, "SN-FILE", &error);
  g_autoptr(AuscultaSource) dead_source = ausculta_source_new_from_spec (spec_dead, NULL);
  g_autoptr(AuscultaMeasurement) repeat = NULL;

  /* Calibrated back from full scale: Pa again. */
  g_assert_no_error (error);
  g_assert_cmpuint (replayed->health & AUSCULTA_HEALTH_REPEAT_MASK, ==, 0);
  g_assert_cmpfloat (feature (replayed, "V1_vib_down"), >, 0.01);
  /* A dead accelerometer: REPEAT, never OK or NOK, and the status says why. */
  ausculta_inspection_set_source (inspection, dead_source);
  repeat = inspect (inspection, "SN-FILE", &error);
  g_assert_no_error (error);
  g_assert_cmpint (repeat->verdict, ==, AUSCULTA_VERDICT_REPEAT);
  g_assert_cmpuint (repeat->health & AUSCULTA_HEALTH_DEAD_CHANNEL, !=, 0);
  g_test_message ("%s", ausculta_inspection_get_status (inspection));
  g_assert_true (g_str_has_prefix (ausculta_inspection_get_status (inspection), "sensor health: "));
  g_unlink (good);
  g_unlink (dead);
  g_rmdir (dir);
}

static void
test_short_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ausculta-inspection-XXXXXX", NULL);
  g_autofree char *path = record_simulator (dir, 5, 7.0, -1);
  g_autofree char *spec = g_strconcat ("file:", path, NULL);
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec (spec, NULL);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-SHORT", &error);
  g_autofree char *expected = g_strdup_printf ("invalid run, measure again: %s: the recording ends "
                                               "2.000 s into run “up” (file length 7.000 s)", path);

  g_assert_null (m);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_SHORT);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_faults_in_features (void)
{
  g_autoptr(AuscultaMeasurement) good = inspect_simulator ("simulator,seed=21", "SN-GOOD");
  g_autoptr(AuscultaMeasurement) unbalance = inspect_simulator ("simulator:unbalance,seed=21", "SN-UNB");
  g_autoptr(AuscultaMeasurement) commutator = inspect_simulator ("simulator:commutator,seed=21", "SN-COM");
  double high_good = 0.0, high_bad = 0.0;

  /* Unbalance raises order 1 of the vibration, in both runs. */
  g_test_message ("V1_vib_up %.4g → %.4g", feature (good, "V1_vib_up"), feature (unbalance, "V1_vib_up"));
  g_assert_cmpfloat (feature (unbalance, "V1_vib_up"), >, 3.0 * feature (good, "V1_vib_up"));
  g_assert_cmpfloat (feature (unbalance, "V1_vib_down"), >, 3.0 * feature (good, "V1_vib_down"));
  /* A commutator fault raises the high orders. */
  for (guint order = 30; order <= 75; order++)
    {
      g_autofree char *name = g_strdup_printf ("V%u_vib_up", order);

      high_good += feature (good, name);
      high_bad += feature (commutator, name);
    }
  g_test_message ("V30..V75 vib up %.4g → %.4g", high_good, high_bad);
  g_assert_cmpfloat (high_bad, >, 1.5 * high_good);
}

static void
test_model_verdicts (void)
{
  AuscultaMeasurement *good[30];
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (1000, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  /* Unbalance moves 4 of the 432 features: it must score above the good
   * unit, whether it crosses this small model's threshold is the model's
   * business; broad faults must be NOK. */
  struct { guint fault; AuscultaVerdict verdict; } cases[] = {
    { 0, AUSCULTA_VERDICT_OK },
    { AUSCULTA_MOTOR_FAULT_UNBALANCE, AUSCULTA_VERDICT_NONE },
    { AUSCULTA_MOTOR_FAULT_COMMUTATOR, AUSCULTA_VERDICT_NOK },
    { AUSCULTA_MOTOR_FAULT_WHISTLING, AUSCULTA_VERDICT_NOK },
  };
  double good_score = NAN;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *spec = g_strdup_printf ("simulator,seed=%u", 100 + i);

      good[i] = inspect_simulator (spec, "SN-TRAIN");
    }
  model = capture_test_train_model (good, G_N_ELEMENTS (good), ausculta_profile_get_name (profile),
                                    ausculta_profile_get_hash (profile));
  ausculta_inspection_set_model (inspection, model);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AuscultaMeasurement) m = NULL;

      ausculta_simulator_set_faults (AUSCULTA_SIMULATOR (source), cases[i].fault);
      m = inspect (inspection, "SN-SCORED", &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s, score %.3g / %.3g, %s", ausculta_motor_fault_to_string (cases[i].fault),
                      ausculta_verdict_to_string (m->verdict), m->score, m->threshold,
                      ausculta_inspection_get_status (inspection));
      if (cases[i].verdict == AUSCULTA_VERDICT_NONE)
        g_assert_cmpfloat (m->score, >, good_score);
      else
        g_assert_cmpint (m->verdict, ==, cases[i].verdict);
      if (cases[i].fault == 0)
        good_score = m->score;
      g_assert_nonnull (m->model_version);
      if (cases[i].verdict == AUSCULTA_VERDICT_NOK)
        g_assert_cmpuint (m->reasons->len, >, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    ausculta_measurement_unref (good[i]);
}

static void
test_archived_with_outbox (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "archive.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (12, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(AuscultaMeasurement) m = NULL;
  g_autoptr(AuscultaMeasurement) loaded = NULL;
  g_autoptr(AuscultaOutboxStats) stats = NULL;

  g_assert_no_error (error);
  ausculta_inspection_set_archive (inspection, archive);
  ausculta_inspection_set_operator (inspection, "alice");
  ausculta_inspection_set_station (inspection, "bench-3");
  m = inspect (inspection, "SN-ARCH", &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_hash_table_lookup (m->timings_ms, "archive"));
  loaded = ausculta_archive_load_measurement (archive, m->id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->serial, ==, "SN-ARCH");
  g_assert_cmpstr (loaded->operator_name, ==, "alice");
  g_assert_cmpstr (loaded->station, ==, "bench-3");
  g_assert_cmpuint (loaded->n_features, ==, 432);
  g_assert_cmpuint (loaded->signals->len, ==, 4);
  stats = ausculta_outbox_get_stats (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->backlog, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  profile = ausculta_profile_load ("default", &error);
  g_assert_no_error (error);
  g_test_add_func ("/ausculta/inspection/simulator-cycle", test_simulator_cycle);
  g_test_add_func ("/ausculta/inspection/observed-async", test_observed_async);
  g_test_add_func ("/ausculta/inspection/busy-main-loop", test_busy_main_loop);
  g_test_add_func ("/ausculta/inspection/disconnect-then-next", test_disconnect_then_next);
  g_test_add_func ("/ausculta/inspection/no-serial", test_no_serial);
  g_test_add_func ("/ausculta/inspection/cancelled", test_cancelled);
  g_test_add_func ("/ausculta/inspection/unsupported-then-next", test_unsupported_then_next);
  g_test_add_func ("/ausculta/inspection/file-replay-and-dead-channel", test_file_replay);
  g_test_add_func ("/ausculta/inspection/short-file", test_short_file);
  g_test_add_func ("/ausculta/inspection/faults-in-features", test_faults_in_features);
  g_test_add_func ("/ausculta/inspection/model-verdicts", test_model_verdicts);
  g_test_add_func ("/ausculta/inspection/archived-with-outbox", test_archived_with_outbox);
  status = g_test_run ();
  ausculta_profile_unref (profile);
  return status;
}
