/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-archive"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ausculta-archive.h"
#include "ausculta-cli.h"
#include "ausculta-data-paths.h"
#include "ausculta-outbox.h"

typedef struct {
  char  *archive_path;
  char  *csv;
  char  *layout;
  char  *source;
  char  *wav;
  char  *output;
  char **args;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->archive_path);
  g_free (options->csv);
  g_free (options->layout);
  g_free (options->source);
  g_free (options->wav);
  g_free (options->output);
  g_strfreev (options->args);
}

static int
archive_check (AuscultaArchive *archive,
               GError         **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_print (_("archive: %s\n"), ausculta_archive_get_path (archive));
  g_print (_("schema version: %d (this program: %d)\n"),
           ausculta_archive_get_schema_version (archive),
           ausculta_archive_get_latest_schema_version ());
  if (ausculta_archive_check (archive, problems, error))
    {
      g_print ("%s\n", _("integrity, foreign keys, outbox, labels, audit chain: OK"));
      return AUSCULTA_CLI_OK;
    }
  if (problems->len == 0)
    return AUSCULTA_CLI_USER_ERROR;
  for (guint i = 0; i < problems->len; i++)
    g_print ("problem: %s\n", (const char *) problems->pdata[i]);
  g_printerr (_("ausculta-cli: %s: %u problems found\n"), ausculta_archive_get_path (archive),
              problems->len);
  return AUSCULTA_CLI_USER_ERROR;
}

static guint64
count_where (AuscultaArchive *archive,
             int              verdict,
             int              label,
             GError         **error)
{
  AuscultaArchiveFilter filter;
  guint64 count = 0;

  ausculta_archive_filter_init (&filter);
  filter.verdict = verdict;
  filter.label = label;
  if (error == NULL || *error == NULL)
    ausculta_archive_count (archive, &filter, &count, error);
  return count;
}

static guint64
file_size (const char *path,
           const char *suffix)
{
  g_autofree char *name = g_strconcat (path, suffix, NULL);
  GStatBuf buffer;

  return g_stat (name, &buffer) == 0 ? (guint64) buffer.st_size : 0;
}

static void
print_outbox (AuscultaArchive *archive,
              const char      *target,
              GError         **error)
{
  g_autoptr(AuscultaOutboxStats) stats = NULL;
  g_autofree char *oldest = NULL;

  if (*error != NULL || (stats = ausculta_outbox_get_stats (archive, target, error)) == NULL)
    return;
  oldest = stats->oldest_pending ? g_date_time_format_iso8601 (stats->oldest_pending) : NULL;
  g_print (_("outbox %s: %" G_GUINT64_FORMAT " pending%s%s%s%s\n"), target, stats->backlog,
           oldest ? _(", oldest ") : "", oldest ? oldest : "",
           stats->last_error ? _(", last error: ") : "",
           stats->last_error ? stats->last_error : "");
}

static int
archive_stats (AuscultaArchive *archive,
               GError         **error)
{
  const char *path = ausculta_archive_get_path (archive);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) models = NULL;
  guint64 total = count_where (archive, -1, AUSCULTA_LABEL_FILTER_ANY, error);
  guint64 size = file_size (path, "") + file_size (path, "-wal");

  g_print (_("measurements: %" G_GUINT64_FORMAT "\n"), total);
  g_print (_("verdicts: OK %" G_GUINT64_FORMAT ", NOK %" G_GUINT64_FORMAT ", REPEAT %"
             G_GUINT64_FORMAT ", none %" G_GUINT64_FORMAT "\n"),
           count_where (archive, AUSCULTA_VERDICT_OK, AUSCULTA_LABEL_FILTER_ANY, error),
           count_where (archive, AUSCULTA_VERDICT_NOK, AUSCULTA_LABEL_FILTER_ANY, error),
           count_where (archive, AUSCULTA_VERDICT_REPEAT, AUSCULTA_LABEL_FILTER_ANY, error),
           count_where (archive, AUSCULTA_VERDICT_NONE, AUSCULTA_LABEL_FILTER_ANY, error));
  g_print (_("labels: OK %" G_GUINT64_FORMAT ", NG %" G_GUINT64_FORMAT ", unlabelled %"
             G_GUINT64_FORMAT "\n"),
           count_where (archive, -1, AUSCULTA_LABEL_OK, error),
           count_where (archive, -1, AUSCULTA_LABEL_FILTER_ANY_NG, error),
           count_where (archive, -1, AUSCULTA_LABEL_FILTER_UNLABELLED, error));
  print_outbox (archive, AUSCULTA_OUTBOX_TARGET_MONGODB, error);
  print_outbox (archive, AUSCULTA_OUTBOX_TARGET_MLFLOW, error);
  if (*error == NULL)
    users = ausculta_archive_list_users (archive, error);
  if (*error == NULL)
    models = ausculta_archive_list_models (archive, error);
  if (*error != NULL)
    return AUSCULTA_CLI_USER_ERROR;
  g_print (_("users: %u, models: %u\n"), users->len, models->len);
  g_print (_("size on disk: %" G_GUINT64_FORMAT " bytes (%.0f bytes per measurement)\n"), size,
           total > 0 ? (double) size / (double) total : 0.0);
  return AUSCULTA_CLI_OK;
}

