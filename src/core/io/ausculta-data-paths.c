/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-data-paths"

#include "config.h"

#include "ausculta-data-paths.h"

/**
 * ausculta_data_path:
 * @relative: a path under data/, such as "profiles/default.ini"
 *
 * Finds a file shipped in data/: under $AUSCULTA_DATA_DIR when set, else in
 * the source tree when running from a build tree, else where it is installed.
 *
 * Returns: (transfer full): the absolute path (which may not exist).
 */
char *
ausculta_data_path (const char *relative)
{
  const char *override = g_getenv ("AUSCULTA_DATA_DIR");
  g_autofree char *in_source = NULL;

  g_return_val_if_fail (relative != NULL, NULL);

  if (override != NULL && *override != '\0')
    return g_build_filename (override, relative, NULL);
  in_source = g_build_filename (SOURCE_DATADIR, relative, NULL);
  if (g_file_test (in_source, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&in_source);
  return g_build_filename (PKGDATADIR, relative, NULL);
}

/**
 * ausculta_default_archive_path:
 *
 * Returns: (transfer full): the archive used when none is named:
 *   $AUSCULTA_ARCHIVE when set, else ausculta/archive.sqlite under the
 *   user data directory.
 */
char *
ausculta_default_archive_path (void)
{
  const char *override = g_getenv ("AUSCULTA_ARCHIVE");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  return g_build_filename (g_get_user_data_dir (), "ausculta", "archive.sqlite", NULL);
}
