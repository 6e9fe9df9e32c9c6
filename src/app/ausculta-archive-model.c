/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-model"

#include "config.h"

#include "ausculta-archive-model.h"
#include "ausculta-measurement-item.h"

/* A GListModel of the archive's measurements, newest first, for a
 * GtkColumnView over up to millions of rows. The count and each page of
 * rows are read in a worker; until its page arrives an item is a
 * placeholder. Only the pages near what was last asked for are kept. */
#define PAGE_SIZE 200
#define MAX_PAGES 64

struct _AuscultaArchiveModel
{
  GObject          parent_instance;

  AuscultaArchive *archive;
  char            *serial_prefix;
  int              verdict;
  guint            n_items;
  GHashTable      *pages;        /* page number -> GPtrArray of items */
  guint            generation;   /* bumped by every refresh: late pages are dropped */
  guint            n_pages_loaded;
};

static void ausculta_archive_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AuscultaArchiveModel, ausculta_archive_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ausculta_archive_model_list_model_init))

typedef struct
{
  char  *serial_prefix;
  int    verdict;
  guint  generation;
  guint  page;
} Query;

static void
query_free (Query *query)
{
  g_free (query->serial_prefix);
  g_free (query);
}

static Query *
query_new (AuscultaArchiveModel *self,
           guint                 page)
{
  Query *query = g_new0 (Query, 1);

  query->serial_prefix = g_strdup (self->serial_prefix);
  query->verdict = self->verdict;
  query->generation = self->generation;
  query->page = page;
  return query;
}

static void
query_filter (const Query           *query,
              AuscultaArchiveFilter *filter)
{
  ausculta_archive_filter_init (filter);
  filter->serial_prefix = query->serial_prefix;
  filter->verdict = query->verdict;
}

/* ---- pages ---- */

static void
read_page_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  AuscultaArchiveModel *self = source_object;
  Query *query = task_data;
  AuscultaArchiveFilter filter;
  GError *error = NULL;
  GPtrArray *rows;

  query_filter (query, &filter);
  rows = ausculta_archive_query_page (self->archive, &filter, query->page * PAGE_SIZE,
                                      PAGE_SIZE, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_page_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AuscultaArchiveModel *self = AUSCULTA_ARCHIVE_MODEL (object);
  Query *query = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  rows = g_task_propagate_pointer (G_TASK (result), &error);
  if (rows == NULL)
    {
      g_warning ("Archive page %u: %s", query->page, error->message);
      return;
    }
  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (query->page));
  if (query->generation != self->generation || items == NULL)
    return;
  /* Each item takes its row; rows beyond the page (the archive grew
   * since the count) are freed. */
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      if (i < items->len)
        ausculta_measurement_item_set_row (g_ptr_array_index (items, i), g_ptr_array_index (rows, i));
      else
        ausculta_archive_row_free (g_ptr_array_index (rows, i));
    }
  self->n_pages_loaded++;
}

static void
evict_far_pages (AuscultaArchiveModel *self,
                 guint                 near)
{
  while (g_hash_table_size (self->pages) >= MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key;
      guint farthest = near, distance = 0;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint page = GPOINTER_TO_UINT (key);
          guint d = page > near ? page - near : near - page;

          if (d >= distance)
            {
              distance = d;
              farthest = page;
            }
        }
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (farthest));
    }
}

static GPtrArray *
request_page (AuscultaArchiveModel *self,
              guint                 page)
{
  guint n = MIN (PAGE_SIZE, self->n_items - page * PAGE_SIZE);
  g_autoptr(GTask) task = NULL;
  GPtrArray *items;

  evict_far_pages (self, page);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, ausculta_measurement_item_new ());
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);

  task = g_task_new (self, NULL, on_page_read, NULL);
  g_task_set_source_tag (task, request_page);
  g_task_set_task_data (task, query_new (self, page), (GDestroyNotify) query_free);
  g_task_run_in_thread (task, read_page_in_thread);
  return items;
}

/* ---- GListModel ---- */

static GType
ausculta_archive_model_get_item_type (GListModel *list)
{
  return AUSCULTA_TYPE_MEASUREMENT_ITEM;
}

