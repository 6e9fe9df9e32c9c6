/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test-mongo"

#include "config.h"

#include <mongoc/mongoc.h>

#include "sync-test-mongo.h"

static char *
server_script (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  const char *bench = g_getenv ("BENCH_SRCDIR");

  if (bench != NULL)
    return g_build_filename (bench, "..", "tests", "sync", "mongo-server.py", NULL);
  return g_build_filename (srcdir ? srcdir : ".", "sync", "mongo-server.py", NULL);
}

/* Reads "PORT <n>" from the server's first line of output. */
static guint16
read_port (GSubprocess *process)
{
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, "PORT "))
    return 0;
  return (guint16) g_ascii_strtoull (line + 5, NULL, 10);
}

SyncTestMongo *
sync_test_mongo_start (const char *data_path,
                       guint16     port,
                       const char *option)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  SyncTestMongo *server = g_new0 (SyncTestMongo, 1);

  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, server_script ());
  g_ptr_array_add (argv, g_strdup ("--replset=rs0"));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", port));
  if (data_path != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--data=%s", data_path));
  if (option != NULL)
    g_ptr_array_add (argv, g_strdup (option));
  g_ptr_array_add (argv, NULL);

  server->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  server->port = read_port (server->process);
  g_assert_cmpuint (server->port, >, 0);
  server->uri = g_strdup_printf ("mongodb://127.0.0.1:%u/?replicaSet=rs0", server->port);
  server->data_path = g_strdup (data_path);
  return server;
}

/* SIGKILL: the server dies mid-whatever, as a crash or a power cut would. */
void
sync_test_mongo_kill (SyncTestMongo *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for the server to exit on its own (--die-after). */
gboolean
sync_test_mongo_wait_exit (SyncTestMongo *server,
                           guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (!timed_out && g_subprocess_get_identifier (server->process) != NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (source);
  if (timed_out)
    return FALSE;
  g_clear_object (&server->process);
  return TRUE;
}

void
sync_test_mongo_free (SyncTestMongo *server)
{
  sync_test_mongo_kill (server);
  g_free (server->uri);
  g_free (server->data_path);
  g_free (server);
}

static gboolean
run_command (SyncTestMongo *server,
             const char    *database,
             bson_t        *command,
             bson_t        *reply)
{
  g_autofree char *uri = g_strdup_printf ("mongodb://127.0.0.1:%u/?directConnection=true",
                                          server->port);
  mongoc_client_t *client = mongoc_client_new (uri);
  bson_error_t error;
  gboolean ok = mongoc_client_command_simple (client, database, command, NULL, reply, &error);

  if (!ok)
    g_test_message ("test server command failed: %s", error.message);
  mongoc_client_destroy (client);
  return ok;
}

/* The number of documents in a collection, or -1 when unreachable. */
gint64
sync_test_mongo_count (SyncTestMongo *server,
                       const char    *database,
                       const char    *collection)
{
  return sync_test_mongo_count_where (server, database, collection, NULL, NULL);
}

/* The same, of the documents whose @key is (or, for an array, holds) @value. */
gint64
sync_test_mongo_count_where (SyncTestMongo *server,
                             const char    *database,
                             const char    *collection,
                             const char    *key,
                             const char    *value)
{
  bson_t *command = key ? BCON_NEW ("count", BCON_UTF8 (collection),
                                    "query", "{", key, BCON_UTF8 (value), "}")
                        : BCON_NEW ("count", BCON_UTF8 (collection));
  bson_t reply;
  bson_iter_t iter;
  gint64 n = -1;

  if (run_command (server, database, command, &reply) && bson_iter_init_find (&iter, &reply, "n"))
    n = bson_iter_as_int64 (&iter);
  bson_destroy (&reply);
  bson_destroy (command);
  return n;
}

/* The server's own counters: "written" (documents it applied, replays
 * included) and "upserted" (documents it inserted because absent). */
gint64
sync_test_mongo_stat (SyncTestMongo *server,
                      const char    *name)
{
  bson_t *command = BCON_NEW ("auscultaStats", BCON_INT32 (1));
  bson_t reply;
  bson_iter_t iter;
  gint64 n = -1;

  if (run_command (server, "admin", command, &reply) && bson_iter_init_find (&iter, &reply, name))
    n = bson_iter_as_int64 (&iter);
  bson_destroy (&reply);
  bson_destroy (command);
  return n;
}
