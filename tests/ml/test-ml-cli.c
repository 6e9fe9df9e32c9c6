/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-dataset.h"
#include "ausculta-model.h"
#include "ml-test-util.h"
#include "../ausculta-test-shared.h"

/* ausculta-cli train / score / validate as a user runs them. */

static char *
seed_file (const char *name)
{
  return g_build_filename (g_getenv ("AUSCULTA_SHARED_DATA"), "seed", name, NULL);
}

static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* `train --detector lof --set n_neighbors=K --set metric=M --set
 * preprocess=standard` then `score` gives scikit-learn's StandardScaler +
 * LocalOutlierFactor(novelty=True) score_samples on the real seed file. */
static void
test_lof_reproduces_sklearn (gconstpointer data_ptr)
{
  const char *metric = data_ptr;
  const char *k = g_str_equal (metric, "cosine") ? "n_neighbors=240" : "n_neighbors=20";
  g_autofree char *csv = seed_file ("DATASET_VALIDATION_dev.csv");
  g_autofree char *model = g_build_filename (g_get_tmp_dir (), "lof.model", NULL);
  g_autofree char *metric_set = g_strconcat ("metric=", metric, NULL);
  g_autofree char *out = NULL, *err = NULL, *params = NULL;
  const char *paths[] = { csv, NULL };
  g_autoptr(AuscultaDataset) data = ausculta_dataset_load_csv (paths, NULL);
  g_autofree double *ok = g_new (double, (gsize) data->n_rows * data->n_cols);
  g_autofree double *reference = NULL, *ours = g_new (double, data->n_rows);
  g_auto(GStrv) lines = NULL;
  guint n_ok = 0;

  for (guint r = 0; r < data->n_rows; r++)
    if (data->labels[r] == AUSCULTA_DATASET_LABEL_OK)
      memcpy (ok + (gsize) n_ok++ * data->n_cols, data->values + (gsize) r * data->n_cols,
              sizeof (double) * data->n_cols);
  params = g_strdup_printf ("%s metric=%s", k, metric);
  reference = ml_test_sklearn ("scaled-lof", ok, n_ok, data->n_cols, data->values, data->n_rows,
                               data->n_cols, data->n_rows, params);
  if (reference == NULL)
    return;
  g_assert_cmpint (run_cli (&out, &err, "train", "--csv", csv, "--detector", "lof", "--set", k,
                            "--set", metric_set, "--set", "preprocess=standard", "-o", model,
                            NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "score", "--model", model, csv, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "index,score,verdict,negative_outlier_factor");
  g_assert_cmpuint (g_strv_length (lines), ==, data->n_rows + 2);
  for (guint r = 0; r < data->n_rows; r++)
    {
      const char *last = strrchr (lines[r + 1], ',');
      const char *verdict = g_strrstr_len (lines[r + 1], last - lines[r + 1], ",") + 1;

      g_assert_true (g_str_has_prefix (lines[r + 1], data->row_names[r]));
      g_assert_true (g_str_has_prefix (verdict, "OK,") || g_str_has_prefix (verdict, "NOK,"));
      ours[r] = g_ascii_strtod (last + 1, NULL);
    }
  ml_test_assert_close (ours, reference, data->n_rows, 1e-9, metric);
  g_unlink (model);
}

static void
assert_fails (const char *message_part,
              const char *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_cmpstr (out, ==, "");
  if (strstr (err, message_part) == NULL)
    g_error ("stderr “%s” does not say “%s”", err, message_part);
  /* one line, not a backtrace */
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_user_errors (void)
{
  g_autofree char *csv = seed_file ("DATASET_VALIDATION_dev.csv");
  g_autofree char *dir = g_get_current_dir ();
  g_autofree char *garbage = g_build_filename (g_get_tmp_dir (), "garbage.model", NULL);
  g_autofree char *holes = g_build_filename (g_get_tmp_dir (), "holes.csv", NULL);
  g_autofree char *model = g_build_filename (g_get_tmp_dir (), "small.model", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (garbage, "PK\003\004 not a model at all", -1, NULL));
  g_assert_true (g_file_set_contents (holes, "index,target,a,b,c\nm1,0,1,2,3\nm2,0,2,3,4\n"
                                      "m3,0,1,3,4\nm4,0,2,2,3\nm5,0,2,,4\n", -1, NULL));
  assert_fails ("expected either --csv FILE (one or more) or --archive PATH", "train", "-o", model, NULL);
  assert_fails ("expected either --csv FILE", "train", "--csv", csv, "--archive", "x.db", "-o", model, NULL);
  assert_fails ("unknown setting “n_neigbors”", "train", "--csv", csv, "--set", "n_neigbors=3",
                "-o", model, NULL);
  assert_fails ("row m5: feature b is missing", "train", "--csv", holes, "-o", model, NULL);
  assert_fails ("/nonexistent.model: cannot read", "score", "--model", "/nonexistent.model", csv, NULL);
  assert_fails ("garbage.model: the header length", "score", "--model", garbage, csv, NULL);
  assert_fails ("expected csv or json", "score", "--model", garbage, csv, "--format", "xml", NULL);
  /* a model of columns a, b, c scoring a row with a hole: refused, no silent score */
  g_assert_true (g_file_set_contents (holes, "index,target,a,b,c\nm1,0,1,2,3\nm2,0,2,3,4\n"
                                      "m3,0,1,3,4\nm4,0,2,2,3\nm5,0,2,3,3\nm6,0,1,2,4\n", -1, NULL));
  g_assert_cmpint (run_cli (&out, &err, "train", "--csv", holes, "--detector", "knn", "--set",
                            "n_neighbors=2", "--set", "folds=3", "-o", model, NULL), ==, 0);
  g_assert_true (g_file_set_contents (holes, "index,a,b,c\nx1,1,2,3\nx2,1,,3\n", -1, NULL));
  assert_fails ("feature b of row 2 is missing (NaN)", "score", "--model", model, holes, NULL);
  assert_fails ("no column a;", "score", "--model", model, csv, NULL);
  g_unlink (garbage);
  g_unlink (holes);
  g_unlink (model);
}

/* validate: the report as JSON on stdout and in --report, with the
 * production model scored on the same rows. */
static void
test_validate_report (void)
{
  g_autofree char *csv = seed_file ("DATASET_VALIDATION_dev.csv");
  g_autofree char *ng = seed_file ("DATASET_NG_dev.csv");
  g_autofree char *candidate = g_build_filename (g_get_tmp_dir (), "candidate.model", NULL);
  g_autofree char *report = g_build_filename (g_get_tmp_dir (), "report.json", NULL);
  g_autofree char *demo = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "models", "demo.model", NULL);
  g_autofree char *out = NULL, *err = NULL, *saved = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *production, *confusion;

  g_assert_cmpint (run_cli (&out, &err, "train", "--csv", csv, "--detector", "knn",
                            "-o", candidate, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "validate", "--model", candidate, "--production", demo,
                            "--format", "json", "--report", report, csv, ng, NULL), ==, 0);
  g_assert_true (g_file_get_contents (report, &saved, NULL, NULL));
  g_assert_cmpstr (g_strchomp (out), ==, g_strchomp (saved));
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 650);
  g_assert_cmpint (json_object_get_int_member (root, "motors"), ==, 525);
  confusion = json_object_get_object_member (root, "confusion");
  g_assert_cmpint (json_object_get_int_member (confusion, "bad_rejected")
                   + json_object_get_int_member (confusion, "bad_accepted"), ==, 352);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "classes")), ==, 7);
  g_assert_true (json_object_has_member (json_object_get_object_member (root, "escape_rate"),
                                         "ci95_high"));
  production = json_object_get_object_member (root, "production");
  g_assert_cmpstr (json_object_get_string_member (production, "model_version"), ==, "demo-2");
  g_assert_cmpint (json_object_get_int_member (production, "rows"), ==, 650);
  g_unlink (candidate);
  g_unlink (report);
}

