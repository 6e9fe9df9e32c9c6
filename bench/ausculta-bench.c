/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bench"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ausculta-bench.h"

double
ausculta_bench_now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/**
 * ausculta_bench_run_reference:
 * @script: a Python script under bench/, relative to $BENCH_SRCDIR
 * @args: (nullable): its arguments
 * @seconds: (out): what the script printed as "seconds: S"
 *
 * Runs @script with Debian's /usr/bin/python3 (numpy, scipy, sklearn).
 */
gboolean
ausculta_bench_run_reference (const char         *script,
                              const char * const *args,
                              double             *seconds,
                              GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  const char *line;
  int status;

  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_build_filename (g_getenv ("BENCH_SRCDIR"), script, NULL));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     &out, NULL, &status, error)
      || !g_spawn_check_wait_status (status, error))
    return FALSE;

  line = strstr (out, "seconds: ");
  if (line == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s printed no “seconds: S” line", script);
      return FALSE;
    }
  *seconds = g_ascii_strtod (line + strlen ("seconds: "), NULL);
  return TRUE;
}

void
ausculta_bench_report (const char *what,
                       double      ausculta_seconds,
                       double      reference_seconds,
                       const char *reference_what)
{
  g_print ("%s\n", what);
  g_print ("ausculta: %.3f ms\n", ausculta_seconds * 1e3);
  g_print ("reference: %.3f ms (%s)\n", reference_seconds * 1e3, reference_what);
  g_print ("ratio: %.1fx\n", reference_seconds / ausculta_seconds);
}

gsize
ausculta_bench_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? (gsize) g_ascii_strtoull (line + 6, NULL, 10) : 0;
}
