/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-mlflow-pull"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "ausculta-archive-champion.h"
#include "ausculta-mlflow-sync.h"
#include "ausculta-model.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-worker.h"
#include "sync-test-archive.h"
#include "sync-test-mlflow.h"

/* Two stations and one MLflow: the plant approves models on one (they go
 * up through its outbox), the other pulls the champion into its archive. */

#define MODEL_NAME "ausculta-detector"
#define REPORT "{\"escape_rate\": 0.02, \"false_reject_rate\": 0.04, \"detector\": \"lof\"}"

typedef struct {
  SyncTestMlflow     *server;
  AuscultaArchive    *plant;
  AuscultaMlflowSync *plant_target;
  AuscultaSyncWorker *plant_worker;
  AuscultaArchive    *station;
  AuscultaMlflowSync *target;
  AuscultaSyncWorker *worker;
  SyncTestClock       clock;
} Fixture;

static AuscultaArchive *
open_archive (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = ausculta_archive_open (path, &error);

  g_assert_no_error (error);
  return archive;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = sync_test_mlflow_start (0, NULL);
  f->plant = open_archive ("plant.sqlite");
  g_assert_true (ausculta_archive_add_user (f->plant, NULL, "admin", "Admin",
                                            AUSCULTA_ROLE_ADMIN, "admin-pass", NULL, &error));
  g_assert_no_error (error);
  f->plant_target = ausculta_mlflow_sync_new (f->server->uri, "plant", NULL, "ausculta", MODEL_NAME);
  f->plant_worker = ausculta_sync_worker_new (f->plant, AUSCULTA_SYNC_TARGET (f->plant_target));

  f->station = open_archive ("station.sqlite");
  f->target = ausculta_mlflow_sync_new (f->server->uri, "bench", NULL, "ausculta", MODEL_NAME);
  ausculta_mlflow_client_set_timeout (ausculta_mlflow_sync_get_client (f->target), 5000);
  f->worker = ausculta_sync_worker_new (f->station, AUSCULTA_SYNC_TARGET (f->target));
  f->clock.now = g_get_real_time ();
  ausculta_sync_worker_set_clock (f->worker, sync_test_clock_now, &f->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->worker);
  g_clear_object (&f->target);
  g_clear_object (&f->station);
  g_clear_object (&f->plant_worker);
  g_clear_object (&f->plant_target);
  g_clear_object (&f->plant);
  g_clear_pointer (&f->server, sync_test_mlflow_free);
}

/* The plant adds and approves a model; its outbox takes it to MLflow. */
static char *
publish (Fixture    *f,
         GBytes     *file,
         const char *version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSyncStatus) status = NULL;
  char *id = ausculta_archive_add_model (f->plant, "admin", version, file, REPORT, &error);

  g_assert_no_error (error);
  g_assert_true (ausculta_archive_approve_model (f->plant, "admin", id, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_sync_worker_run_once (f->plant_worker, NULL, &error));
  g_assert_no_error (error);
  status = ausculta_sync_worker_get_status (f->plant_worker);
  g_assert_cmpuint (status->backlog, ==, 0);
  return id;
}

/* One pass of the station's worker, at its clock. */
static AuscultaSyncStatus *
station_pass (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_no_error (error);
  return ausculta_sync_worker_get_status (f->worker);
}

static gint64
audit_count (AuscultaArchive *archive,
             const char      *action,
             const char      *actor)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (ausculta_archive_get_path (archive), &db,
                                    SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit WHERE action = ?"
                                       " AND actor IS ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static guint
n_models (AuscultaArchive *archive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = ausculta_archive_list_models (archive, &error);

  g_assert_no_error (error);
  return models->len;
}

static gint64
alias_requests (Fixture *f)
{
  g_autoptr(JsonNode) state = sync_test_mlflow_state (f->server);

  return sync_test_mlflow_requests (state, "registered-models/alias");
}

static void
assert_production (AuscultaArchive *archive,
                   GBytes          *expected,
                   const char      *version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModelInfo) info = ausculta_archive_get_production_model (archive, &error);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, expected);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(AuscultaModel) model = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->sha256, ==, sha256);
  g_assert_cmpstr (info->version, ==, version);
  g_assert_cmpint (info->status, ==, AUSCULTA_MODEL_APPROVED);
  g_assert_cmpstr (info->approved_by, ==, "admin");
  /* the file the inspection will score with, loadable as a model */
  file = ausculta_archive_get_model_file (archive, info->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (file, expected));
  model = ausculta_model_load_bytes (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ausculta_model_get_sha256 (model), ==, sha256);
}

