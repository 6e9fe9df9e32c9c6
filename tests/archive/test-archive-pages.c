/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-archive-pages"

#include "config.h"

#include <string.h>

#include "archive-test-util.h"

/* Every mix of filters is read from its own index (the archive chooses
 * it): each must give exactly the rows a plain reading of the filter
 * gives, newest first. */

#define N_MEASUREMENTS 90

typedef struct {
  char            serial[16];
  const char     *station;
  const char     *model;
  AuscultaVerdict verdict;
  int             label;       /* AUSCULTA_LABEL_FILTER_UNLABELLED when none */
  int             day;
} Known;

static Known known[N_MEASUREMENTS];

static const char * const stations[] = { "st-a", "st-b", "st-c" };

/* Serials M0000..M0089 but shuffled against time; models change on day 2
 * (a model serves for a while); one in 7 is labelled, as OK or a class. */
static AuscultaArchive *
open_known (void)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ausculta_measurement_unref);
  g_autoptr(GError) error = NULL;
  AuscultaArchive *archive = archive_test_open_new ("pages.sqlite", NULL);

  archive_test_add_users (archive);
  for (int i = 0; i < N_MEASUREMENTS; i++)
    {
      Known *k = &known[i];
      AuscultaMeasurement *m;

      g_snprintf (k->serial, sizeof k->serial, "M%02d%02d", (i * 37) % 90, i % 7);
      k->station = stations[i % 3];
      k->verdict = (AuscultaVerdict) (1 + (i / 2) % 3);
      k->day = i / 30;
      k->model = k->day < 2 ? "lof-1" : "lof-2";
      k->label = i % 7 ? AUSCULTA_LABEL_FILTER_UNLABELLED : (i / 7) % 4;
      m = archive_test_measurement (k->serial, k->station, "alice", k->day, i, k->verdict, 0);
      g_free (m->model_version);
      m->model_version = g_strdup (k->model);
      g_ptr_array_add (batch, m);
    }
  ausculta_archive_insert_measurements (archive, (AuscultaMeasurement **) batch->pdata,
                                        batch->len, &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_MEASUREMENTS; i++)
    if (known[i].label != AUSCULTA_LABEL_FILTER_UNLABELLED)
      {
        AuscultaMeasurement *m = batch->pdata[i];

        ausculta_archive_set_label (archive, "eng", m->id, known[i].label, NULL, &error);
        g_assert_no_error (error);
      }
  return archive;
}

static gboolean
matches (const Known                 *k,
         const AuscultaArchiveFilter *f)
{
  if (f->serial_prefix != NULL && !g_str_has_prefix (k->serial, f->serial_prefix))
    return FALSE;
  if (f->from != NULL && k->day < g_date_time_get_day_of_month (f->from) - 1)
    return FALSE;
  if (f->verdict >= 0 && (int) k->verdict != f->verdict)
    return FALSE;
  if (f->station != NULL && strcmp (k->station, f->station) != 0)
    return FALSE;
  if (f->model_version != NULL && strcmp (k->model, f->model_version) != 0)
    return FALSE;
  switch (f->label)
    {
    case AUSCULTA_LABEL_FILTER_ANY:
      return TRUE;
    case AUSCULTA_LABEL_FILTER_UNLABELLED:
      return k->label == AUSCULTA_LABEL_FILTER_UNLABELLED;
    case AUSCULTA_LABEL_FILTER_ANY_NG:
      return k->label >= 1;
    default:
      return k->label == f->label;
    }
}

/* The page of @filter against the known rows, newest first, as serials. */
static guint
assert_page (AuscultaArchive             *archive,
             const AuscultaArchiveFilter *filter,
             const char                  *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ausculta_archive_query_page (archive, filter, 0, 100, &error);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) got = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = N_MEASUREMENTS - 1; i >= 0; i--)
    if (matches (&known[i], filter))
      g_string_append_printf (expected, "%s ", known[i].serial);
  for (guint r = 0; r < rows->len; r++)
    g_string_append_printf (got, "%s ", ((AuscultaArchiveRow *) rows->pdata[r])->serial);
  g_test_message ("%s: %s", what, got->str);
  g_assert_cmpstr (got->str, ==, expected->str);
  return rows->len;
}

