/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-import"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-archive.h"
#include "ausculta-cli.h"
#include "ausculta-csv.h"
#include "ausculta-feature-layout.h"

typedef struct {
  guint       rows;
  guint       ok_rows;
  guint       ng_rows;
  guint       missing_cells;
  guint       rows_with_missing;
  GHashTable *classes;      /* defect class -> row count */
  GHashTable *ok_motors;    /* motor group -> TRUE */
  GHashTable *ng_motors;
} ImportSummary;

static void
import_summary_init (ImportSummary *summary)
{
  *summary = (ImportSummary) { 0 };
  summary->classes = g_hash_table_new (NULL, NULL);
  summary->ok_motors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  summary->ng_motors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
import_summary_clear (ImportSummary *summary)
{
  g_clear_pointer (&summary->classes, g_hash_table_unref);
  g_clear_pointer (&summary->ok_motors, g_hash_table_unref);
  g_clear_pointer (&summary->ng_motors, g_hash_table_unref);
}

static void
import_summary_add (ImportSummary        *summary,
                    AuscultaCsvReader    *reader,
                    const AuscultaCsvRow *row)
{
  gboolean ok = ausculta_csv_row_is_ok (reader, row);
  int defect_class = ausculta_csv_row_get_defect_class (reader, row);
  char *motor = ausculta_feature_layout_motor_group (row->index);

  summary->rows++;
  if (ausculta_csv_reader_get_labels (reader) != AUSCULTA_CSV_LABELS_NONE)
    {
      if (ok)
        summary->ok_rows++;
      else
        summary->ng_rows++;
    }
  if (defect_class > 0)
    {
      gpointer key = GINT_TO_POINTER (defect_class);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (summary->classes, key));

      g_hash_table_insert (summary->classes, key, GUINT_TO_POINTER (count + 1));
    }
  g_hash_table_add (ok ? summary->ok_motors : summary->ng_motors, motor);
  summary->missing_cells += row->n_missing;
  if (row->n_missing > 0)
    summary->rows_with_missing++;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return GPOINTER_TO_INT (*(gpointer *) a) - GPOINTER_TO_INT (*(gpointer *) b);
}

static void
print_summary (const char        *name,
               AuscultaCsvReader *reader,
               ImportSummary     *summary)
{
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  AuscultaCsvLabels labels = ausculta_csv_reader_get_labels (reader);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, summary->classes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (classes, key);

  g_print (_("%s: %u rows (%u OK, %u NG), %u features%s\n"), name, summary->rows,
           summary->ok_rows, summary->ng_rows, ausculta_csv_reader_get_n_features (reader),
           ausculta_csv_reader_is_historical (reader) ? _(" (historical layout)") : "");
  g_print (_("  labels: %s\n"),
           labels == AUSCULTA_CSV_LABELS_DEFECT_CLASS ? _("defect class")
           : labels == AUSCULTA_CSV_LABELS_PASS_FAIL ? _("OK/NG") : _("none"));
  if (classes->len > 0)
    {
      g_ptr_array_sort (classes, compare_ints);
      g_print ("%s", _("  defect classes:"));
      for (guint i = 0; i < classes->len; i++)
        g_print (" %d: %u", GPOINTER_TO_INT (classes->pdata[i]),
                 GPOINTER_TO_UINT (g_hash_table_lookup (summary->classes, classes->pdata[i])));
      g_print ("\n");
    }
  g_print (_("  motors: %u (%u OK, %u NG)\n"),
           g_hash_table_size (summary->ok_motors) + g_hash_table_size (summary->ng_motors),
           g_hash_table_size (summary->ok_motors), g_hash_table_size (summary->ng_motors));
  g_print (_("  missing values: %u cells in %u rows\n"),
           summary->missing_cells, summary->rows_with_missing);
}

static gboolean
summarise_file (const char *path,
                GError    **error)
{
  g_autoptr(AuscultaCsvReader) reader = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  const AuscultaCsvRow *row;
  ImportSummary summary;

  reader = ausculta_csv_reader_open (path, error);
  if (reader == NULL)
    return FALSE;

  import_summary_init (&summary);
  while ((row = ausculta_csv_reader_next (reader, error)) != NULL)
    import_summary_add (&summary, reader, row);

  if (error != NULL && *error == NULL && summary.rows == 0)
    g_set_error (error, AUSCULTA_CSV_ERROR, AUSCULTA_CSV_ERROR_EMPTY,
                 _("%s: no data rows after the header; expected one row per measurement"), name);
  if (error == NULL || *error == NULL)
    print_summary (name, reader, &summary);
  import_summary_clear (&summary);
  return error == NULL || *error == NULL;
}

/* Imports every file into the archive, each in its own transaction. */
static int
import_files (const char  *archive_path,
              const char  *actor,
              char       **files)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  archive = archive_path ? ausculta_archive_open (archive_path, &error)
            : ausculta_archive_open_default (&error);
  if (archive == NULL)
    return ausculta_cli_fail (error);
  if (actor != NULL)
    {
      g_autofree char *prompt = g_strdup_printf (_("Password of %s: "), actor);
      g_autoptr(AuscultaUser) user = NULL;

      secret = ausculta_cli_read_secret (prompt);
      user = secret ? ausculta_archive_authenticate (archive, actor, secret, &error) : NULL;
      if (user == NULL)
        {
          if (error == NULL)
            g_set_error (&error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH,
                         _("no password given for “%s” on standard input"), actor);
          return ausculta_cli_fail (error);
        }
    }
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (files[i]);
      AuscultaImportResult result;

      if (!ausculta_archive_import_csv (archive, actor, files[i], &result, &error))
        return ausculta_cli_fail (error);
      g_print (_("%s: %u rows, %u added, %u labels refined, %u label conflicts kept\n"), name,
               result.n_rows, result.n_added, result.n_relabelled, result.n_conflicts);
    }
  return AUSCULTA_CLI_OK;
}

int
ausculta_cli_import (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *archive_path = NULL;
  g_autofree char *actor = NULL;
  gboolean dry_run = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check and summarise the files without importing them"), NULL },
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &archive_path,
      N_("The archive (default: the user's archive)"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &actor,
      N_("Import as this supervisor (password read from standard input)"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.csv…") },
    { NULL }
  };

  context = g_option_context_new (_("FILE.csv… — import labelled historical CSV files"));
  g_option_context_set_summary (context,
    _("Reads both historical layouts as they are: “;” with decimal commas and a UTF-8 BOM\n"
      "(DATASET_NG: target = defect class) and “,” with decimal points\n"
      "(DATASET_VALIDATION: target 0 = OK, 1 = NG)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status != AUSCULTA_CLI_OK)
    return status;

  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("%s\n", _("ausculta-cli import: no file given; expected one or more CSV files"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!dry_run)
    return import_files (archive_path, actor, files);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!summarise_file (files[i], &error))
        return ausculta_cli_fail (error);
    }
  return AUSCULTA_CLI_OK;
}
