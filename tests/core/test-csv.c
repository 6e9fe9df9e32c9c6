/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ausculta-csv.h"
#include "ausculta-feature-layout.h"
#include "ausculta-measurement.h"
#include "../ausculta-test-shared.h"

/* The real exports of the original bench (../shared/data/seed). */
static char *
seed_path (const char *name)
{
  const char *shared = g_getenv ("AUSCULTA_SHARED_DATA");

  g_assert_nonnull (shared);
  return g_build_filename (shared, "seed", name, NULL);
}

static int
feature (const char *name)
{
  int position = ausculta_feature_layout_historical_find (name);

  g_assert_cmpint (position, >=, 0);
  return position;
}

static void
test_layout (void)
{
  const char * const *names = ausculta_feature_layout_historical ();

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 432);
  g_assert_cmpstr (names[0], ==, "V1_AC_down");
  g_assert_cmpstr (names[1], ==, "V1_vib_down");
  g_assert_cmpstr (names[150], ==, "G1_AC_down");
  g_assert_cmpstr (names[207], ==, "G29vib_down");
  g_assert_cmpstr (names[423], ==, "G29vib_up");
  g_assert_cmpstr (names[431], ==, "G33_vib_up");
  g_assert_cmpint (ausculta_feature_layout_historical_find ("G29_vib_down"), ==, -1);
  g_assert_cmpint (ausculta_feature_layout_historical_find ("G29_AC_down"), ==, 206);
}

