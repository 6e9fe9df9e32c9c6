/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include "ausculta-archive-private.h"
#include "ausculta-data-paths.h"

struct _AuscultaArchive {
  GObject      parent_instance;

  char        *path;
  gboolean     read_only;
  int          schema_version;

  /* One SQLite connection per calling thread: GThread* -> sqlite3*. */
  GMutex       connections_lock;
  GHashTable  *connections;

  gint         n_inserted;      /* since opening, to refresh query statistics */

  AuscultaCheckpointer *checkpointer;   /* NULL when read-only */
};

G_DEFINE_TYPE (AuscultaArchive, ausculta_archive, G_TYPE_OBJECT)

G_DEFINE_QUARK (ausculta-archive-error-quark, ausculta_archive_error)

static void
close_connection (gpointer data)
{
  sqlite3 *db = data;

  /* Refreshes the planner's statistics where a query found them stale,
   * sampling a few hundred entries per index: unbounded, this reads every
   * index of a million measurements (a minute) when the app closes.
   * Harmless if read-only. */
  sqlite3_exec (db, "PRAGMA analysis_limit = 400; PRAGMA optimize", NULL, NULL, NULL);
  sqlite3_close_v2 (db);
}

/* After a large ingest, refresh the statistics SQLite's planner uses to
 * pick the right index for each filter mix (sampled: a fraction of a
 * second even on a million rows). */
static void
refresh_statistics (AuscultaArchive *self)
{
  GHashTableIter iter;
  gpointer db;

  if (self->read_only || g_atomic_int_get (&self->n_inserted) < 10000)
    return;
  g_hash_table_iter_init (&iter, self->connections);
  if (g_hash_table_iter_next (&iter, NULL, &db))
    sqlite3_exec (db, "PRAGMA analysis_limit = 2000; ANALYZE", NULL, NULL, NULL);
}

void
ausculta_archive_note_inserted (AuscultaArchive *self,
                                guint            n)
{
  g_atomic_int_add (&self->n_inserted, (gint) n);
}

static void
ausculta_archive_finalize (GObject *object)
{
  AuscultaArchive *self = AUSCULTA_ARCHIVE (object);

  refresh_statistics (self);
  ausculta_checkpointer_free (self->checkpointer);
  g_hash_table_unref (self->connections);
  g_mutex_clear (&self->connections_lock);
  g_free (self->path);

  G_OBJECT_CLASS (ausculta_archive_parent_class)->finalize (object);
}

static void
ausculta_archive_class_init (AuscultaArchiveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ausculta_archive_finalize;
}

static void
ausculta_archive_init (AuscultaArchive *self)
{
  g_mutex_init (&self->connections_lock);
  self->connections = g_hash_table_new_full (NULL, NULL, NULL, close_connection);
}

/* Whether a failed write is for want of room: SQLite does not keep the
 * errno of a write that hit the file-size limit (EFBIG), so look at the
 * free space and the limit ourselves. */
