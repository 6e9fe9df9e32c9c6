/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-comedi-source"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "ausculta-comedi-source.h"

#define READ_FRAMES 1024

struct _AuscultaComediSource
{
  AuscultaSource  parent_instance;

  char           *device;
  guint           range;
  comedi_t       *daq;
  int             subdevice;
  gboolean        lsampl;
  guint           n_channels;
  unsigned int    chanlist[AUSCULTA_SOURCE_MAX_CHANNELS];
  comedi_range   *ranges[AUSCULTA_SOURCE_MAX_CHANNELS];
  lsampl_t        maxdata[AUSCULTA_SOURCE_MAX_CHANNELS];
  comedi_cmd      cmd;

  GThread        *reader;
  atomic_bool     stop;
  atomic_int      failure;    /* errno of a failed read, or -1 when the stream ended */
};

G_DEFINE_FINAL_TYPE (AuscultaComediSource, ausculta_comedi_source, AUSCULTA_TYPE_SOURCE)

void
ausculta_comedi_convert (const void          *raw,
                         gboolean             lsampl,
                         guint                n_channels,
                         comedi_range *const *ranges,
                         const lsampl_t      *maxdata,
                         float               *out,
                         gsize                n_frames)
{
  for (gsize f = 0; f < n_frames; f++)
    for (guint c = 0; c < n_channels; c++)
      {
        gsize i = f * n_channels + c;
        lsampl_t value = lsampl ? ((const lsampl_t *) raw)[i] : ((const sampl_t *) raw)[i];

        out[i] = (float) comedi_to_phys (value, ranges[c], maxdata[c]);
      }
}

static void
set_comedi_error (AuscultaComediSource *self,
                  const char           *doing,
                  GError              **error)
{
  int code = comedi_errno ();
  int domain_code = AUSCULTA_SOURCE_ERROR_FAILED;

  if (errno == ENOENT || errno == ENODEV)
    domain_code = AUSCULTA_SOURCE_ERROR_NOT_FOUND;
  else if (errno == EBUSY)
    domain_code = AUSCULTA_SOURCE_ERROR_BUSY;
  g_set_error (error, AUSCULTA_SOURCE_ERROR, domain_code, "comedi:%s: cannot %s: %s",
               self->device, doing, comedi_strerror (code));
}

static gboolean
check_channels (AuscultaComediSource       *self,
                const AuscultaSourceConfig *config,
                GError                    **error)
{
  int n_inputs = comedi_get_n_channels (self->daq, self->subdevice);

  for (guint i = 0; i < config->n_channels; i++)
    {
      int n_ranges;

      if ((int) config->channels[i] >= n_inputs)
        {
          g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                       "comedi:%s: no input %u: the analog input subdevice %d has %d channels (0 to %d)",
                       self->device, config->channels[i], self->subdevice, n_inputs, n_inputs - 1);
          return FALSE;
        }
      n_ranges = comedi_get_n_ranges (self->daq, self->subdevice, config->channels[i]);
      if ((int) self->range >= n_ranges)
        {
          g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                       "comedi:%s: no range %u on input %u: it has %d ranges (0 to %d)",
                       self->device, self->range, config->channels[i], n_ranges, n_ranges - 1);
          return FALSE;
        }
      self->chanlist[i] = CR_PACK (config->channels[i], self->range, AREF_GROUND);
      self->ranges[i] = comedi_get_range (self->daq, self->subdevice, config->channels[i], self->range);
      self->maxdata[i] = comedi_get_maxdata (self->daq, self->subdevice, config->channels[i]);
    }
  self->n_channels = config->n_channels;
  return TRUE;
}

static gboolean
prepare_command (AuscultaComediSource       *self,
                 const AuscultaSourceConfig *config,
                 GError                    **error)
{
  unsigned period_ns = (unsigned) (1e9 / config->sample_rate + 0.5);

  memset (&self->cmd, 0, sizeof self->cmd);
  if (comedi_get_cmd_generic_timed (self->daq, self->subdevice, &self->cmd,
                                    config->n_channels, period_ns) < 0)
    {
      set_comedi_error (self, "stream from the analog inputs", error);
      return FALSE;
    }
  self->cmd.chanlist = self->chanlist;
  self->cmd.chanlist_len = config->n_channels;
  self->cmd.stop_src = TRIG_NONE;
  self->cmd.stop_arg = 0;
  /* The driver rounds the timing to what its clock can do: twice, as documented. */
  comedi_command_test (self->daq, &self->cmd);
  if (comedi_command_test (self->daq, &self->cmd) != 0)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "comedi:%s: the DAQ cannot sample %u channels at %g Hz",
                   self->device, config->n_channels, config->sample_rate);
      return FALSE;
    }
  if (self->cmd.scan_begin_src == TRIG_TIMER && self->cmd.scan_begin_arg != period_ns)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "comedi:%s: unsupported rate %g Hz: the nearest the DAQ's clock supports is %.6g Hz",
                   self->device, config->sample_rate, 1e9 / self->cmd.scan_begin_arg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ausculta_comedi_source_open (AuscultaSource             *source,
                             const AuscultaSourceConfig *config,
                             GError                    **error)
{
  AuscultaComediSource *self = AUSCULTA_COMEDI_SOURCE (source);

  comedi_loglevel (0);
  self->daq = comedi_open (self->device);
  if (self->daq == NULL)
    {
      set_comedi_error (self, "open the DAQ", error);
      return FALSE;
    }
  self->subdevice = comedi_find_subdevice_by_type (self->daq, COMEDI_SUBD_AI, 0);
  if (self->subdevice < 0)
    g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                 "comedi:%s: the device has no analog input subdevice", self->device);
  if (self->subdevice < 0 || !check_channels (self, config, error)
      || !prepare_command (self, config, error))
    {
      g_clear_pointer (&self->daq, comedi_close);
      return FALSE;
    }
  self->lsampl = (comedi_get_subdevice_flags (self->daq, self->subdevice) & SDF_LSAMPL) != 0;
  return TRUE;
}

