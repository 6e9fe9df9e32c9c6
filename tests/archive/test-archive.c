/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive"

#include "config.h"

#include <math.h>
#include <sndfile.h>
#include <string.h>

#include "archive-test-util.h"
#include "ausculta-outbox.h"

static void
test_insert_load_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("round-trip.sqlite", NULL);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-001", "bench-1", "alice",
                                                              3, 7, AUSCULTA_VERDICT_NOK, 4096);
  g_autoptr(AuscultaMeasurement) back = NULL;
  AuscultaReason *reason;

  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  back = ausculta_archive_load_measurement (archive, m->id, TRUE, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (back->id, ==, m->id);
  g_assert_cmpstr (back->serial, ==, "SN-001");
  g_assert_cmpstr (back->station, ==, "bench-1");
  g_assert_cmpstr (back->operator_name, ==, "alice");
  g_assert_true (g_date_time_equal (back->started_at, m->started_at));
  g_assert_true (g_date_time_equal (back->finished_at, m->finished_at));
  g_assert_cmpstr (back->profile_hash, ==, "ab12");
  g_assert_cmpstr (back->model_version, ==, "lof-3");
  g_assert_cmpint (back->verdict, ==, AUSCULTA_VERDICT_NOK);
  g_assert_cmpfloat (back->score, ==, m->score);
  g_assert_cmpfloat (back->threshold, ==, 1.5);
  g_assert_cmpuint (back->reasons->len, ==, 2);
  reason = back->reasons->pdata[0];
  g_assert_cmpstr (reason->feature, ==, "V1_vib_up");
  g_assert_cmpfloat (reason->contribution, ==, 0.75);
  g_assert_cmpfloat (*(double *) g_hash_table_lookup (back->timings_ms, "features"), ==, 12.5);
  g_assert_cmpuint (back->n_features, ==, 4);
  g_assert_cmpstr (back->feature_names[2], ==, "G29vib_up");
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (back->features[i], ==, m->features[i]);

  g_assert_cmpuint (back->signals->len, ==, 4);
  for (guint s = 0; s < 4; s++)
    {
      AuscultaSignal *a = m->signals->pdata[s], *b = back->signals->pdata[s];

      g_assert_cmpstr (b->run, ==, a->run);
      g_assert_cmpstr (b->channel, ==, a->channel);
      g_assert_cmpstr (b->unit, ==, a->unit);
      g_assert_cmpfloat (b->sample_rate, ==, 51200.0);
      g_assert_cmpuint (b->n_samples, ==, 4096);
      /* 24-bit FLAC of the peak-normalised signal: within 2^-22 of the peak. */
      for (gsize i = 0; i < b->n_samples; i++)
        g_assert_cmpfloat_with_epsilon (b->samples[i], a->samples[i], 6.0 / (1 << 22));
    }
}

