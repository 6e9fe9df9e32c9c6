/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "ausculta-safetensors.h"
#include "ausculta-train.h"
#include "ml-test-util.h"

#define N_COLS 12

static AuscultaDataset *
make_dataset (guint    n_good,
              guint    n_bad,
              guint32  seed)
{
  g_autofree double *good = ml_test_gaussian (n_good, N_COLS, seed);
  g_autofree double *bad = ml_test_gaussian (n_bad, N_COLS, seed + 1);
  const char *names[N_COLS + 1] = { "V1_AC_down", "V1_vib_down", "V2_AC_down", "V2_vib_down",
                                    "V3_AC_down", "V3_vib_down", "V1_AC_up", "V1_vib_up",
                                    "V2_AC_up", "V2_vib_up", "V3_AC_up", "G29vib_up", NULL };
  AuscultaDataset *data = ausculta_dataset_new (names);

  for (guint r = 0; r < n_good + n_bad; r++)
    {
      double *x = r < n_good ? good + (gsize) r * N_COLS : bad + (gsize) (r - n_good) * N_COLS;
      g_autofree char *name = g_strdup_printf ("%s%u", r < n_good ? "ok_" : "ng_", r);

      for (guint c = 0; c < N_COLS; c++)
        {
          if (r >= n_good && c == 2)
            x[c] += 10.0;                      /* a bad unit: one band far too loud */
          if (c % 2 == 1)
            x[c] = exp (x[c]);                 /* vibration columns are linear, positive */
          else
            x[c] = 60.0 + 5.0 * x[c];          /* acoustic columns in dB */
        }
      ausculta_dataset_append (data, name, NULL, r < n_good ? AUSCULTA_DATASET_LABEL_OK : 2, x);
    }
  return data;
}

static AuscultaModel *
train (const AuscultaDataset *data,
       const char            *settings)
{
  g_auto(GStrv) list = g_strsplit (settings, " ", -1);
  g_autoptr(GError) error = NULL;
  AuscultaModel *model = ausculta_model_train (data, (const char * const *) list, NULL, NULL,
                                               NULL, &error);

  g_assert_no_error (error);
  return model;
}

static const char * const recipes[] = {
  "detector=lof n_neighbors=10",
  "detector=lof n_neighbors=7 metric=manhattan preprocess=standard",
  "detector=knn metric=cosine",
  "detector=mahalanobis",
  "detector=pca statistic=both",
  "detector=logistic combine=knn",
};

