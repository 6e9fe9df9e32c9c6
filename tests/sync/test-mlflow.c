/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-mlflow"

#include "config.h"

#include <string.h>

#include "ausculta-mlflow-sync.h"
#include "ausculta-outbox.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-worker.h"
#include "sync-test-archive.h"
#include "sync-test-mlflow.h"

#define MODEL_NAME "ausculta-detector"
#define REPORT "{\"escape_rate\": 0.02, \"false_reject_rate\": 0.04, \"detector\": \"lof\"," \
               " \"per_defect\": {\"3\": 0.9}}"

typedef struct {
  AuscultaArchive    *archive;
  SyncTestMlflow     *server;
  AuscultaMlflowSync *target;
  AuscultaSyncWorker *worker;
  SyncTestClock       clock;
} Fixture;

static char *
add_model_bytes (Fixture    *f,
                 GBytes     *bytes,
                 const char *version,
                 gboolean    approve)
{
  g_autoptr(GError) error = NULL;
  char *id = ausculta_archive_add_model (f->archive, "admin", version, bytes, REPORT, &error);

  g_assert_no_error (error);
  if (approve)
    g_assert_true (ausculta_archive_approve_model (f->archive, "admin", id, &error));
  g_assert_no_error (error);
  return id;
}

static char *
add_model (Fixture *f,
           guint    i,
           gboolean approve)
{
  g_autoptr(GBytes) bytes = sync_test_model_bytes (i);
  g_autofree char *version = g_strdup_printf ("lof-%u", i);

  return add_model_bytes (f, bytes, version, approve);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *option = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  f->archive = sync_test_archive_new (0);
  g_assert_true (ausculta_archive_add_user (f->archive, NULL, "admin", "Admin",
                                            AUSCULTA_ROLE_ADMIN, "admin-pass", NULL, &error));
  g_assert_no_error (error);
  f->server = sync_test_mlflow_start (0, option);
  if (option != NULL && g_str_has_prefix (option, "--auth="))
    token = g_strdup ("wrong-token");
  f->target = ausculta_mlflow_sync_new (f->server->uri, "bench", token, "ausculta", MODEL_NAME);
  ausculta_mlflow_client_set_timeout (ausculta_mlflow_sync_get_client (f->target), 2000);
  f->worker = ausculta_sync_worker_new (f->archive, AUSCULTA_SYNC_TARGET (f->target));
  f->clock.now = g_get_real_time ();
  ausculta_sync_worker_set_clock (f->worker, sync_test_clock_now, &f->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->worker);
  g_clear_object (&f->target);
  g_clear_pointer (&f->server, sync_test_mlflow_free);
  g_clear_object (&f->archive);
}

/* Passes until the backlog is empty, jumping over each backoff. */
static guint
drain (Fixture *f,
       guint    max_passes)
{
  guint passes = 0;

  /* rows are stamped with the real time when added */
  f->clock.now = MAX (f->clock.now, g_get_real_time ());
  for (; passes < max_passes; passes++)
    {
      g_autoptr(AuscultaSyncStatus) status = NULL;

      ausculta_sync_worker_run_once (f->worker, NULL, NULL);
      status = ausculta_sync_worker_get_status (f->worker);
      if (status->backlog == 0)
        return passes + 1;
      if (status->next_attempt != NULL)
        f->clock.now = g_date_time_to_unix (status->next_attempt) * G_USEC_PER_SEC + G_USEC_PER_SEC;
    }
  return passes;
}

static JsonObject *
only_run (JsonNode *state)
{
  JsonObject *runs = json_object_get_object_member (json_node_get_object (state), "runs");
  g_autoptr(GList) values = json_object_get_values (runs);

  g_assert_cmpuint (g_list_length (values), ==, 1);
  return json_node_get_object (values->data);
}

static JsonObject *
model (JsonNode *state)
{
  JsonObject *models = json_object_get_object_member (json_node_get_object (state), "models");

  return json_object_get_object_member (models, MODEL_NAME);
}

