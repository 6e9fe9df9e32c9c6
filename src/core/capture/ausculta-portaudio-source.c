/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-portaudio-source"

#include "config.h"

#include <errno.h>
#include <portaudio.h>
#include <string.h>
#ifdef AUSCULTA_HAVE_JACK
#include <jack/jack.h>
#endif
#ifdef AUSCULTA_HAVE_ALSA
#include <alsa/asoundlib.h>
#endif

#include "ausculta-portaudio-source.h"

static const double standard_rates[] = {
  8000, 11025, 16000, 22050, 32000, 44100, 48000, 51200, 88200, 96000, 102400, 192000,
};

struct _AuscultaPortaudioSource
{
  AuscultaSource  parent_instance;

  char           *device;
  gboolean        acquired;
  PaStream       *stream;
  char           *device_name;

  /* Read by the real-time callback only while the stream runs. */
  AuscultaRing   *ring;
  guint           device_channels;
  guint           n_channels;
  guint           channels[AUSCULTA_SOURCE_MAX_CHANNELS];
  gboolean        identity;
  float          *scratch;
  gsize           scratch_frames;
};

G_DEFINE_FINAL_TYPE (AuscultaPortaudioSource, ausculta_portaudio_source, AUSCULTA_TYPE_SOURCE)

static GMutex pa_lock;
static guint pa_users;

#ifdef AUSCULTA_HAVE_JACK
static void
quiet_jack (const char *message)
{
}
#endif

#ifdef AUSCULTA_HAVE_ALSA
static void
quiet_alsa (const char *file, int line, const char *function, int err, const char *fmt, ...)
{
}
#endif

gboolean
ausculta_portaudio_acquire (GError **error)
{
  PaError status = paNoError;

  g_mutex_lock (&pa_lock);
  if (pa_users == 0)
    {
      /* Debian's PortAudio probes JACK and ALSA loudly when neither is set up. */
#ifdef AUSCULTA_HAVE_JACK
      jack_set_error_function (quiet_jack);
      jack_set_info_function (quiet_jack);
#endif
#ifdef AUSCULTA_HAVE_ALSA
      snd_lib_error_set_handler (quiet_alsa);
#endif
      status = Pa_Initialize ();
    }
  if (status == paNoError)
    pa_users++;
  g_mutex_unlock (&pa_lock);
  if (status != paNoError)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_FAILED,
                   "PortAudio could not start: %s", Pa_GetErrorText (status));
      return FALSE;
    }
  return TRUE;
}

void
ausculta_portaudio_release (void)
{
  g_mutex_lock (&pa_lock);
  if (pa_users > 0 && --pa_users == 0)
    Pa_Terminate ();
  g_mutex_unlock (&pa_lock);
}

void
ausculta_device_info_free (AuscultaDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->host_api);
  g_clear_pointer (&info->rates, g_array_unref);
  g_free (info);
}

char *
ausculta_device_info_describe_rates (const AuscultaDeviceInfo *info)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < info->rates->len; i++)
    g_string_append_printf (text, "%s%g", i ? ", " : "", g_array_index (info->rates, double, i));
  if (info->rates->len == 0)
    g_string_append (text, "none of the standard rates");
  return g_string_free (text, FALSE);
}

static AuscultaDeviceInfo *
device_info_new (int index)
{
  const PaDeviceInfo *pa = Pa_GetDeviceInfo (index);
  const PaHostApiInfo *host = Pa_GetHostApiInfo (pa->hostApi);
  AuscultaDeviceInfo *info = g_new0 (AuscultaDeviceInfo, 1);
  PaStreamParameters params = { index, 1, paFloat32, pa->defaultLowInputLatency, NULL };

  info->index = index;
  info->name = g_strdup (pa->name);
  info->host_api = g_strdup (host != NULL ? host->name : "?");
  info->max_input_channels = pa->maxInputChannels;
  info->default_rate = pa->defaultSampleRate;
  info->rates = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < G_N_ELEMENTS (standard_rates); i++)
    if (Pa_IsFormatSupported (&params, NULL, standard_rates[i]) == paFormatIsSupported)
      g_array_append_val (info->rates, standard_rates[i]);
  return info;
}

