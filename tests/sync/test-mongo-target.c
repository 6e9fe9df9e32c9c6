/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-mongo-target"

#include "config.h"

#include <math.h>
#include <mongoc/mongoc.h>

#include "ausculta-mongo-target.h"
#include "ausculta-sync-error.h"
#include "sync-test-mongo.h"

static AuscultaMeasurement *
make_measurement (guint i)
{
  static const char * const names[] = { "V1_AC_down", "G29vib_up", "G1_vib_up" };
  const double values[] = { 61.5 + i, 0.002, NAN };
  AuscultaMeasurement *measurement = ausculta_measurement_new ();

  measurement->serial = g_strdup_printf ("SN-%05u", i);
  measurement->station = g_strdup ("bench-2");
  measurement->model_version = g_strdup ("lof-7");
  measurement->model_hash = g_strdup ("ab12");
  measurement->verdict = i % 3 == 0 ? AUSCULTA_VERDICT_NOK : AUSCULTA_VERDICT_OK;
  measurement->score = 1.25;
  measurement->threshold = 1.5;
  measurement->finished_at = g_date_time_new_utc (2026, 11, 26, 8, 30, 12.25);
  ausculta_measurement_set_features (measurement, names, values, G_N_ELEMENTS (values));
  ausculta_measurement_add_reason (measurement, "V1_AC_down", 0.75);
  ausculta_measurement_set_timing (measurement, "total", 412.0);
  return measurement;
}

static const char *
lookup_utf8 (const bson_t *document,
             const char   *dotted)
{
  bson_iter_t iter, found;

  g_assert_true (bson_iter_init (&iter, document));
  if (!bson_iter_find_descendant (&iter, dotted, &found) || !BSON_ITER_HOLDS_UTF8 (&found))
    return NULL;
  return bson_iter_utf8 (&found, NULL);
}

static double
lookup_double (const bson_t *document,
               const char   *dotted)
{
  bson_iter_t iter, found;

  g_assert_true (bson_iter_init (&iter, document));
  if (!bson_iter_find_descendant (&iter, dotted, &found))
    return -12345.0;
  if (BSON_ITER_HOLDS_NULL (&found))
    return NAN;
  return bson_iter_as_double (&found);
}

static void
test_document_fields (void)
{
  g_autoptr(AuscultaMeasurement) measurement = make_measurement (3);
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 26, 9, 0, 0);
  AuscultaLabel first = { AUSCULTA_LABEL_NG, NULL, "bob", at };
  AuscultaLabel second = { 3, "squeal at 2 kHz", "alice", at };
  g_autoptr(GPtrArray) history = g_ptr_array_new ();
  g_autoptr(bson_t) document = NULL;
  g_autofree char *class3 = ausculta_label_to_string (3);
  g_autofree char *ng = ausculta_label_to_string (AUSCULTA_LABEL_NG);
  bson_iter_t iter;

  g_ptr_array_add (history, &first);
  g_ptr_array_add (history, &second);
  document = ausculta_mongo_document_new (measurement, history, NULL);
  g_assert_cmpstr (lookup_utf8 (document, "_id"), ==, measurement->id);
  /* the historical fields the dashboards read */
  g_assert_cmpfloat (lookup_double (document, "Mesure_CNI.V1_AC_down"), ==, 64.5);
  g_assert_cmpfloat (lookup_double (document, "Mesure_CNI.G29vib_up"), ==, 0.002);
  g_assert_true (isnan (lookup_double (document, "Mesure_CNI.G1_vib_up")));
  g_assert_cmpfloat (lookup_double (document, "prediction"), ==, -1);
  g_assert_cmpstr (lookup_utf8 (document, "client"), ==, "bench-2");
  g_assert_cmpfloat (lookup_double (document, "temp_rep"), ==, 412.0);
  g_assert_cmpstr (lookup_utf8 (document, "versionmodel"), ==, "lof-7");
  g_assert_cmpstr (lookup_utf8 (document, "versionsc"), ==, PACKAGE_VERSION);
  g_assert_true (bson_iter_init_find (&iter, document, "date_de_creation"));
  g_assert_cmpint (bson_iter_date_time (&iter), ==, G_GINT64_CONSTANT (1795681812250));
  /* the new ones */
  g_assert_cmpstr (lookup_utf8 (document, "serial"), ==, "SN-00003");
  g_assert_cmpstr (lookup_utf8 (document, "verdict"), ==, "NOK");
  g_assert_cmpfloat (lookup_double (document, "score"), ==, 1.25);
  g_assert_cmpfloat (lookup_double (document, "threshold"), ==, 1.5);
  g_assert_cmpstr (lookup_utf8 (document, "reasons.0.feature"), ==, "V1_AC_down");
  g_assert_cmpstr (lookup_utf8 (document, "model_hash"), ==, "ab12");
  /* the current label is the latest; the history keeps both */
  g_assert_cmpstr (lookup_utf8 (document, "labels.0"), ==, class3);
  g_assert_null (lookup_utf8 (document, "labels.1"));
  g_assert_cmpstr (lookup_utf8 (document, "label_changes.0.label"), ==, ng);
  g_assert_cmpstr (lookup_utf8 (document, "label_changes.0.by"), ==, "bob");
  g_assert_cmpstr (lookup_utf8 (document, "label_changes.1.by"), ==, "alice");
  g_assert_cmpstr (lookup_utf8 (document, "label_changes.1.comment"), ==, "squeal at 2 kHz");
}

