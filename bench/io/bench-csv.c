/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ausculta-bench.h"
#include "ausculta-csv.h"

/* Reading a historical export: Ausculta's streaming reader against
 * numpy.loadtxt on the same file (the same 650 × 432 numbers). */

#define REPEATS 20

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed",
                                            "DATASET_VALIDATION_dev.csv", NULL);
  const char * const args[] = { path, G_STRINGIFY (REPEATS), NULL };
  g_autoptr(GError) error = NULL;
  double start, ours, reference;
  guint rows = 0;

  start = ausculta_bench_now ();
  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, &error);

      while (reader != NULL && ausculta_csv_reader_next (reader, &error) != NULL)
        rows++;
      if (error != NULL)
        g_error ("%s", error->message);
    }
  ours = (ausculta_bench_now () - start) / REPEATS;

  if (!ausculta_bench_run_reference ("io/csv_reference.py", args, &reference, &error))
    g_error ("reference: %s", error->message);

  ausculta_bench_report ("read DATASET_VALIDATION_dev.csv (650 rows × 432 features), per file",
                         ours, reference, "numpy.loadtxt");
  g_print ("rows per second: %.0f\n", rows / (ours * REPEATS));
  return 0;
}
