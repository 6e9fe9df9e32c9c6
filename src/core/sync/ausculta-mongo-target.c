/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mongo-target"

#include "config.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "ausculta-mongo-target.h"
#include "ausculta-sync-error.h"

/* Server error codes that mean "these credentials may not do this". */
#define MONGO_CODE_UNAUTHORIZED          13
#define MONGO_CODE_AUTHENTICATION_FAILED 18

struct _AuscultaMongoTarget {
  mongoc_uri_t         *uri;
  mongoc_client_pool_t *pool;
  gboolean              stale;         /* the pool saw the server go away */
  char                 *database;
  char                 *collection;
  char                 *description;   /* hosts/db.collection, never the password */
  gboolean              indexes_ready;
};

/* The driver logs through GLib, so its messages land where ours do (and
 * never on a TAP test's stdout). */
static void
log_to_glib (mongoc_log_level_t  level,
             const char         *domain,
             const char         *message,
             void               *data)
{
  /* Its warnings are what sync reports anyway (unreachable, refused). */
  if (level <= MONGOC_LOG_LEVEL_CRITICAL)
    g_warning ("libmongoc %s: %s", domain, message);
  else if (level == MONGOC_LOG_LEVEL_WARNING)
    g_message ("libmongoc %s: %s", domain, message);
  else if (level < MONGOC_LOG_LEVEL_TRACE)
    g_debug ("libmongoc %s: %s", domain, message);
}

/**
 * ausculta_mongo_prepare_process:
 *
 * Call first thing in main(), before any thread starts: keeps the driver's
 * statistics counters in memory rather than in a /dev/shm file named by
 * the process id. Ausculta never reads those counters, and a file left by
 * a killed process makes the driver warn on stderr in a later process that
 * gets the same id.
 */
void
ausculta_mongo_prepare_process (void)
{
  g_setenv ("MONGOC_DISABLE_SHM", "1", FALSE);
}

static gpointer
init_driver (gpointer data)
{
  mongoc_log_set_handler (log_to_glib, NULL);
  mongoc_init ();
  return NULL;
}

/* Bounded waits: a sync attempt must give up and back off, never hang the
 * worker for the driver's default 30 s server selection. The URI wins. */
static void
set_default_timeout (mongoc_uri_t *uri,
                     const char   *option,
                     gint32        milliseconds)
{
  if (!mongoc_uri_has_option (uri, option))
    mongoc_uri_set_option_as_int32 (uri, option, milliseconds);
}

static char *
describe_uri (const mongoc_uri_t *uri,
              const char         *database,
              const char         *collection)
{
  GString *text = g_string_new (NULL);

  for (const mongoc_host_list_t *host = mongoc_uri_get_hosts (uri); host; host = host->next)
    g_string_append_printf (text, "%s%s", text->len ? "," : "", host->host_and_port);
  g_string_append_printf (text, "/%s.%s", database, collection);
  return g_string_free (text, FALSE);
}

static gboolean
open_pool (AuscultaMongoTarget *target,
           GError             **error)
{
  g_clear_pointer (&target->pool, mongoc_client_pool_destroy);
  target->stale = FALSE;
  target->pool = mongoc_client_pool_new (target->uri);
  if (target->pool == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "MongoDB URI options are not usable (TLS or auth settings?) for %s",
                   target->description);
      return FALSE;
    }
  mongoc_client_pool_set_error_api (target->pool, MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname (target->pool, "ausculta");
  return TRUE;
}

/* After the server went away, a pool keeps its "unreachable" view until
 * its next heartbeat (10 s); a fresh pool sees a server that came back at
 * once, so the first attempt after a backoff is a real one. */
static gboolean
refresh_pool (AuscultaMongoTarget *target,
              GError             **error)
{
  return !target->stale || open_pool (target, error);
}

/**
 * ausculta_mongo_target_new:
 * @uri: a MongoDB URI without the password; TLS and auth options pass through
 * @password: (nullable): the password, from the credential store
 *
 * Returns: (transfer full): a pooled client for one collection, or NULL
 *   with AUSCULTA_SYNC_ERROR_CONFIG. Nothing is sent before the first call.
 */
AuscultaMongoTarget *
ausculta_mongo_target_new (const char *uri,
                           const char *password,
                           const char *database,
                           const char *collection,
                           GError    **error)
{
  static GOnce driver_once = G_ONCE_INIT;
  g_autoptr(AuscultaMongoTarget) target = g_new0 (AuscultaMongoTarget, 1);
  mongoc_uri_t *parsed;
  bson_error_t bson_error;

  g_return_val_if_fail (uri != NULL && database != NULL && collection != NULL, NULL);
  g_once (&driver_once, init_driver, NULL);

  parsed = mongoc_uri_new_with_error (uri, &bson_error);
  if (parsed == NULL)
    {
      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_CONFIG,
                   "MongoDB URI is not valid: %s", bson_error.message);
      return NULL;
    }
  if (password != NULL && *password != '\0')
    mongoc_uri_set_password (parsed, password);
  set_default_timeout (parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 5000);
  set_default_timeout (parsed, MONGOC_URI_CONNECTTIMEOUTMS, 5000);
  set_default_timeout (parsed, MONGOC_URI_SOCKETTIMEOUTMS, 30000);
  /* the driver retries a write once after a dropped connection when the
   * server is a replica set member; the upserts are idempotent anyway */
  if (!mongoc_uri_has_option (parsed, MONGOC_URI_RETRYWRITES))
    mongoc_uri_set_option_as_bool (parsed, MONGOC_URI_RETRYWRITES, true);

  target->database = g_strdup (database);
  target->collection = g_strdup (collection);
  target->description = describe_uri (parsed, database, collection);
  target->uri = parsed;
  if (!open_pool (target, error))
    return NULL;
  return g_steal_pointer (&target);
}

