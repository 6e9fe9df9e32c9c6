/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspection-cycle"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-file-source.h"
#include "ausculta-flac-stream.h"
#include "ausculta-inspection-pipeline.h"

#define BLOCK_FRAMES 512
#define STANDARD_GRAVITY 9.80665

/* How a source's values become a channel's calibrated unit. */
typedef struct {
  gboolean          calibrate;   /* through the profile's sensitivity and range */
  AuscultaRawScale  raw_scale;
  double            factor;      /* otherwise: a unit conversion */
} Conversion;

static double
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

static gboolean
plan_conversion (AuscultaSource               *source,
                 guint                         index,
                 const AuscultaProfileChannel *channel,
                 Conversion                   *conversion,
                 GError                      **error)
{
  const char *unit = ausculta_source_get_channel_unit (source, index);

  *conversion = (Conversion) { .calibrate = FALSE, .factor = 1.0 };
  if (unit == NULL || g_str_equal (unit, "V"))
    {
      conversion->calibrate = TRUE;
      conversion->raw_scale = unit == NULL ? AUSCULTA_RAW_NORMALISED : AUSCULTA_RAW_VOLTS;
    }
  else if (g_str_equal (unit, "m/s²") && g_strcmp0 (channel->unit, "g") == 0)
    conversion->factor = 1.0 / STANDARD_GRAVITY;
  else if (g_str_equal (unit, "g") && g_strcmp0 (channel->unit, "m/s²") == 0)
    conversion->factor = STANDARD_GRAVITY;
  else if (g_strcmp0 (unit, channel->unit) != 0)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                   "%s gives %s on input %u, but the profile's channel “%s” is in %s",
                   ausculta_source_get_name (source), unit, channel->input, channel->name,
                   channel->unit);
      return FALSE;
    }
  return TRUE;
}

static void
convert (const AuscultaProfileChannel *channel,
         const Conversion             *conversion,
         float                        *samples,
         gsize                         n)
{
  if (conversion->calibrate)
    ausculta_profile_channel_calibrate (channel, conversion->raw_scale, samples, samples, n);
  else if (conversion->factor != 1.0)
    for (gsize i = 0; i < n; i++)
      samples[i] = (float) (samples[i] * conversion->factor);
}

static gboolean
open_source (AuscultaInspectionSetup *setup,
             double                  *sample_rate,
             Conversion              *conversions,
             GError                 **error)
{
  AuscultaProfile *profile = setup->profile;
  AuscultaSourceConfig config = { 0 };
  guint n = ausculta_profile_get_n_channels (profile);

  if (setup->source == NULL)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                   "no capture source: choose a device, a recording or the simulator");
      return FALSE;
    }
  if (n == 0 || n > AUSCULTA_SOURCE_MAX_CHANNELS)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                   "profile “%s”: %u channels, expected 1 to %d",
                   ausculta_profile_get_name (profile), n, AUSCULTA_SOURCE_MAX_CHANNELS);
      return FALSE;
    }
  /* A recording plays at its own rate; the extractor keeps the bin width. */
  *sample_rate = ausculta_profile_get_sample_rate (profile);
  if (AUSCULTA_IS_FILE_SOURCE (setup->source)
      && ausculta_file_source_get_rate (AUSCULTA_FILE_SOURCE (setup->source)) > 0.0)
    *sample_rate = ausculta_file_source_get_rate (AUSCULTA_FILE_SOURCE (setup->source));
  config.n_channels = n;
  config.sample_rate = *sample_rate;
  config.block_frames = BLOCK_FRAMES;
  for (guint c = 0; c < n; c++)
    config.channels[c] = ausculta_profile_get_channel (profile, c)->input;
  if (!ausculta_source_open (setup->source, &config, error))
    return FALSE;
  for (guint c = 0; c < n; c++)
    if (!plan_conversion (setup->source, c, ausculta_profile_get_channel (profile, c),
                          &conversions[c], error))
      return FALSE;
  return TRUE;
}

/* FLAC encoders fed block by block, scaled to each channel's full scale
 * (what the bench's converter can deliver); a channel that exceeds it is
 * encoded whole when its run ends instead. */