static const char *
alias (JsonNode   *state,
       const char *name)
{
  JsonObject *aliases = json_object_get_object_member (model (state), "aliases");

  return json_object_get_string_member_with_default (aliases, name, NULL);
}

static JsonObject *
version_tags (JsonNode *state,
              guint     version)
{
  JsonArray *versions = json_object_get_array_member (model (state), "versions");
  JsonObject *v = json_array_get_object_element (versions, version - 1);

  return json_object_get_object_member (v, "tags");
}

static void
test_run_and_approval_once (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, TRUE);
  g_autoptr(GBytes) bytes = sync_test_model_bytes (1);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(JsonNode) state = NULL;
  JsonObject *run, *info, *artifacts;
  g_autofree char *model_path = NULL;

  g_assert_cmpuint (drain (f, 5), ==, 1);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "experiments"), ==, 1);
  run = only_run (state);
  info = json_object_get_object_member (run, "info");
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "FINISHED");
  g_assert_cmpstr (json_object_get_string_member (info, "run_name"), ==, "ausculta-lof-1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (run, "tags"),
                                                  "ausculta_model_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (run, "params"),
                                                  "detector"), ==, "lof");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (run, "params"),
                                                  "sha256"), ==, sha);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (run, "metrics")), ==, 3);
  /* the model file went through the artifact proxy, byte for byte */
  model_path = g_strdup_printf ("%s/%s/artifacts/model/model.safetensors",
                                json_object_get_string_member (info, "experiment_id"),
                                json_object_get_string_member (info, "run_id"));
  artifacts = json_object_get_object_member (json_node_get_object (state), "artifact_sha256");
  g_assert_cmpstr (json_object_get_string_member (artifacts, model_path), ==, sha);
  g_assert_cmpuint (json_object_get_size (artifacts), ==, 2);
  /* one version, tagged, champion */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model (state), "versions")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (version_tags (state, 1), "ausculta_sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (version_tags (state, 1), "approved_by"), ==, "admin");
  g_assert_nonnull (strstr (json_object_get_string_member (version_tags (state, 1), "validation_summary"),
                            "escape_rate"));
  g_assert_cmpstr (alias (state, "champion"), ==, "1");
  g_assert_null (alias (state, "previous"));
}

/* Replays, even with the remembered run and version ids lost: found again
 * by tag, nothing logged or registered twice. */
static void
test_replay_logs_nothing_twice (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, TRUE);
  g_autofree char *run_key = g_strdup_printf ("run.%s", id);
  g_autofree char *version_key = g_strdup_printf ("version.%s", id);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;

  drain (f, 5);
  ausculta_outbox_state_set (f->archive, "mlflow", run_key, NULL, &error);
  ausculta_outbox_state_set (f->archive, "mlflow", version_key, NULL, &error);
  g_assert_true (ausculta_outbox_enqueue (f->archive, "mlflow", AUSCULTA_OUTBOX_TRAINING_RUN, id, &error));
  g_assert_true (ausculta_outbox_enqueue (f->archive, "mlflow", AUSCULTA_OUTBOX_MODEL, id, &error));
  g_assert_true (ausculta_outbox_enqueue (f->archive, "mlflow", AUSCULTA_OUTBOX_APPROVAL, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (drain (f, 5), ==, 1);

  state = sync_test_mlflow_state (f->server);
  only_run (state);
  g_assert_cmpint (sync_test_mlflow_requests (state, "runs/create"), ==, 1);
  g_assert_cmpint (sync_test_mlflow_requests (state, "runs/log-batch"), ==, 1);
  g_assert_cmpint (sync_test_mlflow_requests (state, "model-versions/create"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model (state), "versions")), ==, 1);
  g_assert_cmpstr (alias (state, "champion"), ==, "1");
  g_assert_null (alias (state, "previous"));
}

