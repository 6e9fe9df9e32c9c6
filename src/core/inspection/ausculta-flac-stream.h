/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A signal encoded for the archive block by block while it is captured:
 * mono 24-bit FLAC of the samples divided by a scale fixed beforehand (the
 * channel's full scale), which the archive stores beside it and decodes
 * with like its own encoding (samples divided by their peak, known only at
 * the run's end). For a converter's samples, 24 bits of its full scale are
 * its own resolution: nothing is lost. */
typedef struct _AuscultaFlacStream AuscultaFlacStream;

AuscultaFlacStream *ausculta_flac_stream_new    (double               sample_rate,
                                                 double               scale,
                                                 GError             **error);
/* FALSE when a sample lies beyond the scale (or is not finite), or the
 * encoder fails: the stream is then useless, encode the whole signal. */
gboolean            ausculta_flac_stream_write  (AuscultaFlacStream  *self,
                                                 const float         *samples,
                                                 gsize                n);
/* (transfer full): the FLAC file, or NULL with @error. */
GBytes             *ausculta_flac_stream_finish (AuscultaFlacStream  *self,
                                                 GError             **error);
double              ausculta_flac_stream_get_scale (AuscultaFlacStream *self);
void                ausculta_flac_stream_free   (AuscultaFlacStream  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaFlacStream, ausculta_flac_stream_free)

G_END_DECLS
