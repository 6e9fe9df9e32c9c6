/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-sync-status"

#include "config.h"

#include "ausculta-sync-private.h"
#include "ausculta-sync-worker.h"

G_DEFINE_BOXED_TYPE (AuscultaSyncStatus, ausculta_sync_status,
                     ausculta_sync_status_copy, ausculta_sync_status_free)

static const char * const state_names[] = {
  [AUSCULTA_SYNC_STATE_IDLE] = "idle",
  [AUSCULTA_SYNC_STATE_ONLINE] = "online",
  [AUSCULTA_SYNC_STATE_OFFLINE] = "offline",
  [AUSCULTA_SYNC_STATE_AUTH] = "credentials refused",
  [AUSCULTA_SYNC_STATE_ERROR] = "error",
};

const char *
ausculta_sync_state_to_string (AuscultaSyncState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "idle");
  return state_names[state];
}

AuscultaSyncState
ausculta_sync_state_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      return (AuscultaSyncState) i;
  return AUSCULTA_SYNC_STATE_IDLE;
}

static GDateTime *
ref_or_null (GDateTime *date_time)
{
  return date_time ? g_date_time_ref (date_time) : NULL;
}

AuscultaSyncStatus *
ausculta_sync_status_copy (const AuscultaSyncStatus *status)
{
  AuscultaSyncStatus *copy = g_new0 (AuscultaSyncStatus, 1);

  g_return_val_if_fail (status != NULL, copy);
  *copy = *status;
  copy->target = g_strdup (status->target);
  copy->description = g_strdup (status->description);
  copy->oldest_pending = ref_or_null (status->oldest_pending);
  copy->last_success = ref_or_null (status->last_success);
  copy->last_error = g_strdup (status->last_error);
  copy->last_error_at = ref_or_null (status->last_error_at);
  copy->next_attempt = ref_or_null (status->next_attempt);
  copy->note = g_strdup (status->note);
  copy->champion = g_strdup (status->champion);
  return copy;
}

void
ausculta_sync_status_free (AuscultaSyncStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->target);
  g_free (status->description);
  g_clear_pointer (&status->oldest_pending, g_date_time_unref);
  g_clear_pointer (&status->last_success, g_date_time_unref);
  g_free (status->last_error);
  g_clear_pointer (&status->last_error_at, g_date_time_unref);
  g_clear_pointer (&status->next_attempt, g_date_time_unref);
  g_free (status->note);
  g_free (status->champion);
  g_free (status);
}

/* Refreshes what the outbox knows: backlog, oldest, last success/error. */
gboolean
ausculta_sync_status_update_from_outbox (AuscultaSyncStatus *status,
                                         AuscultaArchive    *archive,
                                         GError            **error)
{
  g_autoptr(AuscultaOutboxStats) stats = ausculta_outbox_get_stats (archive, status->target, error);

  if (stats == NULL)
    return FALSE;
  status->backlog = stats->backlog;
  g_clear_pointer (&status->oldest_pending, g_date_time_unref);
  status->oldest_pending = ref_or_null (stats->oldest_pending);
  g_clear_pointer (&status->last_success, g_date_time_unref);
  status->last_success = ref_or_null (stats->last_success);
  g_free (status->last_error);
  status->last_error = g_strdup (stats->last_error);
  g_clear_pointer (&status->last_error_at, g_date_time_unref);
  status->last_error_at = ref_or_null (stats->last_error_at);
  g_free (status->note);
  status->note = ausculta_outbox_state_get (archive, status->target, SYNC_STATE_KEY_NOTE, NULL);
  g_free (status->champion);
  status->champion = ausculta_outbox_state_get (archive, status->target, SYNC_STATE_KEY_CHAMPION,
                                                NULL);
  return TRUE;
}

static guint64
state_get_uint (AuscultaArchive *archive,
                const char      *target,
                const char      *key)
{
  g_autofree char *text = ausculta_outbox_state_get (archive, target, key, NULL);

  return text ? g_ascii_strtoull (text, NULL, 10) : 0;
}

/**
 * ausculta_sync_status_load:
 * @description: (nullable): where the target sends, when configured
 *
 * The status of a target as the archive remembers it, without contacting
 * anyone: what `ausculta-cli sync --status` prints.
 */
AuscultaSyncStatus *
ausculta_sync_status_load (AuscultaArchive *archive,
                           const char      *target,
                           const char      *description,
                           GError         **error)
{
  g_autoptr(AuscultaSyncStatus) status = g_new0 (AuscultaSyncStatus, 1);
  g_autofree char *state = NULL;
  gint64 next_attempt;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (archive) && target != NULL, NULL);
  status->target = g_strdup (target);
  status->description = g_strdup (description);
  if (!ausculta_sync_status_update_from_outbox (status, archive, error))
    return NULL;
  state = ausculta_outbox_state_get (archive, target, SYNC_STATE_KEY_STATE, NULL);
  status->state = ausculta_sync_state_from_string (state);
  status->failures = (guint) state_get_uint (archive, target, SYNC_STATE_KEY_FAILURES);
  next_attempt = (gint64) state_get_uint (archive, target, SYNC_STATE_KEY_NEXT_ATTEMPT);
  if (next_attempt > 0)
    status->next_attempt = g_date_time_new_from_unix_utc (next_attempt / G_USEC_PER_SEC);
  return g_steal_pointer (&status);
}

static void
append_time (GString    *text,
             const char *label,
             GDateTime  *date_time,
             const char *if_none)
{
  g_autofree char *formatted = date_time ? g_date_time_format (date_time, "%F %T UTC") : NULL;

  g_string_append_printf (text, "  %s: %s\n", label, formatted ? formatted : if_none);
}

/* Several lines for people: state, where, backlog, last success and error. */
char *
ausculta_sync_status_to_text (const AuscultaSyncStatus *status)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (status != NULL, NULL);
  g_string_append_printf (text, "%s: %s%s%s%s\n", status->target,
                          ausculta_sync_state_to_string (status->state),
                          status->description ? " (" : "",
                          status->description ? status->description : "",
                          status->description ? ")" : "");
  g_string_append_printf (text, "  backlog: %" G_GUINT64_FORMAT "\n", status->backlog);
  if (status->backlog > 0)
    append_time (text, "oldest pending", status->oldest_pending, "unknown");
  append_time (text, "last success", status->last_success, "never");
  if (status->last_error != NULL)
    {
      g_string_append_printf (text, "  last error: %s\n", status->last_error);
      append_time (text, "last error at", status->last_error_at, "unknown");
    }
  if (status->note != NULL)
    g_string_append_printf (text, "  note: %s\n", status->note);
  if (status->champion != NULL)
    g_string_append_printf (text, "  pull: %s\n", status->champion);
  if (status->next_attempt != NULL)
    {
      g_autofree char *when = g_date_time_format (status->next_attempt, "%F %T UTC");

      g_string_append_printf (text, "  next attempt: %s (after %u failed attempts)\n",
                              when, status->failures);
    }
  return g_string_free (text, FALSE);
}