static void
test_previous_and_rollback (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first = add_model (f, 1, TRUE);
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;

  drain (f, 5);
  second = add_model (f, 2, TRUE);
  drain (f, 5);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpstr (alias (state, "champion"), ==, "2");
  g_assert_cmpstr (alias (state, "previous"), ==, "1");
  g_clear_pointer (&state, json_node_unref);

  /* retiring the champion hands the alias back */
  g_assert_true (ausculta_archive_retire_model (f->archive, "admin", second, &error));
  g_assert_no_error (error);
  drain (f, 5);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpstr (alias (state, "champion"), ==, "1");
  g_assert_null (alias (state, "previous"));
  g_assert_cmpstr (json_object_get_string_member (version_tags (state, 2), "ausculta_status"), ==, "retired");
}

static void
test_bursts_of_5xx_and_429 (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *first = add_model (f, 1, TRUE);
  g_autofree char *second = add_model (f, 2, FALSE);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_mlflow_control (f->server, "{\"fail_status\": 503, \"fail_count\": 4}");
  f->clock.now = g_get_real_time ();
  g_assert_false (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "HTTP 503"));
  g_clear_error (&error);
  g_assert_cmpuint (drain (f, 10), >, 1);
  sync_test_mlflow_control (f->server, "{\"fail_status\": 429, \"fail_count\": 3}");
  g_assert_true (ausculta_outbox_enqueue (f->archive, "mlflow", AUSCULTA_OUTBOX_MODEL, second, &error));
  g_assert_cmpuint (drain (f, 10), >, 1);

  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "runs"), ==, 2);
  g_assert_cmpint (sync_test_mlflow_requests (state, "runs/log-batch"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model (state), "versions")), ==, 2);
  g_assert_cmpstr (alias (state, "champion"), ==, "1");
  status = ausculta_sync_worker_get_status (f->worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_ONLINE);
}

static void
test_wrong_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, TRUE);
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;

  f->clock.now = g_get_real_time ();
  g_assert_false (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_AUTH);
  for (guint minute = 0; minute < 3 * 60; minute++)
    {
      f->clock.now += G_TIME_SPAN_MINUTE;
      ausculta_sync_worker_run_once (f->worker, NULL, NULL);
    }
  status = ausculta_sync_worker_get_status (f->worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_AUTH);
  g_assert_cmpuint (status->backlog, ==, 2);
  g_assert_nonnull (strstr (status->last_error, "HTTP 401"));
  g_assert_nonnull (strstr (status->last_error, "credentials refused"));
  g_assert_null (strstr (status->last_error, "wrong-token"));
  /* three hours, hourly retries: four requests in all, no storm */
  g_assert_cmpuint (sync_test_outbox_attempts (f->archive, "mlflow"), ==, 4);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "runs"), ==, 0);
}

/* A token without access to the repository: stays queued, says why. */
static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, FALSE);
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = NULL;

  sync_test_mlflow_control (f->server, "{\"fail_status\": 403, \"fail_count\": 1000}");
  f->clock.now = g_get_real_time ();
  g_assert_false (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_AUTH);
  status = ausculta_sync_worker_get_status (f->worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_AUTH);
  g_assert_cmpuint (status->backlog, ==, 1);
  g_assert_nonnull (strstr (status->last_error, "HTTP 403"));
  g_assert_nonnull (strstr (status->last_error, "no access to this repository"));
  g_clear_error (&error);

  /* access granted and wake() called (new token): sent at once */
  sync_test_mlflow_control (f->server, "{\"fail_count\": 0}");
  ausculta_sync_worker_wake (f->worker);
  g_assert_true (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_no_error (error);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "runs"), ==, 1);
}

