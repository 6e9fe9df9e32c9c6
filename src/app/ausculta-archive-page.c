/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "ausculta-archive-model.h"
#include "ausculta-archive-page.h"
#include "ausculta-measurement-item.h"
#include "ausculta-measurement-page.h"

/* The engineer's list of every measurement, newest first, virtualised: a
 * GtkColumnView over AuscultaArchiveModel, which reads pages on demand. */
struct _AuscultaArchivePage
{
  GtkWidget             parent_instance;

  GtkSearchEntry       *serial_search;
  GtkDropDown          *verdict_dropdown;
  GtkLabel             *count_label;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkStack             *pages;
  GtkEntry             *from_entry;
  GtkEntry             *to_entry;
  GtkDropDown          *label_dropdown;
  GtkEntry             *station_entry;
  GtkEntry             *model_entry;
  AuscultaMeasurementPage *measurement_page;

  AuscultaArchiveModel *model;
  AuscultaArchive      *archive;
  gboolean              filtered;       /* the list is a filtered query, not the paged model */
  gboolean              counted;        /* the model was asked for its count */
  GCancellable         *cancellable;
};

#define MAX_FILTERED 2000

/* The filters the paged model does not take (dates, label, station,
 * model): such a query is read at once, up to MAX_FILTERED rows. */
typedef struct {
  char      *serial;
  char      *station;
  char      *model;
  GDateTime *from;
  GDateTime *to;
  int        verdict;
  int        label;
} Query;

typedef struct {
  GPtrArray *rows;
  guint64    count;
} QueryResult;

static void
query_free (Query *query)
{
  g_free (query->serial);
  g_free (query->station);
  g_free (query->model);
  g_clear_pointer (&query->from, g_date_time_unref);
  g_clear_pointer (&query->to, g_date_time_unref);
  g_free (query);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_FINAL_TYPE (AuscultaArchivePage, ausculta_archive_page, GTK_TYPE_WIDGET)

static const struct {
  const char *id;
  const char *title;
  gboolean    expand;
} columns[] = {
  { "started", N_("Started"), FALSE },
  { "serial", N_("Serial"), TRUE },
  { "station", N_("Station"), FALSE },
  { "operator", N_("Operator"), FALSE },
  { "verdict", N_("Verdict"), FALSE },
  { "label", N_("Label"), FALSE },
  { "model", N_("Model"), FALSE },
  { "score", N_("Score"), FALSE },
};

static void
update_cell (AuscultaMeasurementItem *item,
             GParamSpec              *pspec,
             GtkListItem             *list_item)
{
  const char *column = g_object_get_data (G_OBJECT (list_item), "ausculta-column");
  g_autofree char *text = ausculta_measurement_item_dup_column (item, column);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            const char               *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "ausculta-column", (gpointer) column);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           const char               *column)
{
  AuscultaMeasurementItem *item = gtk_list_item_get_item (list_item);

  /* A placeholder fills in when its page arrives. */
  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (update_cell), list_item, 0);
  update_cell (item, NULL, list_item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             const char               *column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), update_cell, list_item);
}

static void
add_columns (AuscultaArchivePage *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) columns[i].id);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) columns[i].id);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) columns[i].id);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static gboolean
is_set (GtkEntry *entry)
{
  return *gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0';
}

static gboolean
has_extra_filter (AuscultaArchivePage *self)
{
  return is_set (self->from_entry) || is_set (self->to_entry) || is_set (self->station_entry)
         || is_set (self->model_entry) || gtk_drop_down_get_selected (self->label_dropdown) != 0;
}

static gboolean
has_filter (AuscultaArchivePage *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->serial_search)) != '\0'
         || gtk_drop_down_get_selected (self->verdict_dropdown) != 0 || has_extra_filter (self);
}

/* "2026-11-02" → that day at 00:00 UTC plus @days; NULL when empty or
 * not a date (the entry is then marked as an error). */
static GDateTime *
parse_day (GtkEntry *entry,
           int       days,
           gboolean *valid)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  int y, m, d;
  char end;
  g_autoptr(GDateTime) day = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (*text == '\0')
    return NULL;
  if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &end) == 3 && g_date_valid_dmy (d, m, y))
    day = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (day == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      *valid = FALSE;
      return NULL;
    }
  return g_date_time_add_days (day, days);
}

