/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-source.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_FILE_SOURCE (ausculta_file_source_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaFileSource, ausculta_file_source, AUSCULTA, FILE_SOURCE, AuscultaSource)

/* Replays WAV or FLAC recordings (anything libsndfile reads). With one file,
 * the runs of a cycle read it one after the other; with several, run N reads
 * file N. Paced in real time when the "realtime" property is set, else as
 * fast as the disk goes. Values are the file's, unscaled. */
AuscultaSource *ausculta_file_source_new        (const char * const *paths);
double          ausculta_file_source_get_rate   (AuscultaFileSource *self);

G_END_DECLS
