/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to the profile: its fields, shared by the loader
 * (ausculta-profile.c), the parser of its groups (ausculta-profile-parse.c)
 * and its hash (ausculta-profile-hash.c). */

#include "ausculta-profile.h"
#include "ausculta-profile-keys.h"

G_BEGIN_DECLS

struct _AuscultaProfile {
  char                   *name;
  char                   *path;
  char                   *hash;
  double                  sample_rate;
  AuscultaSpectrumConfig  spectrum;
  GArray                 *runs;       /* AuscultaProfileRun */
  GArray                 *channels;   /* AuscultaProfileChannel */
  GArray                 *band_sets;  /* AuscultaProfileBandSet */
  GPtrArray              *feature_names;  /* NULL-terminated once loaded */
  guint                   n_features;
};

/* Reads the profile's groups from @source into @profile (made empty). */
gboolean ausculta_profile_parse (AuscultaProfile  *profile,
                                 const Source     *source,
                                 GError          **error);

/* The words a profile file uses for a channel's kind and scale. */
const char *ausculta_profile_kind_word  (AuscultaChannelKind kind);
const char *ausculta_profile_scale_word (AuscultaLevelScale  scale);

/* The SHA-256 (hex) of what defines @profile's features, once parsed. */
char    *ausculta_profile_definition_hash (AuscultaProfile  *profile);

G_END_DECLS