static gboolean
out_of_room (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  struct statvfs fs;
  struct rlimit limit;
  GStatBuf st;

  if (statvfs (folder, &fs) == 0 && (guint64) fs.f_bavail * fs.f_frsize < 1024 * 1024)
    return TRUE;
  if (getrlimit (RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return FALSE;
  return (g_stat (path, &st) == 0 && (rlim_t) st.st_size + 65536 >= limit.rlim_cur)
         || (g_stat (wal, &st) == 0 && (rlim_t) st.st_size + 65536 >= limit.rlim_cur);
}

static AuscultaArchiveError
error_code_for (AuscultaArchive *self,
                sqlite3         *db,
                int              rc)
{
  int sys_errno = db != NULL ? sqlite3_system_errno (db) : 0;

  switch (rc & 0xFF)
    {
    case SQLITE_FULL:
      return AUSCULTA_ARCHIVE_ERROR_DISK_FULL;
    case SQLITE_IOERR:
      return sys_errno == ENOSPC || sys_errno == EFBIG || sys_errno == EDQUOT
             || out_of_room (self->path)
             ? AUSCULTA_ARCHIVE_ERROR_DISK_FULL : AUSCULTA_ARCHIVE_ERROR_FAILED;
    case SQLITE_READONLY:
      return AUSCULTA_ARCHIVE_ERROR_READ_ONLY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return AUSCULTA_ARCHIVE_ERROR_BUSY;
    case SQLITE_CORRUPT:
      return AUSCULTA_ARCHIVE_ERROR_CORRUPT;
    case SQLITE_NOTADB:
      return AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return AUSCULTA_ARCHIVE_ERROR_OPEN;
    case SQLITE_CONSTRAINT:
      return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
             ? AUSCULTA_ARCHIVE_ERROR_EXISTS : AUSCULTA_ARCHIVE_ERROR_INVALID;
    default:
      return AUSCULTA_ARCHIVE_ERROR_FAILED;
    }
}

/* Sets @error from a failed SQLite call, naming the archive and what was
 * being done, in words a user can act on. Always returns FALSE. */
gboolean
ausculta_archive_fail (AuscultaArchive *self,
                       sqlite3         *db,
                       int              rc,
                       GError         **error,
                       const char      *what)
{
  AuscultaArchiveError code = error_code_for (self, db, rc);
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  const char *hint = "";

  if (code == AUSCULTA_ARCHIVE_ERROR_DISK_FULL)
    hint = " (disk full: free some space; nothing was written)";
  else if (code == AUSCULTA_ARCHIVE_ERROR_READ_ONLY)
    hint = " (the archive is read-only: check the file's permissions or the mount)";
  else if (code == AUSCULTA_ARCHIVE_ERROR_BUSY)
    hint = " (another program holds the archive locked)";
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, code, "%s: %s: %s%s",
               self->path, what, detail, hint);
  return FALSE;
}

sqlite3_stmt *
ausculta_archive_prepare (AuscultaArchive *self,
                          sqlite3         *db,
                          const char      *sql,
                          GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      ausculta_archive_fail (self, db, rc, error, "preparing a query");
      return NULL;
    }
  return stmt;
}

gboolean
ausculta_archive_exec (AuscultaArchive *self,
                       sqlite3         *db,
                       const char      *sql,
                       GError         **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return ausculta_archive_fail (self, db, rc, error, "writing");
  return TRUE;
}

/* IMMEDIATE: take the write lock now, so a transaction never fails half
 * way because another connection wrote first. */
gboolean
ausculta_archive_begin (AuscultaArchive *self,
                        sqlite3         *db,
                        GError         **error)
{
  if (self->read_only)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_READ_ONLY,
                   "%s: the archive is open read-only; nothing can be written", self->path);
      return FALSE;
    }
  return ausculta_archive_exec (self, db, "BEGIN IMMEDIATE", error);
}

