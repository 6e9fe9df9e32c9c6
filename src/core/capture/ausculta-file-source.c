/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-file-source"

#include "config.h"

#include <sndfile.h>

#include "ausculta-file-source.h"

struct _AuscultaFileSource
{
  AuscultaSource  parent_instance;

  char          **paths;
  guint           n_paths;
  guint           run_index;    /* runs started since open */
  guint           file_index;   /* the file being read */
  SNDFILE        *file;
  SF_INFO         info;
  AuscultaSourceConfig config;
  float          *scratch;      /* one block of the file's frames */
  gsize           scratch_frames;
  sf_count_t      run_frames;   /* frames read in this run */
};

G_DEFINE_FINAL_TYPE (AuscultaFileSource, ausculta_file_source, AUSCULTA_TYPE_SOURCE)

AuscultaSource *
ausculta_file_source_new (const char * const *paths)
{
  AuscultaFileSource *self;
  g_autofree char *joined = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  joined = g_strjoinv (",", (char **) paths);
  name = g_strconcat ("file:", joined, NULL);
  self = g_object_new (AUSCULTA_TYPE_FILE_SOURCE, "name", name, NULL);
  self->paths = g_strdupv ((char **) paths);
  self->n_paths = g_strv_length (self->paths);
  return AUSCULTA_SOURCE (self);
}

static gboolean
open_file (AuscultaFileSource *self,
           guint               index,
           GError            **error)
{
  const char *path = self->paths[index];

  g_clear_pointer (&self->file, sf_close);
  self->info = (SF_INFO) { 0 };
  self->file = sf_open (path, SFM_READ, &self->info);
  if (self->file == NULL)
    {
      gboolean missing = !g_file_test (path, G_FILE_TEST_EXISTS);

      g_set_error (error, AUSCULTA_SOURCE_ERROR,
                   missing ? AUSCULTA_SOURCE_ERROR_NOT_FOUND : AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "%s: %s%s", path,
                   missing ? "no such file" : "not a WAV or FLAC recording: ",
                   missing ? "" : sf_strerror (NULL));
      return FALSE;
    }
  self->file_index = index;
  return TRUE;
}

static gboolean
check_file (AuscultaFileSource         *self,
            const AuscultaSourceConfig *config,
            GError                    **error)
{
  const char *path = self->paths[self->file_index];

  if (self->info.samplerate != (int) config->sample_rate)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "%s: recorded at %d Hz, not %g Hz: this file supports only %d Hz",
                   path, self->info.samplerate, config->sample_rate, self->info.samplerate);
      return FALSE;
    }
  for (guint i = 0; i < config->n_channels; i++)
    if (config->channels[i] >= (guint) self->info.channels)
      {
        g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                     "%s: no channel %u: the file has %d channel%s (0 to %d)",
                     path, config->channels[i], self->info.channels,
                     self->info.channels == 1 ? "" : "s", self->info.channels - 1);
        return FALSE;
      }
  return TRUE;
}

static gboolean
ausculta_file_source_open (AuscultaSource             *source,
                           const AuscultaSourceConfig *config,
                           GError                    **error)
{
  AuscultaFileSource *self = AUSCULTA_FILE_SOURCE (source);

  /* Check every file now: a bad second file must not cost a first run. */
  for (guint i = self->n_paths; i-- > 0;)
    if (!open_file (self, i, error) || !check_file (self, config, error))
      {
        g_clear_pointer (&self->file, sf_close);
        return FALSE;
      }
  self->config = *config;
  self->run_index = 0;
  self->scratch_frames = MAX (config->block_frames, 4096);
  g_free (self->scratch);
  self->scratch = g_new (float, self->scratch_frames * self->info.channels);
  return TRUE;
}

static gboolean
ausculta_file_source_start (AuscultaSource *source,
                            GError        **error)
{
  AuscultaFileSource *self = AUSCULTA_FILE_SOURCE (source);
  guint index = MIN (self->run_index, self->n_paths - 1);

  if (self->n_paths > 1 && !open_file (self, index, error))
    return FALSE;
  self->run_index++;
  self->run_frames = 0;
  return TRUE;
}

static gsize
ausculta_file_source_generate (AuscultaSource *source,
                               float          *frames,
                               gsize           n_frames,
                               GError        **error)
{
  AuscultaFileSource *self = AUSCULTA_FILE_SOURCE (source);
  guint n_out = self->config.n_channels;
  gsize done = 0;

  while (done < n_frames)
    {
      sf_count_t want = MIN (n_frames - done, self->scratch_frames);
      sf_count_t got = sf_readf_float (self->file, self->scratch, want);

      for (sf_count_t f = 0; f < got; f++)
        for (guint c = 0; c < n_out; c++)
          frames[(done + f) * n_out + c] =
            self->scratch[f * self->info.channels + self->config.channels[c]];
      done += got;
      self->run_frames += got;
      if (got < want)
        break;
    }
  if (done < n_frames)
    g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_SHORT,
                 "%s: the recording ends %.3f s into run “%s” (file length %.3f s): "
                 "it is shorter than the run",
                 self->paths[self->file_index], self->run_frames / self->config.sample_rate,
                 ausculta_source_get_run (source),
                 self->info.frames / self->config.sample_rate);
  return done;
}

static void
ausculta_file_source_close (AuscultaSource *source)
{
  AuscultaFileSource *self = AUSCULTA_FILE_SOURCE (source);

  g_clear_pointer (&self->file, sf_close);
  g_clear_pointer (&self->scratch, g_free);
}

double
ausculta_file_source_get_rate (AuscultaFileSource *self)
{
  SF_INFO info = { 0 };
  SNDFILE *file;

  g_return_val_if_fail (AUSCULTA_IS_FILE_SOURCE (self), 0.0);

  if (self->file != NULL)
    return self->info.samplerate;
  file = sf_open (self->paths[0], SFM_READ, &info);
  if (file == NULL)
    return 0.0;
  sf_close (file);
  return info.samplerate;
}

static void
ausculta_file_source_finalize (GObject *object)
{
  AuscultaFileSource *self = AUSCULTA_FILE_SOURCE (object);

  g_strfreev (self->paths);
  G_OBJECT_CLASS (ausculta_file_source_parent_class)->finalize (object);
}

static void
ausculta_file_source_class_init (AuscultaFileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaSourceClass *source_class = AUSCULTA_SOURCE_CLASS (klass);

  object_class->finalize = ausculta_file_source_finalize;
  source_class->open = ausculta_file_source_open;
  source_class->start = ausculta_file_source_start;
  source_class->generate = ausculta_file_source_generate;
  source_class->close = ausculta_file_source_close;
}

static void
ausculta_file_source_init (AuscultaFileSource *self)
{
}