/* Saved, loaded: same metadata, bit-identical scores, SHA-256 of the file. */
static void
test_round_trip (gconstpointer data_ptr)
{
  const char *recipe = data_ptr;
  g_autoptr(AuscultaDataset) data = make_dataset (120, 40, 5);
  g_autoptr(AuscultaModel) model = train (data, recipe);
  g_autoptr(AuscultaModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "round-trip.model", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *data_hash = ausculta_dataset_hash (data);
  g_autofree double *a = g_new (double, data->n_rows);
  g_autofree double *b = g_new (double, data->n_rows);
  gsize length;

  g_assert_true (ausculta_model_save (model, path, &error));
  g_assert_no_error (error);
  loaded = ausculta_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (ausculta_model_get_sha256 (loaded), ==, sha);
  g_assert_cmpstr (ausculta_model_get_sha256 (model), ==, sha);
  g_assert_cmpstr (ausculta_model_get_version (loaded), ==, ausculta_model_get_version (model));
  g_assert_cmpstr (ausculta_model_get_detector (loaded), ==, ausculta_model_get_detector (model));
  g_assert_cmpstr (ausculta_model_get_threshold_rule (loaded), ==,
                   ausculta_model_get_threshold_rule (model));
  g_assert_cmpstr (ausculta_model_get_validation_summary (loaded), ==,
                   ausculta_model_get_validation_summary (model));
  g_assert_cmpstr (ausculta_model_get_training_hash (loaded), ==, data_hash);
  g_assert_true (g_strv_equal (ausculta_model_get_feature_names (loaded),
                               (const char * const *) data->feature_names));
  g_assert_cmpfloat (ausculta_model_get_threshold (loaded), ==, ausculta_model_get_threshold (model));
  g_assert_true (ausculta_model_score_matrix (model, data->values, data->n_rows, a, NULL, &error));
  g_assert_true (ausculta_model_score_matrix (loaded, data->values, data->n_rows, b, NULL, &error));
  g_assert_cmpmem (a, sizeof (double) * data->n_rows, b, sizeof (double) * data->n_rows);
  g_unlink (path);
}

/* The same data and settings give the same bytes: no clock, no hash order. */
static void
test_reproducible (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (100, 30, 9);
  g_autoptr(AuscultaModel) a = train (data, "detector=logistic combine=lof");
  g_autoptr(AuscultaModel) b = train (data, "detector=logistic combine=lof");
  g_autoptr(GBytes) ba = ausculta_model_serialize (a);
  g_autoptr(GBytes) bb = ausculta_model_serialize (b);

  g_assert_true (g_bytes_equal (ba, bb));
}

/* Python reads the file with json + numpy alone, per the safetensors layout. */
static void
test_readable_from_python (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (80, 10, 13);
  g_autoptr(AuscultaModel) model = train (data, "detector=lof n_neighbors=5");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "python.model", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *script =
    "import json, struct, sys, numpy as np\n"
    "raw = open(sys.argv[1], 'rb').read()\n"
    "n = struct.unpack('<Q', raw[:8])[0]\n"
    "header = json.loads(raw[8:8 + n])\n"
    "meta = header.pop('__metadata__')\n"
    "t = header['preprocess.mean']\n"
    "a, b = t['data_offsets']\n"
    "mean = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f8')\n"
    "ref = header['detector.reference']\n"
    "print(meta['format'], meta['threshold'], len(json.loads(meta['feature_names'])), ref['shape'], repr(mean[0]))\n";
  const char *argv[] = { "/usr/bin/python3", "-c", script, path, NULL };
  int status;

  if (!ml_test_have_sklearn ())
    {
      g_test_skip ("Debian's python3-numpy is not installed");
      return;
    }
  g_assert_true (ausculta_model_save (model, path, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (out, "ausculta-model "));
  g_assert_cmpint (strstr (out, "12 [80, 12]") != NULL, ==, TRUE);
  g_assert_cmpfloat (g_ascii_strtod (out + strlen ("ausculta-model "), NULL), ==,
                     ausculta_model_get_threshold (model));
  g_unlink (path);
}

static GBytes *
valid_bytes (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (60, 10, 17);
  g_autoptr(AuscultaModel) model = train (data, "detector=knn");

  return ausculta_model_serialize (model);
}

/* Replaces the first @from in the file by @to (same length). */
static GBytes *
mutate (GBytes     *bytes,
        const char *from,
        const char *to)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  char *copy = g_memdup2 (data, size);
  char *at = NULL;

  /* the 8-byte length comes first and holds zeros: search bytes, not a string */
  for (gsize i = 0; at == NULL && i + strlen (from) <= size; i++)
    if (memcmp (copy + i, from, strlen (from)) == 0)
      at = copy + i;
  g_assert_nonnull (at);
  g_assert_cmpuint (strlen (from), ==, strlen (to));
  memcpy (at, to, strlen (to));
  return g_bytes_new_take (copy, size);
}

static void
assert_refused (GBytes     *bytes,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_load_bytes (bytes, &error);

  g_assert_null (model);
  g_assert_error (error, AUSCULTA_MODEL_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("message “%s” does not say “%s”", error->message, message_part);
  g_test_message ("refused: %s", error->message);
}

static void
test_corrupted (void)
{
  g_autoptr(GBytes) good = valid_bytes ();
  gsize size = g_bytes_get_size (good);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (good, 0, size / 2);
  g_autoptr(GBytes) short_data = g_bytes_new_from_bytes (good, 0, size - 8);
  g_autoptr(GBytes) no_json = mutate (good, "{\"__metadata__\"", "[\"__metadata__\"");
  g_autoptr(GBytes) bad_json = mutate (good, "\"__metadata__\":{", "\"__metadata__\":[");
  g_autoptr(GBytes) not_ours = mutate (good, "ausculta-model", "ausculta-modex");
  g_autoptr(GBytes) version = mutate (good, "\"format_version\":\"1\"", "\"format_version\":\"7\"");
  g_autoptr(GBytes) shape = mutate (good, "\"shape\":[12]", "\"shape\":[13]");
  g_autoptr(GBytes) dtype = mutate (good, "\"dtype\":\"F64\"", "\"dtype\":\"F32\"");
  guint8 huge[16] = { 0, 0, 0, 0, 0, 1, 0, 0, '{', '}' };
  g_autoptr(GBytes) huge_header = g_bytes_new (huge, sizeof huge);

  assert_refused (empty, AUSCULTA_MODEL_ERROR_CORRUPT, "too short");
  assert_refused (truncated, AUSCULTA_MODEL_ERROR_CORRUPT, "truncated");
  assert_refused (short_data, AUSCULTA_MODEL_ERROR_CORRUPT, "offsets");
  assert_refused (huge_header, AUSCULTA_MODEL_ERROR_CORRUPT, "header length");
  assert_refused (no_json, AUSCULTA_MODEL_ERROR_CORRUPT, "JSON header");
  assert_refused (bad_json, AUSCULTA_MODEL_ERROR_CORRUPT, "JSON header is invalid");
  assert_refused (not_ours, AUSCULTA_MODEL_ERROR_CORRUPT, "not an Ausculta model");
  assert_refused (version, AUSCULTA_MODEL_ERROR_VERSION, "format version 7");
  assert_refused (shape, AUSCULTA_MODEL_ERROR_CORRUPT, "bytes but its offsets span");
  assert_refused (dtype, AUSCULTA_MODEL_ERROR_CORRUPT, "expected F64 or U8");
}

/* The PCA statistic, a word in the training settings and in the file:
 * another word is named with the three expected. */
static void
test_pca_statistic (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (120, 40, 5);
  g_autoptr(AuscultaModel) model = train (data, "detector=pca statistic=t2");
  g_autoptr(GBytes) good = ausculta_model_serialize (model);
  g_autoptr(GBytes) bad = mutate (good, "statistic\":\"t2\"", "statistic\":\"t3\"");
  g_auto(GStrv) settings = g_strsplit ("detector=pca statistic=sum", " ", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) refused = ausculta_model_train (data, (const char * const *) settings,
                                                           NULL, NULL, NULL, &error);

  g_assert_null (refused);
  g_assert_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "statistic=sum: expected spe, t2 or both"));
  assert_refused (bad, AUSCULTA_MODEL_ERROR_CORRUPT, "statistic is t3; expected spe, t2 or both");
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_load ("/nonexistent/dir/m.model", &error);

  g_assert_null (model);
  g_assert_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/m.model"));
}