static void
test_no_registry (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, TRUE);
  g_autoptr(AuscultaSyncStatus) status = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonObject *tags;

  sync_test_mlflow_control (f->server, "{\"no_registry\": true}");
  g_assert_cmpuint (drain (f, 5), ==, 1);
  state = sync_test_mlflow_state (f->server);
  tags = json_object_get_object_member (only_run (state), "tags");
  g_assert_cmpstr (json_object_get_string_member (tags, "ausculta_candidate"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (tags, "ausculta_champion"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (tags, "ausculta_approved_by"), ==, "admin");
  status = ausculta_sync_worker_get_status (f->worker);
  g_assert_cmpint (status->state, ==, AUSCULTA_SYNC_STATE_ONLINE);
  g_assert_nonnull (strstr (status->note, "no model registry"));
}

static void
test_slower_than_timeout (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = add_model (f, 1, FALSE);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;

  ausculta_mlflow_client_set_timeout (ausculta_mlflow_sync_get_client (f->target), 300);
  sync_test_mlflow_control (f->server, "{\"delay\": 0.5}");
  f->clock.now = g_get_real_time ();
  g_assert_false (ausculta_sync_worker_run_once (f->worker, NULL, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE);
  g_usleep (G_USEC_PER_SEC);
  sync_test_mlflow_control (f->server, "{\"delay\": 0}");
  g_assert_cmpuint (drain (f, 10), >=, 1);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "runs"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model (state), "versions")), ==, 1);
}

/* Three days without the server: trainings and approvals queue up, then
 * each one reaches MLflow exactly once. */
static void
test_outage_72_hours (Fixture       *f,
                      gconstpointer  data)
{
  guint16 port = f->server->port;
  gint64 end = f->clock.now + 72 * G_TIME_SPAN_HOUR;
  g_autoptr(JsonNode) state = NULL;
  guint n_models = 0;

  g_clear_pointer (&f->server, sync_test_mlflow_free);
  ausculta_sync_worker_set_backoff (f->worker, G_TIME_SPAN_MINUTE, G_TIME_SPAN_HOUR, G_TIME_SPAN_HOUR);
  for (guint step = 0; f->clock.now < end; step++, f->clock.now += 10 * G_TIME_SPAN_MINUTE)
    {
      if (step % 144 == 0)
        g_free (add_model (f, ++n_models, TRUE));
      ausculta_sync_worker_run_once (f->worker, NULL, NULL);
    }
  g_assert_cmpuint (sync_test_outbox_attempts (f->archive, "mlflow"), <=, 2 * 72 + 10);

  f->server = sync_test_mlflow_start (port, NULL);
  g_assert_cmpuint (drain (f, 5), <=, 2);
  state = sync_test_mlflow_state (f->server);
  g_assert_cmpuint (sync_test_mlflow_count (state, "runs"), ==, n_models);
  g_assert_cmpint (sync_test_mlflow_requests (state, "runs/create"), ==, n_models);
  g_assert_cmpint (sync_test_mlflow_requests (state, "runs/log-batch"), ==, n_models);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model (state), "versions")), ==, n_models);
  g_assert_cmpstr (alias (state, "champion"), ==, "3");
  g_assert_cmpstr (alias (state, "previous"), ==, "2");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("AUSCULTA_CREDENTIALS", "file", TRUE);
#define ADD(path, func, option) \
  g_test_add ("/ausculta/sync/mlflow-double/" path, Fixture, option, fixture_set_up, func, fixture_tear_down)
  ADD ("run-and-approval-once", test_run_and_approval_once, NULL);
  ADD ("replay-logs-nothing-twice", test_replay_logs_nothing_twice, NULL);
  ADD ("previous-and-rollback", test_previous_and_rollback, NULL);
  ADD ("bursts-of-5xx-and-429", test_bursts_of_5xx_and_429, NULL);
  ADD ("wrong-token", test_wrong_token, "--auth=bench:right-token");
  ADD ("forbidden-403-then-wake", test_forbidden, NULL);
  ADD ("no-registry-degrades", test_no_registry, NULL);
  ADD ("slower-than-timeout", test_slower_than_timeout, NULL);
  ADD ("outage-72-hours", test_outage_72_hours, NULL);
#undef ADD
  return g_test_run ();
}