static Query *
query_from_filters (AuscultaArchivePage *self)
{
  static const int labels[] = { AUSCULTA_LABEL_FILTER_ANY, AUSCULTA_LABEL_FILTER_UNLABELLED,
                                AUSCULTA_LABEL_OK, AUSCULTA_LABEL_FILTER_ANY_NG };
  Query *query = g_new0 (Query, 1);
  gboolean valid = TRUE;

  query->serial = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->serial_search)));
  query->station = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->station_entry)));
  query->model = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->model_entry)));
  query->verdict = (int) gtk_drop_down_get_selected (self->verdict_dropdown) - 1;
  query->label = labels[MIN (gtk_drop_down_get_selected (self->label_dropdown), G_N_ELEMENTS (labels) - 1)];
  query->from = parse_day (self->from_entry, 0, &valid);
  /* "To" includes that whole day. */
  query->to = parse_day (self->to_entry, 1, &valid);
  if (!valid)
    g_clear_pointer (&query, query_free);
  return query;
}

static void
query_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AuscultaArchive *archive = g_object_get_data (G_OBJECT (task), "archive");
  const Query *query = task_data;
  QueryResult *result = g_new0 (QueryResult, 1);
  AuscultaArchiveFilter filter;
  GError *error = NULL;

  ausculta_archive_filter_init (&filter);
  filter.serial_prefix = *query->serial ? query->serial : NULL;
  filter.station = *query->station ? query->station : NULL;
  filter.model_version = *query->model ? query->model : NULL;
  filter.from = query->from;
  filter.to = query->to;
  filter.verdict = query->verdict;
  filter.label = query->label;
  result->rows = ausculta_archive_query_page (archive, &filter, 0, MAX_FILTERED, &error);
  if (result->rows == NULL || !ausculta_archive_count (archive, &filter, &result->count, &error))
    {
      query_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) query_result_free);
}

static void
show_count (AuscultaArchivePage *self,
            guint                shown,
            guint64              count)
{
  g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  g_autofree char *text = NULL;

  if (shown < count)
    text = g_strdup_printf (_("First %u of %s measurements"), shown, total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u measurement", "%u measurements", shown), shown);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, shown == 0 && !has_filter (self) ? "empty" : "list");
}

static void
query_done (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  AuscultaArchivePage *self = AUSCULTA_ARCHIVE_PAGE (source);
  g_autoptr(GError) error = NULL;
  QueryResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->count_label, error->message);
      return;
    }
  store = g_list_store_new (AUSCULTA_TYPE_MEASUREMENT_ITEM);
  for (guint i = 0; i < result->rows->len; i++)
    {
      g_autoptr(AuscultaMeasurementItem) item = ausculta_measurement_item_new ();

      ausculta_measurement_item_set_row (item, g_ptr_array_index (result->rows, i));
      g_list_store_append (store, item);
    }
  g_ptr_array_set_free_func (result->rows, NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (store)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  show_count (self, result->rows->len, result->count);
  query_result_free (result);
}

static void
run_filtered_query (AuscultaArchivePage *self)
{
  Query *query = query_from_filters (self);
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (query == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, query_done, NULL);
  g_object_set_data_full (G_OBJECT (task), "archive", g_object_ref (self->archive), g_object_unref);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, query_thread);
}

static void
show_paged_model (AuscultaArchivePage *self)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));

  g_cancellable_cancel (self->cancellable);
  self->filtered = FALSE;
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

static void
on_items_changed (GListModel          *model,
                  guint                position,
                  guint                removed,
                  guint                added,
                  AuscultaArchivePage *self)
{
  if (!self->filtered)
    show_count (self, g_list_model_get_n_items (model), g_list_model_get_n_items (model));
}

static void
on_filter_changed (AuscultaArchivePage *self)
{
  /* Dropdown rows: any, none, OK, NOK, REPEAT → -1, then AuscultaVerdict. */
  int verdict = (int) gtk_drop_down_get_selected (self->verdict_dropdown) - 1;

  /* An emptied date is no longer an error. */
  if (!is_set (self->from_entry))
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  if (!is_set (self->to_entry))
    gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  if (self->model == NULL)
    return;
  if (has_extra_filter (self))
    {
      self->filtered = TRUE;
      run_filtered_query (self);
      return;
    }
  if (self->filtered)
    show_paged_model (self);
  ausculta_archive_model_set_filter (self->model,
                                     gtk_editable_get_text (GTK_EDITABLE (self->serial_search)),
                                     verdict);
}