static gboolean
open_flac_streams (AuscultaInspectionSetup  *setup,
                   AuscultaPipeline         *pipeline,
                   double                    rate,
                   AuscultaFlacStream      **streams)
{
  gboolean any = FALSE;

  for (guint c = 0; c < ausculta_profile_get_n_channels (setup->profile); c++)
    {
      double full_scale = ausculta_profile_channel_full_scale (ausculta_profile_get_channel (setup->profile, c));

      streams[c] = NULL;
      if (ausculta_pipeline_encodes (pipeline) && isfinite (full_scale) && full_scale > 0.0)
        streams[c] = ausculta_flac_stream_new (rate, full_scale, NULL);
      any |= streams[c] != NULL;
    }
  return any;
}

/* Returns the microseconds spent. */
static gint64
stream_block (AuscultaFlacStream **streams,
              AuscultaSignal     **run_signals,
              guint                n_channels,
              gsize                offset,
              gsize                n)
{
  gint64 started = g_get_monotonic_time ();

  for (guint c = 0; c < n_channels; c++)
    if (streams[c] != NULL && !ausculta_flac_stream_write (streams[c], run_signals[c]->samples + offset, n))
      g_clear_pointer (&streams[c], ausculta_flac_stream_free);
  return g_get_monotonic_time () - started;
}

static void
add_timing (AuscultaMeasurement *measurement,
            const char          *step,
            double               milliseconds)
{
  double *before = g_hash_table_lookup (measurement->timings_ms, step);

  ausculta_measurement_set_timing (measurement, step, milliseconds + (before ? *before : 0.0));
}

/* Returns the microseconds spent. */
static gint64
finish_flac_streams (AuscultaFlacStream **streams,
                     AuscultaSignal     **run_signals,
                     guint                n_channels)
{
  gint64 started = g_get_monotonic_time ();

  for (guint c = 0; c < n_channels; c++)
    {
      g_autoptr(GError) error = NULL;

      if (streams[c] == NULL)
        continue;
      run_signals[c]->flac = ausculta_flac_stream_finish (streams[c], &error);
      run_signals[c]->flac_scale = ausculta_flac_stream_get_scale (streams[c]);
      if (run_signals[c]->flac == NULL)
        g_debug ("%s/%s: %s", run_signals[c]->run, run_signals[c]->channel, error->message);
      g_clear_pointer (&streams[c], ausculta_flac_stream_free);
    }
  return g_get_monotonic_time () - started;
}

static void
free_flac_streams (AuscultaFlacStream **streams,
                   guint                n_channels)
{
  for (guint c = 0; c < n_channels; c++)
    g_clear_pointer (&streams[c], ausculta_flac_stream_free);
}

static AuscultaInspectionState
state_of_run (const char *run)
{
  return g_strcmp0 (run, "down") == 0 ? AUSCULTA_INSPECTION_RUN_DOWN : AUSCULTA_INSPECTION_RUN_UP;
}

/* The samples just converted, for the block sink. */
static void
publish_block (AuscultaInspection  *self,
               const char          *run,
               double               rate,
               AuscultaSignal     **run_signals,
               guint                n_channels,
               gsize                offset,
               gsize                n_frames)
{
  AuscultaLiveBlock block = {
    .run = run,
    .n_channels = n_channels,
    .n_frames = n_frames,
    .sample_rate = rate,
    .offset = offset,
    .captured = g_get_monotonic_time (),
  };

  for (guint c = 0; c < n_channels; c++)
    block.samples[c] = run_signals[c]->samples + offset;
  ausculta_inspection_publish_block (self, &block);
}