void
ausculta_mongo_target_free (AuscultaMongoTarget *target)
{
  if (target == NULL)
    return;
  g_clear_pointer (&target->pool, mongoc_client_pool_destroy);
  g_clear_pointer (&target->uri, mongoc_uri_destroy);
  g_free (target->database);
  g_free (target->collection);
  g_free (target->description);
  g_free (target);
}

/* Where the documents go, for status lines: "host:port/db.collection". */
const char *
ausculta_mongo_target_get_description (AuscultaMongoTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);
  return target->description;
}

static AuscultaSyncError
classify (const bson_error_t *bson_error)
{
  if (bson_error->domain == MONGOC_ERROR_CLIENT
      && bson_error->code == MONGOC_ERROR_CLIENT_AUTHENTICATE)
    return AUSCULTA_SYNC_ERROR_AUTH;
  if (bson_error->code == MONGO_CODE_UNAUTHORIZED
      || bson_error->code == MONGO_CODE_AUTHENTICATION_FAILED)
    return bson_error->domain == MONGOC_ERROR_SERVER ? AUSCULTA_SYNC_ERROR_AUTH
                                                     : AUSCULTA_SYNC_ERROR_SERVER;
  /* A pool that failed to authenticate reports it as a server selection
   * failure, with the reason in the text only. */
  if (bson_error->domain == MONGOC_ERROR_SERVER_SELECTION
      && strstr (bson_error->message, "Authentication failed") != NULL)
    return AUSCULTA_SYNC_ERROR_AUTH;
  if (bson_error->domain == MONGOC_ERROR_SERVER_SELECTION
      || bson_error->domain == MONGOC_ERROR_STREAM)
    return AUSCULTA_SYNC_ERROR_OFFLINE;
  return AUSCULTA_SYNC_ERROR_SERVER;
}

static void
set_error_from_bson (GError            **error,
                     AuscultaMongoTarget *target,
                     const char          *doing,
                     const bson_error_t  *bson_error)
{
  AuscultaSyncError code = classify (bson_error);

  if (code == AUSCULTA_SYNC_ERROR_OFFLINE || code == AUSCULTA_SYNC_ERROR_AUTH)
    target->stale = TRUE;
  g_set_error (error, AUSCULTA_SYNC_ERROR, code, "MongoDB %s: %s failed: %s%s",
               target->description, doing, bson_error->message,
               code == AUSCULTA_SYNC_ERROR_AUTH ? " (check the user name and password)" : "");
}

/* Runs a command on the target's database with a client from the pool. */
static gboolean
run_command (AuscultaMongoTarget *target,
             const bson_t        *command,
             gboolean             write,
             const char          *doing,
             GError             **error)
{
  mongoc_client_t *client;
  mongoc_database_t *database;
  bson_error_t bson_error;
  bson_t reply;
  gboolean ok;

  if (!refresh_pool (target, error))
    return FALSE;
  client = mongoc_client_pool_pop (target->pool);
  database = mongoc_client_get_database (client, target->database);
  if (write)
    ok = mongoc_database_write_command_with_opts (database, command, NULL, &reply, &bson_error);
  else
    ok = mongoc_database_command_simple (database, command, NULL, &reply, &bson_error);
  bson_destroy (&reply);
  mongoc_database_destroy (database);
  mongoc_client_pool_push (target->pool, client);
  if (!ok)
    set_error_from_bson (error, target, doing, &bson_error);
  return ok;
}

gboolean
ausculta_mongo_target_ping (AuscultaMongoTarget *target,
                           GError             **error)
{
  g_autoptr(bson_t) ping = BCON_NEW ("ping", BCON_INT32 (1));

  g_return_val_if_fail (target != NULL, FALSE);
  return run_command (target, ping, FALSE, "ping", error);
}

/* The queries the dashboards and the bench run: by serial, by date, by
 * station over time. createIndexes is sent as a command because libmongoc
 * 1.23 has no create_indexes_with_opts; the server ignores indexes that
 * already exist, and this process sends it once. */