static void
test_motor_group (void)
{
  const struct { const char *index, *motor; } cases[] = {
    { "1Balourd_27A", "Balourd_27A" },
    { "3Balourd_27A", "Balourd_27A" },
    { "2Chocs sur vis SH_13B", "Chocs sur vis SH_13B" },
    { "123_34207", "123_34207" },
    { "1_vis_SIH_fab403165G210630164550115", "1_vis_SIH_fab403165G210630164550115" },
    { "10A_collecteur", "10A_collecteur" },
    { "4A_collecteur", "4A_collecteur" },
    { "1", "1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *motor = ausculta_feature_layout_motor_group (cases[i].index);

      g_assert_cmpstr (motor, ==, cases[i].motor);
    }
}

static void
test_ng_file (void)
{
  g_autofree char *path = seed_path ("DATASET_NG_dev.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, &error);
  const AuscultaCsvRow *row;
  guint rows = 0, classes[8] = { 0 };

  g_assert_no_error (error);
  g_assert_true (ausculta_csv_reader_is_historical (reader));
  g_assert_cmpint (ausculta_csv_reader_get_labels (reader), ==, AUSCULTA_CSV_LABELS_DEFECT_CLASS);
  g_assert_cmpuint (ausculta_csv_reader_get_n_features (reader), ==, 432);
  g_assert_cmpstr (ausculta_csv_reader_get_feature_names (reader)[207], ==, "G29vib_down");

  while ((row = ausculta_csv_reader_next (reader, &error)) != NULL)
    {
      int defect_class = ausculta_csv_row_get_defect_class (reader, row);

      if (rows == 0)
        {
          /* 1;1A_collecteur;18,059;1,7549;... with decimal commas */
          g_assert_cmpstr (row->index, ==, "1A_collecteur");
          g_assert_cmpuint (row->line, ==, 2);
          g_assert_cmpfloat (row->features[feature ("V1_AC_down")], ==, 18.059);
          g_assert_cmpfloat (row->features[feature ("V1_vib_down")], ==, 1.7549);
          g_assert_cmpfloat (row->features[feature ("G29vib_down")], ==, 0.67031);
          g_assert_cmpfloat (row->features[feature ("G29vib_up")], ==, 0.34394);
        }
      g_assert_cmpint (defect_class, >=, 1);
      g_assert_cmpint (defect_class, <=, 7);
      g_assert_false (ausculta_csv_row_is_ok (reader, row));
      classes[defect_class]++;
      rows++;
      if (rows == 352)
        {
          g_assert_cmpstr (row->index, ==, "33_fleche_rc403165G210630170940215");
          g_assert_cmpfloat (row->features[feature ("G33_vib_up")], ==, 0.27381);
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 352);
  g_assert_cmpuint (classes[1], ==, 80);
  g_assert_cmpuint (classes[2], ==, 90);
  g_assert_cmpuint (classes[3], ==, 13);
  g_assert_cmpuint (classes[4], ==, 75);
  g_assert_cmpuint (classes[5], ==, 26);
  g_assert_cmpuint (classes[6], ==, 33);
  g_assert_cmpuint (classes[7], ==, 35);
}

static void
test_validation_file (void)
{
  g_autofree char *path = seed_path ("DATASET_VALIDATION_dev.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, &error);
  const AuscultaCsvRow *row, *last = NULL;
  guint rows = 0, ok = 0;

  g_assert_no_error (error);
  g_assert_cmpint (ausculta_csv_reader_get_labels (reader), ==, AUSCULTA_CSV_LABELS_PASS_FAIL);
  while ((row = ausculta_csv_reader_next (reader, &error)) != NULL)
    {
      if (rows == 0)
        {
          g_assert_cmpstr (row->index, ==, "2Chocs sur vis SH_13B");
          g_assert_cmpfloat (row->target, ==, 1.0);
          g_assert_cmpfloat (row->features[feature ("V1_AC_down")], ==, 33.745);
          g_assert_cmpfloat (row->features[feature ("G29vib_down")], ==, 1.0818);
          g_assert_cmpfloat (row->features[feature ("G29vib_up")], ==, 1.3672);
          g_assert_cmpint (ausculta_csv_row_get_defect_class (reader, row), ==, -1);
        }
      ok += ausculta_csv_row_is_ok (reader, row);
      rows++;
      last = row;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 650);
  g_assert_cmpuint (ok, ==, 298);
  g_assert_nonnull (last);
  g_assert_cmpstr (last->index, ==, "123_15438");
  g_assert_cmpfloat (last->features[feature ("G29_AC_up")], ==, 24.355);
}

/* Bad files are built from the real validation export, changed in one
 * place, so each test proves the reader names that place. */
typedef struct {
  char  *dir;
  char **lines;    /* header and first rows of the real file */
} BadFixture;

static void
bad_setup (BadFixture   *fixture,
           gconstpointer data)
{
  g_autofree char *path = seed_path ("DATASET_VALIDATION_dev.csv");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  fixture->lines = g_strsplit (contents, "\n", 6);
  g_free (fixture->lines[5]);
  fixture->lines[5] = NULL;
  fixture->dir = g_dir_make_tmp ("ausculta-csv-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
bad_teardown (BadFixture   *fixture,
              gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_strfreev (fixture->lines);
}

static char *
write_file (BadFixture *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  return path;
}

static char *
write_lines (BadFixture *fixture,
             const char *name)
{
  g_autofree char *joined = g_strjoinv ("\n", fixture->lines);

  return write_file (fixture, name, joined, -1);
}

/* Reads the whole file; returns the error message (or NULL) and the rows read. */
static char *
read_all (const char *path,
          guint      *rows_out,
          int        *code_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, &error);
  guint rows = 0;

  if (reader != NULL)
    while (ausculta_csv_reader_next (reader, &error) != NULL)
      rows++;
  if (rows_out)
    *rows_out = rows;
  if (error == NULL)
    return NULL;
  g_assert_true (error->domain == AUSCULTA_CSV_ERROR);
  g_assert_null (strchr (error->message, '\n'));
  if (code_out)
    *code_out = error->code;
  return g_strdup (error->message);
}

static void
replace_cell (BadFixture *fixture,
              guint       line,
              guint       column,
              const char *value)
{
  g_auto(GStrv) cells = g_strsplit (fixture->lines[line - 1], ",", -1);

  g_free (cells[column - 1]);
  cells[column - 1] = g_strdup (value);
  g_free (fixture->lines[line - 1]);
  fixture->lines[line - 1] = g_strjoinv (",", cells);
}

static void
remove_cell (BadFixture *fixture,
             guint       line,
             guint       column)
{
  g_auto(GStrv) cells = g_strsplit (fixture->lines[line - 1], ",", -1);
  guint n = g_strv_length (cells);

  g_free (cells[column - 1]);
  memmove (cells + column - 1, cells + column, (n - column + 1) * sizeof (char *));
  g_free (fixture->lines[line - 1]);
  fixture->lines[line - 1] = g_strjoinv (",", cells);
}

static void
assert_message (const char *message,
                const char *name,
                const char *expected)
{
  g_test_message ("%s", message);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, name));
  g_assert_nonnull (strstr (message, expected));
}

static void
test_bad_column_count (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL, *expected = NULL;
  guint rows;
  int code;

  remove_cell (fixture, 3, 100);
  path = write_lines (fixture, "short-row.csv");
  message = read_all (path, &rows, &code);
  expected = g_strdup_printf ("%s/short-row.csv:3: 433 columns; expected 434", fixture->dir);
  assert_message (message, path, expected);
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_COLUMN_COUNT);
  g_assert_cmpuint (rows, ==, 1);
}

static void
test_bad_number (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  replace_cell (fixture, 4, 9, "12.3.4");
  path = write_lines (fixture, "bad-number.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":4: column 9 (V4_AC_down): \"12.3.4\" is not a number");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_NUMBER);
}

static void
test_bad_infinite (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;

  replace_cell (fixture, 2, 3, "inf");
  path = write_lines (fixture, "infinite.csv");
  message = read_all (path, NULL, NULL);
  assert_message (message, path, ":2: column 3 (V1_AC_down): \"inf\" is not a number");
}

static void
test_missing_cell_is_nan (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = NULL;
  const AuscultaCsvRow *row;

  replace_cell (fixture, 2, 3, "");
  path = write_lines (fixture, "missing.csv");
  reader = ausculta_csv_reader_open (path, &error);
  g_assert_no_error (error);
  row = ausculta_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (row->features[feature ("V1_AC_down")]));
  g_assert_cmpfloat (row->features[feature ("V1_vib_down")], ==, 3.8235);
  g_assert_cmpuint (row->n_missing, ==, 1);
}

