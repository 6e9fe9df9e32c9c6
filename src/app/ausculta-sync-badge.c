/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-badge"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-outbox.h"
#include "ausculta-sync-badge.h"
#include "ausculta-sync-status.h"

#define EVERY_S 5

struct _AuscultaSyncBadge
{
  GObject          parent_instance;

  GtkLabel        *label;
  AuscultaArchive *archive;        /* NULL: not archiving */
  guint            timeout;
  guint            idle;           /* the first count, once the window is drawn */
  GCancellable    *cancellable;    /* the count in flight, if any */
};

G_DEFINE_FINAL_TYPE (AuscultaSyncBadge, ausculta_sync_badge, G_TYPE_OBJECT)

static void
show_badge (AuscultaSyncBadge         *self,
            const AuscultaOutboxStats *stats)
{
  g_autofree char *text = NULL;
  AuscultaSyncMonitor *monitor;

  gtk_widget_remove_css_class (GTK_WIDGET (self->label), "synced");
  gtk_widget_remove_css_class (GTK_WIDGET (self->label), "offline");
  if (stats == NULL)
    text = g_strdup (_("Not archiving"));
  else if (stats->backlog == 0 && stats->last_success == NULL)
    text = g_strdup (_("Nothing to sync"));
  else if (stats->backlog == 0)
    {
      text = g_strdup (_("Synced"));
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "synced");
    }
  else
    {
      /* Translators: the sync badge, %u measurements wait for the network */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline · %u queued",
                                           "Offline · %u queued", (gulong) stats->backlog),
                              (guint) stats->backlog);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "offline");
    }
  gtk_label_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);
  /* The workers' own words: which target is offline and why. */
  monitor = ausculta_sync_monitor_get_default ();
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label),
                               monitor != NULL ? ausculta_sync_monitor_get_summary (monitor) : NULL);
}

static void
count_outbox_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  g_task_return_pointer (task, ausculta_outbox_get_stats (task_data, AUSCULTA_OUTBOX_TARGET_MONGODB, NULL),
                         (GDestroyNotify) ausculta_outbox_stats_free);
}

static void
on_outbox_counted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AuscultaSyncBadge *self = AUSCULTA_SYNC_BADGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaOutboxStats) stats = g_task_propagate_pointer (G_TASK (result), &error);

  /* Disposed: the page is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  show_badge (self, stats);
}

void
ausculta_sync_badge_update (AuscultaSyncBadge *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AUSCULTA_IS_SYNC_BADGE (self));

  if (self->archive == NULL)
    show_badge (self, NULL);
  if (self->archive == NULL || self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_outbox_counted, NULL);
  g_task_set_source_tag (task, ausculta_sync_badge_update);
  g_task_set_task_data (task, g_object_ref (self->archive), g_object_unref);
  g_task_run_in_thread (task, count_outbox_in_thread);
}

static gboolean
on_timeout (gpointer user_data)
{
  ausculta_sync_badge_update (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_first (gpointer user_data)
{
  AuscultaSyncBadge *self = user_data;

  self->idle = 0;
  ausculta_sync_badge_update (self);
  return G_SOURCE_REMOVE;
}

static void
ausculta_sync_badge_dispose (GObject *object)
{
  AuscultaSyncBadge *self = AUSCULTA_SYNC_BADGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_object (&self->label);
  g_clear_object (&self->archive);

  G_OBJECT_CLASS (ausculta_sync_badge_parent_class)->dispose (object);
}

static void
ausculta_sync_badge_class_init (AuscultaSyncBadgeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ausculta_sync_badge_dispose;
}

static void
ausculta_sync_badge_init (AuscultaSyncBadge *self)
{
}

/* Hidden until the first count; @archive may be NULL (not archiving). */
AuscultaSyncBadge *
ausculta_sync_badge_new (GtkLabel        *label,
                         AuscultaArchive *archive)
{
  AuscultaSyncBadge *self;

  g_return_val_if_fail (GTK_IS_LABEL (label), NULL);

  self = g_object_new (AUSCULTA_TYPE_SYNC_BADGE, NULL);
  self->label = g_object_ref (label);
  self->archive = archive != NULL ? g_object_ref (archive) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  /* At a low priority: the window's first frame goes first. */
  self->idle = g_idle_add_full (G_PRIORITY_LOW, on_first, self, NULL);
  self->timeout = g_timeout_add_seconds (EVERY_S, on_timeout, self);
  return self;
}
