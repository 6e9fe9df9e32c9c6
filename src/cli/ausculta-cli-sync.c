/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-sync"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ausculta-archive.h"
#include "ausculta-cli.h"
#include "ausculta-credentials.h"
#include "ausculta-mlflow-sync.h"
#include "ausculta-sync-config.h"
#include "ausculta-sync-error.h"
#include "ausculta-sync-worker.h"

static const char * const all_targets[] = {
  AUSCULTA_OUTBOX_TARGET_MONGODB, AUSCULTA_OUTBOX_TARGET_MLFLOW,
};

static char *
describe (const AuscultaSyncConfig *config,
          const char               *target)
{
  if (g_strcmp0 (target, AUSCULTA_OUTBOX_TARGET_MONGODB) == 0 && config->mongo_uri)
    return g_strdup_printf ("%s %s.%s", config->mongo_uri, config->mongo_database,
                            config->mongo_collection);
  if (g_strcmp0 (target, AUSCULTA_OUTBOX_TARGET_MLFLOW) == 0 && config->mlflow_uri)
    return g_strdup (config->mlflow_uri);
  return g_strdup (_("not configured"));
}

static int
print_status (AuscultaArchive          *archive,
              const AuscultaSyncConfig *config)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_targets); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *description = describe (config, all_targets[i]);
      g_autoptr(AuscultaSyncStatus) status =
        ausculta_sync_status_load (archive, all_targets[i], description, &error);
      g_autofree char *text = NULL;

      if (status == NULL)
        return ausculta_cli_fail (error);
      text = ausculta_sync_status_to_text (status);
      g_print ("%s", text);
    }
  return AUSCULTA_CLI_OK;
}

/* The secret is read from standard input, never from the command line. */
static int
store_secret (const AuscultaSyncConfig *config,
              const char               *target)
{
  g_autofree char *account = ausculta_sync_config_account (config, target);
  g_autofree char *prompt = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;

  if (account == NULL)
    {
      g_printerr (_("ausculta-cli sync: “%s” is not configured in %s; expected mongodb or mlflow "
                    "with a [mongodb] uri or an [mlflow] tracking-uri\n"),
                  target, ausculta_sync_config_default_path ());
      return AUSCULTA_CLI_USER_ERROR;
    }
  prompt = g_strdup_printf (_("Secret for %s (%s): "), target, account);
  secret = ausculta_cli_read_secret (prompt);
  if (secret == NULL || *secret == '\0')
    {
      g_printerr ("%s\n", _("ausculta-cli sync: no secret on standard input"));
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!ausculta_credentials_store (target, account, secret, &error))
    return ausculta_cli_fail (error);
  g_print (_("%s: secret stored for %s\n"), target, account);
  return AUSCULTA_CLI_OK;
}

/* One pass per target, MLflow pulling its champion after its pass; exit
 * 0 only when every target took its backlog and the pull went through. */
