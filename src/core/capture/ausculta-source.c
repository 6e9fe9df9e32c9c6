/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-source"

#include "config.h"

#include <stdatomic.h>

#include "ausculta-source.h"

/* Seconds of audio the ring holds: the consumer may be late by that much
 * (features of the previous run, a slow disk) before frames are lost. */
#define RING_SECONDS 4.0
/* Without a single new frame for this long, a device is considered gone. */
#define STALL_TIMEOUT_MS 2000

typedef struct
{
  char                 *name;
  gboolean              realtime;
  gboolean              opened;
  gboolean              running;
  char                 *run;
  AuscultaSourceConfig  config;
  AuscultaRing         *ring;

  /* The pacing thread of generated sources in real time. */
  GThread              *pacer;
  atomic_bool           pacer_stop;
  GMutex                pacer_lock;
  GError               *pacer_error;
} AuscultaSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AuscultaSource, ausculta_source, G_TYPE_OBJECT)

G_DEFINE_QUARK (ausculta-source-error-quark, ausculta_source_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_REALTIME,
  PROP_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
ausculta_source_config_describe (const AuscultaSourceConfig *config)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%u channel%s (", config->n_channels,
                          config->n_channels == 1 ? "" : "s");
  for (guint i = 0; i < config->n_channels; i++)
    g_string_append_printf (text, "%s%u", i ? ", " : "", config->channels[i]);
  g_string_append_printf (text, ") at %g Hz", config->sample_rate);
  return g_string_free (text, FALSE);
}

static gboolean
validate_config (AuscultaSource             *self,
                 const AuscultaSourceConfig *config,
                 GError                    **error)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  if (config->n_channels == 0 || config->n_channels > AUSCULTA_SOURCE_MAX_CHANNELS
      || !(config->sample_rate >= 1.0 && config->sample_rate <= 1e6)
      || config->block_frames == 0)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "%s: cannot capture %u channels at %g Hz in blocks of %u frames: "
                   "expected 1 to %u channels, a rate of 1 Hz to 1 MHz and blocks of at least 1 frame",
                   priv->name, config->n_channels, config->sample_rate, config->block_frames,
                   AUSCULTA_SOURCE_MAX_CHANNELS);
      return FALSE;
    }
  return TRUE;
}

gboolean
ausculta_source_open (AuscultaSource             *self,
                      const AuscultaSourceConfig *config,
                      GError                    **error)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  gsize capacity;

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (priv->opened)
    ausculta_source_close (self);
  if (!validate_config (self, config, error))
    return FALSE;
  priv->config = *config;
  capacity = MAX ((gsize) (config->sample_rate * RING_SECONDS), 8 * (gsize) config->block_frames);
  priv->ring = ausculta_ring_new (config->n_channels, capacity);
  if (!AUSCULTA_SOURCE_GET_CLASS (self)->open (self, config, error))
    {
      g_clear_pointer (&priv->ring, ausculta_ring_free);
      return FALSE;
    }
  priv->opened = TRUE;
  return TRUE;
}

static gpointer
pacer_thread (gpointer data)
{
  AuscultaSource *self = data;
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  guint block = priv->config.block_frames;
  g_autofree float *frames = g_new (float, (gsize) block * priv->config.n_channels);
  gint64 started = g_get_monotonic_time ();
  guint64 produced = 0;

  while (!atomic_load (&priv->pacer_stop))
    {
      GError *local_error = NULL;
      gint64 due;
      gsize n = AUSCULTA_SOURCE_GET_CLASS (self)->generate (self, frames, block, &local_error);

      ausculta_ring_push (priv->ring, frames, n);
      produced += n;
      if (local_error != NULL)
        {
          g_mutex_lock (&priv->pacer_lock);
          priv->pacer_error = local_error;
          g_mutex_unlock (&priv->pacer_lock);
          break;
        }
      due = started + (gint64) (produced * G_USEC_PER_SEC / priv->config.sample_rate);
      while (!atomic_load (&priv->pacer_stop) && g_get_monotonic_time () < due)
        g_usleep (MIN (due - g_get_monotonic_time (), 5000) + 1);
    }
  return NULL;
}

gboolean
ausculta_source_start (AuscultaSource *self,
                       const char     *run,
                       GError        **error)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!priv->opened)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_STATE,
                   "%s: started before it was opened", priv->name);
      return FALSE;
    }
  if (priv->running)
    ausculta_source_stop (self);
  g_free (priv->run);
  priv->run = g_strdup (run);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
  ausculta_ring_reset (priv->ring);
  g_clear_error (&priv->pacer_error);
  if (klass->start != NULL && !klass->start (self, error))
    return FALSE;
  priv->running = TRUE;
  if (klass->generate != NULL && priv->realtime)
    {
      atomic_store (&priv->pacer_stop, FALSE);
      priv->pacer = g_thread_new ("ausculta-pacer", pacer_thread, self);
    }
  return TRUE;
}

static gboolean
read_failed (AuscultaSource *self,
             gint64          last_progress,
             GError        **error)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);
  gboolean failed = FALSE;

  g_mutex_lock (&priv->pacer_lock);
  if (priv->pacer_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->pacer_error));
      failed = TRUE;
    }
  g_mutex_unlock (&priv->pacer_lock);
  if (failed)
    return TRUE;
  if (klass->check != NULL && !klass->check (self, error))
    return TRUE;
  if (g_get_monotonic_time () - last_progress > STALL_TIMEOUT_MS * 1000)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED,
                   "%s: no data for %d ms during run “%s”: was the device unplugged?",
                   priv->name, STALL_TIMEOUT_MS, priv->run ? priv->run : "");
      return TRUE;
    }
  return FALSE;
}