static GPtrArray *
make_documents (guint n)
{
  GPtrArray *documents = g_ptr_array_new_with_free_func ((GDestroyNotify) bson_destroy);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AuscultaMeasurement) measurement = make_measurement (i);

      g_ptr_array_add (documents, ausculta_mongo_document_new (measurement, NULL, NULL));
    }
  return documents;
}

/* With the test server's two stores: mongomock (the tests') and the dict
 * keyed on _id (the benchmark's), which must keep the same semantics. */
static void
test_upsert_replay (gconstpointer option)
{
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, option);
  g_autoptr(GPtrArray) documents = make_documents (40);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoTarget) target =
    ausculta_mongo_target_new (server->uri, NULL, "production", "api_mesures", &error);

  g_assert_no_error (error);
  g_assert_true (ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata,
                                               documents->len, rejections, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 0);
  g_assert_cmpint (sync_test_mongo_count (server, "production", "api_mesures"), ==, 40);

  /* the same batch again, as after a reply lost on the way back */
  g_assert_true (ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata,
                                               documents->len, rejections, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sync_test_mongo_count (server, "production", "api_mesures"), ==, 40);
  g_assert_cmpint (sync_test_mongo_stat (server, "written"), ==, 80);
  g_assert_cmpint (sync_test_mongo_stat (server, "upserted"), ==, 40);
}

static void
test_server_down (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = make_documents (2);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);
  /* port 9 (discard) on loopback: nobody listens there */
  g_autoptr(AuscultaMongoTarget) target =
    ausculta_mongo_target_new ("mongodb://127.0.0.1:9/?replicaSet=rs0&serverSelectionTimeoutMS=300",
                               NULL, "production", "api_mesures", &error);
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_false (ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata,
                                                documents->len, rejections, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:9/production.api_mesures"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

static void
test_wrong_password (void)
{
  g_autoptr(SyncTestMongo) server = sync_test_mongo_start (NULL, 0, "--reject-auth");
  g_autofree char *uri = g_strdup_printf ("mongodb://bench@127.0.0.1:%u/?replicaSet=rs0"
                                          "&serverSelectionTimeoutMS=1000", server->port);
  g_autoptr(GPtrArray) documents = make_documents (2);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaMongoTarget) target =
    ausculta_mongo_target_new (uri, "s3cret-Pa55", "production", "api_mesures", &error);

  g_assert_no_error (error);
  g_assert_false (ausculta_mongo_target_upsert (target, (bson_t **) documents->pdata,
                                                documents->len, rejections, &error));
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_AUTH);
  g_assert_null (strstr (error->message, "s3cret-Pa55"));
  g_assert_cmpint (sync_test_mongo_count (server, "production", "api_mesures"), ==, 0);
}

static void
test_bad_uri (void)
{
  g_autoptr(GError) error = NULL;
  AuscultaMongoTarget *target = ausculta_mongo_target_new ("http://example.org", NULL,
                                                           "production", "api_mesures", &error);

  g_assert_null (target);
  g_assert_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "MongoDB URI is not valid"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/ausculta/sync/mongo/document-fields", test_document_fields);
  g_test_add_func ("/ausculta/sync/mongo/bad-uri", test_bad_uri);
  g_test_add_data_func ("/ausculta/sync/mongo/upsert-replay", NULL, test_upsert_replay);
  g_test_add_data_func ("/ausculta/sync/mongo/upsert-replay-dict-store", "--store=dict",
                        test_upsert_replay);
  g_test_add_func ("/ausculta/sync/mongo/server-down", test_server_down);
  g_test_add_func ("/ausculta/sync/mongo/wrong-password", test_wrong_password);
  return g_test_run ();
}
