/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-faults"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive-test-util.h"
#include "ausculta-archive-private.h"

#define N_KILLS 50

/* In a forked child: inserts measurements (with signals) forever, writing
 * each id to @fd once its transaction has committed. */
static void G_GNUC_NORETURN
insert_forever (const char *path,
                int         fd,
                int         first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = NULL;

  g_random_set_seed ((guint32) getpid () ^ (guint32) g_get_monotonic_time ());
  archive = ausculta_archive_open (path, &error);
  if (archive == NULL)
    _exit (2);
  for (int i = first;; i++)
    {
      g_autofree char *serial = g_strdup_printf ("K-%d", i);
      g_autoptr(AuscultaMeasurement) m = archive_test_measurement (serial, "b", "a", i / 5000,
                                                                  i % 5000,
                                                                  AUSCULTA_VERDICT_OK, 512);
      g_autofree char *line = NULL;

      if (!ausculta_archive_insert_measurement (archive, m, &error))
        _exit (3);
      line = g_strdup_printf ("%s\n", m->id);
      if (write (fd, line, strlen (line)) != (ssize_t) strlen (line))
        _exit (4);
    }
}

/* Reads from @fd until end of file (or, with @one_line, until a whole
 * line has come) into @text. */
static void
read_into (int       fd,
           GString  *text,
           gboolean  one_line)
{
  char buffer[4096];
  ssize_t n;

  while ((!one_line || strchr (text->str, '\n') == NULL)
         && (n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
}

static void
add_ids (const char *text,
         GHashTable *ids)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strlen (lines[i]) == 36)   /* a line cut by the kill is not reported */
      g_hash_table_add (ids, g_strdup (lines[i]));
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Every measurement either whole (row, 4 signals, features, outbox row)
 * or absent. */
static const char half_present_sql[] =
  "SELECT count(*) FROM measurements m WHERE"
  " (SELECT count(*) FROM signals s WHERE s.measurement = m.seq AND s.flac IS NOT NULL) != 4"
  " OR NOT EXISTS (SELECT 1 FROM features f WHERE f.measurement = m.seq)"
  " OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref_id = m.id)";

static void
test_sigkill (void)
{
  g_autofree char *path = archive_test_path ("killed.sqlite");
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer id;

  for (int round = 0; round < N_KILLS; round++)
    {
      int fds[2];
      pid_t pid;
      int status;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          insert_forever (path, fds[1], round * 100000);
        }
      close (fds[1]);
      /* The first rounds kill anywhere, even while the file is created;
       * the others once a commit has come back, at a random moment of
       * the following transactions. */
      if (round >= 5)
        read_into (fds[0], text, TRUE);
      g_usleep ((gulong) g_random_int_range (0, 40000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      read_into (fds[0], text, FALSE);
      close (fds[0]);
      add_ids (text->str, reported);
      g_string_truncate (text, 0);
      if (g_file_test (path, G_FILE_TEST_EXISTS)
          && raw_count (path, "SELECT count(*) FROM sqlite_schema") > 0)
        g_assert_cmpint (raw_count (path, half_present_sql), ==, 0);
    }
  g_test_message ("%d kills, %u measurements reported committed", N_KILLS,
                  g_hash_table_size (reported));
  g_assert_cmpuint (g_hash_table_size (reported), >=, N_KILLS - 5);

  archive = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (ausculta_archive_check (archive, problems, &error));
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autoptr(AuscultaMeasurement) m = ausculta_archive_load_measurement (archive, id, TRUE,
                                                                           &error);

      g_assert_no_error (error);
      g_assert_cmpuint (m->signals->len, ==, 4);
      g_assert_cmpuint (((AuscultaSignal *) m->signals->pdata[3])->n_samples, ==, 512);
    }
}

/* In a forked child whose files may not grow past @limit bytes: inserts
 * until the disk is "full", then reports how many committed and the error. */
static void G_GNUC_NORETURN
fill_disk (const char *path,
           rlim_t      limit,
           int         fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = NULL;
  struct rlimit rl = { limit, limit };
  g_autofree char *report = NULL;
  int committed = 0;

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &rl);
  archive = ausculta_archive_open (path, &error);
  while (error == NULL)
    {
      g_autofree char *serial = g_strdup_printf ("F-%d", committed);
      g_autoptr(AuscultaMeasurement) m = archive_test_measurement (serial, "b", "a", 1, committed,
                                                                  AUSCULTA_VERDICT_OK, 8192);

      if (ausculta_archive_insert_measurement (archive, m, &error))
        committed++;
    }
  report = g_strdup_printf ("%d\n%d\n%s", committed, error->code, error->message);
  if (write (fd, report, strlen (report)) < 0)
    _exit (4);
  _exit (0);
}

static void
test_disk_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AuscultaArchive) archive = archive_test_open_new ("full.sqlite", &path);
  g_autoptr(AuscultaMeasurement) after = archive_test_measurement ("AFTER", "b", "a", 2, 0,
                                                                  AUSCULTA_VERDICT_OK, 64);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  char report[1024] = { 0 };
  guint64 count = 0;
  int fds[2], status;
  GStatBuf st;
  pid_t pid;

  for (int i = 0; i < 10; i++)
    {
      g_autofree char *serial = g_strdup_printf ("B-%d", i);
      g_autoptr(AuscultaMeasurement) m = archive_test_measurement (serial, "b", "a", 0, i,
                                                                  AUSCULTA_VERDICT_OK, 64);

      ausculta_archive_insert_measurement (archive, m, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&archive);
  g_assert_cmpint (g_stat (path, &st), ==, 0);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  if (pid == 0)
    fill_disk (path, (rlim_t) st.st_size + 300 * 1024, fds[1]);
  close (fds[1]);
  g_assert_cmpint (read (fds[0], report, sizeof report - 1), >, 0);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  lines = g_strsplit (report, "\n", 3);
  g_test_message ("after %s inserts: %s", lines[0], lines[2]);
  g_assert_cmpint (atoi (lines[1]), ==, AUSCULTA_ARCHIVE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (lines[2], "disk full"));
  g_assert_cmpint (atoi (lines[0]), >, 0);

  /* Nothing lost, nothing half written, and it works again with space. */
  archive = ausculta_archive_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (ausculta_archive_check (archive, problems, &error));
  ausculta_archive_count (archive, NULL, &count, &error);
  g_assert_cmpuint (count, ==, 10 + (guint64) atoi (lines[0]));
  g_assert_cmpint (raw_count (path, half_present_sql), ==, 0);
  ausculta_archive_insert_measurement (archive, after, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ausculta/archive/faults/sigkill", test_sigkill);
  g_test_add_func ("/ausculta/archive/faults/disk-full", test_disk_full);
  return g_test_run ();
}
