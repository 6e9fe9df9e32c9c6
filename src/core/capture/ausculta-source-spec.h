/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-source.h"

G_BEGIN_DECLS

/* Builds a source from the text an inspector or a script types:
 *   simulator[:FAULT[+FAULT…]][,seed=N][,disconnect=SECONDS]
 *   portaudio[:DEVICE]           exact device name or index
 *   comedi[:/dev/comediN]        when built with comedilib
 *   file:PATH[,PATH…]            WAV/FLAC, one file per run or one for all
 */
AuscultaSource *ausculta_source_new_from_spec (const char  *spec,
                                               GError     **error);

G_END_DECLS