gboolean
ausculta_archive_commit (AuscultaArchive *self,
                         sqlite3         *db,
                         GError         **error)
{
  if (!ausculta_archive_exec (self, db, "COMMIT", error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
ausculta_archive_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

gint64
ausculta_archive_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

gint64
ausculta_archive_now_usec (void)
{
  return g_get_real_time ();
}

GDateTime *
ausculta_archive_datetime (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

GDateTime *
ausculta_archive_column_datetime (sqlite3_stmt *stmt,
                                  int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return ausculta_archive_datetime (sqlite3_column_int64 (stmt, column));
}

char *
ausculta_archive_column_text (sqlite3_stmt *stmt,
                              int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
set_not_an_archive (AuscultaArchive *self,
                    GError         **error)
{
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE,
               "%s is not an Ausculta archive (not an SQLite database); "
               "give the path of an archive or of a new file", self->path);
}

static sqlite3 *
open_connection (AuscultaArchive *self,
                 gboolean         create,
                 GError         **error)
{
  sqlite3 *db = NULL;
  int flags = self->read_only ? SQLITE_OPEN_READONLY
              : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2 (self->path, &db, flags, NULL);

  if (rc != SQLITE_OK)
    {
      ausculta_archive_fail (self, db, rc, error, "cannot open the archive");
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);
  /* FULL: a committed inspection survives a power cut, not only a crash
   * (one fsync of the log per transaction, whatever its size). 64 MB of
   * cache per connection: an index of serials on a million measurements
   * is read at random by inserts. */
  rc = sqlite3_exec (db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
                     " PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 4000;",
                     NULL, NULL, NULL);
  if ((rc & 0xFF) == SQLITE_NOTADB)
    set_not_an_archive (self, error);
  else if (rc != SQLITE_OK)
    ausculta_archive_fail (self, db, rc, error, "cannot configure the connection");
  if (rc != SQLITE_OK)
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (self->checkpointer != NULL)
    ausculta_checkpointer_watch (self->checkpointer, db);
  return db;
}

/**
 * ausculta_archive_db:
 *
 * Returns: (transfer none): the calling thread's connection, opened on its
 *   first call and kept until the archive is finalized.
 */
sqlite3 *
ausculta_archive_db (AuscultaArchive *self,
                     GError         **error)
{
  GThread *thread = g_thread_self ();
  sqlite3 *db;

  g_mutex_lock (&self->connections_lock);
  db = g_hash_table_lookup (self->connections, thread);
  g_mutex_unlock (&self->connections_lock);
  if (db != NULL)
    return db;

  db = open_connection (self, FALSE, error);
  if (db == NULL)
    return NULL;
  g_mutex_lock (&self->connections_lock);
  g_hash_table_insert (self->connections, thread, db);
  g_mutex_unlock (&self->connections_lock);
  return db;
}

static gboolean
read_pragma_int (AuscultaArchive *self,
                 sqlite3         *db,
                 const char      *sql,
                 int             *value,
                 GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if ((rc & 0xFF) == SQLITE_NOTADB)
    {
      set_not_an_archive (self, error);
      return FALSE;
    }
  return ausculta_archive_fail (self, db, rc, error, "cannot read the archive header");
}

/* Refuses a file that is not ours, or that a newer Ausculta wrote. */
static gboolean
check_identity (AuscultaArchive *self,
                sqlite3         *db,
                int             *version,
                GError         **error)
{
  int application_id = 0, n_tables = 0;

  if (!read_pragma_int (self, db, "PRAGMA application_id", &application_id, error)
      || !read_pragma_int (self, db, "PRAGMA user_version", version, error)
      || !read_pragma_int (self, db, "SELECT count(*) FROM sqlite_schema", &n_tables, error))
    return FALSE;

  if (application_id != AUSCULTA_ARCHIVE_APPLICATION_ID && (n_tables > 0 || *version != 0))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE,
                   "%s is an SQLite database of another program, not an Ausculta archive",
                   self->path);
      return FALSE;
    }
  if (*version > AUSCULTA_ARCHIVE_SCHEMA_VERSION)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_TOO_NEW,
                   "%s was written by a newer Ausculta (archive version %d, this program "
                   "knows up to %d); update Ausculta to open it", self->path, *version,
                   AUSCULTA_ARCHIVE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (AuscultaArchive               *self,
         sqlite3                       *db,
         const AuscultaArchiveObserver *observer,
         GError                       **error)
{
  g_autofree char *sql = NULL;
  char *sql_error = NULL;
  int version = 0;

  if (!ausculta_archive_begin (self, db, error))
    return FALSE;
  /* Read again under the write lock: another process may have migrated. */
  if (!check_identity (self, db, &version, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  if (version < AUSCULTA_ARCHIVE_SCHEMA_VERSION
      && !ausculta_archive_schema_migrate_observed (db, version, AUSCULTA_ARCHIVE_SCHEMA_VERSION,
                                                    observer, &sql_error))
    {
      if (observer != NULL && g_cancellable_is_cancelled (observer->cancellable))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                     "%s: the upgrade of the archive from version %d to %d was cancelled; "
                     "nothing was changed", self->path, version, AUSCULTA_ARCHIVE_SCHEMA_VERSION);
      else
        g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_FAILED,
                     "%s: cannot upgrade the archive from version %d to %d: %s; "
                     "nothing was changed", self->path, version,
                     AUSCULTA_ARCHIVE_SCHEMA_VERSION, sql_error);
      sqlite3_free (sql_error);
      ausculta_archive_rollback (db);
      return FALSE;
    }
  sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                         AUSCULTA_ARCHIVE_APPLICATION_ID, AUSCULTA_ARCHIVE_SCHEMA_VERSION);
  if (!ausculta_archive_exec (self, db, sql, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  if (!ausculta_archive_commit (self, db, error))
    return FALSE;
  if (observer != NULL && observer->progress != NULL)
    {
      guint total = ausculta_archive_schema_count_steps (version, AUSCULTA_ARCHIVE_SCHEMA_VERSION);

      observer->progress (total, total, observer->user_data);
    }
  return TRUE;
}

/* From now on a thread of its own checkpoints after the commits of every
 * connection (@db, the first, and those opened later). Without a second
 * connection SQLite's checkpoints after commits stay on. */
static void
start_checkpoints (AuscultaArchive *self,
                   sqlite3         *db)
{
  sqlite3 *own = open_connection (self, FALSE, NULL);

  if (own == NULL)
    return;
  self->checkpointer = ausculta_checkpointer_new (own);
  ausculta_checkpointer_watch (self->checkpointer, db);
}

static gboolean
prepare_file (AuscultaArchive               *self,
              const AuscultaArchiveObserver *observer,
              GError                       **error)
{
  g_autofree char *folder = g_path_get_dirname (self->path);
  sqlite3 *db;
  int version = 0;

  if (!self->read_only && g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_OPEN,
                   "%s: cannot create the folder %s: %s", self->path, folder,
                   g_strerror (saved_errno));
      return FALSE;
    }
  db = open_connection (self, !self->read_only, error);
  if (db == NULL)
    return FALSE;
  g_hash_table_insert (self->connections, g_thread_self (), db);

  if (!check_identity (self, db, &version, error))
    return FALSE;
  if (self->read_only)
    {
      self->schema_version = version;
      if (version == 0)
        {
          g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE,
                       "%s is empty, not an Ausculta archive", self->path);
          return FALSE;
        }
      return TRUE;
    }
  if (!ausculta_archive_exec (self, db, "PRAGMA journal_mode = WAL", error))
    return FALSE;
  if (version < AUSCULTA_ARCHIVE_SCHEMA_VERSION && !migrate (self, db, observer, error))
    return FALSE;
  self->schema_version = AUSCULTA_ARCHIVE_SCHEMA_VERSION;
  start_checkpoints (self, db);
  return TRUE;
}

static AuscultaArchive *
archive_open (const char                    *path,
              gboolean                       read_only,
              const AuscultaArchiveObserver *observer,
              GError                       **error)
{
  g_autoptr(AuscultaArchive) self = g_object_new (AUSCULTA_TYPE_ARCHIVE, NULL);

  self->path = g_strdup (path);
  self->read_only = read_only;
  if (!prepare_file (self, observer, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * ausculta_archive_open:
 * @path: the archive file; created (with its folder) when missing
 *
 * Opens an archive for reading and writing, migrating an older schema.
 *
 * Returns: (transfer full): the archive, or %NULL with @error set
 *   (NOT_ARCHIVE, TOO_NEW, OPEN, READ_ONLY, DISK_FULL, ...).
 */
AuscultaArchive *
ausculta_archive_open (const char *path,
                       GError    **error)
{
  return ausculta_archive_open_observed (path, NULL, error);
}

AuscultaArchive *
ausculta_archive_open_observed (const char                    *path,
                                const AuscultaArchiveObserver *observer,
                                GError                       **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return archive_open (path, FALSE, observer, error);
}

AuscultaArchive *
ausculta_archive_open_default (GError **error)
{
  g_autofree char *path = ausculta_default_archive_path ();

  return ausculta_archive_open (path, error);
}

/**
 * ausculta_archive_open_read_only:
 *
 * Opens an existing archive for queries only; every write fails with
 * AUSCULTA_ARCHIVE_ERROR_READ_ONLY. Never migrates.
 */
AuscultaArchive *
ausculta_archive_open_read_only (const char *path,
                                 GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_OPEN,
                   "%s: no such archive", path);
      return NULL;
    }
  return archive_open (path, TRUE, NULL, error);
}

const char *
ausculta_archive_get_path (AuscultaArchive *self)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);
  return self->path;
}

int
ausculta_archive_get_schema_version (AuscultaArchive *self)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), 0);
  return self->schema_version;
}

int
ausculta_archive_get_latest_schema_version (void)
{
  return AUSCULTA_ARCHIVE_SCHEMA_VERSION;
}
