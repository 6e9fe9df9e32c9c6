/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-validate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ausculta-cli.h"
#include "ausculta-validation.h"

/* The settings a model was trained with, to cross-validate the same recipe. */
static char **
model_settings (AuscultaModel *model)
{
  static const char * const keys[] = {
    "preprocess", "n_neighbors", "metric", "n_components", "variance", "statistic", "C",
    "combine", "target_frr", "target_escape", "folds", "seed", NULL
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *detector = ausculta_model_get_detector (model);
  g_autofree char *base = g_strndup (detector, strcspn (detector, "+"));
  g_autofree char *first = g_strconcat ("detector=", base, NULL);

  g_strv_builder_add (builder, first);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = ausculta_model_get_parameter (model, keys[i]);
      g_autofree char *setting = value != NULL ? g_strconcat (keys[i], "=", value, NULL) : NULL;

      if (setting != NULL)
        g_strv_builder_add (builder, setting);
    }
  return g_strv_builder_end (builder);
}

static gboolean
write_outputs (AuscultaValidationReport *report,
               const char               *format,
               const char               *report_path,
               GError                  **error)
{
  g_autoptr(JsonNode) node = ausculta_validation_report_to_json (report);
  g_autofree char *json = json_to_string (node, TRUE);
  g_autofree char *text = ausculta_validation_report_to_text (report);

  if (format != NULL && g_str_equal (format, "json"))
    g_print ("%s\n", json);
  else
    g_print ("%s", text);
  if (report_path != NULL && !g_file_set_contents (report_path, json, -1, error))
    {
      g_prefix_error (error, "%s: cannot write the report: ", report_path);
      return FALSE;
    }
  return TRUE;
}

int
ausculta_cli_validate (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(AuscultaModel) production = NULL;
  g_autoptr(AuscultaDataset) data = NULL;
  g_autoptr(AuscultaValidationReport) report = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *production_path = NULL;
  g_autofree char *format = NULL;
  g_autofree char *report_path = NULL;
  gboolean cross = FALSE;
  int folds = 5, repeats = 2, seed = 1, status;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Candidate model file"), N_("MODEL") },
    { "production", 'p', 0, G_OPTION_ARG_FILENAME, &production_path, N_("Production model to compare on the same rows"), N_("MODEL") },
    { "cross-validate", 'x', 0, G_OPTION_ARG_NONE, &cross, N_("Cross-validate the model's training recipe by motor on the files instead of scoring them with the model"), NULL },
    { "folds", 0, 0, G_OPTION_ARG_INT, &folds, N_("Folds for --cross-validate (default 5)"), N_("N") },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, N_("Repeats for --cross-validate (default 2)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the motor-to-fold draws for --cross-validate (default 1)"), N_("N") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text (default) or json"), N_("FORMAT") },
    { "report", 'r', 0, G_OPTION_ARG_FILENAME, &report_path, N_("Also write the JSON report to FILE"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("FILE.csv… — validate a model by motor on labelled CSV files"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status != AUSCULTA_CLI_OK)
    return status;
  if (model_path == NULL || argc < 2 || folds < 2 || repeats < 1)
    {
      g_printerr ("%s\n", _("ausculta-cli validate: expected --model MODEL and one or more labelled "
                            "CSV files (--folds ≥ 2, --repeats ≥ 1)"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    {
      g_printerr (_("ausculta-cli validate: --format %s: expected text or json\n"), format);
      return AUSCULTA_CLI_USER_ERROR;
    }
  model = ausculta_model_load (model_path, &error);
  if (model == NULL
      || (production_path != NULL && (production = ausculta_model_load (production_path, &error)) == NULL)
      || (data = ausculta_dataset_load_csv ((const char * const *) argv + 1, &error)) == NULL)
    return ausculta_cli_fail (error);
  if (cross)
    {
      g_auto(GStrv) settings = model_settings (model);

      report = ausculta_cross_validate (data, (const char * const *) settings, (guint) folds,
                                        (guint) repeats, (guint) seed, NULL, NULL, NULL, &error);
      if (report != NULL && production != NULL)
        report->production = ausculta_validate_model (production, NULL, data, NULL, NULL, NULL, &error);
      if (report != NULL && production != NULL && report->production == NULL)
        g_clear_pointer (&report, ausculta_validation_report_free);
    }
  else
    {
      if (g_strcmp0 (ausculta_model_get_training_hash (model), NULL) != 0)
        {
          g_autofree char *hash = ausculta_dataset_hash (data);

          if (g_str_equal (hash, ausculta_model_get_training_hash (model)))
            g_printerr ("%s\n", _("ausculta-cli validate: warning: these are the model's training "
                                  "rows; the figures are optimistic (use --cross-validate)"));
        }
      report = ausculta_validate_model (model, production, data, NULL, NULL, NULL, &error);
    }
  if (report == NULL || !write_outputs (report, format, report_path, &error))
    return ausculta_cli_fail (error);
  return AUSCULTA_CLI_OK;
}
