/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <comedilib.h>

#include "ausculta-source.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_COMEDI_SOURCE (ausculta_comedi_source_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaComediSource, ausculta_comedi_source, AUSCULTA, COMEDI_SOURCE,
                      AuscultaSource)

/* A Comedi DAQ's analog input subdevice, streamed with a timed command.
 * spec: [DEVICE][,range=N] (default /dev/comedi0, range 0). Values in the
 * range's physical unit (volts, usually). */
AuscultaSource *ausculta_comedi_source_new     (const char *spec);

/* Converts n_frames interleaved raw samples (16-bit sampl_t, or 32-bit
 * lsampl_t when lsampl) to physical values, one range per channel. */
void            ausculta_comedi_convert        (const void          *raw,
                                                gboolean             lsampl,
                                                guint                n_channels,
                                                comedi_range *const *ranges,
                                                const lsampl_t      *maxdata,
                                                float               *out,
                                                gsize                n_frames);

G_END_DECLS