GPtrArray *
ausculta_portaudio_list_devices (GError **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  int count;

  if (!ausculta_portaudio_acquire (error))
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_device_info_free);
  count = Pa_GetDeviceCount ();
  for (int i = 0; i < count; i++)
    if (Pa_GetDeviceInfo (i)->maxInputChannels > 0)
      g_ptr_array_add (devices, device_info_new (i));
  ausculta_portaudio_release ();
  return g_steal_pointer (&devices);
}

static char *
list_input_names (void)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < Pa_GetDeviceCount (); i++)
    if (Pa_GetDeviceInfo (i)->maxInputChannels > 0)
      g_string_append_printf (text, "%s“%s”", text->len ? ", " : "", Pa_GetDeviceInfo (i)->name);
  if (text->len == 0)
    g_string_append (text, "none");
  return g_string_free (text, FALSE);
}

static int
find_device (const char *device,
             GError    **error)
{
  g_autofree char *names = NULL;
  guint64 index;

  if (device == NULL || *device == '\0')
    {
      if (Pa_GetDefaultInputDevice () != paNoDevice)
        return Pa_GetDefaultInputDevice ();
    }
  else if (g_ascii_string_to_unsigned (device, 10, 0, G_MAXINT, &index, NULL))
    {
      if ((int) index < Pa_GetDeviceCount () && Pa_GetDeviceInfo (index)->maxInputChannels > 0)
        return index;
    }
  else
    {
      /* Exact names only: ALSA lists "testcap_raw" next to "testcap". */
      for (int i = 0; i < Pa_GetDeviceCount (); i++)
        if (strcmp (Pa_GetDeviceInfo (i)->name, device) == 0 && Pa_GetDeviceInfo (i)->maxInputChannels > 0)
          return i;
    }
  names = list_input_names ();
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_NOT_FOUND,
               "portaudio: no capture device “%s”; the capture devices are: %s",
               device ? device : "default", names);
  return -1;
}

static int
capture_callback (const void                     *input,
                  void                           *output,
                  unsigned long                   frame_count,
                  const PaStreamCallbackTimeInfo *time_info,
                  PaStreamCallbackFlags           flags,
                  void                           *data)
{
  AuscultaPortaudioSource *self = data;
  const float *in = input;

  /* Real-time thread: copy and count, nothing that can block. */
  if (flags & paInputOverflow)
    ausculta_ring_note_overrun (self->ring);
  if (in == NULL)
    return paContinue;
  if (self->identity)
    {
      ausculta_ring_push (self->ring, in, frame_count);
      return paContinue;
    }
  while (frame_count > 0)
    {
      gsize n = MIN (frame_count, self->scratch_frames);

      for (gsize f = 0; f < n; f++)
        for (guint c = 0; c < self->n_channels; c++)
          self->scratch[f * self->n_channels + c] = in[f * self->device_channels + self->channels[c]];
      ausculta_ring_push (self->ring, self->scratch, n);
      in += n * self->device_channels;
      frame_count -= n;
    }
  return paContinue;
}

static void
set_pa_error (AuscultaPortaudioSource *self,
              PaError                  status,
              const char              *doing,
              GError                 **error)
{
  const PaHostErrorInfo *host = Pa_GetLastHostErrorInfo ();
  gboolean busy = status == paDeviceUnavailable
                  || (status == paUnanticipatedHostError && host != NULL && host->errorCode == -EBUSY);

  if (busy)
    g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_BUSY,
                 "portaudio:%s: the device is busy (used by another program?) and cannot %s",
                 self->device_name, doing);
  else
    g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_FAILED,
                 "portaudio:%s: cannot %s: %s%s%s", self->device_name, doing,
                 Pa_GetErrorText (status),
                 status == paUnanticipatedHostError && host != NULL && host->errorText ? ": " : "",
                 status == paUnanticipatedHostError && host != NULL && host->errorText ? host->errorText : "");
}

