/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-checkpoint"

#include "config.h"

#include "ausculta-archive-private.h"

/* Copying the write-ahead log back into the archive (a checkpoint) is
 * about half of the writing an insert costs. SQLite does it in the thread
 * that commits; here a thread of its own does it while the next batch is
 * being inserted. If it falls behind, the committing thread checkpoints
 * itself, so the log stays bounded. A crash at any moment is recovered by
 * SQLite from the log as before: a checkpoint only copies committed pages. */

#define START_FRAMES 4000     /* 16 MB of 4 KiB pages: wake the thread */
#define MAX_FRAMES   16000    /* 64 MB: the committing thread checkpoints itself */

struct _AuscultaCheckpointer {
  sqlite3 *db;                /* the thread's own connection */
  GThread *thread;
  GMutex   lock;
  GCond    wake;
  gboolean pending;
  gboolean stop;
};

static gpointer
checkpoint_thread (gpointer data)
{
  AuscultaCheckpointer *self = data;

  for (;;)
    {
      g_mutex_lock (&self->lock);
      while (!self->pending && !self->stop)
        g_cond_wait (&self->wake, &self->lock);
      if (self->stop)
        {
          g_mutex_unlock (&self->lock);
          return NULL;
        }
      self->pending = FALSE;
      g_mutex_unlock (&self->lock);
      /* PASSIVE never waits for readers or writers; a failure (a full
       * disk) is met again, and reported, by the next commit. */
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
}

/* Called by SQLite after each commit of a watched connection. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_frames)
{
  AuscultaCheckpointer *self = data;

  if (n_frames >= MAX_FRAMES)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (n_frames >= START_FRAMES)
    {
      g_mutex_lock (&self->lock);
      self->pending = TRUE;
      g_cond_signal (&self->wake);
      g_mutex_unlock (&self->lock);
    }
  return SQLITE_OK;
}

/**
 * ausculta_checkpointer_new:
 * @db: (transfer full): a connection for the thread alone
 */
AuscultaCheckpointer *
ausculta_checkpointer_new (sqlite3 *db)
{
  AuscultaCheckpointer *self = g_new0 (AuscultaCheckpointer, 1);

  self->db = db;
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->thread = g_thread_new ("archive-checkpoint", checkpoint_thread, self);
  return self;
}

/* Replaces SQLite's own checkpoints after commits of @db by the thread's. */
void
ausculta_checkpointer_watch (AuscultaCheckpointer *self,
                             sqlite3              *db)
{
  sqlite3_wal_hook (db, wal_hook, self);
}

/* Stops the thread; the caller closes the watched connections after. */
void
ausculta_checkpointer_free (AuscultaCheckpointer *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  sqlite3_close_v2 (self->db);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_free (self);
}
