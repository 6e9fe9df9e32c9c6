/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mongo-document"

#include "config.h"

#include <math.h>

#include "ausculta-mongo-document.h"

/* The layout of production.api_mesures, which the plant's dashboards read,
 * is kept field for field: Mesure_CNI (feature name -> value), prediction
 * (1 = accepted, -1 = rejected: scikit-learn's outlier convention, null
 * when no OK/NOK verdict was given), client, temp_rep (milliseconds from
 * the end of capture to the verdict), date_de_creation, versionmodel,
 * versionsc (the software version). The fields after them are new. */

static gint64
date_time_to_ms (GDateTime *date_time)
{
  return g_date_time_to_unix (date_time) * 1000 + g_date_time_get_microsecond (date_time) / 1000;
}

static void
append_double_or_null (bson_t     *document,
                       const char *key,
                       double      value)
{
  if (isfinite (value))
    BSON_APPEND_DOUBLE (document, key, value);
  else
    BSON_APPEND_NULL (document, key);
}

static void
append_utf8_or_null (bson_t     *document,
                     const char *key,
                     const char *value)
{
  if (value != NULL)
    BSON_APPEND_UTF8 (document, key, value);
  else
    BSON_APPEND_NULL (document, key);
}

static void
append_features (bson_t                    *document,
                 const AuscultaMeasurement *measurement)
{
  bson_t features;

  BSON_APPEND_DOCUMENT_BEGIN (document, "Mesure_CNI", &features);
  for (guint i = 0; i < measurement->n_features; i++)
    append_double_or_null (&features, measurement->feature_names[i], measurement->features[i]);
  bson_append_document_end (document, &features);
}

/* The time the verdict took: the inspection records it as "verdict" or
 * "total"; otherwise the sum of the recorded steps. */
static double
response_time_ms (const AuscultaMeasurement *measurement)
{
  const char *keys[] = { "total", "verdict" };
  GHashTableIter iter;
  gpointer value;
  double sum = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      double *found = g_hash_table_lookup (measurement->timings_ms, keys[i]);

      if (found != NULL)
        return *found;
    }
  if (g_hash_table_size (measurement->timings_ms) == 0)
    return NAN;
  g_hash_table_iter_init (&iter, measurement->timings_ms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sum += *(double *) value;
  return sum;
}

static void
append_prediction (bson_t                    *document,
                   const AuscultaMeasurement *measurement)
{
  if (measurement->verdict == AUSCULTA_VERDICT_OK)
    BSON_APPEND_INT32 (document, "prediction", 1);
  else if (measurement->verdict == AUSCULTA_VERDICT_NOK)
    BSON_APPEND_INT32 (document, "prediction", -1);
  else
    BSON_APPEND_NULL (document, "prediction");
}

static void
append_historical (bson_t                    *document,
                   const AuscultaMeasurement *measurement,
                   const char                *client)
{
  GDateTime *created = measurement->finished_at ? measurement->finished_at
                                                : measurement->started_at;

  append_features (document, measurement);
  append_prediction (document, measurement);
  append_utf8_or_null (document, "client", client ? client : measurement->station);
  append_double_or_null (document, "temp_rep", response_time_ms (measurement));
  if (created != NULL)
    BSON_APPEND_DATE_TIME (document, "date_de_creation", date_time_to_ms (created));
  else
    BSON_APPEND_NULL (document, "date_de_creation");
  append_utf8_or_null (document, "versionmodel", measurement->model_version);
  BSON_APPEND_UTF8 (document, "versionsc", PACKAGE_VERSION);
}