static AuscultaMeasurement *
measurement_from_row (const AuscultaDataset *data,
                      guint                  row,
                      gboolean               reversed)
{
  AuscultaMeasurement *m = ausculta_measurement_new ();
  const char *names[N_COLS];
  double values[N_COLS];

  for (guint c = 0; c < N_COLS; c++)
    {
      guint src = reversed ? N_COLS - 1 - c : c;

      names[c] = data->feature_names[src];
      values[c] = data->values[(gsize) row * N_COLS + src];
    }
  ausculta_measurement_set_features (m, names, values, N_COLS);
  return m;
}

static void
test_score_measurement (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (120, 20, 23);
  g_autoptr(AuscultaModel) model = train (data, "detector=lof n_neighbors=10");
  g_autoptr(AuscultaMeasurement) good = measurement_from_row (data, 3, TRUE);
  g_autoptr(AuscultaMeasurement) bad = measurement_from_row (data, 125, FALSE);
  g_autoptr(GError) error = NULL;
  double expected, total = 0.0;

  ausculta_model_score_vector (model, data->values + 3 * N_COLS, &expected, NULL, &error);
  g_assert_true (ausculta_model_score_measurement (model, good, &error));
  g_assert_no_error (error);
  /* names in another order: the same score */
  g_assert_cmpfloat (good->score, ==, expected);
  g_assert_cmpfloat (good->threshold, ==, ausculta_model_get_threshold (model));
  g_assert_cmpint (good->verdict, ==, good->score > good->threshold ? AUSCULTA_VERDICT_NOK
                                                                    : AUSCULTA_VERDICT_OK);
  g_assert_cmpstr (good->model_version, ==, ausculta_model_get_version (model));
  g_assert_cmpstr (good->model_hash, ==, ausculta_model_get_sha256 (model));

  g_assert_true (ausculta_model_score_measurement (model, bad, &error));
  g_assert_cmpint (bad->verdict, ==, AUSCULTA_VERDICT_NOK);
  /* the loud band (column 2, V2_AC_down) is the main reason */
  g_assert_cmpuint (bad->reasons->len, ==, 5);
  g_assert_cmpstr (((AuscultaReason *) bad->reasons->pdata[0])->feature, ==, "V2_AC_down");
  for (guint i = 0; i < bad->reasons->len; i++)
    {
      AuscultaReason *reason = bad->reasons->pdata[i];

      total += reason->contribution;
      if (i > 0)
        g_assert_cmpfloat (reason->contribution, <=,
                           ((AuscultaReason *) bad->reasons->pdata[i - 1])->contribution);
    }
  g_assert_cmpfloat (total, <=, 1.0 + 1e-12);
  g_assert_cmpfloat (((AuscultaReason *) bad->reasons->pdata[0])->contribution, >, 0.5);
}

