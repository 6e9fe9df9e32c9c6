/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspection-pipeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-archive.h"
#include "ausculta-inspection-pipeline.h"
#include "ausculta-model-follower.h"
#include "ausculta-run-features.h"
#include "ausculta-work-group.h"

typedef struct {
  guint   health;
  double  milliseconds;
  GError *error;
  gboolean done;
} RunResult;

struct _AuscultaPipeline
{
  AuscultaInspectionSetup *setup;        /* borrowed: outlives the pipeline */
  AuscultaWorkGroup       *group;
  gboolean                 encode;       /* the archive keeps these signals */

  /* Written by the jobs, read after the group is waited for. */
  double                  *features;     /* the whole vector, slice by slice */
  RunResult               *runs;
  GMutex                   lock;         /* guards the FLAC sums */
  double                   flac_ms;
  guint                    flac_count;
  gboolean                 model_changed;
  char                    *model_problem;
};

/* ---- jobs ---- */

typedef struct {
  AuscultaPipeline *pipeline;
  guint             run;
  AuscultaSignal   *signals[AUSCULTA_SOURCE_MAX_CHANNELS];
  guint             n_signals;
} FeaturesJob;

static void
features_job (gpointer data)
{
  FeaturesJob *job = data;
  AuscultaPipeline *self = job->pipeline;
  AuscultaRunFeatures *run_features = self->setup->run_features;
  RunResult *result = &self->runs[job->run];

  ausculta_run_features_extract (run_features, job->run, job->signals, job->n_signals,
                                 self->features + ausculta_run_features_offset (run_features, job->run),
                                 &result->health, &result->milliseconds, &result->error);
  result->done = TRUE;
}

typedef struct {
  AuscultaPipeline *pipeline;
  AuscultaSignal   *signal;
} FlacJob;

/* A failure leaves the signal without its encoding: the archive then
 * encodes it in its transaction and reports the error itself. */
static void
flac_job (gpointer data)
{
  FlacJob *job = data;
  AuscultaSignal *signal = job->signal;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  double scale = 0.0;
  GBytes *flac = ausculta_archive_encode_flac (signal, &scale, &error);

  if (flac == NULL)
    {
      g_debug ("%s/%s left for the archive to encode: %s", signal->run, signal->channel,
               error->message);
      return;
    }
  signal->flac = flac;
  signal->flac_scale = scale;
  g_mutex_lock (&job->pipeline->lock);
  job->pipeline->flac_ms += (g_get_monotonic_time () - started) / 1000.0;
  job->pipeline->flac_count++;
  g_mutex_unlock (&job->pipeline->lock);
}

static void
model_job (gpointer data)
{
  AuscultaPipeline *self = data;

  self->model_changed = ausculta_model_follower_update (self->setup->follower, self->setup->archive,
                                                        &self->model_problem);
}

/* ---- the pipeline ---- */

/* Whether the archive keeps the signals of the cycle's station: as the
 * archive decides it, an unknown (or unnamed) station keeps them. */
static gboolean
station_keeps_signals (AuscultaInspectionSetup *setup)
{
  g_autoptr(GPtrArray) stations = NULL;

  if (setup->archive == NULL)
    return FALSE;
  if (setup->station == NULL
      || (stations = ausculta_archive_list_stations (setup->archive, NULL)) == NULL)
    return TRUE;
  for (guint i = 0; i < stations->len; i++)
    {
      AuscultaStation *station = g_ptr_array_index (stations, i);

      if (g_strcmp0 (station->name, setup->station) == 0)
        return station->store_signals;
    }
  return TRUE;
}

AuscultaPipeline *
ausculta_pipeline_new (AuscultaInspectionSetup *setup)
{
  AuscultaPipeline *self = g_new0 (AuscultaPipeline, 1);

  self->setup = setup;
  self->group = ausculta_work_group_new ();
  g_mutex_init (&self->lock);
  self->runs = g_new0 (RunResult, ausculta_profile_get_n_runs (setup->profile));
  if (setup->run_features != NULL)
    self->features = g_new (double, ausculta_profile_get_n_features (setup->profile));
  if (setup->archive != NULL && setup->follower != NULL)
    ausculta_work_group_submit (self->group, model_job, self, NULL);
  self->encode = station_keeps_signals (setup);
  return self;
}