static void
test_champion_installed_once (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) demo = sync_test_data_model ("demo.model");
  g_autofree char *plant_id = publish (f, demo, "demo");
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(AuscultaModelInfo) plant_info = ausculta_archive_get_production_model (f->plant, NULL);
  g_autoptr(AuscultaModelInfo) info = NULL;
  gint64 checks;

  status = station_pass (f);
  assert_production (f->station, demo, "demo");
  info = ausculta_archive_get_production_model (f->station, NULL);
  g_assert_cmpstr (info->id, ==, plant_id);
  g_assert_cmpstr (info->validation_report, ==, REPORT);
  g_assert_cmpint (g_date_time_to_unix (info->approved_at), ==,
                   g_date_time_to_unix (plant_info->approved_at));
  g_assert_cmpstr (info->created_by, ==, AUSCULTA_ARCHIVE_SYNC_ACTOR);
  g_assert_true (g_str_has_prefix (status->champion, "champion v1 installed: production model demo"));
  g_assert_false (ausculta_mlflow_sync_get_pull_failed (f->target));
  g_assert_cmpint (audit_count (f->station, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 1);
  /* nothing goes back up: the plant has it */
  g_assert_cmpuint (status->backlog, ==, 0);

  /* a minute later: not looked at again; eleven minutes later: looked
   * at, found installed, nothing written */
  checks = alias_requests (f);
  f->clock.now += G_TIME_SPAN_MINUTE;
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = station_pass (f);
  g_assert_cmpint (alias_requests (f), ==, checks);
  f->clock.now += 10 * G_TIME_SPAN_MINUTE;
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = station_pass (f);
  g_assert_cmpint (alias_requests (f), ==, checks + 1);
  g_assert_cmpuint (n_models (f->station), ==, 1);
  g_assert_cmpint (audit_count (f->station, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 1);
  g_assert_true (g_str_has_prefix (status->champion, "champion v1 installed"));
}

/* The plant approves a newer model: the station takes it at its next
 * check, configured here at 10 minutes. */
static void
test_new_champion_replaces (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) demo = sync_test_data_model ("demo.model");
  g_autoptr(GBytes) simulator = sync_test_data_model ("simulator.model");
  g_autofree char *first = publish (f, demo, "demo");
  g_autofree char *second = NULL;
  g_autoptr(AuscultaSyncStatus) status = NULL;

  ausculta_mlflow_sync_set_pull_interval (f->target, 10 * G_TIME_SPAN_MINUTE);
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = station_pass (f);
  assert_production (f->station, demo, "demo");
  second = publish (f, simulator, "simulator");

  f->clock.now += 5 * G_TIME_SPAN_MINUTE;
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = station_pass (f);
  assert_production (f->station, demo, "demo");
  f->clock.now += 5 * G_TIME_SPAN_MINUTE;
  g_clear_pointer (&status, ausculta_sync_status_free);
  status = station_pass (f);
  assert_production (f->station, simulator, "simulator");
  g_assert_true (g_str_has_prefix (status->champion, "champion v2 installed: production model simulator"));
  g_assert_cmpuint (n_models (f->station), ==, 2);
  g_assert_cmpint (audit_count (f->station, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 2);
}

static void
corrupt_model_artifact (Fixture *f)
{
  g_autoptr(JsonNode) state = sync_test_mlflow_state (f->server);
  JsonObject *runs = json_object_get_object_member (json_node_get_object (state), "runs");
  g_autoptr(GList) values = json_object_get_values (runs);
  JsonObject *info = json_object_get_object_member (json_node_get_object (values->data), "info");
  g_autofree char *control =
    g_strdup_printf ("{\"corrupt\": \"%s/%s/artifacts/model/model.safetensors\"}",
                     json_object_get_string_member (info, "experiment_id"),
                     json_object_get_string_member (info, "run_id"));

  g_assert_cmpuint (g_list_length (values), ==, 1);
  sync_test_mlflow_control (f->server, control);
}

static void
test_tampered_not_installed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GBytes) demo = sync_test_data_model ("demo.model");
  g_autofree char *id = publish (f, demo, "demo");
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(AuscultaModelInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  corrupt_model_artifact (f);
  status = station_pass (f);
  info = ausculta_archive_get_production_model (f->station, &error);
  g_assert_no_error (error);
  g_assert_null (info);
  g_assert_cmpuint (n_models (f->station), ==, 0);
  g_assert_cmpint (audit_count (f->station, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 0);
  g_assert_true (g_str_has_prefix (status->champion, "champion v1 not installed: hash mismatch"));
  g_assert_true (ausculta_mlflow_sync_get_pull_failed (f->target));
  /* what `ausculta-cli sync --status` prints */
  text = ausculta_sync_status_to_text (status);
  g_assert_nonnull (strstr (text, "  pull: champion v1 not installed: hash mismatch"));

  g_assert_false (ausculta_mlflow_sync_pull_champion (f->target, f->station, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_INTEGRITY);
}

/* Right hash, right container, but not a model the ML module can load. */
static void
test_unreadable_not_installed (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = sync_test_model_bytes (1);
  g_autofree char *id = publish (f, bytes, "lof-1");
  g_autoptr(AuscultaSyncStatus) status = station_pass (f);

  g_assert_cmpuint (n_models (f->station), ==, 0);
  g_assert_true (g_str_has_prefix (status->champion, "champion v1 not installed: downloaded "
                                                     "champion is not a usable Ausculta model"));
}

static void
test_registry_404 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_mlflow_control (f->server, "{\"no_registry\": true}");
  status = station_pass (f);
  g_assert_nonnull (strstr (status->champion, "champion not checked: "));
  g_assert_nonnull (strstr (status->champion, "no model registry (HTTP 404)"));
  g_assert_false (ausculta_mlflow_sync_pull_champion (f->target, f->station, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_UNSUPPORTED);
}

static void
test_no_champion_yet (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AuscultaSyncStatus) status = station_pass (f);

  g_assert_cmpstr (status->champion, ==, "no champion set for " MODEL_NAME " in MLflow");
  g_assert_false (ausculta_mlflow_sync_get_pull_failed (f->target));
  g_assert_cmpuint (n_models (f->station), ==, 0);
}

static AuscultaPulledModel
pulled_model (GBytes     *file,
              const char *sha256,
              GDateTime  *approved_at)
{
  return (AuscultaPulledModel) {
    .model_id = NULL, .version = "plant-7", .file = file, .sha256 = sha256,
    .validation_report = REPORT, .approved_by = "supervisor", .approved_at = approved_at,
    .origin = "MLflow " MODEL_NAME " v7",
  };
}

/* In the archive alone: the same file already there as a candidate is
 * approved (one row); a local model approved after the plant's approval
 * is retired so that the champion is production; a second install writes
 * nothing; a wrong hash or a missing approval installs nothing. */
static void
test_install_in_archive (void)
{
  g_autoptr(AuscultaArchive) archive = open_archive ("station.sqlite");
  g_autoptr(GBytes) demo = sync_test_data_model ("demo.model");
  g_autoptr(GBytes) simulator = sync_test_data_model ("simulator.model");
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, demo);
  g_autoptr(GDateTime) plant_approval = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *candidate = NULL;
  g_autofree char *local = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autoptr(AuscultaModelInfo) production = NULL;
  g_autoptr(GPtrArray) models = NULL;
  AuscultaPulledModel model = pulled_model (demo, sha256, plant_approval);
  gboolean changed = FALSE;

  g_assert_true (ausculta_archive_add_user (archive, NULL, "admin", "Admin", AUSCULTA_ROLE_ADMIN,
                                            "admin-pass", NULL, &error));
  candidate = ausculta_archive_add_model (archive, "admin", "local-demo", demo, NULL, &error);
  local = ausculta_archive_add_model (archive, "admin", "local-sim", simulator, NULL, &error);
  g_usleep (1000);
  g_assert_true (ausculta_archive_approve_model (archive, "admin", local, &error));
  g_assert_no_error (error);

  id = ausculta_archive_install_champion (archive, &model, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, candidate);
  g_assert_true (changed);
  production = ausculta_archive_get_production_model (archive, &error);
  g_assert_cmpstr (production->id, ==, candidate);
  g_assert_cmpstr (production->approved_by, ==, "supervisor");
  models = ausculta_archive_list_models (archive, &error);
  g_assert_cmpuint (models->len, ==, 2);
  for (guint i = 0; i < models->len; i++)
    {
      AuscultaModelInfo *info = g_ptr_array_index (models, i);

      if (g_strcmp0 (info->id, local) == 0)
        g_assert_cmpint (info->status, ==, AUSCULTA_MODEL_RETIRED);
    }
  g_assert_cmpint (audit_count (archive, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 1);

  again = ausculta_archive_install_champion (archive, &model, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, candidate);
  g_assert_false (changed);
  g_assert_cmpint (audit_count (archive, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 1);

  model = pulled_model (simulator, sha256, plant_approval);
  g_assert_null (ausculta_archive_install_champion (archive, &model, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&sha256, g_free);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, simulator);
  model = pulled_model (simulator, sha256, plant_approval);
  model.approved_by = NULL;
  g_assert_null (ausculta_archive_install_champion (archive, &model, NULL, &error));
  g_assert_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "no approval recorded"));
  g_clear_pointer (&production, ausculta_model_info_free);
  production = ausculta_archive_get_production_model (archive, NULL);
  g_assert_cmpstr (production->id, ==, candidate);
  g_assert_cmpint (audit_count (archive, "model.pull", AUSCULTA_ARCHIVE_SYNC_ACTOR), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("AUSCULTA_CREDENTIALS", "file", TRUE);
#define ADD(path, func) \
  g_test_add ("/ausculta/sync/mlflow-pull/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("champion-installed-once", test_champion_installed_once);
  ADD ("new-champion-replaces", test_new_champion_replaces);
  ADD ("tampered-not-installed", test_tampered_not_installed);
  ADD ("unreadable-not-installed", test_unreadable_not_installed);
  ADD ("registry-404", test_registry_404);
  ADD ("no-champion-yet", test_no_champion_yet);
#undef ADD
  g_test_add_func ("/ausculta/sync/mlflow-pull/install-in-archive", test_install_in_archive);
  return g_test_run ();
}
