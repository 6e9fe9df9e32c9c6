/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ml-test-util.h"

double *
ml_test_gaussian (guint   rows,
                  guint   cols,
                  guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *x = g_new (double, (gsize) rows * cols);

  /* Box–Muller from GRand's uniform doubles */
  for (gsize i = 0; i < (gsize) rows * cols; i++)
    {
      double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

      x[i] = sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
    }
  return x;
}

double *
ml_test_integers (guint   rows,
                  guint   cols,
                  int     levels,
                  guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *x = g_new (double, (gsize) rows * cols);

  for (gsize i = 0; i < (gsize) rows * cols; i++)
    x[i] = g_rand_int_range (rand, 0, levels);
  return x;
}

gboolean
ml_test_have_sklearn (void)
{
  const char *argv[] = { "/usr/bin/python3", "-c", "import sklearn, numpy", NULL };
  int status = -1;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static char *
write_matrix (const char   *dir,
              const char   *name,
              const double *values,
              guint         rows,
              guint         cols)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint64 header[2] = { GUINT64_TO_LE (rows), GUINT64_TO_LE (cols) };

  g_byte_array_append (bytes, (const guint8 *) header, sizeof header);
  g_byte_array_append (bytes, (const guint8 *) values, (guint) (sizeof (double) * rows * cols));
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
  return path;
}

double *
ml_test_sklearn (const char   *method,
                 const double *train,
                 guint         n_train,
                 guint         train_cols,
                 const double *test,
                 guint         n_test,
                 guint         test_cols,
                 guint         n_out,
                 const char   *params)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ausculta-ml-XXXXXX", &error);
  g_autofree char *train_path = NULL, *test_path = NULL, *script = NULL, *stderr_text = NULL;
  g_autofree char *out_path = NULL, *contents = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) extra = g_strsplit (params != NULL ? params : "", " ", -1);
  gsize length;
  int status;

  if (!ml_test_have_sklearn ())
    {
      g_test_skip ("Debian's python3-sklearn is not installed");
      return NULL;
    }
  g_assert_no_error (error);
  train_path = write_matrix (dir, "train.f64", train, n_train, train_cols);
  test_path = write_matrix (dir, "test.f64", test, n_test, test_cols);
  out_path = g_build_filename (dir, "out.f64", NULL);
  script = g_test_build_filename (G_TEST_DIST, "ml", "sklearn-reference.py", NULL);
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup (method));
  g_ptr_array_add (argv, g_strdup (train_path));
  g_ptr_array_add (argv, g_strdup (test_path));
  g_ptr_array_add (argv, g_strdup (out_path));
  for (guint i = 0; extra[i] != NULL; i++)
    if (*extra[i] != '\0')
      g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &stderr_text, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sklearn-reference.py %s failed: %s", method, stderr_text);
  g_assert_true (g_file_get_contents (out_path, &contents, &length, &error));
  g_assert_cmpuint (length, ==, sizeof (double) * n_out);
  g_unlink (train_path);
  g_unlink (test_path);
  g_unlink (out_path);
  g_rmdir (dir);
  return g_memdup2 (contents, length);
}

void
ml_test_assert_close (const double *ours,
                      const double *reference,
                      guint         n,
                      double        rel_tol,
                      const char   *what)
{
  double worst = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double rel = fabs (ours[i] - reference[i]) / MAX (fabs (reference[i]), 1e-300);

      if (!(rel <= rel_tol))
        g_error ("%s: row %u: ours %.17g, scikit-learn %.17g (relative difference %.3g > %.3g)",
                 what, i, ours[i], reference[i], rel, rel_tol);
      worst = MAX (worst, rel);
    }
  g_test_message ("%s: %u values, largest relative difference %.3g", what, n, worst);
}
