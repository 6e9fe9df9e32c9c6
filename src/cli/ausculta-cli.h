/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes every subcommand shares. */
enum {
  AUSCULTA_CLI_OK = 0,
  AUSCULTA_CLI_USER_ERROR = 1,
  AUSCULTA_CLI_NOT_BUILT = 2,
};

/* One function per subcommand, each in ausculta-cli-<name>.c; argv[0] is
 * the subcommand's name. */
int ausculta_cli_import (int argc, char **argv);

int  ausculta_cli_fail            (const GError *error);
int  ausculta_cli_parse_options   (GOptionContext *context,
                                   int            *argc,
                                   char         ***argv);

G_END_DECLS