static gboolean
capture_run (AuscultaInspection            *self,
             AuscultaInspectionSetup       *setup,
             AuscultaPipeline              *pipeline,
             guint                          run_index,
             double                         rate,
             const Conversion              *conversions,
             AuscultaMeasurement           *measurement,
             GCancellable                  *cancellable,
             GError                       **error)
{
  AuscultaProfile *profile = setup->profile;
  const AuscultaProfileRun *run = ausculta_profile_get_run (profile, run_index);
  guint n_channels = ausculta_profile_get_n_channels (profile);
  gsize total = (gsize) llround (run->duration * rate);
  g_autofree float *block = g_new (float, (gsize) BLOCK_FRAMES * n_channels);
  AuscultaSignal *run_signals[AUSCULTA_SOURCE_MAX_CHANNELS];
  AuscultaFlacStream *streams[AUSCULTA_SOURCE_MAX_CHANNELS];
  gint64 started = g_get_monotonic_time ();
  gint64 streamed = 0;
  double told = 0.0;   /* the progress the observers know */
  gboolean streaming;
  guint overruns;

  for (guint c = 0; c < n_channels; c++)
    {
      const AuscultaProfileChannel *channel = ausculta_profile_get_channel (profile, c);

      run_signals[c] = ausculta_measurement_add_signal (measurement, run->name, channel->name,
                                                        channel->unit, rate, total);
    }
  ausculta_inspection_publish (self, state_of_run (run->name), run->name, NULL, NULL);
  if (!ausculta_source_start (setup->source, run->name, error))
    return FALSE;
  streaming = open_flac_streams (setup, pipeline, rate, streams);
  for (gsize done = 0; done < total;)
    {
      gsize n = MIN (BLOCK_FRAMES, total - done);

      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || ausculta_source_read (setup->source, block, n, error) < 0)
        {
          ausculta_source_stop (setup->source);
          free_flac_streams (streams, n_channels);
          return FALSE;
        }
      for (guint c = 0; c < n_channels; c++)
        {
          float *out = run_signals[c]->samples + done;

          for (gsize f = 0; f < n; f++)
            out[f] = block[f * n_channels + c];
          convert (ausculta_profile_get_channel (profile, c), &conversions[c], out, n);
        }
      streamed += stream_block (streams, run_signals, n_channels, done, n);
      publish_block (self, run->name, rate, run_signals, n_channels, done, n);
      done += n;
      if ((double) done / total >= told + 0.01 || done == total)
        ausculta_inspection_publish_progress (self, told = (double) done / total);
    }
  ausculta_source_stop (setup->source);
  streamed += finish_flac_streams (streams, run_signals, n_channels);
  if (streaming)
    add_timing (measurement, "flac_stream", streamed / 1000.0);
  overruns = ausculta_source_get_overruns (setup->source);
  for (guint c = 0; c < n_channels; c++)
    run_signals[c]->overruns = overruns;
  measurement->overruns += overruns;
  ausculta_pipeline_run_ended (pipeline, run_index, run_signals, n_channels);
  {
    g_autofree char *step = g_strdup_printf ("capture_%s", run->name);

    ausculta_measurement_set_timing (measurement, step, elapsed_ms (started));
  }
  return TRUE;
}

static gboolean
capture (AuscultaInspection      *self,
         AuscultaInspectionSetup *setup,
         AuscultaPipeline        *pipeline,
         AuscultaMeasurement     *measurement,
         gboolean                *started,
         GCancellable            *cancellable,
         GError                 **error)
{
  Conversion conversions[AUSCULTA_SOURCE_MAX_CHANNELS];
  double rate = 0.0;
  gboolean ok;

  *started = FALSE;
  if (!open_source (setup, &rate, conversions, error))
    {
      ausculta_source_close (setup->source);
      return FALSE;
    }
  *started = ok = TRUE;
  for (guint r = 0; ok && r < ausculta_profile_get_n_runs (setup->profile); r++)
    ok = capture_run (self, setup, pipeline, r, rate, conversions, measurement, cancellable, error);
  ausculta_source_close (setup->source);
  return ok;
}

