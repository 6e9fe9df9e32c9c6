/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-playback"

#include "config.h"

#include <math.h>
#include <portaudio.h>

#include "ausculta-playback.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-source.h"

#define CHUNK 4096

static float *
normalise (const float *samples,
           gsize        n_samples)
{
  float *out = g_new (float, n_samples);
  float peak = 0.0f;

  for (gsize i = 0; i < n_samples; i++)
    if (isfinite (samples[i]))
      peak = MAX (peak, fabsf (samples[i]));
  for (gsize i = 0; i < n_samples; i++)
    out[i] = isfinite (samples[i]) && peak > 0.0f ? 0.5f * samples[i] / peak : 0.0f;
  return out;
}

static gboolean
write_all (PaStream    *stream,
           const float *samples,
           gsize        n_samples,
           GError     **error)
{
  for (gsize done = 0; done < n_samples; done += CHUNK)
    {
      PaError status = Pa_WriteStream (stream, samples + done, MIN (CHUNK, n_samples - done));

      if (status != paNoError && status != paOutputUnderflowed)
        {
          g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_FAILED,
                       "playback: writing to the output device failed: %s", Pa_GetErrorText (status));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
play_on (PaDeviceIndex device,
         const float  *samples,
         gsize         n_samples,
         double        sample_rate,
         GError      **error)
{
  PaStreamParameters params = { 0 };
  PaStream *stream = NULL;
  PaError status;
  gboolean ok;

  params.device = device;
  params.channelCount = 1;
  params.sampleFormat = paFloat32;
  params.suggestedLatency = Pa_GetDeviceInfo (device)->defaultHighOutputLatency;
  status = Pa_OpenStream (&stream, NULL, &params, sample_rate, CHUNK, paClipOff, NULL, NULL);
  if (status == paNoError)
    status = Pa_StartStream (stream);
  if (status != paNoError)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_FAILED,
                   "playback: cannot open the output “%s” at %g Hz: %s",
                   Pa_GetDeviceInfo (device)->name, sample_rate, Pa_GetErrorText (status));
      if (stream != NULL)
        Pa_CloseStream (stream);
      return FALSE;
    }
  ok = write_all (stream, samples, n_samples, error);
  Pa_StopStream (stream);
  Pa_CloseStream (stream);
  return ok;
}

gboolean
ausculta_playback_play (const float *samples,
                        gsize        n_samples,
                        double       sample_rate,
                        GError     **error)
{
  g_autofree float *scaled = NULL;
  PaDeviceIndex device;
  gboolean ok;

  g_return_val_if_fail (samples != NULL || n_samples == 0, FALSE);

  if (n_samples == 0 || !(sample_rate > 0.0))
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_FAILED,
                   "playback: no samples to play (%" G_GSIZE_FORMAT " at %g Hz)", n_samples, sample_rate);
      return FALSE;
    }
  if (!ausculta_portaudio_acquire (error))
    return FALSE;
  device = Pa_GetDefaultOutputDevice ();
  if (device == paNoDevice)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_NOT_FOUND,
                   "playback: no audio output device");
      ausculta_portaudio_release ();
      return FALSE;
    }
  scaled = normalise (samples, n_samples);
  ok = play_on (device, scaled, n_samples, sample_rate, error);
  ausculta_portaudio_release ();
  return ok;
}