static guint
ausculta_archive_model_get_n_items (GListModel *list)
{
  return AUSCULTA_ARCHIVE_MODEL (list)->n_items;
}

static gpointer
ausculta_archive_model_get_item (GListModel *list,
                                 guint       position)
{
  AuscultaArchiveModel *self = AUSCULTA_ARCHIVE_MODEL (list);
  guint page = position / PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;
  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    items = request_page (self, page);
  return g_object_ref (g_ptr_array_index (items, position % PAGE_SIZE));
}

static void
ausculta_archive_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ausculta_archive_model_get_item_type;
  iface->get_n_items = ausculta_archive_model_get_n_items;
  iface->get_item = ausculta_archive_model_get_item;
}

/* ---- count ---- */

static void
count_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AuscultaArchiveModel *self = source_object;
  AuscultaArchiveFilter filter;
  GError *error = NULL;
  guint64 count = 0;

  query_filter (task_data, &filter);
  if (!ausculta_archive_count (self->archive, &filter, &count, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) MIN (count, (guint64) G_MAXINT));
}

static void
on_counted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AuscultaArchiveModel *self = AUSCULTA_ARCHIVE_MODEL (object);
  Query *query = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (result), &error);
  guint removed = self->n_items;

  if (count < 0)
    {
      g_warning ("Counting the archive: %s", error->message);
      return;
    }
  if (query->generation != self->generation)
    return;
  g_hash_table_remove_all (self->pages);
  self->n_items = (guint) count;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
}

/* Reads the count again (after an inspection, an import, a new filter). */
void
ausculta_archive_model_refresh (AuscultaArchiveModel *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AUSCULTA_IS_ARCHIVE_MODEL (self));

  self->generation++;
  task = g_task_new (self, NULL, on_counted, NULL);
  g_task_set_source_tag (task, ausculta_archive_model_refresh);
  g_task_set_task_data (task, query_new (self, 0), (GDestroyNotify) query_free);
  g_task_run_in_thread (task, count_in_thread);
}

/* @serial_prefix: NULL or "" for any; @verdict: -1 for any. */
void
ausculta_archive_model_set_filter (AuscultaArchiveModel *self,
                                   const char           *serial_prefix,
                                   int                   verdict)
{
  g_return_if_fail (AUSCULTA_IS_ARCHIVE_MODEL (self));

  g_free (self->serial_prefix);
  self->serial_prefix = serial_prefix != NULL && *serial_prefix != '\0' ? g_strdup (serial_prefix) : NULL;
  self->verdict = verdict;
  ausculta_archive_model_refresh (self);
}

/* Pages read since the model was made (for tests and diagnostics). */
guint
ausculta_archive_model_get_n_pages_loaded (AuscultaArchiveModel *self)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE_MODEL (self), 0);

  return self->n_pages_loaded;
}

static void
ausculta_archive_model_dispose (GObject *object)
{
  AuscultaArchiveModel *self = AUSCULTA_ARCHIVE_MODEL (object);

  g_clear_object (&self->archive);
  g_hash_table_remove_all (self->pages);

  G_OBJECT_CLASS (ausculta_archive_model_parent_class)->dispose (object);
}

static void
ausculta_archive_model_finalize (GObject *object)
{
  AuscultaArchiveModel *self = AUSCULTA_ARCHIVE_MODEL (object);

  g_hash_table_unref (self->pages);
  g_free (self->serial_prefix);

  G_OBJECT_CLASS (ausculta_archive_model_parent_class)->finalize (object);
}

static void
ausculta_archive_model_class_init (AuscultaArchiveModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_archive_model_dispose;
  object_class->finalize = ausculta_archive_model_finalize;
}

static void
ausculta_archive_model_init (AuscultaArchiveModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->verdict = -1;
}

/* An empty model on @archive: it fills itself from the count that
 * ausculta_archive_model_refresh() reads (counting a million rows takes
 * a while: nobody waits for it before they look at the list). */
AuscultaArchiveModel *
ausculta_archive_model_new (AuscultaArchive *archive)
{
  AuscultaArchiveModel *self;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive), NULL);

  self = g_object_new (AUSCULTA_TYPE_ARCHIVE_MODEL, NULL);
  self->archive = g_object_ref (archive);
  return self;
}