static void
test_bad_label (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  replace_cell (fixture, 5, 2, "2.0");
  path = write_lines (fixture, "bad-label.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":5: column 2 (target): 2 is not a label; expected 0 (OK) or 1 (NG)");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_LABEL);
}

static void
test_duplicate_column (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  replace_cell (fixture, 1, 5, "V1_AC_down");
  path = write_lines (fixture, "duplicate.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":1: column 5 (V1_AC_down): duplicate of column 3");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_DUPLICATE_COLUMN);
}

static void
test_missing_column (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  /* G29vib_up is column 426: drop it everywhere */
  for (guint line = 1; line <= 5; line++)
    remove_cell (fixture, line, 426);
  path = write_lines (fixture, "missing-column.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":1: missing column G29vib_up; expected all 432");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_MISSING_COLUMN);
}

static void
test_modern_spelling_refused (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  replace_cell (fixture, 1, 426, "G29_vib_up");
  path = write_lines (fixture, "respelled.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":1: column 426 (G29_vib_up): unknown column");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_UNKNOWN_COLUMN);
}

static void
test_missing_index (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;

  for (guint line = 1; line <= 5; line++)
    remove_cell (fixture, line, 1);
  path = write_lines (fixture, "no-index.csv");
  message = read_all (path, NULL, NULL);
  assert_message (message, path, ":1: missing column index; expected a column naming each measurement");
}

static void
test_empty_file (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "empty.csv", "", 0);
  g_autofree char *message = NULL;
  int code;

  message = read_all (path, NULL, &code);
  assert_message (message, path, ": the file is empty; expected a header line");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_EMPTY);
}

static void
test_utf16 (BadFixture *fixture, gconstpointer data)
{
  static const char utf16[] = "\xFF\xFEi\0n\0d\0e\0x\0,\0t\0\n\0";
  g_autofree char *path = write_file (fixture, "utf16.csv", utf16, sizeof utf16 - 1);
  g_autofree char *message = NULL;
  int code;

  message = read_all (path, NULL, &code);
  assert_message (message, path, ":1: the file is UTF-16 (little-endian byte order mark); expected UTF-8");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_ENCODING);
}

static void
test_latin1 (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  int code;

  replace_cell (fixture, 3, 1, "1Fil d\xE9tendu_28A");
  path = write_lines (fixture, "latin1.csv");
  message = read_all (path, NULL, &code);
  assert_message (message, path, ":3: column 1, byte 7 is not valid UTF-8");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_ENCODING);
}

static void
test_binary_junk (BadFixture *fixture, gconstpointer data)
{
  guint8 junk[4096];
  g_autofree char *path = NULL, *message = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  int code;

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = g_rand_int_range (rand, 0, 256);
  junk[10] = 0;
  path = write_file (fixture, "junk.bin", (const char *) junk, sizeof junk);
  message = read_all (path, NULL, &code);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_true (code == AUSCULTA_CSV_ERROR_BINARY || code == AUSCULTA_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (message, "junk.bin:1: byte"));
}

