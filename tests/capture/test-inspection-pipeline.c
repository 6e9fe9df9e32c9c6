/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-inspection.h"
#include "ausculta-simulator.h"
#include "capture-test-model.h"

/* The work done while the next run is captured (features per run, FLAC
 * ahead of the archive), and the production model following the archive. */

static AuscultaProfile *profile;

static AuscultaMeasurement *
inspect (AuscultaInspection *inspection,
         const char         *serial,
         GError            **error)
{
  ausculta_inspection_set_serial (inspection, serial);
  return ausculta_inspection_run (inspection, NULL, error);
}

static AuscultaArchive *
open_archive (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = ausculta_archive_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (ausculta_archive_add_user (archive, NULL, "admin", "Test admin", AUSCULTA_ROLE_ADMIN,
                                            "admin-password", NULL, &error));
  g_assert_no_error (error);
  return archive;
}

static double
timing (AuscultaMeasurement *m,
        const char          *step)
{
  double *value = g_hash_table_lookup (m->timings_ms, step);

  g_assert_nonnull (value);
  return *value;
}

static void
test_features_run_by_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (31, AUSCULTA_MOTOR_FAULT_COMMUTATOR);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-RUNS", &error);
  g_autoptr(AuscultaFeatureExtractor) whole = ausculta_feature_extractor_new (profile, &error);
  g_autoptr(AuscultaMeasurement) again = ausculta_measurement_new ();
  guint differ = 0;

  g_assert_no_error (error);
  /* Each run's features were computed when it ended... */
  g_test_message ("features down %.1f ms, up %.1f ms; end of capture waited %.1f ms",
                  timing (m, "features_down"), timing (m, "features_up"), timing (m, "wait_runs"));
  g_assert_cmpfloat (timing (m, "features"), ==, timing (m, "features_down") + timing (m, "features_up"));
  /* ... and are those of the whole measurement, in the profile's order. */
  g_ptr_array_set_free_func (again->signals, NULL);
  for (guint i = 0; i < m->signals->len; i++)
    g_ptr_array_add (again->signals, g_ptr_array_index (m->signals, i));
  g_assert_true (ausculta_feature_extractor_extract (whole, again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->n_features, ==, 432);
  g_assert_cmpuint (again->n_features, ==, m->n_features);
  for (guint i = 0; i < m->n_features; i++)
    {
      g_assert_cmpstr (m->feature_names[i], ==, again->feature_names[i]);
      if (!(fabs (m->features[i] - again->features[i]) <= 1e-9 * fabs (again->features[i]))
          && !(isnan (m->features[i]) && isnan (again->features[i])))
        differ++;
    }
  g_assert_cmpuint (differ, ==, 0);
  g_assert_true (g_str_has_suffix (m->feature_names[0], "_down"));
  g_assert_cmpuint (m->health, ==, again->health);
}