static void
assert_measurement_refused (AuscultaModel       *model,
                            AuscultaMeasurement *m,
                            int                  code,
                            const char          *message_part)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ausculta_model_score_measurement (model, m, &error));
  g_assert_error (error, AUSCULTA_MODEL_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("message “%s” does not say “%s”", error->message, message_part);
  /* nothing half-written */
  g_assert_true (isnan (m->score));
  g_assert_cmpint (m->verdict, ==, AUSCULTA_VERDICT_NONE);
  g_assert_null (m->model_hash);
}

static void
test_mismatch (void)
{
  g_autoptr(AuscultaDataset) data = make_dataset (60, 10, 29);
  g_autoptr(AuscultaModel) model = train (data, "detector=knn profile_name=default");
  g_autoptr(AuscultaMeasurement) missing = ausculta_measurement_new ();
  g_autoptr(AuscultaMeasurement) renamed = measurement_from_row (data, 1, FALSE);
  g_autoptr(AuscultaMeasurement) nan = measurement_from_row (data, 1, FALSE);
  g_autoptr(AuscultaMeasurement) profile = measurement_from_row (data, 1, FALSE);

  ausculta_measurement_set_features (missing, (const char * const *) data->feature_names,
                                     data->values, N_COLS - 1);
  assert_measurement_refused (model, missing, AUSCULTA_MODEL_ERROR_FEATURES,
                              "feature G29vib_up is missing");
  g_free (renamed->feature_names[4]);
  renamed->feature_names[4] = g_strdup ("V3_AC_dwn");
  assert_measurement_refused (model, renamed, AUSCULTA_MODEL_ERROR_FEATURES,
                              "feature V3_AC_dwn is not one of the model's");
  nan->features[7] = NAN;
  assert_measurement_refused (model, nan, AUSCULTA_MODEL_ERROR_NAN, "feature V1_vib_up is missing (NaN)");
  profile->profile_name = g_strdup ("bench-7");
  assert_measurement_refused (model, profile, AUSCULTA_MODEL_ERROR_PROFILE, "“bench-7”");
}

static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The shipped model scores a measurement in well under a millisecond. */
static void
test_demo_model_speed (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "models", "demo.model", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = ausculta_model_load (path, &error);
  g_autoptr(AuscultaMeasurement) m = ausculta_measurement_new ();
  const char * const *names;
  g_autofree double *x = NULL;
  guint d, n = 300;
  gint64 start;
  double per_call;

  g_assert_no_error (error);
  names = ausculta_model_get_feature_names (model);
  d = ausculta_model_get_n_features (model);
  g_assert_cmpuint (d, ==, 432);
  x = g_new (double, d);
  for (guint c = 0; c < d; c++)
    x[c] = strstr (names[c], "vib") != NULL ? 0.05 : 40.0;
  ausculta_measurement_set_features (m, names, x, d);
  g_assert_true (ausculta_model_score_measurement (model, m, &error));
  /* CPU time of the process (all its threads): the machine running the
   * tests is shared, wall time would measure the other jobs */
  start = process_cpu_us ();
  for (guint i = 0; i < n; i++)
    ausculta_model_score_measurement (model, m, NULL);
  per_call = (process_cpu_us () - start) / 1000.0 / n;
  g_test_message ("score_measurement with the demo model: %.3f ms of CPU per call", per_call);
  g_assert_cmpfloat (per_call, <, 0.5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ausculta/ml/model/round-trip/%s", recipes[i]);

      g_strdelimit (path + strlen ("/ausculta/ml/model/round-trip/"), " =/", '-');
      g_test_add_data_func (path, recipes[i], test_round_trip);
    }
  g_test_add_func ("/ausculta/ml/model/reproducible-bytes", test_reproducible);
  g_test_add_func ("/ausculta/ml/model/readable-from-python", test_readable_from_python);
  g_test_add_func ("/ausculta/ml/model/corrupted-files", test_corrupted);
  g_test_add_func ("/ausculta/ml/model/pca-statistic", test_pca_statistic);
  g_test_add_func ("/ausculta/ml/model/missing-file", test_missing_file);
  g_test_add_func ("/ausculta/ml/model/score-measurement", test_score_measurement);
  g_test_add_func ("/ausculta/ml/model/mismatched-measurement", test_mismatch);
  g_test_add_func ("/ausculta/ml/model/demo-model-speed", test_demo_model_speed);
  return g_test_run ();
}
