/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ausculta-comedi-source.h"
#include "ausculta-source-spec.h"

/* No DAQ board here: the API paths that need none. */

static void
test_missing_board (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("comedi:/dev/comedi7,range=1", &error);
  AuscultaSourceConfig config = { 2, { 0, 1 }, 51200, 1024 };

  g_assert_no_error (error);
  g_assert_cmpstr (ausculta_source_get_name (source), ==, "comedi:/dev/comedi7");
  g_assert_false (ausculta_source_open (source, &config, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "comedi:/dev/comedi7: cannot open the DAQ: "));
  g_assert_false (ausculta_source_is_open (source));
  g_clear_error (&error);
  /* Nothing half-open: starting is refused, not crashed. */
  g_assert_false (ausculta_source_start (source, "up", &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_STATE);
}

static void
test_convert (void)
{
  comedi_range bipolar = { -5.0, 5.0, UNIT_volt };
  comedi_range unipolar = { 0.0, 10.0, UNIT_volt };
  comedi_range *ranges[2] = { &bipolar, &unipolar };
  lsampl_t maxdata[2] = { 65535, 65535 };
  sampl_t raw16[4] = { 0, 65535, 32768, 0 };
  lsampl_t raw32[2] = { 0, 262143 };
  lsampl_t max18[2] = { 262143, 262143 };
  float out[4];

  /* The type's setup makes rail values numbers (clipping), not NaN. */
  g_type_ensure (AUSCULTA_TYPE_COMEDI_SOURCE);
  /* 16-bit samples, two channels with their own ranges. */
  ausculta_comedi_convert (raw16, FALSE, 2, ranges, maxdata, out, 2);
  g_assert_cmpfloat_with_epsilon (out[0], -5.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[1], 10.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[2], 0.0, 2e-4);
  g_assert_cmpfloat_with_epsilon (out[3], 0.0, 1e-6);
  /* 32-bit samples of an 18-bit converter. */
  ausculta_comedi_convert (raw32, TRUE, 2, ranges, max18, out, 1);
  g_assert_cmpfloat_with_epsilon (out[0], -5.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[1], 10.0, 1e-6);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ausculta/capture/comedi/missing-board", test_missing_board);
  g_test_add_func ("/ausculta/capture/comedi/convert", test_convert);
  return g_test_run ();
}