/* Health, features, model: the verdict and what explains it. */
static char *
judge (AuscultaPipeline    *pipeline,
       AuscultaMeasurement *measurement)
{
  AuscultaModel *model;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (measurement->overruns > 0)
    measurement->health |= AUSCULTA_HEALTH_OVERRUN;
  if (!ausculta_pipeline_finish (pipeline, measurement, &error))
    {
      measurement->verdict = AUSCULTA_VERDICT_REPEAT;
      return g_strdup_printf ("features could not be computed: %s — measure again", error->message);
    }
  if (measurement->overruns > 0)
    measurement->health |= AUSCULTA_HEALTH_OVERRUN;
  if (measurement->health & AUSCULTA_HEALTH_REPEAT_MASK)
    {
      g_autofree char *flags = ausculta_health_to_string (measurement->health & AUSCULTA_HEALTH_REPEAT_MASK);

      measurement->verdict = AUSCULTA_VERDICT_REPEAT;
      return g_strdup_printf ("sensor health: %s — measure again", flags);
    }
  if ((model = ausculta_pipeline_get_model (pipeline)) == NULL)
    {
      measurement->verdict = AUSCULTA_VERDICT_NONE;
      return g_strdup ("no model loaded: features computed, no verdict");
    }
  started = g_get_monotonic_time ();
  if (!ausculta_model_score_measurement (model, measurement, &error))
    {
      measurement->verdict = AUSCULTA_VERDICT_NONE;
      return g_strdup_printf ("the model cannot score this measurement: %s", error->message);
    }
  ausculta_measurement_set_timing (measurement, "score", elapsed_ms (started));
  return g_strdup_printf ("%s (score %.3g, threshold %.3g)",
                          ausculta_verdict_to_string (measurement->verdict),
                          measurement->score, measurement->threshold);
}

static AuscultaMeasurement *
new_measurement (AuscultaInspectionSetup *setup)
{
  AuscultaMeasurement *measurement = ausculta_measurement_new ();

  g_free (measurement->id);
  measurement->id = ausculta_uuid7_new ();
  measurement->serial = g_strdup (setup->serial);
  measurement->station = g_strdup (setup->station);
  measurement->operator_name = g_strdup (setup->operator_name);
  measurement->source = g_strdup (ausculta_source_get_name (setup->source));
  measurement->profile_name = g_strdup (ausculta_profile_get_name (setup->profile));
  measurement->profile_hash = g_strdup (ausculta_profile_get_hash (setup->profile));
  measurement->started_at = g_date_time_new_now_utc ();
  measurement->verdict = AUSCULTA_VERDICT_NONE;
  measurement->score = NAN;
  measurement->threshold = NAN;
  return measurement;
}

/* The observers learn which model the verdicts now come from; the status
 * says when the archive's production model could not be loaded. */
static void
follow_production (AuscultaInspection  *self,
                   AuscultaPipeline    *pipeline,
                   char               **status)
{
  const char *problem = ausculta_pipeline_model_problem (pipeline);
  AuscultaModel *model = ausculta_pipeline_get_model (pipeline);

  if (ausculta_pipeline_model_changed (pipeline))
    ausculta_inspection_publish_production (self, model);
  if (problem != NULL && status != NULL)
    {
      char *longer = g_strdup_printf ("%s; %s — still using %s", *status, problem,
                                      model ? ausculta_model_get_version (model) : "no model");

      g_free (*status);
      *status = longer;
    }
}

/* The capture failed: the measurement is kept, invalid, for the observers;
 * nothing is archived; the source is closed so the next cycle reopens it.
 * The error keeps the source's code (busy, unsupported, disconnected,
 * short) so a caller can tell a bench problem from a cable problem. */
static void
invalidate (AuscultaInspection  *self,
            AuscultaMeasurement *measurement,
            gboolean             started,
            GError             **error)
{
  /* Stopped by the operator: back to armed, nothing to show. */
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ausculta_inspection_publish (self, AUSCULTA_INSPECTION_ARMED, NULL, "cancelled", NULL);
      return;
    }
  measurement->verdict = AUSCULTA_VERDICT_REPEAT;
  measurement->health |= AUSCULTA_HEALTH_SHORT_RUN;
  measurement->finished_at = g_date_time_new_now_utc ();
  if (started)
    g_prefix_error (error, "invalid run, measure again: ");
  ausculta_inspection_publish (self, AUSCULTA_INSPECTION_DONE, NULL, (*error)->message, measurement);
}

