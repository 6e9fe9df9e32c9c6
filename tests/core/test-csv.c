/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include <glib.h>
#include "ausculta-csv.h"

static void
test_placeholder (void)
{
  g_assert_true (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/csv/placeholder", test_placeholder);
  return g_test_run ();
}
