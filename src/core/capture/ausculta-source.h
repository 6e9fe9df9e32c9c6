/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ausculta-ring.h"

G_BEGIN_DECLS

#define AUSCULTA_SOURCE_ERROR (ausculta_source_error_quark ())

typedef enum {
  AUSCULTA_SOURCE_ERROR_NOT_FOUND,     /* no such device or file */
  AUSCULTA_SOURCE_ERROR_BUSY,          /* the device is used by another program */
  AUSCULTA_SOURCE_ERROR_UNSUPPORTED,   /* rate, channel count or format the device lacks */
  AUSCULTA_SOURCE_ERROR_DISCONNECTED,  /* the device stopped delivering during a run */
  AUSCULTA_SOURCE_ERROR_SHORT,         /* a recording ends before the run does */
  AUSCULTA_SOURCE_ERROR_INVALID,       /* a malformed source specification */
  AUSCULTA_SOURCE_ERROR_STATE,         /* a call in the wrong order (start before open...) */
  AUSCULTA_SOURCE_ERROR_FAILED,        /* anything else the driver reports */
} AuscultaSourceError;

#define AUSCULTA_SOURCE_MAX_CHANNELS 16

/* What the inspection asks a source for: which of the device's inputs
 * (0-based), at what rate, delivered in blocks of how many frames. */
typedef struct {
  guint  n_channels;
  guint  channels[AUSCULTA_SOURCE_MAX_CHANNELS];
  double sample_rate;
  guint  block_frames;
  double latency;       /* seconds the device may buffer; 0: its default */
} AuscultaSourceConfig;

#define AUSCULTA_TYPE_SOURCE (ausculta_source_get_type ())
G_DECLARE_DERIVABLE_TYPE (AuscultaSource, ausculta_source, AUSCULTA, SOURCE, GObject)

/* A capture source: open → (start → read… → stop)… → close. A source either
 * pushes frames into the ring from its own thread (PortAudio, comedi), or
 * implements `generate` and is then read directly (as fast as possible) or
 * paced in real time by a producer thread of this base class. */
struct _AuscultaSourceClass
{
  GObjectClass parent_class;

  gboolean    (*open)        (AuscultaSource             *self,
                              const AuscultaSourceConfig *config,
                              GError                    **error);
  gboolean    (*start)       (AuscultaSource             *self,
                              GError                    **error);
  void        (*stop)        (AuscultaSource             *self);
  void        (*close)       (AuscultaSource             *self);
  /* Returns the frames produced; fewer than asked only with an error set. */
  gsize       (*generate)    (AuscultaSource             *self,
                              float                      *frames,
                              gsize                       n_frames,
                              GError                    **error);
  /* Called while waiting for ring data: reports a device that went away. */
  gboolean    (*check)       (AuscultaSource             *self,
                              GError                    **error);
  /* The unit of a channel's values ("Pa", "m/s²"), NULL for full scale. */
  const char *(*channel_unit) (AuscultaSource            *self,
                               guint                      channel);
};

GQuark        ausculta_source_error_quark      (void);

gboolean      ausculta_source_open             (AuscultaSource             *self,
                                                const AuscultaSourceConfig *config,
                                                GError                    **error);
gboolean      ausculta_source_start            (AuscultaSource             *self,
                                                const char                 *run,
                                                GError                    **error);
gssize        ausculta_source_read             (AuscultaSource             *self,
                                                float                      *frames,
                                                gsize                       n_frames,
                                                GError                    **error);
void          ausculta_source_stop             (AuscultaSource             *self);
void          ausculta_source_close            (AuscultaSource             *self);

const char   *ausculta_source_get_name         (AuscultaSource             *self);
const char   *ausculta_source_get_run          (AuscultaSource             *self);
gboolean      ausculta_source_get_realtime     (AuscultaSource             *self);
void          ausculta_source_set_realtime     (AuscultaSource             *self,
                                                gboolean                    realtime);
const AuscultaSourceConfig *
              ausculta_source_get_config       (AuscultaSource             *self);
const char   *ausculta_source_get_channel_unit (AuscultaSource             *self,
                                                guint                       channel);
guint         ausculta_source_get_overruns     (AuscultaSource             *self);
gboolean      ausculta_source_is_open          (AuscultaSource             *self);

/* For subclasses. */
AuscultaRing *ausculta_source_get_ring         (AuscultaSource             *self);
char         *ausculta_source_config_describe  (const AuscultaSourceConfig *config);

G_END_DECLS
