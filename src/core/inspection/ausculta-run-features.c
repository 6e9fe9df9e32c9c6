/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-run-features"

#include "config.h"

#include "ausculta-run-features.h"

struct _AuscultaRunFeatures
{
  guint                      n_runs;
  guint                      count;        /* features per run */
  AuscultaFeatureExtractor **extractors;   /* one per run */
};

void
ausculta_run_features_free (AuscultaRunFeatures *self)
{
  if (self == NULL)
    return;
  for (guint r = 0; r < self->n_runs; r++)
    g_clear_pointer (&self->extractors[r], ausculta_feature_extractor_free);
  g_free (self->extractors);
  g_free (self);
}

AuscultaRunFeatures *
ausculta_run_features_new (AuscultaProfile  *profile,
                           GError          **error)
{
  g_autoptr(AuscultaRunFeatures) self = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (AuscultaRunFeatures, 1);
  self->n_runs = ausculta_profile_get_n_runs (profile);
  self->extractors = g_new0 (AuscultaFeatureExtractor *, self->n_runs);
  for (guint r = 0; r < self->n_runs; r++)
    if (!(self->extractors[r] = ausculta_feature_extractor_new (profile, error)))
      return NULL;
  self->count = self->n_runs > 0 ? ausculta_feature_extractor_get_run_size (self->extractors[0]) : 0;
  return g_steal_pointer (&self);
}

guint
ausculta_run_features_offset (AuscultaRunFeatures *self,
                              guint                run)
{
  return run * self->count;
}

guint
ausculta_run_features_count (AuscultaRunFeatures *self)
{
  return self->count;
}

gboolean
ausculta_run_features_extract (AuscultaRunFeatures  *self,
                               guint                 run,
                               AuscultaSignal      **signals,
                               guint                 n_signals,
                               double               *features,
                               guint                *health,
                               double               *milliseconds,
                               GError              **error)
{
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (run < self->n_runs, FALSE);

  if (!ausculta_feature_extractor_extract_run (self->extractors[run], run, signals, n_signals,
                                               features, health, error))
    return FALSE;
  *milliseconds = (g_get_monotonic_time () - started) / 1000.0;
  return TRUE;
}
