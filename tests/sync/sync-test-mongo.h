/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The MongoDB wire-protocol test server (mongo-server.py) as a child
 * process: started on a free port (or the port of a previous run), its
 * documents kept in a file so a restart finds them again. */
typedef struct {
  GSubprocess *process;
  guint16      port;
  char        *uri;         /* mongodb://127.0.0.1:PORT/?replicaSet=rs0 */
  char        *data_path;
} SyncTestMongo;

SyncTestMongo *sync_test_mongo_start      (const char    *data_path,
                                           guint16        port,
                                           const char    *option);
void           sync_test_mongo_kill       (SyncTestMongo *server);
gboolean       sync_test_mongo_wait_exit  (SyncTestMongo *server,
                                           guint          timeout_ms);
void           sync_test_mongo_free       (SyncTestMongo *server);
gint64         sync_test_mongo_count      (SyncTestMongo *server,
                                           const char    *database,
                                           const char    *collection);
gint64         sync_test_mongo_count_where (SyncTestMongo *server,
                                           const char    *database,
                                           const char    *collection,
                                           const char    *key,
                                           const char    *value);
gint64         sync_test_mongo_stat       (SyncTestMongo *server,
                                           const char    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestMongo, sync_test_mongo_free)

G_END_DECLS