static void
test_flac_ahead (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive ("flac.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (32, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(AuscultaMeasurement) kept = NULL;
  g_autoptr(AuscultaMeasurement) loaded = NULL;
  g_autoptr(AuscultaMeasurement) bare = NULL;
  const AuscultaSignal *stored, *captured;
  double worst = 0.0;

  ausculta_inspection_set_archive (inspection, archive);
  ausculta_inspection_set_station (inspection, "bench-1");
  kept = inspect (inspection, "SN-FLAC", &error);
  g_assert_no_error (error);
  /* Every signal reached the archive already encoded, block by block
   * during capture, scaled to its channel's full scale. */
  for (guint i = 0; i < kept->signals->len; i++)
    {
      AuscultaSignal *signal = g_ptr_array_index (kept->signals, i);

      g_assert_nonnull (signal->flac);
      g_assert_cmpfloat (signal->flac_scale, ==,
                         ausculta_profile_channel_full_scale (ausculta_profile_find_channel (profile, signal->channel)));
    }
  g_test_message ("FLAC of 4 signals streamed in %.1f ms of the capture thread", timing (kept, "flac_stream"));
  g_assert_null (g_hash_table_lookup (kept->timings_ms, "flac"));
  loaded = ausculta_archive_load_measurement (archive, kept->id, TRUE, &error);
  g_assert_no_error (error);
  captured = ausculta_measurement_find_signal (kept, "up", "vib");
  stored = ausculta_measurement_find_signal (loaded, "up", "vib");
  g_assert_nonnull (captured);
  g_assert_nonnull (stored);
  g_assert_cmpuint (stored->n_samples, ==, captured->n_samples);
  for (gsize i = 0; i < stored->n_samples; i++)
    worst = MAX (worst, fabs (stored->samples[i] - captured->samples[i]));
  /* 24 bits of the peak. */
  g_assert_cmpfloat (worst, <=, 2.0 * captured->flac_scale / (1 << 23));
  /* A station that keeps no signals costs no encoding. */
  g_assert_true (ausculta_archive_set_station (archive, "admin", "bench-2", "features only", FALSE, &error));
  ausculta_inspection_set_station (inspection, "bench-2");
  bare = inspect (inspection, "SN-NOFLAC", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < bare->signals->len; i++)
    g_assert_null (((AuscultaSignal *) g_ptr_array_index (bare->signals, i))->flac);
  g_assert_null (g_hash_table_lookup (bare->timings_ms, "flac"));
  g_assert_null (g_hash_table_lookup (bare->timings_ms, "flac_stream"));
}

/* The default profile with the microphone's input range cut to 1 mV: the
 * simulated motor exceeds that full scale, so its signals cannot be
 * streamed and are encoded whole, scaled to their peak, when their run ends. */
static AuscultaProfile *
load_tiny_range_profile (void)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "tiny-range.ini", NULL);
  g_autoptr(GError) error = NULL;
  AuscultaProfile *tiny;

  g_assert_true (g_key_file_load_from_file (file, ausculta_profile_get_path (profile), G_KEY_FILE_NONE, &error));
  g_key_file_set_double (file, "channel AC", "input-range", 0.001);
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  tiny = ausculta_profile_load (path, &error);
  g_assert_no_error (error);
  return tiny;
}

static void
test_flac_beyond_full_scale (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive ("beyond.sqlite");
  g_autoptr(AuscultaProfile) tiny = load_tiny_range_profile ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (34, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (tiny, source);
  g_autoptr(AuscultaMeasurement) m = NULL;
  g_autoptr(AuscultaMeasurement) loaded = NULL;
  const AuscultaSignal *ac, *stored;
  double peak = 0.0, worst = 0.0;

  ausculta_inspection_set_archive (inspection, archive);
  m = inspect (inspection, "SN-LOUD", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->health & AUSCULTA_HEALTH_CLIPPING, !=, 0);
  ac = ausculta_measurement_find_signal (m, "down", "AC");
  g_assert_nonnull (ac);
  for (gsize i = 0; i < ac->n_samples; i++)
    peak = MAX (peak, fabs (ac->samples[i]));
  g_assert_cmpfloat (peak, >, ausculta_profile_channel_full_scale (ausculta_profile_find_channel (tiny, "AC")));
  g_assert_nonnull (ac->flac);
  g_assert_cmpfloat (ac->flac_scale, ==, peak);
  g_assert_cmpfloat (timing (m, "flac"), >, 0.0);
  loaded = ausculta_archive_load_measurement (archive, m->id, TRUE, &error);
  g_assert_no_error (error);
  stored = ausculta_measurement_find_signal (loaded, "down", "AC");
  g_assert_nonnull (stored);
  for (gsize i = 0; i < stored->n_samples; i++)
    worst = MAX (worst, fabs (stored->samples[i] - ac->samples[i]));
  g_assert_cmpfloat (worst, <=, 2.0 * peak / (1 << 23));
}

static char *
add_model (AuscultaArchive *archive,
           GBytes          *file,
           const char      *version)
{
  g_autoptr(GError) error = NULL;
  char *id = ausculta_archive_add_model (archive, "admin", version, file, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static void
on_model (AuscultaInspection *inspection,
          GParamSpec         *pspec,
          guint              *notified)
{
  (*notified)++;
}

static AuscultaModel *
train (const char *version)
{
  AuscultaMeasurement *good[12];
  AuscultaModel *model;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AuscultaSource) source = ausculta_simulator_new (300 + i, 0);
      g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);

      good[i] = inspect (inspection, "SN-TRAIN", &error);
      g_assert_no_error (error);
    }
  model = capture_test_train_model_version (good, G_N_ELEMENTS (good), ausculta_profile_get_name (profile),
                                            ausculta_profile_get_hash (profile), version);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    ausculta_measurement_unref (good[i]);
  return model;
}