AuscultaMeasurement *
ausculta_inspection_cycle (AuscultaInspection      *self,
                           AuscultaInspectionSetup *setup,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(AuscultaPipeline) pipeline = NULL;
  g_autofree char *status = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 captured;
  gboolean archived = TRUE;
  gboolean capturing;

  if (setup->serial == NULL || setup->source == NULL)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR,
                   setup->serial == NULL ? AUSCULTA_INSPECTION_ERROR_NO_SERIAL : AUSCULTA_INSPECTION_ERROR_SETUP,
                   setup->serial == NULL ? "no serial: scan or type the motor's serial first"
                                        : "no capture source: choose a device, a recording or the simulator");
      goto out;
    }
  measurement = new_measurement (setup);
  pipeline = ausculta_pipeline_new (setup);
  ausculta_inspection_publish (self, -1, NULL, "capturing", NULL);
  if (!capture (self, setup, pipeline, measurement, &capturing, cancellable, error))
    {
      /* The jobs of the runs captured so far use the measurement. */
      ausculta_pipeline_wait (pipeline);
      follow_production (self, pipeline, NULL);
      invalidate (self, measurement, capturing, error);
      g_clear_pointer (&measurement, ausculta_measurement_unref);
      goto out;
    }
  captured = g_get_monotonic_time ();
  ausculta_measurement_set_timing (measurement, "capture", (captured - started) / 1000.0);
  ausculta_inspection_publish (self, AUSCULTA_INSPECTION_PROCESSING, NULL, "processing", NULL);
  status = judge (pipeline, measurement);
  follow_production (self, pipeline, &status);
  measurement->finished_at = g_date_time_new_now_utc ();
  if (setup->archive != NULL)
    {
      gint64 archiving = g_get_monotonic_time ();

      archived = ausculta_archive_insert_measurement (setup->archive, measurement, error);
      ausculta_measurement_set_timing (measurement, "archive", elapsed_ms (archiving));
    }
  ausculta_measurement_set_timing (measurement, "end_to_verdict", elapsed_ms (captured));
  ausculta_measurement_set_timing (measurement, "total", elapsed_ms (started));
  if (!archived)
    {
      g_prefix_error (error, "%s; not archived: ", status);
      ausculta_inspection_publish (self, AUSCULTA_INSPECTION_DONE, NULL, (*error)->message, measurement);
      g_clear_pointer (&measurement, ausculta_measurement_unref);
      goto out;
    }
  ausculta_inspection_publish (self, AUSCULTA_INSPECTION_DONE, NULL, status, measurement);
out:
  g_clear_pointer (&pipeline, ausculta_pipeline_free);
  ausculta_inspection_setup_clear (setup);
  ausculta_inspection_cycle_ended (self);
  return g_steal_pointer (&measurement);
}

/* ---- running: in the caller, or in a worker ---- */

AuscultaMeasurement *
ausculta_inspection_run (AuscultaInspection *self,
                         GCancellable       *cancellable,
                         GError            **error)
{
  AuscultaInspectionSetup setup = { 0 };

  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ausculta_inspection_take_setup (self, &setup, error))
    return NULL;
  return ausculta_inspection_cycle (self, &setup, cancellable, error);
}

static void
setup_free (gpointer data)
{
  AuscultaInspectionSetup *setup = data;

  ausculta_inspection_setup_clear (setup);
  g_free (setup);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  AuscultaMeasurement *measurement = ausculta_inspection_cycle (source_object, task_data,
                                                                cancellable, &error);

  if (measurement != NULL)
    g_task_return_pointer (task, measurement, (GDestroyNotify) ausculta_measurement_unref);
  else
    g_task_return_error (task, error);
}

/* The cycle is marked running before this returns, so that a second start
 * (a double press, a repeated PLC line) fails with BUSY. */
void
ausculta_inspection_run_async (AuscultaInspection  *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AuscultaInspectionSetup *setup = g_new0 (AuscultaInspectionSetup, 1);
  GError *error = NULL;

  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ausculta_inspection_run_async);
  if (!ausculta_inspection_take_setup (self, setup, &error))
    {
      g_free (setup);
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, setup, setup_free);
  g_task_run_in_thread (task, run_in_thread);
}

AuscultaMeasurement *
ausculta_inspection_run_finish (AuscultaInspection *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
