/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-users"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ausculta-archive.h"
#include "ausculta-cli.h"

/**
 * ausculta_cli_read_secret:
 *
 * Reads one password or PIN: from the terminal without echo (prompting on
 * stderr), or as the next line of standard input for scripts — never from
 * the command line, where other users could see it.
 *
 * Returns: (transfer full) (nullable): the secret, %NULL at end of input.
 */
char *
ausculta_cli_read_secret (const char *prompt)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char line[1024];
  char *read;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  read = fgets (line, sizeof line, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fprintf (stderr, "\n");
    }
  if (read == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  return g_strdup (line);
}

/* Logs @name in (secret read from stdin/terminal); NULL name = nobody. */
static gboolean
log_in (AuscultaArchive *archive,
        const char      *name,
        GError         **error)
{
  g_autofree char *prompt = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(AuscultaUser) user = NULL;

  if (name == NULL)
    return TRUE;
  prompt = g_strdup_printf (_("Password of %s: "), name);
  secret = ausculta_cli_read_secret (prompt);
  if (secret == NULL)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH,
                   _("no password given for “%s” on standard input"), name);
      return FALSE;
    }
  user = ausculta_archive_authenticate (archive, name, secret, error);
  return user != NULL;
}

static char *
read_new_secret (const char *what,
                 const char *name,
                 GError    **error)
{
  g_autofree char *prompt = g_strdup_printf (_("New %s of %s: "), what, name);
  char *secret = ausculta_cli_read_secret (prompt);

  if (secret == NULL)
    g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                 _("no new %s given for “%s” on standard input"), what, name);
  return secret;
}

typedef struct {
  char     *archive_path;
  char     *actor;
  char     *role;
  char     *full_name;
  gboolean  pin;
  gboolean  enable;
  char    **args;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->archive_path);
  g_free (options->actor);
  g_free (options->role);
  g_free (options->full_name);
  g_strfreev (options->args);
}

static int
users_add (AuscultaArchive *archive,
           Options         *options,
           const char      *name,
           GError         **error)
{
  g_autofree char *password = NULL;
  g_autofree char *pin = NULL;
  AuscultaRole role = AUSCULTA_ROLE_INSPECTOR;

  if (options->role != NULL && !ausculta_role_from_string (options->role, &role))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("--role %s: expected inspector, engineer, supervisor or admin"),
                   options->role);
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!log_in (archive, options->actor, error)
      || (password = read_new_secret (_("password"), name, error)) == NULL
      || (options->pin && (pin = read_new_secret (_("PIN"), name, error)) == NULL)
      || !ausculta_archive_add_user (archive, options->actor, name, options->full_name, role,
                                     password, pin, error))
    return AUSCULTA_CLI_USER_ERROR;
  g_print (_("added %s (%s)\n"), name, ausculta_role_to_string (role));
  return AUSCULTA_CLI_OK;
}

static int
users_list (AuscultaArchive *archive,
            GError         **error)
{
  g_autoptr(GPtrArray) users = ausculta_archive_list_users (archive, error);

  if (users == NULL)
    return AUSCULTA_CLI_USER_ERROR;
  for (guint i = 0; i < users->len; i++)
    {
      AuscultaUser *user = users->pdata[i];

      g_print ("%-16s %-10s %-8s %s\n", user->name, ausculta_role_to_string (user->role),
               user->disabled ? _("disabled") : _("enabled"),
               user->full_name ? user->full_name : "");
    }
  return AUSCULTA_CLI_OK;
}

static int
users_passwd (AuscultaArchive *archive,
              Options         *options,
              const char      *name,
              GError         **error)
{
  const char *actor = options->actor ? options->actor : name;
  g_autofree char *secret = NULL;

  if (!log_in (archive, actor, error)
      || (secret = read_new_secret (options->pin ? _("PIN") : _("password"), name,
                                    error)) == NULL
      || !ausculta_archive_set_user_secret (archive, actor, name,
                                            options->pin ? NULL : secret,
                                            options->pin ? secret : NULL, error))
    return AUSCULTA_CLI_USER_ERROR;
  g_print (_("%s of %s changed\n"), options->pin ? _("PIN") : _("password"), name);
  return AUSCULTA_CLI_OK;
}

static int
users_change (AuscultaArchive *archive,
              Options         *options,
              const char      *what,
              const char      *name,
              const char      *value,
              GError         **error)
{
  AuscultaRole role = AUSCULTA_ROLE_INSPECTOR;

  if (strcmp (what, "role") == 0 && (value == NULL || !ausculta_role_from_string (value, &role)))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("users role %s: expected a role: inspector, engineer, supervisor or "
                     "admin"), name);
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!log_in (archive, options->actor, error))
    return AUSCULTA_CLI_USER_ERROR;
  if (strcmp (what, "role") == 0)
    {
      if (!ausculta_archive_set_user_role (archive, options->actor, name, role, error))
        return AUSCULTA_CLI_USER_ERROR;
      g_print (_("%s is now %s\n"), name, ausculta_role_to_string (role));
      return AUSCULTA_CLI_OK;
    }
  if (!ausculta_archive_set_user_disabled (archive, options->actor, name, !options->enable,
                                           error))
    return AUSCULTA_CLI_USER_ERROR;
  g_print (options->enable ? _("%s enabled\n") : _("%s disabled\n"), name);
  return AUSCULTA_CLI_OK;
}

static int
run (Options *options,
     GError **error)
{
  g_autoptr(AuscultaArchive) archive = NULL;
  const char *action = options->args ? options->args[0] : NULL;
  guint n_args = options->args ? g_strv_length (options->args) : 0;

  if (action == NULL || (strcmp (action, "list") != 0 && n_args < 2))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   _("users: expected add NAME, list, passwd NAME, disable NAME or "
                     "role NAME ROLE"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  archive = options->archive_path ? ausculta_archive_open (options->archive_path, error)
            : ausculta_archive_open_default (error);
  if (archive == NULL)
    return AUSCULTA_CLI_USER_ERROR;
  if (strcmp (action, "add") == 0)
    return users_add (archive, options, options->args[1], error);
  if (strcmp (action, "list") == 0)
    return users_list (archive, error);
  if (strcmp (action, "passwd") == 0)
    return users_passwd (archive, options, options->args[1], error);
  if (strcmp (action, "disable") == 0 || strcmp (action, "role") == 0)
    return users_change (archive, options, action, options->args[1], options->args[2], error);
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
               _("users %s: unknown action; expected add, list, passwd, disable or role"),
               action);
  return AUSCULTA_CLI_USER_ERROR;
}

int
ausculta_cli_users (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Options options = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &options.archive_path,
      N_("The archive (default: the user's archive)"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &options.actor,
      N_("Act as this user (an admin; password read from standard input)"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role,
      N_("Role of a new user: inspector, engineer, supervisor, admin"), N_("ROLE") },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &options.full_name,
      N_("Full name of a new user"), N_("TEXT") },
    { "pin", 0, 0, G_OPTION_ARG_NONE, &options.pin,
      N_("Also set (add) or set only (passwd) a numeric PIN for quick login"), NULL },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &options.enable,
      N_("With disable: enable the user again"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.args, NULL,
      N_("add NAME | list | passwd NAME | disable NAME | role NAME ROLE") },
    { NULL }
  };

  context = g_option_context_new (_("add|list|passwd|disable|role — manage users"));
  g_option_context_set_summary (context,
    _("Passwords and PINs are read from the terminal without echo, or one per line from\n"
      "standard input: first the password of --as, then the new secret(s).\n"
      "The first user of an empty archive must be an admin and needs no --as."));
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