gboolean
ausculta_pipeline_encodes (AuscultaPipeline *self)
{
  return self->encode;
}

void
ausculta_pipeline_run_ended (AuscultaPipeline  *self,
                             guint              run,
                             AuscultaSignal   **signals,
                             guint              n_signals)
{
  /* The features first: the verdict needs them, only the archive needs FLAC. */
  if (self->setup->run_features != NULL)
    {
      FeaturesJob *job = g_new0 (FeaturesJob, 1);

      job->pipeline = self;
      job->run = run;
      job->n_signals = MIN (n_signals, AUSCULTA_SOURCE_MAX_CHANNELS);
      memcpy (job->signals, signals, job->n_signals * sizeof (AuscultaSignal *));
      ausculta_work_group_submit (self->group, features_job, job, g_free);
    }
  for (guint i = 0; self->encode && i < n_signals; i++)
    {
      FlacJob *job;

      if (signals[i]->flac != NULL)
        continue;
      job = g_new (FlacJob, 1);

      *job = (FlacJob) { self, signals[i] };
      ausculta_work_group_submit (self->group, flac_job, job, g_free);
    }
}

/* Merges the runs' slices; the whole extraction when there are none. */
static gboolean
merge_features (AuscultaPipeline     *self,
                AuscultaMeasurement  *measurement,
                GError              **error)
{
  AuscultaProfile *profile = self->setup->profile;
  double total = 0.0;

  if (self->setup->run_features == NULL)
    return ausculta_feature_extractor_extract (self->setup->extractor, measurement, error);
  for (guint r = 0; r < ausculta_profile_get_n_runs (profile); r++)
    {
      RunResult *result = &self->runs[r];
      g_autofree char *step = g_strdup_printf ("features_%s", ausculta_profile_get_run (profile, r)->name);

      if (result->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&result->error));
          return FALSE;
        }
      g_assert (result->done);
      measurement->health |= result->health;
      ausculta_measurement_set_timing (measurement, step, result->milliseconds);
      total += result->milliseconds;
    }
  ausculta_measurement_set_features (measurement, ausculta_profile_get_feature_names (profile),
                                     self->features, ausculta_profile_get_n_features (profile));
  ausculta_measurement_set_timing (measurement, "features", total);
  return TRUE;
}

void
ausculta_pipeline_wait (AuscultaPipeline *self)
{
  ausculta_work_group_wait (self->group);
}

gboolean
ausculta_pipeline_finish (AuscultaPipeline     *self,
                          AuscultaMeasurement  *measurement,
                          GError              **error)
{
  gint64 started = g_get_monotonic_time ();

  ausculta_work_group_wait (self->group);
  ausculta_measurement_set_timing (measurement, "wait_runs", (g_get_monotonic_time () - started) / 1000.0);
  if (self->flac_count > 0)
    ausculta_measurement_set_timing (measurement, "flac", self->flac_ms);
  return merge_features (self, measurement, error);
}

AuscultaModel *
ausculta_pipeline_get_model (AuscultaPipeline *self)
{
  AuscultaModel *production = self->setup->follower && self->setup->archive
                              ? ausculta_model_follower_get (self->setup->follower) : NULL;

  return production != NULL ? production : self->setup->model;
}

gboolean
ausculta_pipeline_model_changed (AuscultaPipeline *self)
{
  return self->model_changed;
}

const char *
ausculta_pipeline_model_problem (AuscultaPipeline *self)
{
  return self->model_problem;
}

void
ausculta_pipeline_free (AuscultaPipeline *self)
{
  if (self == NULL)
    return;
  ausculta_work_group_free (self->group);
  for (guint r = 0; r < ausculta_profile_get_n_runs (self->setup->profile); r++)
    g_clear_error (&self->runs[r].error);
  g_free (self->runs);
  g_free (self->features);
  g_free (self->model_problem);
  g_mutex_clear (&self->lock);
  g_free (self);
}