static void
test_duplicate_and_atomic_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("atomic.sqlite", NULL);
  g_autoptr(AuscultaMeasurement) first = archive_test_measurement ("SN-1", "b", "a", 0, 1,
                                                                  AUSCULTA_VERDICT_OK, 0);
  g_autoptr(AuscultaMeasurement) second = archive_test_measurement ("SN-2", "b", "a", 0, 2,
                                                                   AUSCULTA_VERDICT_OK, 16);
  g_autoptr(AuscultaOutboxStats) stats = NULL;
  AuscultaMeasurement *batch[2];
  guint64 count = 0;

  ausculta_archive_insert_measurement (archive, first, &error);
  g_assert_no_error (error);
  g_assert_false (ausculta_archive_insert_measurement (archive, first, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "SN-1"));
  g_clear_error (&error);

  /* A batch whose second measurement is already there: none of it lands,
   * not the new one's row, signals, features or outbox row. */
  batch[0] = second;
  batch[1] = first;
  g_assert_false (ausculta_archive_insert_measurements (archive, batch, 2, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS);
  g_clear_error (&error);
  ausculta_archive_count (archive, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_null (ausculta_archive_load_measurement (archive, second->id, FALSE, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  stats = ausculta_outbox_get_stats (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->backlog, ==, 1);
}

static void
test_station_without_signals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("stations.sqlite", NULL);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-9", "line-2", "a", 0, 1,
                                                              AUSCULTA_VERDICT_OK, 1024);
  g_autoptr(AuscultaMeasurement) back = NULL;
  g_autoptr(GPtrArray) stations = NULL;

  archive_test_add_users (archive);
  g_assert_false (ausculta_archive_set_station (archive, "eng", "line-2", NULL, FALSE, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_clear_error (&error);
  ausculta_archive_set_station (archive, "root", "line-2", "second line", FALSE, &error);
  g_assert_no_error (error);
  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  back = ausculta_archive_load_measurement (archive, m->id, TRUE, &error);
  g_assert_no_error (error);
  /* The run/channel rows stay (health, overruns), the samples do not. */
  g_assert_cmpuint (back->signals->len, ==, 4);
  g_assert_cmpuint (((AuscultaSignal *) back->signals->pdata[0])->n_samples, ==, 0);
  stations = ausculta_archive_list_stations (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stations->len, ==, 1);
  g_assert_false (((AuscultaStation *) stations->pdata[0])->store_signals);
}

/* 40 measurements over 4 days on 2 stations with every verdict. */
static AuscultaArchive *
open_populated (void)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = archive_test_open_new ("queries.sqlite", NULL);

  for (int i = 0; i < 40; i++)
    {
      g_autofree char *serial = g_strdup_printf ("%s-%03d", i % 2 ? "AB" : "CD", i);

      g_ptr_array_add (batch, archive_test_measurement (serial, i % 4 ? "bench-1" : "bench-2",
                                                        "alice", i / 10, i,
                                                        (AuscultaVerdict) (i % 4), 0));
    }
  ausculta_archive_insert_measurements (archive, (AuscultaMeasurement **) batch->pdata,
                                        batch->len, &error);
  g_assert_no_error (error);
  return archive;
}

static void
test_page_filters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = open_populated ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 1, 2, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new_utc (2026, 1, 4, 0, 0, 0);
  AuscultaArchiveFilter filter;
  AuscultaArchiveRow *row;
  guint64 count;

  rows = ausculta_archive_query_page (archive, NULL, 0, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  row = rows->pdata[0];
  g_assert_cmpstr (row->serial, ==, "AB-039");   /* newest first */
  g_assert_cmpstr (((AuscultaArchiveRow *) rows->pdata[4])->serial, ==, "AB-035");
  g_clear_pointer (&rows, g_ptr_array_unref);

  ausculta_archive_filter_init (&filter);
  filter.serial_prefix = "AB";
  filter.verdict = AUSCULTA_VERDICT_NOK;   /* i % 4 == 2: never AB (odd) */
  ausculta_archive_count (archive, &filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);

  filter.verdict = AUSCULTA_VERDICT_OK;    /* i % 4 == 1 */
  filter.from = from;
  filter.to = to;
  rows = ausculta_archive_query_page (archive, &filter, 1, 100, &error);
  g_assert_no_error (error);
  /* days 1..2 are i = 10..29; OK ones: 13, 17, 21, 25, 29; offset 1 skips 29 */
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (((AuscultaArchiveRow *) rows->pdata[0])->serial, ==, "AB-025");
  g_assert_cmpstr (((AuscultaArchiveRow *) rows->pdata[3])->serial, ==, "AB-013");
  g_clear_pointer (&rows, g_ptr_array_unref);

  ausculta_archive_filter_init (&filter);
  filter.station = "bench-2";
  filter.model_version = "lof-3";   /* bench-2 = i % 4 == 0 = verdict NONE, no model */
  ausculta_archive_count (archive, &filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);
  filter.model_version = NULL;
  ausculta_archive_count (archive, &filter, &count, &error);
  g_assert_cmpuint (count, ==, 10);
}

static void
test_counts_per_day (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = open_populated ();
  g_autoptr(GArray) days = NULL;
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 1, 2, 12, 0, 0);
  AuscultaArchiveFilter filter;
  AuscultaDayCounts *day;

  days = ausculta_archive_count_per_day (archive, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 4);
  day = &g_array_index (days, AuscultaDayCounts, 0);
  g_assert_cmpint (g_date_get_year (&day->day), ==, 2026);
  g_assert_cmpint (g_date_get_month (&day->day), ==, 1);
  g_assert_cmpint (g_date_get_day (&day->day), ==, 1);
  /* i = 0..9: verdicts 0,1,2,3,0,1,2,3,0,1 */
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_NONE], ==, 3);
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_OK], ==, 3);
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_NOK], ==, 2);
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_REPEAT], ==, 2);
  g_clear_pointer (&days, g_array_unref);

  ausculta_archive_filter_init (&filter);
  filter.from = from;              /* day 2 is partly in: whole days are counted */
  filter.station = "bench-1";
  days = ausculta_archive_count_per_day (archive, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 3);
  day = &g_array_index (days, AuscultaDayCounts, 0);
  g_assert_cmpint (g_date_get_day (&day->day), ==, 2);
  /* bench-1 on day 2 (i = 10..19, i % 4 != 0): OK = 13, 17; REPEAT = 11, 15, 19 */
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_NONE], ==, 0);
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_OK], ==, 2);
  g_assert_cmpuint (day->counts[AUSCULTA_VERDICT_REPEAT], ==, 3);
}

