/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-run-features"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ausculta-inspection.h"
#include "ausculta-run-features.h"

struct _AuscultaRunFeatures
{
  guint                      n_runs;
  guint                      count;        /* features per run */
  char                     **run_names;
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
  g_strfreev (self->run_names);
  g_free (self);
}

/* The profile's file with only @run left, loaded from a temporary copy:
 * the profile can only be read from a file. Generated names, since the
 * historical naming insists on both runs (the names are not used). */
static AuscultaProfile *
load_one_run (GKeyFile    *file,
              const char  *run,
              GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  AuscultaProfile *profile;
  gsize length = 0;
  int fd;

  g_key_file_set_string (file, "profile", "runs", run);
  g_key_file_set_string (file, "profile", "naming", "generated");
  data = g_key_file_to_data (file, &length, NULL);
  fd = g_file_open_tmp ("ausculta-run-profile-XXXXXX.ini", &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  if (!g_file_set_contents (path, data, (gssize) length, error))
    {
      g_unlink (path);
      return NULL;
    }
  profile = ausculta_profile_load (path, error);
  g_unlink (path);
  return profile;
}

AuscultaRunFeatures *
ausculta_run_features_new (AuscultaProfile  *profile,
                           GError          **error)
{
  g_autoptr(AuscultaRunFeatures) self = g_new0 (AuscultaRunFeatures, 1);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  guint n_features = ausculta_profile_get_n_features (profile);

  g_return_val_if_fail (profile != NULL, NULL);

  if (!g_key_file_load_from_file (file, ausculta_profile_get_path (profile), G_KEY_FILE_NONE, error))
    return NULL;
  self->n_runs = ausculta_profile_get_n_runs (profile);
  self->count = self->n_runs > 0 ? n_features / self->n_runs : 0;
  self->run_names = g_new0 (char *, self->n_runs + 1);
  self->extractors = g_new0 (AuscultaFeatureExtractor *, self->n_runs);
  for (guint r = 0; r < self->n_runs; r++)
    {
      const char *name = ausculta_profile_get_run (profile, r)->name;
      g_autoptr(AuscultaProfile) one = load_one_run (file, name, error);

      if (one == NULL)
        return NULL;
      if (ausculta_profile_get_n_features (one) != self->count || self->count * self->n_runs != n_features)
        {
          g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                       "profile %s: run “%s” alone gives %u features, not %u of %u",
                       ausculta_profile_get_path (profile), name,
                       ausculta_profile_get_n_features (one), self->count, n_features);
          return NULL;
        }
      self->run_names[r] = g_strdup (name);
      if (!(self->extractors[r] = ausculta_feature_extractor_new (one, error)))
        return NULL;
    }
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
  g_autoptr(AuscultaMeasurement) alone = ausculta_measurement_new ();
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (run < self->n_runs, FALSE);

  /* Borrows the run's signals: the extractor writes their health. */
  g_ptr_array_set_free_func (alone->signals, NULL);
  for (guint i = 0; i < n_signals; i++)
    if (g_strcmp0 (signals[i]->run, self->run_names[run]) == 0)
      g_ptr_array_add (alone->signals, signals[i]);
  if (!ausculta_feature_extractor_extract (self->extractors[run], alone, error))
    return FALSE;
  g_assert (alone->n_features == self->count);
  memcpy (features, alone->features, self->count * sizeof (double));
  *health |= alone->health;
  *milliseconds = (g_get_monotonic_time () - started) / 1000.0;
  return TRUE;
}
