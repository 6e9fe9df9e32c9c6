/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mongo-sync"

#include "config.h"

#include "ausculta-mongo-sync.h"
#include "ausculta-mongo-target.h"
#include "ausculta-sync-error.h"

#define BATCH_SIZE 500

struct _AuscultaMongoSync {
  GObject              parent_instance;
  AuscultaMongoTarget *target;
  char                *client;
};

static void target_iface_init (AuscultaSyncTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AuscultaMongoSync, ausculta_mongo_sync, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUSCULTA_TYPE_SYNC_TARGET,
                                                      target_iface_init))

static void
ausculta_mongo_sync_finalize (GObject *object)
{
  AuscultaMongoSync *self = AUSCULTA_MONGO_SYNC (object);

  g_clear_pointer (&self->target, ausculta_mongo_target_free);
  g_free (self->client);
  G_OBJECT_CLASS (ausculta_mongo_sync_parent_class)->finalize (object);
}

static void
ausculta_mongo_sync_class_init (AuscultaMongoSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ausculta_mongo_sync_finalize;
}

static void
ausculta_mongo_sync_init (AuscultaMongoSync *self)
{
}

static const char *
get_name (AuscultaSyncTarget *target)
{
  return AUSCULTA_OUTBOX_TARGET_MONGODB;
}

static const char *
get_description (AuscultaSyncTarget *target)
{
  return ausculta_mongo_target_get_description (AUSCULTA_MONGO_SYNC (target)->target);
}

static guint
get_batch_size (AuscultaSyncTarget *target)
{
  return BATCH_SIZE;
}

/* The measurement's document as it is now (a LABEL row re-sends the whole
 * document). *@document is NULL when the measurement is no longer in the
 * archive: there is nothing left to send. */
static gboolean
build_document (AuscultaMongoSync *self,
                AuscultaArchive   *archive,
                const char        *measurement_id,
                bson_t           **document,
                GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(GPtrArray) history = NULL;

  *document = NULL;
  measurement = ausculta_archive_load_measurement (archive, measurement_id, FALSE, &local_error);
  if (g_error_matches (local_error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND))
    {
      g_message ("measurement %s left the archive before it was synced", measurement_id);
      return TRUE;
    }
  if (measurement == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  history = ausculta_archive_get_label_history (archive, measurement_id, error);
  if (history == NULL)
    return FALSE;
  *document = ausculta_mongo_document_new (measurement, history, self->client);
  return TRUE;
}

/* One document per distinct measurement; @slots[i] = the document index
 * of item i, or -1 when it has nothing to send. */
static gboolean
build_documents (AuscultaMongoSync *self,
                 AuscultaArchive   *archive,
                 GPtrArray         *items,
                 GPtrArray         *documents,
                 int               *slots,
                 GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      const AuscultaOutboxItem *item = g_ptr_array_index (items, i);
      gpointer slot;
      bson_t *document;

      if (g_hash_table_lookup_extended (seen, item->ref_id, NULL, &slot))
        {
          slots[i] = GPOINTER_TO_INT (slot);
          continue;
        }
      if (!build_document (self, archive, item->ref_id, &document, error))
        return FALSE;
      slots[i] = document ? (int) documents->len : -1;
      if (document != NULL)
        g_ptr_array_add (documents, document);
      g_hash_table_insert (seen, item->ref_id, GINT_TO_POINTER (slots[i]));
    }
  return TRUE;
}

static gboolean
deliver (AuscultaSyncTarget *target,
         AuscultaArchive    *archive,
         GPtrArray          *items,
         GPtrArray          *item_errors,
         GError            **error)
{
  AuscultaMongoSync *self = AUSCULTA_MONGO_SYNC (target);
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) bson_destroy);
  g_autoptr(GPtrArray) rejections = g_ptr_array_new_with_free_func (ausculta_mongo_rejection_free);
  g_autofree int *slots = g_new (int, items->len);

  if (!build_documents (self, archive, items, documents, slots, error))
    return FALSE;
  if (!ausculta_mongo_target_upsert (self->target, (bson_t **) documents->pdata, documents->len,
                                     rejections, error))
    return FALSE;

  g_ptr_array_set_size (item_errors, 0);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (item_errors, NULL);
  for (guint r = 0; r < rejections->len; r++)
    {
      const AuscultaMongoRejection *rejection = g_ptr_array_index (rejections, r);

      for (guint i = 0; i < items->len; i++)
        if (slots[i] == (int) rejection->index && item_errors->pdata[i] == NULL)
          item_errors->pdata[i] = g_error_new (AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_REJECTED,
                                               "MongoDB refused measurement %s: %s",
                                               ((AuscultaOutboxItem *) items->pdata[i])->ref_id,
                                               rejection->message);
    }
  return TRUE;
}

static void
target_iface_init (AuscultaSyncTargetInterface *iface)
{
  iface->get_name = get_name;
  iface->get_description = get_description;
  iface->get_batch_size = get_batch_size;
  iface->deliver = deliver;
}

/**
 * ausculta_mongo_sync_new:
 * @uri: MongoDB URI without the password (TLS and auth options pass through)
 * @password: (nullable): from the credential store, never from a setting
 * @client: (nullable): the historical `client` field (the station if NULL)
 */
AuscultaMongoSync *
ausculta_mongo_sync_new (const char  *uri,
                         const char  *password,
                         const char  *database,
                         const char  *collection,
                         const char  *client,
                         GError     **error)
{
  g_autoptr(AuscultaMongoSync) self = g_object_new (AUSCULTA_TYPE_MONGO_SYNC, NULL);

  self->target = ausculta_mongo_target_new (uri, password, database, collection, error);
  if (self->target == NULL)
    return NULL;
  self->client = g_strdup (client);
  return g_steal_pointer (&self);
}