static int
run_once (AuscultaArchive *archive,
          GPtrArray       *targets)
{
  int status = AUSCULTA_CLI_OK;

  for (guint i = 0; i < targets->len; i++)
    {
      AuscultaSyncTarget *target = g_ptr_array_index (targets, i);
      g_autoptr(AuscultaSyncWorker) worker = ausculta_sync_worker_new (archive, target);
      g_autoptr(AuscultaSyncStatus) after = NULL;
      g_autoptr(GError) error = NULL;
      guint delivered = 0;

      ausculta_sync_worker_run_once (worker, &delivered, &error);
      after = ausculta_sync_worker_get_status (worker);
      g_print (_("%s: %u sent, %" G_GUINT64_FORMAT " still queued (%s)\n"),
               after->target, delivered, after->backlog, ausculta_sync_state_to_string (after->state));
      if (error != NULL)
        g_printerr ("ausculta-cli sync: %s: %s\n", after->target, error->message);
      if (error != NULL || after->backlog > 0)
        status = AUSCULTA_CLI_USER_ERROR;
      /* the pull follows a pass that went through */
      if (error == NULL && after->champion != NULL && AUSCULTA_IS_MLFLOW_SYNC (target))
        g_print ("%s: %s\n", after->target, after->champion);
      if (AUSCULTA_IS_MLFLOW_SYNC (target)
          && ausculta_mlflow_sync_get_pull_failed (AUSCULTA_MLFLOW_SYNC (target)))
        status = AUSCULTA_CLI_USER_ERROR;
      /* deliver the worker's pending status notification, which holds it */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  return status;
}

static void
on_status (GObject    *worker,
           GParamSpec *pspec,
           gpointer    data)
{
  g_autoptr(AuscultaSyncStatus) status = NULL;
  char *line;

  g_object_get (worker, "status", &status, NULL);
  line = g_strdup_printf ("%s: %s, %" G_GUINT64_FORMAT " queued%s%s%s%s\n", status->target,
                          ausculta_sync_state_to_string (status->state), status->backlog,
                          status->last_error ? ": " : "",
                          status->last_error ? status->last_error : "",
                          status->champion ? "; " : "",
                          status->champion ? status->champion : "");
  /* a line per change, not one per poll */
  if (g_strcmp0 (line, g_object_get_data (worker, "last-line")) != 0)
    g_print ("%s", line);
  g_object_set_data_full (worker, "last-line", line, g_free);
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* Runs the workers until SIGINT or SIGTERM. */
static int
run_forever (AuscultaArchive          *archive,
             const AuscultaSyncConfig *config)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) workers = ausculta_sync_config_create_workers (config, archive, &error);
  guint sigint, sigterm;

  if (workers == NULL)
    return ausculta_cli_fail (error);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  for (guint i = 0; i < workers->len; i++)
    {
      g_signal_connect (workers->pdata[i], "notify::status", G_CALLBACK (on_status), NULL);
      ausculta_sync_worker_start (workers->pdata[i]);
    }
  g_main_loop_run (loop);
  for (guint i = 0; i < workers->len; i++)
    ausculta_sync_worker_stop (workers->pdata[i]);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return AUSCULTA_CLI_OK;
}

static int
run_sync (const char *archive_path,
          const char *config_path,
          gboolean    once,
          gboolean    status_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSyncConfig) config = ausculta_sync_config_load (config_path, &error);
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GPtrArray) targets = NULL;

  if (config == NULL)
    return ausculta_cli_fail (error);
  archive = archive_path ? ausculta_archive_open (archive_path, &error)
                         : ausculta_archive_open_default (&error);
  if (archive == NULL)
    return ausculta_cli_fail (error);
  if (status_only)
    return print_status (archive, config);
  if (config->mongo_uri == NULL && config->mlflow_uri == NULL)
    {
      g_autofree char *path = config_path ? g_strdup (config_path)
                                          : ausculta_sync_config_default_path ();

      g_printerr (_("ausculta-cli sync: no target in %s; expected a [mongodb] uri or an "
                    "[mlflow] tracking-uri\n"), path);
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!once)
    return run_forever (archive, config);
  targets = ausculta_sync_config_create_targets (config, &error);
  if (targets == NULL)
    return ausculta_cli_fail (error);
  return run_once (archive, targets);
}

int
ausculta_cli_sync (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *archive_path = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *secret_target = NULL;
  gboolean once = FALSE, status_only = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Send what is due to every target and pull the MLflow champion, then exit "
         "(0 when nothing is left queued and the pull went through)"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only,
      N_("Print each target's state, backlog, last success and last error"), NULL },
    { "store-secret", 0, 0, G_OPTION_ARG_STRING, &secret_target,
      N_("Store the password or token of a target, read from standard input"),
      N_("mongodb|mlflow") },
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &archive_path,
      N_("The archive (default: the user's archive)"), N_("PATH") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("The sync settings (default: ~/.config/ausculta/sync.ini)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— send the outbox to MongoDB and MLflow"));
  g_option_context_set_summary (context,
    _("Without --once, runs until interrupted, retrying with backoff while offline.\n"
      "Secrets never go on the command line: see --store-secret."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = ausculta_cli_parse_options (context, &argc, &argv);
  if (status != AUSCULTA_CLI_OK)
    return status;

  if (secret_target != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AuscultaSyncConfig) config = ausculta_sync_config_load (config_path, &error);

      return config ? store_secret (config, secret_target) : ausculta_cli_fail (error);
    }
  return run_sync (archive_path, config_path, once, status_only);
}
