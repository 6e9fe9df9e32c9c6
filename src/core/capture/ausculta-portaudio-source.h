/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-source.h"

G_BEGIN_DECLS

/* One PortAudio capture device as the bench sees it. */
typedef struct {
  int     index;             /* PortAudio's device index */
  char   *name;
  char   *host_api;
  guint   max_input_channels;
  double  default_rate;
  GArray *rates;             /* double: the standard rates the device accepts */
} AuscultaDeviceInfo;

void ausculta_device_info_free (AuscultaDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaDeviceInfo, ausculta_device_info_free)

#define AUSCULTA_TYPE_PORTAUDIO_SOURCE (ausculta_portaudio_source_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaPortaudioSource, ausculta_portaudio_source, AUSCULTA,
                      PORTAUDIO_SOURCE, AuscultaSource)

/* device: an exact PortAudio device name, its index, or NULL for the
 * default input. The device is looked up when the source is opened. */
AuscultaSource *ausculta_portaudio_source_new      (const char  *device);

/* The capture devices (those with inputs): AuscultaDeviceInfo*. */
GPtrArray      *ausculta_portaudio_list_devices    (GError     **error);
char           *ausculta_device_info_describe_rates (const AuscultaDeviceInfo *info);

/* PortAudio is initialised once per process and shared; these pair up. */
gboolean        ausculta_portaudio_acquire         (GError     **error);
void            ausculta_portaudio_release         (void);

G_END_DECLS
