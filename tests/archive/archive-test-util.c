/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "archive-test-util"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "archive-test-util.h"

AuscultaMeasurement *
archive_test_measurement (const char      *serial,
                          const char      *station,
                          const char      *operator_name,
                          int              day_offset,
                          int              second,
                          AuscultaVerdict  verdict,
                          gsize            n_samples)
{
  static const char * const names[] = { "V1_AC_up", "V1_vib_up", "G29vib_up", "G1_AC_down" };
  AuscultaMeasurement *m = ausculta_measurement_new ();
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  double values[4] = { 33.745, 0.12173, 1e-5 * second, (double) day_offset };
  const char * const runs[] = { "up", "down" };
  const char * const channels[] = { "AC", "vib" };

  g_date_time_unref (m->started_at);
  m->started_at = g_date_time_add_seconds (base, 86400.0 * day_offset + second);
  m->finished_at = g_date_time_add_seconds (m->started_at, 12.5);
  m->serial = g_strdup (serial);
  m->station = g_strdup (station);
  m->operator_name = g_strdup (operator_name);
  m->profile_name = g_strdup ("default");
  m->profile_hash = g_strdup ("ab12");
  m->model_version = g_strdup (verdict == AUSCULTA_VERDICT_NONE ? NULL : "lof-3");
  m->model_hash = g_strdup ("cd34");
  m->verdict = verdict;
  m->score = verdict == AUSCULTA_VERDICT_NONE ? NAN : 0.25 + second;
  m->threshold = 1.5;
  m->health = verdict == AUSCULTA_VERDICT_REPEAT ? AUSCULTA_HEALTH_CLIPPING : 0;
  m->overruns = 0;
  m->source = g_strdup ("simulator");
  ausculta_measurement_add_reason (m, "V1_vib_up", 0.75);
  ausculta_measurement_add_reason (m, "G29vib_up", 0.25);
  ausculta_measurement_set_timing (m, "features", 12.5);
  ausculta_measurement_set_features (m, names, values, G_N_ELEMENTS (names));
  for (guint r = 0; n_samples > 0 && r < 2; r++)
    for (guint c = 0; c < 2; c++)
      {
        AuscultaSignal *signal = ausculta_measurement_add_signal (m, runs[r], channels[c],
                                                                  c ? "m/s²" : "Pa",
                                                                  51200.0, n_samples);

        for (gsize i = 0; i < n_samples; i++)
          signal->samples[i] = (float) ((c + 1) * 3.0 * sin (0.01 * (double) i * (r + 1)));
      }
  return m;
}

char *
archive_test_path (const char *name)
{
  const char *folder = g_get_user_data_dir ();   /* per test: G_TEST_OPTION_ISOLATE_DIRS */

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  return g_build_filename (folder, name, NULL);
}

AuscultaArchive *
archive_test_open_new (const char *name,
                       char      **path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = archive_test_path (name);
  AuscultaArchive *archive;

  g_remove (file);
  archive = ausculta_archive_open (file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (archive);
  if (path != NULL)
    *path = g_steal_pointer (&file);
  return archive;
}

void
archive_test_add_users (AuscultaArchive *archive)
{
  static const struct { const char *name; AuscultaRole role; } users[] = {
    { "insp", AUSCULTA_ROLE_INSPECTOR },
    { "eng", AUSCULTA_ROLE_ENGINEER },
    { "sup", AUSCULTA_ROLE_SUPERVISOR },
  };
  g_autoptr(GError) error = NULL;

  ausculta_archive_add_user (archive, NULL, "root", "Root Admin", AUSCULTA_ROLE_ADMIN,
                             "rootpass", "1234", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *password = g_strconcat (users[i].name, "pass", NULL);

      ausculta_archive_add_user (archive, "root", users[i].name, NULL, users[i].role,
                                 password, NULL, &error);
      g_assert_no_error (error);
    }
}

void
archive_test_exec (sqlite3    *db,
                   const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}
