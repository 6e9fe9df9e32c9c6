/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plays a stored signal on the default PortAudio output, blocking until it
 * has been played (call it from a worker). Samples are scaled so that the
 * signal's peak plays at -6 dBFS. Fails with an AUSCULTA_SOURCE_ERROR when
 * there is no output device or the rate is not supported. */
gboolean ausculta_playback_play (const float *samples,
                                 gsize        n_samples,
                                 double       sample_rate,
                                 GError     **error);

G_END_DECLS
