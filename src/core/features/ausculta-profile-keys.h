/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Private to the profile loader: typed reads from a key file whose errors
 * name the file, the group and the key. */
typedef struct {
  GKeyFile   *file;
  const char *path;
} Source;

char     *ausculta_keys_string   (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          const char   *fallback,
                                          GError      **error);
gboolean  ausculta_keys_double   (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          double        fallback,
                                          double        min,
                                          double        max,
                                          double       *value,
                                          GError      **error);
gboolean  ausculta_keys_uint     (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          double        fallback,
                                          guint         min,
                                          guint         max,
                                          guint        *value,
                                          GError      **error);
gboolean  ausculta_keys_range    (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          const char   *fallback,
                                          double       *low,
                                          double       *high,
                                          GError      **error);
char    **ausculta_keys_list     (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          GError      **error);
gboolean  ausculta_keys_invalid  (const Source *source,
                                          const char   *group,
                                          const char   *key,
                                          const char   *value,
                                          const char   *expected,
                                          GError      **error);

G_END_DECLS