static void
test_features_matrix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = open_populated ();
  g_autoptr(AuscultaFeatureMatrix) matrix = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *ids[3] = { NULL, NULL, NULL };
  AuscultaArchiveFilter filter;

  ausculta_archive_filter_init (&filter);
  filter.station = "bench-2";
  matrix = ausculta_archive_get_features (archive, &filter, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matrix->n_rows, ==, 10);
  g_assert_cmpuint (matrix->n_features, ==, 4);
  g_assert_cmpstr (matrix->feature_names[1], ==, "V1_vib_up");
  /* newest first: i = 36 -> day 3, value[2] = 1e-5 * 36 */
  g_assert_cmpfloat (matrix->values[2], ==, 1e-5 * 36);
  g_assert_cmpfloat (matrix->values[3], ==, 3.0);
  g_assert_cmpint (matrix->labels[0], ==, AUSCULTA_LABEL_FILTER_UNLABELLED);
  g_clear_pointer (&matrix, ausculta_feature_matrix_free);

  rows = ausculta_archive_query_page (archive, NULL, 0, 40, &error);
  ids[0] = ((AuscultaArchiveRow *) rows->pdata[39])->id;    /* i = 0 */
  ids[1] = ((AuscultaArchiveRow *) rows->pdata[0])->id;     /* i = 39 */
  matrix = ausculta_archive_get_features_of_ids (archive, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matrix->n_rows, ==, 2);
  g_assert_cmpstr (matrix->ids[1], ==, ids[1]);
  g_assert_cmpfloat (matrix->values[0 * 4 + 2], ==, 0.0);
  g_assert_cmpfloat (matrix->values[1 * 4 + 2], ==, 1e-5 * 39);
}