static void
test_every_mix (void)
{
  g_autoptr(AuscultaArchive) archive = open_known ();
  g_autoptr(GDateTime) day2 = g_date_time_new_utc (2026, 1, 2, 0, 0, 0);
  static const int verdicts[] = { -1, AUSCULTA_VERDICT_NOK };
  static const char * const some_stations[] = { NULL, "st-b" };
  static const char * const models[] = { NULL, "lof-1" };
  static const char * const serials[] = { NULL, "M1", "M4005" };
  static const int labels[] = { AUSCULTA_LABEL_FILTER_ANY, AUSCULTA_LABEL_FILTER_UNLABELLED };
  guint n_mixes = 0, n_with_rows = 0;

  for (guint mix = 0; mix < 2 * 2 * 2 * 3 * 2 * 2; mix++)
    {
      AuscultaArchiveFilter filter;
      guint bits = mix;
      g_autofree char *what = NULL;

      ausculta_archive_filter_init (&filter);
      filter.verdict = verdicts[bits % 2], bits /= 2;
      filter.station = some_stations[bits % 2], bits /= 2;
      filter.model_version = models[bits % 2], bits /= 2;
      filter.serial_prefix = serials[bits % 3], bits /= 3;
      filter.label = labels[bits % 2], bits /= 2;
      filter.from = bits % 2 ? day2 : NULL;
      what = g_strdup_printf ("verdict %d, station %s, model %s, serial %s, label %d, from %s",
                              filter.verdict, filter.station, filter.model_version,
                              filter.serial_prefix, filter.label, filter.from ? "day 2" : "-");
      n_with_rows += assert_page (archive, &filter, what) > 0;
      n_mixes++;
    }
  /* Most mixes find rows (a long serial prefix with other filters may not). */
  g_assert_cmpuint (n_with_rows, >=, n_mixes * 2 / 3);
}

/* The label filters read the label indexes, which hold only labelled
 * measurements: relabelling moves a measurement between them. */
static void
test_label_mixes (void)
{
  g_autoptr(AuscultaArchive) archive = open_known ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  AuscultaArchiveFilter filter;
  int n_ng = 0;

  ausculta_archive_filter_init (&filter);
  for (int label = AUSCULTA_LABEL_OK; label <= 3; label++)
    {
      g_autofree char *what = g_strdup_printf ("label %d", label);

      filter.label = label;
      assert_page (archive, &filter, what);
    }
  filter.label = AUSCULTA_LABEL_FILTER_ANY_NG;
  assert_page (archive, &filter, "any NG");
  filter.station = "st-b";
  assert_page (archive, &filter, "any NG on st-b");

  /* The newest labelled OK becomes class 2: NG now shows it first. */
  filter.station = NULL;
  filter.label = AUSCULTA_LABEL_OK;
  rows = ausculta_archive_query_page (archive, &filter, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  ausculta_archive_set_label (archive, "eng", ((AuscultaArchiveRow *) rows->pdata[0])->id, 2,
                              NULL, &error);
  g_assert_no_error (error);
  for (int i = N_MEASUREMENTS - 1; i >= 0 && n_ng == 0; i--)
    if (known[i].label == AUSCULTA_LABEL_OK)
      known[i].label = 2, n_ng++;
  filter.label = AUSCULTA_LABEL_FILTER_ANY_NG;
  assert_page (archive, &filter, "any NG after relabelling");
  filter.label = AUSCULTA_LABEL_OK;
  assert_page (archive, &filter, "OK after relabelling");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/ausculta/archive/pages/every-mix", test_every_mix);
  g_test_add_func ("/ausculta/archive/pages/label-mixes", test_label_mixes);
  return g_test_run ();
}