static void
remove_tree (GFile *folder)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL)
         && child != NULL)
    g_file_delete (child, NULL, NULL);
  g_file_delete (folder, NULL, NULL);
}

/* train --archive: the seed validation file imported into an archive gives
 * the model trained from the file itself: same rows (the archive keeps the
 * file's 8 exact repeats once), same motors, NG rows counted as NG of unknown
 * class (the archive's 100 is the dataset's -1), same scores and threshold. */
static void
test_train_from_archive (void)
{
  g_autofree char *csv = seed_file ("DATASET_VALIDATION_dev.csv");
  g_autofree char *dir = g_dir_make_tmp ("ausculta-train-XXXXXX", NULL);
  g_autofree char *archive = g_build_filename (dir, "train.db", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *holes = g_build_filename (dir, "hole.csv", NULL);
  g_autofree char *from_archive = g_build_filename (dir, "archive.model", NULL);
  g_autofree char *from_csv = g_build_filename (dir, "csv.model", NULL);
  g_autofree char *out = NULL, *err = NULL, *scores_archive = NULL, *scores_csv = NULL;
  g_autofree char *threshold_archive = NULL;
  g_autoptr(GFile) folder = NULL;
  const char *line;

  g_assert_cmpint (run_cli (&out, &err, "import", "--archive", archive, csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "650 rows, 642 added"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "train", "--archive", archive, "-o", from_archive, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "trained on 298 of 642 rows (525 motors)"));
  g_assert_nonnull (strstr (out, "\"bad_rejected\""));
  g_assert_nonnull (strstr (out, "\"classes\":[{\"defect_class\":-1,"));
  g_assert_null (strstr (out, "\"defect_class\":100"));
  line = strstr (out, "threshold: ");
  g_assert_nonnull (line);
  threshold_archive = g_strndup (line, strcspn (line, "\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "train", "--csv", csv, "-o", from_csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, threshold_archive));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&scores_archive, &err, "score", "--model", from_archive, csv, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&scores_csv, &err, "score", "--model", from_csv, csv, NULL), ==, 0);
  g_assert_cmpuint (strlen (scores_csv), >, 650 * 10);
  g_assert_cmpstr (scores_archive, ==, scores_csv);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* no archive there; an archive whose only labelled row misses a value */
  assert_fails ("nothing.db: no such archive", "train", "--archive", "nothing.db", "-o", from_archive, NULL);
  g_assert_true (g_file_set_contents (holes, "index,target,a,b\nm1,0,1,\n", -1, NULL));
  g_assert_cmpint (run_cli (&out, &err, "import", "--archive", empty, holes, NULL), ==, 0);
  g_clear_pointer (&from_csv, g_free);
  from_csv = g_build_filename (dir, "refused.model", NULL);
  assert_fails ("no labelled measurement with all its features (1 incomplete)", "train",
                "--archive", empty, "-o", from_csv, NULL);
  g_assert_false (g_file_test (from_csv, G_FILE_TEST_EXISTS));
  folder = g_file_new_for_path (dir);
  remove_tree (folder);
}

static void
test_score_json (void)
{
  g_autofree char *csv = seed_file ("DATASET_NG_dev.csv");
  g_autofree char *demo = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "models", "demo.model", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *rows;
  guint nok = 0;

  g_assert_cmpint (run_cli (&out, &err, "score", "--model", demo, "--format", "json", csv, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (strlen (json_object_get_string_member (root, "model_sha256")), ==, 64);
  rows = json_object_get_array_member (root, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 352);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    nok += g_str_equal (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                       "verdict"), "NOK");
  /* the demo model saw these rows in training: nearly all rejected */
  g_assert_cmpuint (nok, >=, 345);
}

/* A historical StandardScaler + LOF pickle converted by the tool scores
 * exactly as the pickle does. */
static void
test_convert_pickle (void)
{
  g_autofree char *csv = seed_file ("DATASET_VALIDATION_dev.csv");
  g_autofree char *dir = g_dir_make_tmp ("convert-XXXXXX", NULL);
  g_autofree char *pkl = g_build_filename (dir, "old.pkl", NULL);
  g_autofree char *ref = g_build_filename (dir, "ref.f64", NULL);
  g_autofree char *converted = g_build_filename (dir, "old.model", NULL);
  g_autofree char *tool = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "tools",
                                            "convert-sklearn-pickle.py", NULL);
  g_autofree char *contents = NULL, *out = NULL, *err = NULL;
  const char *script =
    "import sys, pickle, numpy as np\n"
    "from sklearn.pipeline import make_pipeline\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.neighbors import LocalOutlierFactor\n"
    "rows = [l.rstrip('\\n').split(',') for l in open(sys.argv[1])]\n"
    "head, rows = rows[0], rows[1:]\n"
    "X = np.array([[float(v) for v in r[2:]] for r in rows]); y = np.array([float(r[1]) for r in rows])\n"
    "m = make_pipeline(StandardScaler(), LocalOutlierFactor(n_neighbors=35, metric='cosine', novelty=True))\n"
    "m.fit(X[y == 0])\n"
    "pickle.dump(m, open(sys.argv[2], 'wb'))\n"
    "m.score_samples(X).astype('<f8').tofile(sys.argv[3])\n";
  const char *make[] = { "/usr/bin/python3", "-c", script, csv, pkl, ref, NULL };
  const char *convert[] = { "/usr/bin/python3", tool, pkl, converted, "--version", "old-1", NULL };
  const char *paths[] = { csv, NULL };
  g_autoptr(AuscultaDataset) data = ausculta_dataset_load_csv (paths, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autofree double *scores = g_new (double, data->n_rows);
  g_autofree double *nof = g_new (double, data->n_rows);
  gsize length;
  int status;

  if (!ml_test_have_sklearn ())
    {
      g_test_skip ("Debian's python3-sklearn is not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) make, NULL, 0, NULL, NULL, NULL, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_true (g_spawn_sync (NULL, (char **) convert, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("convert-sklearn-pickle.py failed: %s", err);
  model = ausculta_model_load (converted, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ausculta_model_get_version (model), ==, "old-1");
  g_assert_cmpfloat (ausculta_model_get_threshold (model), ==, 1.5);
  g_assert_true (ausculta_model_is_lof (model));
  /* the CSV's historical column order is the converter's default names */
  g_assert_true (ausculta_model_score_matrix (model, data->values, data->n_rows, scores, nof, &error));
  g_assert_true (g_file_get_contents (ref, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, sizeof (double) * data->n_rows);
  ml_test_assert_close (nof, (double *) contents, data->n_rows, 1e-9, "converted pickle");
  g_unlink (pkl);
  g_unlink (ref);
  g_unlink (converted);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();
  g_test_add_data_func ("/ausculta/ml/cli/lof-reproduces-sklearn/euclidean", "euclidean",
                        test_lof_reproduces_sklearn);
  g_test_add_data_func ("/ausculta/ml/cli/lof-reproduces-sklearn/manhattan", "manhattan",
                        test_lof_reproduces_sklearn);
  g_test_add_data_func ("/ausculta/ml/cli/lof-reproduces-sklearn/cosine-k240", "cosine",
                        test_lof_reproduces_sklearn);
  g_test_add_func ("/ausculta/ml/cli/user-errors", test_user_errors);
  g_test_add_func ("/ausculta/ml/cli/validate-report", test_validate_report);
  g_test_add_func ("/ausculta/ml/cli/train-from-archive", test_train_from_archive);
  g_test_add_func ("/ausculta/ml/cli/score-json", test_score_json);
  g_test_add_func ("/ausculta/ml/cli/convert-sklearn-pickle", test_convert_pickle);
  return g_test_run ();
}