/* A 2 GiB file (sparse, so the test costs no disk): a valid header, then
 * zeros. The reader must stop at the first oversized line, not read it all. */
static void
test_two_gigabytes (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL, *message = NULL;
  g_autofree char *header = g_strconcat (fixture->lines[0], "\n", NULL);
  gint64 start = g_get_monotonic_time ();
  FILE *file;
  int code;

  path = write_file (fixture, "huge.csv", header, -1);
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (ftruncate (fileno (file), G_GINT64_CONSTANT (2) << 30), ==, 0);
  fclose (file);

  message = read_all (path, NULL, &code);
  assert_message (message, path, ":2: line longer than 4 MiB");
  g_assert_cmpint (code, ==, AUSCULTA_CSV_ERROR_LINE_TOO_LONG);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static gsize
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + 6, NULL, 10);
}

/* Streaming: 20,000 rows (about 90 MB) are read with the memory of a few rows. */
static void
test_streams (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "long.csv", NULL);
  FILE *file = fopen (path, "wb");
  gsize before;
  guint rows;
  g_autofree char *message = NULL;

  g_assert_nonnull (file);
  fprintf (file, "%s\n", fixture->lines[0]);
  for (guint i = 0; i < 20000; i++)
    fprintf (file, "%s\n", fixture->lines[1 + i % 4]);
  fclose (file);

  before = peak_rss_kib ();
  message = read_all (path, &rows, NULL);
  g_assert_null (message);
  g_assert_cmpuint (rows, ==, 20000);
  g_assert_cmpuint (peak_rss_kib () - before, <, 8 * 1024);
}

