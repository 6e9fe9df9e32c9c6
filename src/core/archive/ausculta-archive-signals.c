/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-signals"

#include "config.h"

#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "ausculta-archive-private.h"

/* Signals are stored as mono 24-bit FLAC of the samples divided by their
 * peak (@scale, kept in the row): lossless to 24 bits of the peak, which is
 * below any sensor's noise, and about half the size of raw floats. */

typedef struct {
  GByteArray   *bytes;      /* writing */
  const guint8 *data;       /* reading */
  gsize         size;
  gsize         position;
} Memory;

static sf_count_t
memory_length (void *user_data)
{
  Memory *memory = user_data;

  return (sf_count_t) (memory->bytes ? memory->bytes->len : memory->size);
}

static sf_count_t
memory_seek (sf_count_t offset,
             int        whence,
             void      *user_data)
{
  Memory *memory = user_data;
  sf_count_t base = whence == SEEK_CUR ? (sf_count_t) memory->position
                    : whence == SEEK_END ? memory_length (memory) : 0;

  if (base + offset < 0)
    return -1;
  memory->position = (gsize) (base + offset);
  return (sf_count_t) memory->position;
}

static sf_count_t
memory_read (void       *buffer,
             sf_count_t  count,
             void       *user_data)
{
  Memory *memory = user_data;
  gsize length = (gsize) memory_length (memory);
  const guint8 *data = memory->bytes ? memory->bytes->data : memory->data;
  gsize n = memory->position >= length ? 0 : MIN ((gsize) count, length - memory->position);

  memcpy (buffer, data + memory->position, n);
  memory->position += n;
  return (sf_count_t) n;
}

static sf_count_t
memory_write (const void *buffer,
              sf_count_t  count,
              void       *user_data)
{
  Memory *memory = user_data;
  gsize end = memory->position + (gsize) count;

  if (end > memory->bytes->len)
    g_byte_array_set_size (memory->bytes, (guint) end);
  memcpy (memory->bytes->data + memory->position, buffer, (gsize) count);
  memory->position = end;
  return count;
}

static sf_count_t
memory_tell (void *user_data)
{
  return (sf_count_t) ((Memory *) user_data)->position;
}

static SF_VIRTUAL_IO memory_io = {
  memory_length, memory_seek, memory_read, memory_write, memory_tell
};

static gboolean
set_signal_error (GError              **error,
                  const AuscultaSignal *signal,
                  const char           *what,
                  SNDFILE              *file)
{
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_SIGNAL,
               "signal %s/%s: %s: %s", signal->run, signal->channel, what,
               sf_strerror (file));
  return FALSE;
}

/**
 * ausculta_archive_encode_flac:
 * @scale: (out): the peak the samples were divided by
 *
 * Returns: (transfer full): the FLAC file of @signal's samples.
 */
GBytes *
ausculta_archive_encode_flac (const AuscultaSignal *signal,
                              double               *scale,
                              GError              **error)
{
  g_autofree float *normalised = g_new (float, signal->n_samples);
  Memory memory = { .bytes = g_byte_array_new () };
  SF_INFO info = { 0 };
  double peak = 0.0;
  SNDFILE *file;
  sf_count_t written;

  for (gsize i = 0; i < signal->n_samples; i++)
    if (isfinite (signal->samples[i]))
      peak = MAX (peak, fabs (signal->samples[i]));
  *scale = peak > 0.0 ? peak : 1.0;
  for (gsize i = 0; i < signal->n_samples; i++)
    normalised[i] = isfinite (signal->samples[i]) ? (float) (signal->samples[i] / *scale) : 0.0f;

  info.samplerate = (int) lround (signal->sample_rate);
  info.channels = 1;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
  file = sf_open_virtual (&memory_io, SFM_WRITE, &info, &memory);
  if (file == NULL)
    {
      set_signal_error (error, signal, "cannot encode as FLAC", NULL);
      g_byte_array_unref (memory.bytes);
      return NULL;
    }
  sf_command (file, SFC_SET_CLIPPING, NULL, SF_TRUE);
  written = sf_write_float (file, normalised, (sf_count_t) signal->n_samples);
  sf_close (file);
  if (written != (sf_count_t) signal->n_samples)
    {
      set_signal_error (error, signal, "FLAC encoder stopped early", NULL);
      g_byte_array_unref (memory.bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (memory.bytes);
}

/* Fills @signal->samples (already sized to n_samples) from FLAC bytes. */
gboolean
ausculta_archive_decode_flac (const void     *data,
                              gsize           size,
                              double          scale,
                              AuscultaSignal *signal,
                              GError        **error)
{
  Memory memory = { .data = data, .size = size };
  SF_INFO info = { 0 };
  SNDFILE *file = sf_open_virtual (&memory_io, SFM_READ, &info, &memory);
  sf_count_t n_read;

  if (file == NULL)
    return set_signal_error (error, signal, "stored FLAC is unreadable", NULL);
  if (info.channels != 1 || info.frames != (sf_count_t) signal->n_samples)
    {
      sf_close (file);
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_SIGNAL,
                   "signal %s/%s: stored FLAC has %d channels and %" G_GINT64_FORMAT
                   " samples; expected 1 channel and %" G_GSIZE_FORMAT " samples",
                   signal->run, signal->channel, info.channels, (gint64) info.frames,
                   signal->n_samples);
      return FALSE;
    }
  n_read = sf_read_float (file, signal->samples, (sf_count_t) signal->n_samples);
  sf_close (file);
  if (n_read != (sf_count_t) signal->n_samples)
    return set_signal_error (error, signal, "stored FLAC is truncated", NULL);
  for (gsize i = 0; i < signal->n_samples; i++)
    signal->samples[i] = (float) (signal->samples[i] * scale);
  return TRUE;
}