/* Reads exactly n_frames interleaved frames, waiting for them if the source
 * is real time. Returns the frames read, or -1 with an error; frames read
 * before the error are in the buffer, the count is lost on purpose: a run
 * cut short is not a measurement. */
gssize
ausculta_source_read (AuscultaSource *self,
                      float          *frames,
                      gsize           n_frames,
                      GError        **error)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);
  gsize done = 0;
  gint64 last_progress = g_get_monotonic_time ();
  gulong nap_us;

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!priv->running)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_STATE,
                   "%s: read before it was started", priv->name);
      return -1;
    }
  if (klass->generate != NULL && !priv->realtime)
    {
      if (klass->generate (self, frames, n_frames, error) < n_frames)
        return -1;
      return n_frames;
    }
  nap_us = CLAMP ((gulong) (priv->config.block_frames * 0.5e6 / priv->config.sample_rate), 200, 20000);
  while (done < n_frames)
    {
      gsize n = ausculta_ring_pop (priv->ring, frames + done * priv->config.n_channels,
                                   n_frames - done);

      done += n;
      if (n > 0)
        last_progress = g_get_monotonic_time ();
      else if (read_failed (self, last_progress, error))
        return -1;
      else
        g_usleep (nap_us);
    }
  return done;
}

void
ausculta_source_stop (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);

  g_return_if_fail (AUSCULTA_IS_SOURCE (self));

  if (!priv->running)
    return;
  if (priv->pacer != NULL)
    {
      atomic_store (&priv->pacer_stop, TRUE);
      g_clear_pointer (&priv->pacer, g_thread_join);
    }
  if (klass->stop != NULL)
    klass->stop (self);
  priv->running = FALSE;
}

void
ausculta_source_close (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);

  g_return_if_fail (AUSCULTA_IS_SOURCE (self));

  ausculta_source_stop (self);
  if (!priv->opened)
    return;
  if (klass->close != NULL)
    klass->close (self);
  priv->opened = FALSE;
  g_clear_pointer (&priv->ring, ausculta_ring_free);
}

const char *
ausculta_source_get_name (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), NULL);
  return priv->name;
}

const char *
ausculta_source_get_run (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), NULL);
  return priv->run;
}

gboolean
ausculta_source_get_realtime (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), FALSE);
  return priv->realtime;
}

void
ausculta_source_set_realtime (AuscultaSource *self,
                              gboolean        realtime)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_if_fail (AUSCULTA_IS_SOURCE (self));

  realtime = !!realtime;
  if (priv->realtime == realtime)
    return;
  priv->realtime = realtime;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REALTIME]);
}

const AuscultaSourceConfig *
ausculta_source_get_config (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), NULL);
  return priv->opened ? &priv->config : NULL;
}

const char *
ausculta_source_get_channel_unit (AuscultaSource *self,
                                  guint           channel)
{
  AuscultaSourceClass *klass = AUSCULTA_SOURCE_GET_CLASS (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), NULL);
  return klass->channel_unit != NULL ? klass->channel_unit (self, channel) : NULL;
}

guint
ausculta_source_get_overruns (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), 0);
  return priv->ring != NULL ? ausculta_ring_get_overruns (priv->ring) : 0;
}

gboolean
ausculta_source_is_open (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_return_val_if_fail (AUSCULTA_IS_SOURCE (self), FALSE);
  return priv->opened;
}

AuscultaRing *
ausculta_source_get_ring (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  return priv->ring;
}

static void
ausculta_source_dispose (GObject *object)
{
  ausculta_source_close (AUSCULTA_SOURCE (object));
  G_OBJECT_CLASS (ausculta_source_parent_class)->dispose (object);
}

static void
ausculta_source_finalize (GObject *object)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (AUSCULTA_SOURCE (object));

  g_free (priv->name);
  g_free (priv->run);
  g_clear_error (&priv->pacer_error);
  g_mutex_clear (&priv->pacer_lock);
  G_OBJECT_CLASS (ausculta_source_parent_class)->finalize (object);
}

static void
ausculta_source_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AuscultaSource *self = AUSCULTA_SOURCE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, ausculta_source_get_name (self));
      break;
    case PROP_REALTIME:
      g_value_set_boolean (value, ausculta_source_get_realtime (self));
      break;
    case PROP_RUN:
      g_value_set_string (value, ausculta_source_get_run (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_source_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AuscultaSource *self = AUSCULTA_SOURCE (object);
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    case PROP_REALTIME:
      ausculta_source_set_realtime (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_source_class_init (AuscultaSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_source_dispose;
  object_class->finalize = ausculta_source_finalize;
  object_class->get_property = ausculta_source_get_property;
  object_class->set_property = ausculta_source_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "source",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REALTIME] =
    g_param_spec_boolean ("realtime", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN] =
    g_param_spec_string ("run", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ausculta_source_init (AuscultaSource *self)
{
  AuscultaSourcePrivate *priv = ausculta_source_get_instance_private (self);

  g_mutex_init (&priv->pacer_lock);
  atomic_init (&priv->pacer_stop, FALSE);
}