static void
test_production_follows_archive (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive ("production.sqlite");
  g_autoptr(AuscultaModel) given = train ("given-1");
  g_autoptr(AuscultaModel) approved = train ("approved-2");
  g_autoptr(GBytes) approved_file = ausculta_model_serialize (approved);
  g_autoptr(GBytes) broken_file = g_bytes_new_static ("not a model", 11);
  g_autoptr(AuscultaSource) source = ausculta_simulator_new (33, 0);
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  g_autoptr(GError) error = NULL;
  g_autofree char *approved_id = NULL;
  g_autofree char *broken_id = NULL;
  guint notified = 0;

  ausculta_inspection_set_model (inspection, given);
  ausculta_inspection_set_archive (inspection, archive);
  g_signal_connect (inspection, "notify::model", G_CALLBACK (on_model), &notified);
  /* No production model in the archive: the given one scores. */
  {
    g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-P1", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (m->model_version, ==, "given-1");
  }
  /* A supervisor approves a model between two cycles: the next verdict is its. */
  approved_id = add_model (archive, approved_file, "approved-2");
  g_assert_true (ausculta_archive_approve_model (archive, "admin", approved_id, &error));
  {
    g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-P2", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (m->model_version, ==, "approved-2");
    g_assert_false (isnan (m->score));
    g_assert_cmpstr (ausculta_model_get_version (ausculta_inspection_get_model (inspection)), ==, "approved-2");
    g_assert_cmpuint (notified, ==, 1);
  }
  /* An approved file that is not a model: the previous one stays, said so. */
  broken_id = add_model (archive, broken_file, "broken-3");
  g_assert_true (ausculta_archive_approve_model (archive, "admin", broken_id, &error));
  {
    g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-P3", &error);
    const char *status = ausculta_inspection_get_status (inspection);

    g_assert_no_error (error);
    g_test_message ("%s", status);
    g_assert_cmpstr (m->model_version, ==, "approved-2");
    g_assert_nonnull (strstr (status, "production model broken-3"));
    g_assert_nonnull (strstr (status, "cannot be read"));
    g_assert_true (g_str_has_suffix (status, "still using approved-2"));
    g_assert_cmpuint (notified, ==, 1);
  }
  /* Both retired: no production model, the given one again. */
  g_assert_true (ausculta_archive_retire_model (archive, "admin", broken_id, &error));
  g_assert_true (ausculta_archive_retire_model (archive, "admin", approved_id, &error));
  {
    g_autoptr(AuscultaMeasurement) m = inspect (inspection, "SN-P4", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (m->model_version, ==, "given-1");
    g_assert_null (strstr (ausculta_inspection_get_status (inspection), "cannot be read"));
    g_assert_cmpuint (notified, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  profile = ausculta_profile_load ("default", &error);
  g_assert_no_error (error);
  g_test_add_func ("/ausculta/inspection/features-run-by-run", test_features_run_by_run);
  g_test_add_func ("/ausculta/inspection/flac-ahead", test_flac_ahead);
  g_test_add_func ("/ausculta/inspection/flac-beyond-full-scale", test_flac_beyond_full_scale);
  g_test_add_func ("/ausculta/inspection/production-follows-archive", test_production_follows_archive);
  status = g_test_run ();
  ausculta_profile_unref (profile);
  return status;
}