static int
archive_export (AuscultaArchive *archive,
                Options         *options,
                GError         **error)
{
  AuscultaExportLayout layout = AUSCULTA_EXPORT_VALIDATION;
  AuscultaArchiveFilter filter;
  guint n_rows = 0;

  if (options->wav != NULL)
    {
      g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);

      if (!ausculta_archive_export_wav (archive, options->wav,
                                        options->output ? options->output : ".", written,
                                        error))
        return AUSCULTA_CLI_USER_ERROR;
      for (guint i = 0; i < written->len; i++)
        g_print ("%s\n", (const char *) written->pdata[i]);
      return AUSCULTA_CLI_OK;
    }
  if (options->csv == NULL)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("archive export: expected --csv FILE or --wav MEASUREMENT_ID"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (options->layout != NULL && strcmp (options->layout, "defect-class") == 0)
    layout = AUSCULTA_EXPORT_DEFECT_CLASS;
  else if (options->layout != NULL && strcmp (options->layout, "validation") != 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("--layout %s: expected validation or defect-class"), options->layout);
      return AUSCULTA_CLI_USER_ERROR;
    }
  ausculta_archive_filter_init (&filter);
  filter.source = options->source;
  if (!ausculta_archive_export_csv (archive, &filter, layout, options->csv, &n_rows, error))
    return AUSCULTA_CLI_USER_ERROR;
  g_print (_("%s: %u rows\n"), options->csv, n_rows);
  return AUSCULTA_CLI_OK;
}

static int
run (Options *options,
     GError **error)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  const char *action = options->args ? options->args[0] : NULL;
  g_autofree char *path = NULL;

  if (action == NULL || (strcmp (action, "check") != 0 && strcmp (action, "stats") != 0
                         && strcmp (action, "export") != 0))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("archive: expected check, stats or export"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  /* Never create an archive just to look at it. */
  path = options->archive_path ? g_strdup (options->archive_path)
         : ausculta_default_archive_path ();
  archive = ausculta_archive_open_read_only (path, error);
  if (archive == NULL)
    return AUSCULTA_CLI_USER_ERROR;
  if (strcmp (action, "check") == 0)
    return archive_check (archive, error);
  if (strcmp (action, "stats") == 0)
    return archive_stats (archive, error);
  return archive_export (archive, options, error);
}

int
ausculta_cli_archive (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Options options = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &options.archive_path,
      N_("The archive (default: the user's archive)"), N_("PATH") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &options.csv,
      N_("export: write the labelled measurements' features to this CSV file"), N_("FILE") },
    { "layout", 0, 0, G_OPTION_ARG_STRING, &options.layout,
      N_("export: validation (index,target 0/1) or defect-class (target;index)"), N_("LAYOUT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &options.source,
      N_("export: only measurements of this source, e.g. csv:DATASET_NG_dev.csv"), N_("SOURCE") },
    { "wav", 0, 0, G_OPTION_ARG_STRING, &options.wav,
      N_("export: write the signals of this measurement as WAV files"), N_("ID") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("export --wav: the folder to write into (default: .)"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.args, NULL,
      N_("check | stats | export") },
    { NULL }
  };

  context = g_option_context_new (_("check|stats|export — look after the archive"));
  g_option_context_set_summary (context,
    _("check: integrity, schema version, audit chain and orphan rows; exits 1 on a problem.\n"
      "stats: what the archive holds. export: CSV in a historical layout, or WAV signals."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status == AUSCULTA_CLI_OK)
    {
      status = run (&options, &error);
      if (status != AUSCULTA_CLI_OK && error != NULL)
        ausculta_cli_fail (error);
    }
  options_clear (&options);
  return status;
}