#ifdef AUSCULTA_HAVE_ALSA
/* The ALSA name of a PortAudio ALSA device: "hw:1,0" from "USB Audio:
 * - (hw:1,0)", the name itself for a configured PCM ("default", "pulse"). */
static char *
alsa_pcm_name (const char *name)
{
  const char *open = strstr (name, "(hw:");

  if (open != NULL && g_str_has_suffix (open, ")"))
    return g_strndup (open + 1, strlen (open) - 2);
  return g_strdup (name);
}
#endif

/* PortAudio's ALSA host API (19.6) neither reports a device held by another
 * program from Pa_IsFormatSupported nor survives it in Pa_OpenStream, which
 * aborts the process on an assertion. So an ALSA device is opened once,
 * without waiting, before PortAudio is asked to. */
static gboolean
device_is_busy (int index)
{
#ifdef AUSCULTA_HAVE_ALSA
  const PaDeviceInfo *pa = Pa_GetDeviceInfo (index);
  const PaHostApiInfo *host = Pa_GetHostApiInfo (pa->hostApi);
  g_autofree char *name = NULL;
  snd_pcm_t *pcm = NULL;
  int rc;

  if (host == NULL || host->type != paALSA)
    return FALSE;
  name = alsa_pcm_name (pa->name);
  rc = snd_pcm_open (&pcm, name, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
  if (rc == 0)
    snd_pcm_close (pcm);
  return rc == -EBUSY;
#else
  return FALSE;
#endif
}

static gboolean
check_format (AuscultaPortaudioSource    *self,
              int                         index,
              const PaStreamParameters   *params,
              const AuscultaSourceConfig *config,
              GError                    **error)
{
  const PaDeviceInfo *pa = Pa_GetDeviceInfo (index);
  g_autoptr(AuscultaDeviceInfo) info = NULL;
  g_autofree char *rates = NULL;
  PaError status;

  if (params->channelCount > pa->maxInputChannels)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "portaudio:%s: no input %d: the device has %d input channel%s (0 to %d)",
                   pa->name, params->channelCount - 1, pa->maxInputChannels,
                   pa->maxInputChannels == 1 ? "" : "s", pa->maxInputChannels - 1);
      return FALSE;
    }
  if (device_is_busy (index))
    {
      set_pa_error (self, paDeviceUnavailable, "be opened", error);
      return FALSE;
    }
  status = Pa_IsFormatSupported (params, NULL, config->sample_rate);
  if (status == paFormatIsSupported)
    return TRUE;
  /* Asking opens the device: held by another program, it is busy, and
   * its rates cannot be told. */
  if (status == paDeviceUnavailable || status == paUnanticipatedHostError)
    {
      set_pa_error (self, status, "be opened", error);
      return FALSE;
    }
  info = device_info_new (index);
  rates = ausculta_device_info_describe_rates (info);
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
               "portaudio:%s: unsupported rate %g Hz with %d channels; the device supports %s Hz "
               "and up to %d input channels",
               pa->name, config->sample_rate, params->channelCount, rates, pa->maxInputChannels);
  return FALSE;
}