/* Enter or a double click on a row opens the measurement in full. */
static void
on_row_activated (GtkColumnView       *view,
                  guint                position,
                  AuscultaArchivePage *self)
{
  g_autoptr(AuscultaMeasurementItem) item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)),
                                                                  position);
  const AuscultaArchiveRow *row = item != NULL ? ausculta_measurement_item_get_row (item) : NULL;

  if (row == NULL)
    return;
  ausculta_archive_page_open_measurement (self, row->id);
}

static void
on_back (AuscultaArchivePage *self)
{
  gtk_stack_set_visible_child_name (self->pages, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The window opens on another page: the archive is counted when this one
 * is first shown. */
static void
on_map (AuscultaArchivePage *self)
{
  if (self->model != NULL && !self->counted)
    ausculta_archive_page_refresh (self);
}

static void
ausculta_archive_page_dispose (GObject *object)
{
  AuscultaArchivePage *self = AUSCULTA_ARCHIVE_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->archive);
  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_archive_page_parent_class)->dispose (object);
}

static void
ausculta_archive_page_class_init (AuscultaArchivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_archive_page_dispose;

  g_type_ensure (AUSCULTA_TYPE_MEASUREMENT_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-archive-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, serial_search);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, verdict_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, pages);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, station_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, model_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaArchivePage, measurement_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back);
  gtk_widget_class_bind_template_callback (widget_class, ausculta_archive_page_refresh);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_archive_page_init (AuscultaArchivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/* Shows @archive's measurements (or the empty state without one). */
void
ausculta_archive_page_set_archive (AuscultaArchivePage *self,
                                   AuscultaArchive     *archive)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self));

  g_clear_object (&self->model);
  g_set_object (&self->archive, archive);
  self->filtered = FALSE;
  ausculta_measurement_page_set_archive (self->measurement_page, archive);
  gtk_stack_set_visible_child_name (self->pages, "list");
  gtk_stack_set_visible_child_name (self->stack, "empty");
  if (archive == NULL)
    {
      gtk_column_view_set_model (self->column_view, NULL);
      return;
    }
  self->model = ausculta_archive_model_new (archive);
  self->counted = FALSE;
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ausculta_archive_page_refresh (self);
}

/* Reads the list again; before the page was first shown there is nothing
 * to read again: showing it will. */
void
ausculta_archive_page_refresh (AuscultaArchivePage *self)
{
  g_return_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self));

  if (self->filtered)
    run_filtered_query (self);
  else if (self->model != NULL && (self->counted || gtk_widget_get_mapped (GTK_WIDGET (self))))
    {
      self->counted = TRUE;
      ausculta_archive_model_refresh (self->model);
    }
}

/**
 * ausculta_archive_page_get_model:
 *
 * Returns: (transfer none) (nullable): the list shown.
 */
GListModel *
ausculta_archive_page_get_model (AuscultaArchivePage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self), NULL);

  return self->model != NULL ? G_LIST_MODEL (self->model) : NULL;
}

/* Who labels from the measurement page: the archive checks their role. */
void
ausculta_archive_page_set_user (AuscultaArchivePage *self,
                                const char          *user_name)
{
  g_return_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self));

  ausculta_measurement_page_set_user (self->measurement_page, user_name);
}

/* Shows the measurement page of @measurement_id (loaded in a worker). */
void
ausculta_archive_page_open_measurement (AuscultaArchivePage *self,
                                        const char          *measurement_id)
{
  g_return_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self));
  g_return_if_fail (self->model != NULL);

  ausculta_measurement_page_load (self->measurement_page, measurement_id);
  gtk_stack_set_visible_child_name (self->pages, "measurement");
}

/**
 * ausculta_archive_page_get_measurement_page:
 *
 * Returns: (transfer none): the page a row opens.
 */
GtkWidget *
ausculta_archive_page_get_measurement_page (AuscultaArchivePage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE_PAGE (self), NULL);

  return GTK_WIDGET (self->measurement_page);
}