static void
append_reasons (bson_t                    *document,
                const AuscultaMeasurement *measurement)
{
  bson_t array;

  BSON_APPEND_ARRAY_BEGIN (document, "reasons", &array);
  for (guint i = 0; i < measurement->reasons->len; i++)
    {
      const AuscultaReason *reason = g_ptr_array_index (measurement->reasons, i);
      char key[16];
      bson_t item;

      g_snprintf (key, sizeof key, "%u", i);
      BSON_APPEND_DOCUMENT_BEGIN (&array, key, &item);
      BSON_APPEND_UTF8 (&item, "feature", reason->feature);
      append_double_or_null (&item, "contribution", reason->contribution);
      bson_append_document_end (&array, &item);
    }
  bson_append_array_end (document, &array);
}

/* labels: the current label (the latest of the history), as the archive
 * names it ("OK", "NG" or the defect class); label_changes: the history. */
static void
append_labels (bson_t    *document,
               GPtrArray *history)
{
  bson_t array;
  guint n = history ? history->len : 0;

  BSON_APPEND_ARRAY_BEGIN (document, "labels", &array);
  if (n > 0)
    {
      const AuscultaLabel *latest = g_ptr_array_index (history, n - 1);
      g_autofree char *text = ausculta_label_to_string (latest->label);

      BSON_APPEND_UTF8 (&array, "0", text);
    }
  bson_append_array_end (document, &array);

  BSON_APPEND_ARRAY_BEGIN (document, "label_changes", &array);
  for (guint i = 0; i < n; i++)
    {
      const AuscultaLabel *change = g_ptr_array_index (history, i);
      g_autofree char *text = ausculta_label_to_string (change->label);
      char key[16];
      bson_t item;

      g_snprintf (key, sizeof key, "%u", i);
      BSON_APPEND_DOCUMENT_BEGIN (&array, key, &item);
      BSON_APPEND_UTF8 (&item, "label", text);
      append_utf8_or_null (&item, "by", change->user_name);
      append_utf8_or_null (&item, "comment", change->comment);
      if (change->created_at != NULL)
        BSON_APPEND_DATE_TIME (&item, "at", date_time_to_ms (change->created_at));
      bson_append_document_end (&array, &item);
    }
  bson_append_array_end (document, &array);
}

static void
append_new_fields (bson_t                    *document,
                   const AuscultaMeasurement *measurement)
{
  g_autofree char *health = ausculta_health_to_string (measurement->health);

  append_utf8_or_null (document, "serial", measurement->serial);
  append_utf8_or_null (document, "station", measurement->station);
  BSON_APPEND_UTF8 (document, "verdict", ausculta_verdict_to_string (measurement->verdict));
  append_double_or_null (document, "score", measurement->score);
  append_double_or_null (document, "threshold", measurement->threshold);
  append_reasons (document, measurement);
  append_utf8_or_null (document, "model_hash", measurement->model_hash);
  append_utf8_or_null (document, "profile_name", measurement->profile_name);
  append_utf8_or_null (document, "profile_hash", measurement->profile_hash);
  append_utf8_or_null (document, "health", health);
  if (measurement->started_at != NULL)
    BSON_APPEND_DATE_TIME (document, "started_at", date_time_to_ms (measurement->started_at));
  append_utf8_or_null (document, "source", measurement->source);
  append_utf8_or_null (document, "source_index", measurement->source_index);
}

/**
 * ausculta_mongo_document_new:
 * @measurement: a complete measurement
 * @label_history: (nullable) (element-type AuscultaLabel): its labels,
 *   oldest first, as the archive returns them
 * @client: (nullable): the historical `client` field; the station when NULL
 *
 * Returns: (transfer full): the document, with `_id` = the measurement's
 *   UUIDv7, so that upserting it twice leaves one document.
 */
bson_t *
ausculta_mongo_document_new (const AuscultaMeasurement *measurement,
                             GPtrArray                 *label_history,
                             const char                *client)
{
  bson_t *document;

  g_return_val_if_fail (measurement != NULL && measurement->id != NULL, NULL);

  document = bson_new ();
  BSON_APPEND_UTF8 (document, "_id", measurement->id);
  append_historical (document, measurement, client);
  append_new_fields (document, measurement);
  append_labels (document, label_history);
  return document;
}
