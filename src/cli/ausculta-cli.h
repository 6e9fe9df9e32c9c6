/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes every subcommand shares. */
enum {
  AUSCULTA_CLI_OK = 0,
  AUSCULTA_CLI_USER_ERROR = 1,
};

/* One function per subcommand, each in ausculta-cli-<name>.c; argv[0] is
 * the subcommand's name. */
int ausculta_cli_import   (int argc, char **argv);
int ausculta_cli_features (int argc, char **argv);
int ausculta_cli_train    (int argc, char **argv);
int ausculta_cli_score    (int argc, char **argv);
int ausculta_cli_validate (int argc, char **argv);
int ausculta_cli_devices  (int argc, char **argv);
int ausculta_cli_inspect  (int argc, char **argv);
int ausculta_cli_sync     (int argc, char **argv);
int ausculta_cli_archive  (int argc, char **argv);
int ausculta_cli_users    (int argc, char **argv);

/* Reads a password or PIN from the terminal (no echo) or the next line of stdin. */
char *ausculta_cli_read_secret (const char *prompt);

int  ausculta_cli_fail            (const GError *error);
int  ausculta_cli_parse_options   (GOptionContext *context,
                                   int            *argc,
                                   char         ***argv);

G_END_DECLS
