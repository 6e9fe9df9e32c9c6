/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-score"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "ausculta-cli.h"
#include "ausculta-csv.h"
#include "ausculta-model.h"

typedef struct {
  GPtrArray *index;     /* char* per row */
  GArray    *values;    /* double, rows × model features, in the model's order */
  guint      n_rows;
} ScoreInput;

static void
score_input_clear (ScoreInput *in)
{
  g_clear_pointer (&in->index, g_ptr_array_unref);
  g_clear_pointer (&in->values, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScoreInput, score_input_clear)

/* Position in the file's feature vector of each model feature. */
static int *
map_columns (AuscultaModel     *model,
             AuscultaCsvReader *reader,
             const char        *path,
             GError           **error)
{
  const char * const *names = ausculta_model_get_feature_names (model);
  const char * const *have = ausculta_csv_reader_get_feature_names (reader);
  guint d = ausculta_model_get_n_features (model), n = ausculta_csv_reader_get_n_features (reader);
  g_autofree int *column = g_new (int, d);

  for (guint c = 0; c < d; c++)
    {
      column[c] = -1;
      for (guint j = 0; j < n && column[c] < 0; j++)
        if (g_str_equal (names[c], have[j]))
          column[c] = (int) j;
      if (column[c] < 0)
        {
          g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_FEATURES,
                       "%s: no column %s; model %s needs its %u features", path, names[c],
                       ausculta_model_get_version (model), d);
          return NULL;
        }
    }
  return g_steal_pointer (&column);
}

static gboolean
read_rows (AuscultaModel *model,
           const char    *path,
           ScoreInput    *in,
           GError       **error)
{
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, error);
  g_autofree int *column = NULL;
  const AuscultaCsvRow *row;
  guint d = ausculta_model_get_n_features (model);
  GError *local = NULL;

  if (reader == NULL || (column = map_columns (model, reader, path, error)) == NULL)
    return FALSE;
  in->index = g_ptr_array_new_with_free_func (g_free);
  in->values = g_array_new (FALSE, FALSE, sizeof (double));
  while ((row = ausculta_csv_reader_next (reader, &local)) != NULL)
    {
      for (guint c = 0; c < d; c++)
        g_array_append_val (in->values, row->features[column[c]]);
      g_ptr_array_add (in->index, g_strdup_printf ("%s", row->index ? row->index : ""));
      in->n_rows++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static void
print_csv (AuscultaModel *model,
           ScoreInput    *in,
           const double  *scores,
           const double  *nof)
{
  gboolean lof = ausculta_model_is_lof (model);
  double threshold = ausculta_model_get_threshold (model);

  g_print ("index,score,verdict%s\n", lof ? ",negative_outlier_factor" : "");
  for (guint r = 0; r < in->n_rows; r++)
    {
      g_print ("%s,%.17g,%s", (char *) in->index->pdata[r], scores[r],
               scores[r] > threshold ? "NOK" : "OK");
      if (lof)
        g_print (",%.17g", nof[r]);
      g_print ("\n");
    }
}

static void
print_json (AuscultaModel *model,
            ScoreInput    *in,
            const double  *scores,
            const double  *nof)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  double threshold = ausculta_model_get_threshold (model);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model_version");
  json_builder_add_string_value (b, ausculta_model_get_version (model));
  json_builder_set_member_name (b, "model_sha256");
  json_builder_add_string_value (b, ausculta_model_get_sha256 (model));
  json_builder_set_member_name (b, "threshold");
  json_builder_add_double_value (b, threshold);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint r = 0; r < in->n_rows; r++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_string_value (b, in->index->pdata[r]);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, scores[r]);
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, scores[r] > threshold ? "NOK" : "OK");
      if (ausculta_model_is_lof (model))
        {
          json_builder_set_member_name (b, "negative_outlier_factor");
          json_builder_add_double_value (b, nof[r]);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

int
ausculta_cli_score (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_auto(ScoreInput) in = { 0 };
  g_autofree char *model_path = NULL;
  g_autofree char *format = NULL;
  g_autofree double *scores = NULL;
  g_autofree double *nof = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Model file"), N_("MODEL") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: csv (default) or json"), N_("FORMAT") },
    { NULL }
  };

  context = g_option_context_new (_("FILE.csv — score every row of a CSV file with a model"));
  g_option_context_set_summary (context,
    _("Prints index,score,verdict per row (larger score = more anomalous; NOK above the\n"
      "model's threshold), plus negative_outlier_factor (scikit-learn's score_samples) for\n"
      "LOF models."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status != AUSCULTA_CLI_OK)
    return status;
  if (model_path == NULL || argc != 2)
    {
      g_printerr ("%s\n", _("ausculta-cli score: expected --model MODEL and one CSV file"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr (_("ausculta-cli score: --format %s: expected csv or json\n"), format);
      return AUSCULTA_CLI_USER_ERROR;
    }
  model = ausculta_model_load (model_path, &error);
  if (model == NULL || !read_rows (model, argv[1], &in, &error))
    return ausculta_cli_fail (error);
  scores = g_new (double, MAX (in.n_rows, 1));
  nof = g_new (double, MAX (in.n_rows, 1));
  if (!ausculta_model_score_matrix (model, (double *) in.values->data, in.n_rows, scores, nof, &error))
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return ausculta_cli_fail (error);
    }
  if (format != NULL && g_str_equal (format, "json"))
    print_json (model, &in, scores, nof);
  else
    print_csv (model, &in, scores, nof);
  return AUSCULTA_CLI_OK;
}
