/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-flac-stream"

#include "config.h"

#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-flac-stream.h"
#include "ausculta-inspection.h"

struct _AuscultaFlacStream
{
  SNDFILE    *file;
  GByteArray *bytes;       /* the FLAC file so far */
  gsize       position;    /* libsndfile's write position in it */
  double      scale;
  float      *normalised;
  gsize       capacity;
  gboolean    failed;
};

/* libsndfile writes into memory: the bytes array is the file. */
static sf_count_t
stream_length (void *data)
{
  return (sf_count_t) ((AuscultaFlacStream *) data)->bytes->len;
}

static sf_count_t
stream_seek (sf_count_t offset,
             int        whence,
             void      *data)
{
  AuscultaFlacStream *self = data;
  sf_count_t base = whence == SEEK_CUR ? (sf_count_t) self->position
                    : whence == SEEK_END ? (sf_count_t) self->bytes->len : 0;

  if (base + offset < 0)
    return -1;
  self->position = (gsize) (base + offset);
  return (sf_count_t) self->position;
}

static sf_count_t
stream_read (void       *buffer,
             sf_count_t  count,
             void       *data)
{
  AuscultaFlacStream *self = data;
  gsize n = self->position >= self->bytes->len ? 0 : MIN ((gsize) count, self->bytes->len - self->position);

  memcpy (buffer, self->bytes->data + self->position, n);
  self->position += n;
  return (sf_count_t) n;
}

static sf_count_t
stream_write (const void *buffer,
              sf_count_t  count,
              void       *data)
{
  AuscultaFlacStream *self = data;
  gsize end = self->position + (gsize) count;

  if (end > self->bytes->len)
    g_byte_array_set_size (self->bytes, (guint) end);
  memcpy (self->bytes->data + self->position, buffer, (gsize) count);
  self->position = end;
  return count;
}

static sf_count_t
stream_tell (void *data)
{
  return (sf_count_t) ((AuscultaFlacStream *) data)->position;
}

static SF_VIRTUAL_IO stream_io = {
  stream_length, stream_seek, stream_read, stream_write, stream_tell
};

AuscultaFlacStream *
ausculta_flac_stream_new (double   sample_rate,
                          double   scale,
                          GError **error)
{
  g_autoptr(AuscultaFlacStream) self = g_new0 (AuscultaFlacStream, 1);
  SF_INFO info = { .samplerate = (int) lround (sample_rate), .channels = 1,
                   .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_24 };

  g_return_val_if_fail (scale > 0.0 && isfinite (scale), NULL);

  self->bytes = g_byte_array_new ();
  self->scale = scale;
  self->file = sf_open_virtual (&stream_io, SFM_WRITE, &info, self);
  if (self->file == NULL)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                   "cannot encode FLAC at %g Hz: %s", sample_rate, sf_strerror (NULL));
      return NULL;
    }
  sf_command (self->file, SFC_SET_CLIPPING, NULL, SF_TRUE);
  return g_steal_pointer (&self);
}

gboolean
ausculta_flac_stream_write (AuscultaFlacStream *self,
                            const float        *samples,
                            gsize               n)
{
  if (self->failed)
    return FALSE;
  if (n > self->capacity)
    {
      self->normalised = g_renew (float, self->normalised, n);
      self->capacity = n;
    }
  for (gsize i = 0; i < n; i++)
    {
      float x = (float) (samples[i] / self->scale);

      /* Beyond the scale would clip; not finite cannot be stored. */
      if (!(fabsf (x) <= 1.0f))
        return !(self->failed = TRUE);
      self->normalised[i] = x;
    }
  if (sf_write_float (self->file, self->normalised, (sf_count_t) n) != (sf_count_t) n)
    self->failed = TRUE;
  return !self->failed;
}

GBytes *
ausculta_flac_stream_finish (AuscultaFlacStream  *self,
                             GError             **error)
{
  int status = sf_close (self->file);

  self->file = NULL;
  if (self->failed || status != 0)
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_SETUP,
                   "streamed FLAC abandoned: %s", self->failed ? "a sample beyond the channel's full scale"
                                                               : sf_error_number (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&self->bytes));
}

double
ausculta_flac_stream_get_scale (AuscultaFlacStream *self)
{
  return self->scale;
}

void
ausculta_flac_stream_free (AuscultaFlacStream *self)
{
  if (self == NULL)
    return;
  if (self->file != NULL)
    sf_close (self->file);
  if (self->bytes != NULL)
    g_byte_array_unref (self->bytes);
  g_free (self->normalised);
  g_free (self);
}