static void
test_other_layout (BadFixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "thirds.csv",
                                      "index,target,L_100Hz_AC_up,\"L_125Hz_AC_up\"\r\n"
                                      "\"motor, first\",0,40.5,41\r\n"
                                      "\r\n"
                                      "motor 2,1,,39.25\r\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open (path, &error);
  const AuscultaCsvRow *row;

  g_assert_no_error (error);
  g_assert_false (ausculta_csv_reader_is_historical (reader));
  g_assert_cmpuint (ausculta_csv_reader_get_n_features (reader), ==, 2);
  g_assert_cmpstr (ausculta_csv_reader_get_feature_names (reader)[1], ==, "L_125Hz_AC_up");
  row = ausculta_csv_reader_next (reader, &error);
  g_assert_cmpstr (row->index, ==, "motor, first");
  g_assert_cmpfloat (row->features[1], ==, 41.0);
  row = ausculta_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_true (isnan (row->features[0]));
  g_assert_cmpfloat (row->target, ==, 1.0);
  g_assert_null (ausculta_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

/* The trailing health column `ausculta-cli features` writes is read into
 * flags; a word that is no flag is refused with its line and column. */
static void
test_health_column (BadFixture *fixture, gconstpointer data)
{
  static const char * const cells[] = { "", "up/AC:clipping+dc-offset down/vib:dead-channel",
                                        "up/AC:loud" };
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_auto(GStrv) header = g_strsplit (fixture->lines[0], ",", -1);
  guint n_columns = g_strv_length (header);
  const AuscultaCsvRow *row;

  for (guint i = 0; i <= G_N_ELEMENTS (cells); i++)
    {
      char *line = g_strdup_printf ("%s,%s", g_strchomp (fixture->lines[i]),
                                    i == 0 ? "health" : cells[i - 1]);
      g_free (fixture->lines[i]);
      fixture->lines[i] = line;
    }
  path = write_lines (fixture, "health.csv");
  reader = ausculta_csv_reader_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ausculta_csv_reader_get_n_features (reader), ==, 432);
  row = ausculta_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (row->health, ==, 0);
  row = ausculta_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (row->health, ==, AUSCULTA_HEALTH_CLIPPING | AUSCULTA_HEALTH_DC_OFFSET
                                     | AUSCULTA_HEALTH_DEAD_CHANNEL);
  g_assert_null (ausculta_csv_reader_next (reader, &error));
  g_assert_error (error, AUSCULTA_CSV_ERROR, AUSCULTA_CSV_ERROR_HEALTH);
  message = g_strdup_printf ("%s:4: column %u (health): “loud” is not a health flag", path,
                             n_columns + 1);
  g_assert_true (g_str_has_prefix (error->message, message));
}

/* Numbers are read exactly as strtod reads them, decimal comma or point. */
static void
test_numbers_exact (BadFixture *fixture, gconstpointer data)
{
  g_autoptr(GString) file = g_string_new ("\xEF\xBB\xBFtarget;index;a;b;c\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = NULL;
  g_autofree char *path = NULL;
  const AuscultaCsvRow *row;
  guint i = 0;

  for (guint r = 0; r < 2000; r++)
    {
      g_string_append_printf (file, "1;m%u", r);
      for (guint c = 0; c < 3; c++)
        {
          int precision = g_rand_int_range (rand, 0, 18);
          double value = g_rand_double_range (rand, -1e6, 1e6)
                         * pow (10, g_rand_int_range (rand, -12, 6));
          char text[64];

          if (c == 0)
            g_snprintf (text, sizeof text, "%.*f", precision, value);
          else if (c == 1)
            g_snprintf (text, sizeof text, "%.*e", precision, value);
          else
            g_snprintf (text, sizeof text, "%.*g", precision, value);
          g_ptr_array_add (texts, g_strdup (text));
          for (char *p = text; *p != '\0'; p++)
            if (*p == '.')
              *p = ',';
          g_string_append_printf (file, ";%s", text);
        }
      g_string_append_c (file, '\n');
    }
  path = write_file (fixture, "numbers.csv", file->str, file->len);
  reader = ausculta_csv_reader_open (path, &error);
  g_assert_no_error (error);
  while ((row = ausculta_csv_reader_next (reader, &error)) != NULL)
    for (guint c = 0; c < 3; c++, i++)
      g_assert_cmpfloat (row->features[c], ==, g_ascii_strtod (texts->pdata[i], NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, 6000);
}

static void
test_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaCsvReader) reader = ausculta_csv_reader_open ("/nonexistent/x.csv", &error);

  g_assert_null (reader);
  g_assert_error (error, AUSCULTA_CSV_ERROR, AUSCULTA_CSV_ERROR_OPEN);
  g_assert_cmpstr (error->message, ==, "/nonexistent/x.csv: cannot open: No such file or directory");
}

#define ADD_BAD(path, func) \
  g_test_add ("/ausculta/csv/bad/" path, BadFixture, NULL, bad_setup, func, bad_teardown)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ausculta_test_require_shared_data ();

  g_test_add_func ("/ausculta/csv/layout", test_layout);
  g_test_add_func ("/ausculta/csv/motor-group", test_motor_group);
  g_test_add_func ("/ausculta/csv/ng-file", test_ng_file);
  g_test_add_func ("/ausculta/csv/validation-file", test_validation_file);
  g_test_add_func ("/ausculta/csv/unreadable", test_unreadable);
  ADD_BAD ("column-count", test_bad_column_count);
  ADD_BAD ("number", test_bad_number);
  ADD_BAD ("infinite", test_bad_infinite);
  ADD_BAD ("label", test_bad_label);
  ADD_BAD ("duplicate-column", test_duplicate_column);
  ADD_BAD ("missing-column", test_missing_column);
  ADD_BAD ("respelled-column", test_modern_spelling_refused);
  ADD_BAD ("missing-index", test_missing_index);
  ADD_BAD ("empty", test_empty_file);
  ADD_BAD ("utf16", test_utf16);
  ADD_BAD ("latin1", test_latin1);
  ADD_BAD ("binary", test_binary_junk);
  ADD_BAD ("two-gigabytes", test_two_gigabytes);
  g_test_add ("/ausculta/csv/missing-cell-is-nan", BadFixture, NULL, bad_setup,
              test_missing_cell_is_nan, bad_teardown);
  g_test_add ("/ausculta/csv/numbers-exact", BadFixture, NULL, bad_setup, test_numbers_exact,
              bad_teardown);
  g_test_add ("/ausculta/csv/streams", BadFixture, NULL, bad_setup, test_streams, bad_teardown);
  g_test_add ("/ausculta/csv/health-column", BadFixture, NULL, bad_setup, test_health_column,
              bad_teardown);
  g_test_add ("/ausculta/csv/other-layout", BadFixture, NULL, bad_setup, test_other_layout,
              bad_teardown);
  return g_test_run ();
}