gboolean
ausculta_mongo_target_ensure_indexes (AuscultaMongoTarget *target,
                                      GError             **error)
{
  g_autoptr(bson_t) command = NULL;

  g_return_val_if_fail (target != NULL, FALSE);
  if (target->indexes_ready)
    return TRUE;
  command = BCON_NEW ("createIndexes", BCON_UTF8 (target->collection),
                      "indexes", "[",
                        "{", "key", "{", "serial", BCON_INT32 (1), "}",
                             "name", BCON_UTF8 ("serial_1"), "}",
                        "{", "key", "{", "date_de_creation", BCON_INT32 (1), "}",
                             "name", BCON_UTF8 ("date_de_creation_1"), "}",
                        "{", "key", "{", "station", BCON_INT32 (1),
                                         "date_de_creation", BCON_INT32 (-1), "}",
                             "name", BCON_UTF8 ("station_1_date_de_creation_-1"), "}",
                      "]");
  if (!run_command (target, command, TRUE, "createIndexes", error))
    return FALSE;
  target->indexes_ready = TRUE;
  return TRUE;
}

void
ausculta_mongo_rejection_free (gpointer data)
{
  AuscultaMongoRejection *rejection = data;

  g_free (rejection->message);
  g_free (rejection);
}

/* Reads writeErrors of an unordered bulk reply into @rejections. */
static void
collect_rejections (const bson_t *reply,
                    GPtrArray    *rejections)
{
  bson_iter_t iter, array;

  if (!bson_iter_init_find (&iter, reply, "writeErrors") || !BSON_ITER_HOLDS_ARRAY (&iter)
      || !bson_iter_recurse (&iter, &array))
    return;
  while (bson_iter_next (&array))
    {
      bson_iter_t field;
      AuscultaMongoRejection *rejection = g_new0 (AuscultaMongoRejection, 1);

      if (bson_iter_recurse (&array, &field) && bson_iter_find (&field, "index"))
        rejection->index = (guint) bson_iter_as_int64 (&field);
      if (bson_iter_recurse (&array, &field) && bson_iter_find (&field, "errmsg"))
        rejection->message = g_strdup (bson_iter_utf8 (&field, NULL));
      else
        rejection->message = g_strdup ("refused by the server");
      g_ptr_array_add (rejections, rejection);
    }
}

static mongoc_bulk_operation_t *
build_bulk (mongoc_collection_t *collection,
            bson_t * const      *documents,
            guint                n_documents)
{
  g_autoptr(bson_t) bulk_opts = BCON_NEW ("ordered", BCON_BOOL (false));
  g_autoptr(bson_t) upsert = BCON_NEW ("upsert", BCON_BOOL (true));
  mongoc_bulk_operation_t *bulk;

  bulk = mongoc_collection_create_bulk_operation_with_opts (collection, bulk_opts);
  for (guint i = 0; i < n_documents; i++)
    {
      bson_iter_t id;
      bson_t selector = BSON_INITIALIZER;

      if (bson_iter_init_find (&id, documents[i], "_id"))
        bson_append_iter (&selector, "_id", -1, &id);
      mongoc_bulk_operation_replace_one_with_opts (bulk, &selector, documents[i], upsert, NULL);
      bson_destroy (&selector);
    }
  return bulk;
}

/**
 * ausculta_mongo_target_upsert:
 * @rejections: (element-type AuscultaMongoRejection): filled with the
 *   documents the server refused one by one
 *
 * Replaces each document by `_id`, inserting it when absent, in one
 * unordered bulk write: a replay after a lost reply is a no-op.
 *
 * Returns: TRUE when the server answered for every document (each one is
 *   either written or in @rejections); FALSE with an AUSCULTA_SYNC_ERROR
 *   when the batch as a whole failed and must be sent again.
 */
gboolean
ausculta_mongo_target_upsert (AuscultaMongoTarget *target,
                              bson_t * const      *documents,
                              guint                n_documents,
                              GPtrArray           *rejections,
                              GError             **error)
{
  mongoc_client_t *client;
  mongoc_collection_t *collection;
  mongoc_bulk_operation_t *bulk;
  bson_error_t bson_error;
  bson_t reply;
  gboolean ok;

  g_return_val_if_fail (target != NULL && rejections != NULL, FALSE);
  if (n_documents == 0)
    return TRUE;
  if (!ausculta_mongo_target_ensure_indexes (target, error) || !refresh_pool (target, error))
    return FALSE;

  client = mongoc_client_pool_pop (target->pool);
  collection = mongoc_client_get_collection (client, target->database, target->collection);
  bulk = build_bulk (collection, documents, n_documents);
  ok = mongoc_bulk_operation_execute (bulk, &reply, &bson_error) != 0;
  if (!ok && bson_has_field (&reply, "writeErrors")
      && !bson_has_field (&reply, "writeConcernErrors")
      && bson_error.domain == MONGOC_ERROR_SERVER)
    {
      collect_rejections (&reply, rejections);
      ok = rejections->len > 0;
    }
  if (!ok)
    set_error_from_bson (error, target, "bulk upsert", &bson_error);
  bson_destroy (&reply);
  mongoc_bulk_operation_destroy (bulk);
  mongoc_collection_destroy (collection);
  mongoc_client_pool_push (target->pool, client);
  return ok;
}