/* Not a real-time callback but a plain thread: the kernel buffers the DAQ. */
static gpointer
reader_thread (gpointer data)
{
  AuscultaComediSource *self = data;
  AuscultaRing *ring = ausculta_source_get_ring (AUSCULTA_SOURCE (self));
  gsize sample_size = self->lsampl ? sizeof (lsampl_t) : sizeof (sampl_t);
  gsize frame_size = sample_size * self->n_channels;
  g_autofree guint8 *raw = g_malloc (READ_FRAMES * frame_size);
  g_autofree float *frames = g_new (float, READ_FRAMES * self->n_channels);
  gsize have = 0;
  struct pollfd fd = { comedi_fileno (self->daq), POLLIN, 0 };

  while (!atomic_load (&self->stop))
    {
      ssize_t got;

      if (poll (&fd, 1, 100) <= 0)
        continue;
      got = read (fd.fd, raw + have, READ_FRAMES * frame_size - have);
      if (got <= 0)
        {
          atomic_store (&self->failure, got < 0 ? errno : -1);
          break;
        }
      have += got;
      ausculta_comedi_convert (raw, self->lsampl, self->n_channels, self->ranges, self->maxdata,
                               frames, have / frame_size);
      ausculta_ring_push (ring, frames, have / frame_size);
      memmove (raw, raw + have - have % frame_size, have % frame_size);
      have %= frame_size;
    }
  return NULL;
}

static gboolean
ausculta_comedi_source_start (AuscultaSource *source,
                              GError        **error)
{
  AuscultaComediSource *self = AUSCULTA_COMEDI_SOURCE (source);

  if (comedi_command (self->daq, &self->cmd) < 0)
    {
      set_comedi_error (self, "start the acquisition", error);
      return FALSE;
    }
  atomic_store (&self->stop, FALSE);
  atomic_store (&self->failure, 0);
  self->reader = g_thread_new ("ausculta-comedi", reader_thread, self);
  return TRUE;
}

static gboolean
ausculta_comedi_source_check (AuscultaSource *source,
                              GError        **error)
{
  AuscultaComediSource *self = AUSCULTA_COMEDI_SOURCE (source);
  int failure = atomic_load (&self->failure);

  if (failure == 0)
    return TRUE;
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED,
               "comedi:%s: the acquisition stopped during run “%s”: %s", self->device,
               ausculta_source_get_run (source),
               failure > 0 ? g_strerror (failure) : "the driver ended the stream (buffer overflow?)");
  return FALSE;
}

static void
ausculta_comedi_source_stop (AuscultaSource *source)
{
  AuscultaComediSource *self = AUSCULTA_COMEDI_SOURCE (source);

  atomic_store (&self->stop, TRUE);
  g_clear_pointer (&self->reader, g_thread_join);
  comedi_cancel (self->daq, self->subdevice);
}

static void
ausculta_comedi_source_close (AuscultaSource *source)
{
  AuscultaComediSource *self = AUSCULTA_COMEDI_SOURCE (source);

  g_clear_pointer (&self->daq, comedi_close);
}

static void
ausculta_comedi_source_finalize (GObject *object)
{
  g_free (AUSCULTA_COMEDI_SOURCE (object)->device);
  G_OBJECT_CLASS (ausculta_comedi_source_parent_class)->finalize (object);
}

static void
ausculta_comedi_source_class_init (AuscultaComediSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AuscultaSourceClass *source_class = AUSCULTA_SOURCE_CLASS (klass);

  /* Samples at the converter's rails are clipping, which the sensor health
   * check reports; comedilib's default would turn them into NaN. */
  comedi_set_global_oor_behavior (COMEDI_OOR_NUMBER);
  object_class->finalize = ausculta_comedi_source_finalize;
  source_class->open = ausculta_comedi_source_open;
  source_class->start = ausculta_comedi_source_start;
  source_class->check = ausculta_comedi_source_check;
  source_class->stop = ausculta_comedi_source_stop;
  source_class->close = ausculta_comedi_source_close;
}

static void
ausculta_comedi_source_init (AuscultaComediSource *self)
{
}

AuscultaSource *
ausculta_comedi_source_new (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec ? spec : "", ",", -1);
  AuscultaComediSource *self;
  g_autofree char *name = NULL;
  const char *device = parts[0] && *parts[0] ? parts[0] : "/dev/comedi0";
  guint64 range = 0;

  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], "range="))
      g_ascii_string_to_unsigned (parts[i] + 6, 10, 0, 255, &range, NULL);
  name = g_strconcat ("comedi:", device, NULL);
  self = g_object_new (AUSCULTA_TYPE_COMEDI_SOURCE, "name", name, NULL);
  self->device = g_strdup (device);
  self->range = range;
  return AUSCULTA_SOURCE (self);
}
