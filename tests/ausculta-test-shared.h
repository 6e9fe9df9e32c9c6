/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

/* Tests on the real bench data read the project's shared folder
 * (AUSCULTA_SHARED_DATA, ../shared/data beside the source tree). A clone on
 * its own has none: such a test then says so as a TAP skip instead of
 * failing on a missing file. Call right after g_test_init(). */
static inline void
ausculta_test_require_shared_data (void)
{
  const char *dir = g_getenv ("AUSCULTA_SHARED_DATA");

  if (dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    return;
  printf ("1..0 # SKIP no shared data folder at %s\n", dir != NULL ? dir : "(AUSCULTA_SHARED_DATA unset)");
  exit (0);
}
