/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-cli.h"
#include "ausculta-mongo-target.h"

typedef struct {
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "import",   N_("Import labelled historical CSV files into the archive"), ausculta_cli_import },
  { "features", N_("Extract the feature vector of WAV or FLAC recordings"),  ausculta_cli_features },
  { "train",    N_("Train a model from CSV files or the archive"),            ausculta_cli_train },
  { "score",    N_("Score the rows of a CSV file with a model"),              ausculta_cli_score },
  { "validate", N_("Validate a model by motor on a labelled CSV file"),       ausculta_cli_validate },
  { "devices",  N_("List the capture devices"),                               ausculta_cli_devices },
  { "inspect",  N_("Run one inspection cycle headless"),                      ausculta_cli_inspect },
  { "sync",     N_("Send the outbox to MongoDB and MLflow"),                  ausculta_cli_sync },
  { "archive",  N_("Check, summarise or export the archive"),                 ausculta_cli_archive },
  { "users",    N_("Add, list and manage users"),                             ausculta_cli_users },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: ausculta-cli COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “ausculta-cli COMMAND --help” for the options of a command."));
}

/* Prints the one-line message of a failed command and returns its exit code. */
int
ausculta_cli_fail (const GError *error)
{
  g_printerr ("ausculta-cli: %s\n", error->message);
  return AUSCULTA_CLI_USER_ERROR;
}

/* Parses a subcommand's options; on a usage error prints it on one line. */
int
ausculta_cli_parse_options (GOptionContext *context,
                            int            *argc,
                            char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    return ausculta_cli_fail (error);
  return AUSCULTA_CLI_OK;
}

int
main (int    argc,
      char **argv)
{
  ausculta_mongo_prepare_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? AUSCULTA_CLI_USER_ERROR : AUSCULTA_CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("ausculta-cli %s\n", PACKAGE_VERSION);
      return AUSCULTA_CLI_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) != 0)
        continue;
      return commands[i].run (argc - 1, argv + 1);
    }

  g_printerr (_("ausculta-cli: unknown command “%s”; run “ausculta-cli --help” for the list\n"),
              argv[1]);
  return AUSCULTA_CLI_USER_ERROR;
}