static void
test_labels_and_roles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("labels.sqlite", NULL);
  g_autoptr(AuscultaMeasurement) own = archive_test_measurement ("SN-1", "b", "insp", 0, 1,
                                                                AUSCULTA_VERDICT_NOK, 0);
  g_autoptr(AuscultaMeasurement) other = archive_test_measurement ("SN-2", "b", "bob", 0, 2,
                                                                  AUSCULTA_VERDICT_NOK, 0);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  AuscultaArchiveFilter filter;
  guint64 count;

  archive_test_add_users (archive);
  ausculta_archive_insert_measurement (archive, own, &error);
  ausculta_archive_insert_measurement (archive, other, &error);
  g_assert_no_error (error);

  ausculta_archive_set_label (archive, "insp", own->id, 3, "whistles", &error);
  g_assert_no_error (error);
  g_assert_false (ausculta_archive_set_label (archive, "insp", other->id, 3, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "only their own"));
  g_clear_error (&error);
  g_assert_false (ausculta_archive_set_label (archive, "nobody", own->id, 3, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_clear_error (&error);
  ausculta_archive_set_label (archive, "eng", own->id, AUSCULTA_LABEL_OK, "re-measured", &error);
  g_assert_no_error (error);

  history = ausculta_archive_get_label_history (archive, own->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((AuscultaLabel *) history->pdata[0])->label, ==, 3);
  g_assert_cmpstr (((AuscultaLabel *) history->pdata[0])->user_name, ==, "insp");
  g_assert_cmpstr (((AuscultaLabel *) history->pdata[1])->comment, ==, "re-measured");

  ausculta_archive_filter_init (&filter);
  filter.label = AUSCULTA_LABEL_OK;
  ausculta_archive_count (archive, &filter, &count, &error);
  g_assert_cmpuint (count, ==, 1);
  filter.label = AUSCULTA_LABEL_FILTER_UNLABELLED;
  ausculta_archive_count (archive, &filter, &count, &error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (ausculta_archive_check (archive, problems, &error));
  g_assert_no_error (error);
}

static void
test_models (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("models.sqlite", NULL);
  g_autoptr(GBytes) file_a = g_bytes_new_static ("model A", 7);
  g_autoptr(GBytes) file_b = g_bytes_new_static ("model B", 7);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(AuscultaModelInfo) production = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *sha256_a = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file_a);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  archive_test_add_users (archive);
  g_assert_null (ausculta_archive_add_model (archive, "insp", "v1", file_a, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_clear_error (&error);
  a = ausculta_archive_add_model (archive, "eng", "v1", file_a, "{\"escape\":0.02}", &error);
  g_assert_no_error (error);
  b = ausculta_archive_add_model (archive, "eng", "v2", file_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ausculta_archive_add_model (archive, "eng", "v1bis", file_a, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (ausculta_archive_approve_model (archive, "eng", a, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "supervisor"));
  g_clear_error (&error);
  g_assert_null (ausculta_archive_get_production_model (archive, &error));
  g_assert_no_error (error);

  ausculta_archive_approve_model (archive, "sup", a, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  ausculta_archive_approve_model (archive, "sup", b, &error);
  g_assert_no_error (error);
  production = ausculta_archive_get_production_model (archive, &error);
  g_assert_cmpstr (production->version, ==, "v2");
  g_assert_cmpstr (production->approved_by, ==, "sup");
  g_clear_pointer (&production, ausculta_model_info_free);

  /* Rolling back: retiring v2 makes v1 the production model again. */
  ausculta_archive_retire_model (archive, "sup", b, &error);
  g_assert_no_error (error);
  production = ausculta_archive_get_production_model (archive, &error);
  g_assert_cmpstr (production->id, ==, a);
  g_assert_cmpstr (production->validation_report, ==, "{\"escape\":0.02}");
  g_assert_cmpstr (production->sha256, ==, sha256_a);
  back = ausculta_archive_get_model_file (archive, a, &error);
  g_assert_true (g_bytes_equal (back, file_a));

  items = ausculta_outbox_peek (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, 10, NULL, &error);
  g_assert_no_error (error);
  /* 2 models, 3 status changes, in that order */
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpint (((AuscultaOutboxItem *) items->pdata[0])->kind, ==, AUSCULTA_OUTBOX_MODEL);
  g_assert_cmpint (((AuscultaOutboxItem *) items->pdata[4])->kind, ==, AUSCULTA_OUTBOX_APPROVAL);
  g_assert_cmpstr (((AuscultaOutboxItem *) items->pdata[4])->ref_id, ==, b);
}

static void
test_export_wav (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("wav.sqlite", NULL);
  g_autoptr(AuscultaMeasurement) m = archive_test_measurement ("SN-W", "b", "a", 0, 1,
                                                              AUSCULTA_VERDICT_OK, 2000);
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folder = archive_test_path ("wav");
  AuscultaSignal *vib_up = m->signals->pdata[1];
  SF_INFO info = { 0 };
  float samples[2000];
  SNDFILE *file;

  ausculta_archive_insert_measurement (archive, m, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  ausculta_archive_export_wav (archive, m->id, folder, written, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 4);
  g_assert_true (g_str_has_suffix (written->pdata[1], "_up_vib.wav"));

  file = sf_open (written->pdata[1], SFM_READ, &info);
  g_assert_nonnull (file);
  g_assert_cmpint (info.samplerate, ==, 51200);
  g_assert_cmpint (info.frames, ==, 2000);
  g_assert_cmpint (sf_read_float (file, samples, 2000), ==, 2000);
  sf_close (file);
  /* In calibrated units (peak 6 m/s²), as archived. */
  for (guint i = 0; i < 2000; i++)
    g_assert_cmpfloat_with_epsilon (samples[i], vib_up->samples[i], 6.0 / (1 << 22));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/insert-load-round-trip", test_insert_load_round_trip);
  g_test_add_func ("/ausculta/archive/duplicate-and-atomic-batch",
                   test_duplicate_and_atomic_batch);
  g_test_add_func ("/ausculta/archive/station-without-signals", test_station_without_signals);
  g_test_add_func ("/ausculta/archive/page-filters", test_page_filters);
  g_test_add_func ("/ausculta/archive/counts-per-day", test_counts_per_day);
  g_test_add_func ("/ausculta/archive/features-matrix", test_features_matrix);
  g_test_add_func ("/ausculta/archive/labels-and-roles", test_labels_and_roles);
  g_test_add_func ("/ausculta/archive/models", test_models);
  g_test_add_func ("/ausculta/archive/export-wav", test_export_wav);
  return g_test_run ();
}
