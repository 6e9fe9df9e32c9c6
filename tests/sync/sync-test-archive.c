/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test-archive"

#include "config.h"

#include "ausculta-outbox.h"
#include "sync-test-archive.h"

gint64
sync_test_clock_now (gpointer data)
{
  return ((SyncTestClock *) data)->now;
}

AuscultaMeasurement *
sync_test_measurement_new (guint i)
{
  static const char * const names[] = { "V1_AC_down", "G29vib_up", "G33_vib_up" };
  double values[] = { 60.0 + i % 7, 0.001 * i, 0.5 };
  AuscultaMeasurement *measurement = ausculta_measurement_new ();

  measurement->serial = g_strdup_printf ("SN-%06u", i);
  measurement->station = g_strdup ("bench-1");
  measurement->operator_name = g_strdup ("inspector");
  measurement->verdict = i % 5 == 0 ? AUSCULTA_VERDICT_NOK : AUSCULTA_VERDICT_OK;
  measurement->score = 0.1 * (i % 10);
  measurement->threshold = 0.75;
  measurement->finished_at = g_date_time_ref (measurement->started_at);
  ausculta_measurement_set_features (measurement, names, values, G_N_ELEMENTS (values));
  return measurement;
}

void
sync_test_archive_add (AuscultaArchive *archive,
                       guint            first,
                       guint            n_measurements)
{
  g_autoptr(GPtrArray) measurements =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_measurements; i++)
    g_ptr_array_add (measurements, sync_test_measurement_new (first + i));
  g_assert_true (ausculta_archive_insert_measurements (archive,
                                                       (AuscultaMeasurement **) measurements->pdata,
                                                       measurements->len, &error));
  g_assert_no_error (error);
}

/* A fresh archive under the test's isolated data dir. */
AuscultaArchive *
sync_test_archive_new (guint n_measurements)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "archive.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = ausculta_archive_open (path, &error);

  g_assert_no_error (error);
  sync_test_archive_add (archive, 0, n_measurements);
  return archive;
}

/* Failed attempts recorded on the oldest pending row of @target. */
guint
sync_test_outbox_attempts (AuscultaArchive *archive,
                           const char      *target)
{
  g_autoptr(GDateTime) far = g_date_time_new_utc (2200, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = ausculta_outbox_peek (archive, target, 1, far, &error);
  const AuscultaOutboxItem *item;

  g_assert_no_error (error);
  if (items->len == 0)
    return 0;
  item = g_ptr_array_index (items, 0);
  return item->attempts;
}
