/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-train"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-archive.h"

#include "ausculta-cli.h"
#include "ausculta-dataset-archive.h"
#include "ausculta-train.h"

static void
print_summary (AuscultaModel   *model,
               AuscultaDataset *data,
               const char      *output)
{
  g_print (_("%s: %s model %s trained on %u of %u rows (%u motors)\n"), output,
           ausculta_model_get_detector (model), ausculta_model_get_version (model),
           ausculta_model_get_training_rows (model), data->n_rows, data->n_groups);
  g_print (_("  threshold: %.17g (%s)\n"), ausculta_model_get_threshold (model),
           ausculta_model_get_threshold_rule (model));
  g_print (_("  sha256: %s\n"), ausculta_model_get_sha256 (model));
  if (ausculta_model_get_validation_summary (model) != NULL)
    g_print (_("  out-of-fold validation: %s\n"), ausculta_model_get_validation_summary (model));
}

static AuscultaDataset *
load_archive (const char  *path,
              GError     **error)
{
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open_read_only (path, error);
  AuscultaDataset *data;
  guint incomplete = 0;

  if (archive == NULL)
    return NULL;
  data = ausculta_dataset_load_archive (archive, &incomplete, error);
  if (data != NULL && incomplete > 0)
    g_printerr (_("%s: %u labelled measurement(s) without all their features left out\n"),
                path, incomplete);
  return data;
}

int
ausculta_cli_train (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaDataset) data = NULL;
  g_autoptr(AuscultaModel) model = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) csv = NULL;
  g_auto(GStrv) sets = NULL;
  g_auto(GStrv) settings = NULL;
  g_autofree char *detector = NULL;
  g_autofree char *output = NULL;
  g_autofree char *archive = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &csv, N_("Labelled CSV file to train on (repeatable)"), N_("FILE") },
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &archive, N_("Train on the archive's labelled measurements"), N_("PATH") },
    { "detector", 'd', 0, G_OPTION_ARG_STRING, &detector, N_("lof, knn, mahalanobis, pca or logistic (default knn)"), N_("NAME") },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Training setting, e.g. n_neighbors=20, metric=cosine, preprocess=standard, target_frr=0.02 (repeatable)"), N_("KEY=VALUE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Model file to write"), N_("MODEL") },
    { NULL }
  };

  context = g_option_context_new (_("— train a model on labelled CSV files or the archive"));
  g_option_context_set_summary (context,
    _("Detectors learn from the OK rows only; detector=logistic learns from OK and NG rows\n"
      "(add --set combine=lof to also catch defects never seen in training). The threshold\n"
      "is chosen on out-of-fold scores, folds grouped by motor."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status != AUSCULTA_CLI_OK)
    return status;
  if ((csv == NULL || csv[0] == NULL) == (archive == NULL) || output == NULL || argc > 1)
    {
      g_printerr ("%s\n", _("ausculta-cli train: expected either --csv FILE (one or more) or --archive PATH, and -o MODEL"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (detector != NULL)
    {
      g_autofree char *setting = g_strconcat ("detector=", detector, NULL);

      g_strv_builder_add (builder, setting);
    }
  if (sets != NULL)
    g_strv_builder_addv (builder, (const char **) sets);
  settings = g_strv_builder_end (builder);

  if (archive != NULL)
    data = load_archive (archive, &error);
  else
    data = ausculta_dataset_load_csv ((const char * const *) csv, &error);
  if (data == NULL)
    return ausculta_cli_fail (error);
  model = ausculta_model_train (data, (const char * const *) settings, NULL, NULL, NULL, &error);
  if (model == NULL || !ausculta_model_save (model, output, &error))
    return ausculta_cli_fail (error);
  print_summary (model, data, output);
  return AUSCULTA_CLI_OK;
}