static gboolean
open_stream (AuscultaSource             *source,
             const AuscultaSourceConfig *config,
             GError                    **error)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (source);
  PaStreamParameters params = { 0 };
  PaError status;
  guint highest = 0;
  int index;

  if (!ausculta_portaudio_acquire (error))
    return FALSE;
  self->acquired = TRUE;
  if ((index = find_device (self->device, error)) < 0)
    return FALSE;
  g_free (self->device_name);
  self->device_name = g_strdup (Pa_GetDeviceInfo (index)->name);
  self->identity = TRUE;
  for (guint i = 0; i < config->n_channels; i++)
    {
      highest = MAX (highest, config->channels[i]);
      self->identity &= config->channels[i] == i;
    }
  params = (PaStreamParameters) { index, highest + 1, paFloat32,
                                  config->latency > 0.0 ? config->latency
                                                        : Pa_GetDeviceInfo (index)->defaultLowInputLatency,
                                  NULL };
  if (!check_format (self, index, &params, config, error))
    return FALSE;
  self->ring = ausculta_source_get_ring (source);
  self->device_channels = highest + 1;
  self->n_channels = config->n_channels;
  memcpy (self->channels, config->channels, sizeof self->channels);
  self->scratch_frames = MAX (config->block_frames, 1024);
  self->scratch = g_new (float, self->scratch_frames * config->n_channels);
  status = Pa_OpenStream (&self->stream, &params, NULL, config->sample_rate, config->block_frames,
                          paClipOff | paDitherOff, capture_callback, self);
  if (status != paNoError)
    {
      self->stream = NULL;
      set_pa_error (self, status, "be opened", error);
      return FALSE;
    }
  return TRUE;
}

static void ausculta_portaudio_source_close (AuscultaSource *source);

static gboolean
ausculta_portaudio_source_open (AuscultaSource             *source,
                                const AuscultaSourceConfig *config,
                                GError                    **error)
{
  if (open_stream (source, config, error))
    return TRUE;
  ausculta_portaudio_source_close (source);
  return FALSE;
}

static gboolean
ausculta_portaudio_source_start (AuscultaSource *source,
                                 GError        **error)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (source);
  PaError status = Pa_StartStream (self->stream);

  if (status != paNoError)
    {
      set_pa_error (self, status, "start capturing", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ausculta_portaudio_source_check (AuscultaSource *source,
                                 GError        **error)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (source);

  if (Pa_IsStreamActive (self->stream) == 1)
    return TRUE;
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED,
               "portaudio:%s: the device stopped delivering during run “%s”: was it unplugged?",
               self->device_name, ausculta_source_get_run (source));
  return FALSE;
}

static void
ausculta_portaudio_source_stop (AuscultaSource *source)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (source);

  if (self->stream != NULL && Pa_IsStreamStopped (self->stream) == 0)
    Pa_AbortStream (self->stream);
}

static void
ausculta_portaudio_source_close (AuscultaSource *source)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (source);

  if (self->stream != NULL)
    Pa_CloseStream (self->stream);
  self->stream = NULL;
  self->ring = NULL;
  g_clear_pointer (&self->scratch, g_free);
  if (self->acquired)
    ausculta_portaudio_release ();
  self->acquired = FALSE;
}

static void
ausculta_portaudio_source_finalize (GObject *object)
{
  AuscultaPortaudioSource *self = AUSCULTA_PORTAUDIO_SOURCE (object);

  g_free (self->device);
  g_free (self->device_name);
  G_OBJECT_CLASS (ausculta_portaudio_source_parent_class)->finalize (object);
}

static void
ausculta_portaudio_source_class_init (AuscultaPortaudioSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaSourceClass *source_class = AUSCULTA_SOURCE_CLASS (klass);

  object_class->finalize = ausculta_portaudio_source_finalize;
  source_class->open = ausculta_portaudio_source_open;
  source_class->start = ausculta_portaudio_source_start;
  source_class->check = ausculta_portaudio_source_check;
  source_class->stop = ausculta_portaudio_source_stop;
  source_class->close = ausculta_portaudio_source_close;
}

static void
ausculta_portaudio_source_init (AuscultaPortaudioSource *self)
{
}

AuscultaSource *
ausculta_portaudio_source_new (const char *device)
{
  AuscultaPortaudioSource *self;
  g_autofree char *name = g_strdup_printf ("portaudio:%s", device ? device : "default");

  self = g_object_new (AUSCULTA_TYPE_PORTAUDIO_SOURCE, "name", name, NULL);
  self->device = g_strdup (device);
  self->device_name = g_strdup (device ? device : "default");
  return AUSCULTA_SOURCE (self);
}
