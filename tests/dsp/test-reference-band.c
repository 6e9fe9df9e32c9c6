/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-reference-band"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-reference-band.h"

/* A 5 x 2 matrix: three good units, one NG, one unlabelled. */
static AuscultaFeatureMatrix *
make_matrix (void)
{
  static const double values[] = {
    1.0, 10.0,
    2.0, NAN,
    3.0, 14.0,
    100.0, 100.0,
    -50.0, -50.0,
  };
  static const int labels[] = { AUSCULTA_LABEL_OK, AUSCULTA_LABEL_OK, AUSCULTA_LABEL_OK,
                                AUSCULTA_LABEL_NG, AUSCULTA_LABEL_FILTER_UNLABELLED };
  AuscultaFeatureMatrix *m = g_new0 (AuscultaFeatureMatrix, 1);
  const char *names[] = { "V1_AC_up", "V2_AC_up", NULL };

  m->n_rows = 5;
  m->n_features = 2;
  m->feature_names = g_strdupv ((char **) names);
  m->values = g_memdup2 (values, sizeof values);
  m->labels = g_memdup2 (labels, sizeof labels);
  m->ids = g_new0 (char *, 6);
  m->motor_groups = g_new0 (char *, 6);
  for (int i = 0; i < 5; i++)
    {
      m->ids[i] = g_strdup_printf ("id-%d", i);
      m->motor_groups[i] = g_strdup ("");
    }
  return m;
}

static void
test_mean_sd (void)
{
  g_autoptr(AuscultaFeatureMatrix) m = make_matrix ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaReferenceBand) band = ausculta_reference_band_compute (m, 2.0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (band->n_units, ==, 3);
  /* Only the good rows count; NaN is skipped. */
  g_assert_cmpfloat_with_epsilon (band->mean[0], 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (band->sd[0], 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (band->low[0], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (band->high[0], 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (band->mean[1], 12.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (band->sd[1], sqrt (8.0), 1e-12);
  g_assert_cmpint (ausculta_reference_band_find (band, "V2_AC_up"), ==, 1);
  g_assert_cmpint (ausculta_reference_band_find (band, "G1_AC_up"), ==, -1);
}

static void
test_violations (void)
{
  g_autoptr(AuscultaFeatureMatrix) m = make_matrix ();
  g_autoptr(AuscultaReferenceBand) band = ausculta_reference_band_compute (m, 1.0, NULL);
  const char *names[] = { "V2_AC_up", "V1_AC_up", "unknown" };
  const double inside[] = { 12.0, 2.5, 1e9 };
  const double outside[] = { 20.0, 0.5, NAN };

  g_assert_cmpuint (ausculta_reference_band_count_violations (band, names, inside, 3), ==, 0);
  g_assert_cmpuint (ausculta_reference_band_count_violations (band, names, outside, 3), ==, 2);
}

static void
test_errors (void)
{
  g_autoptr(AuscultaFeatureMatrix) m = make_matrix ();
  g_autoptr(GError) error = NULL;
  AuscultaReferenceBand *band;

  band = ausculta_reference_band_compute (m, -1.0, &error);
  g_assert_null (band);
  g_assert_error (error, AUSCULTA_REFERENCE_BAND_ERROR, AUSCULTA_REFERENCE_BAND_ERROR_INVALID);
  g_clear_error (&error);
  m->labels[1] = AUSCULTA_LABEL_NG;
  m->labels[2] = 3;
  band = ausculta_reference_band_compute (m, 3.0, &error);
  g_assert_null (band);
  g_assert_error (error, AUSCULTA_REFERENCE_BAND_ERROR, AUSCULTA_REFERENCE_BAND_ERROR_TOO_FEW);
  g_assert_nonnull (strstr (error->message, "1 good-labelled"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/reference-band/mean-sd", test_mean_sd);
  g_test_add_func ("/ausculta/reference-band/violations", test_violations);
  g_test_add_func ("/ausculta/reference-band/errors", test_errors);
  return g_test_run ();
}
