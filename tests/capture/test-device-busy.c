/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ausculta-inspection.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-source-spec.h"

/* "Device busy" without a sound card: an ALSA PCM (tests/capture/
 * alsa-pcm-exclusive.c) that, like a card's hw device, one program at a
 * time may open. Here the holder is a level meter left open on the device
 * (as the preferences' meters do) when an inspection starts. */

static char *tmpdir;

static char *
write_config (void)
{
  g_autofree char *lock = g_build_filename (tmpdir, "busycap.lock", NULL);
  char *path = g_build_filename (tmpdir, "asound.conf", NULL);
  g_autofree char *text = g_strdup_printf (
    "pcm.null { type null }\n"
    "pcm.default { type plug slave.pcm \"null\" }\n"
    "pcm_type.exclusive { lib \"%s\" }\n"
    "pcm.busycap_raw { type exclusive lock \"%s\" }\n"
    "pcm.busycap { type plug slave.pcm \"busycap_raw\" }\n",
    g_getenv ("ALSA_EXCLUSIVE_PLUGIN"), lock);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static guint64
archived (AuscultaArchive *archive)
{
  AuscultaArchiveFilter filter;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  ausculta_archive_filter_init (&filter);
  g_assert_true (ausculta_archive_count (archive, &filter, &count, &error));
  g_assert_no_error (error);
  return count;
}

static AuscultaMeasurement *
inspect (AuscultaInspection *inspection,
         const char         *serial,
         GError            **error)
{
  ausculta_inspection_set_serial (inspection, serial);
  return ausculta_inspection_run (inspection, NULL, error);
}

static void
test_busy_then_next (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "archive.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, &error);
  g_autoptr(AuscultaProfile) profile = ausculta_profile_load ("default", &error);
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("portaudio:busycap", &error);
  g_autoptr(AuscultaSource) meter = ausculta_portaudio_source_new ("busycap");
  g_autoptr(AuscultaInspection) inspection = ausculta_inspection_new (profile, source);
  AuscultaSourceConfig config = { 2, { 0, 1 }, 48000, 1024, 0.0 };
  g_autoptr(AuscultaMeasurement) first = NULL;
  g_autoptr(AuscultaMeasurement) failed = NULL;
  g_autoptr(AuscultaMeasurement) next = NULL;
  AuscultaMeasurement *invalid;

  g_assert_no_error (error);
  ausculta_inspection_set_archive (inspection, archive);
  first = inspect (inspection, "SN-BUSY-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (archived (archive), ==, 1);

  /* Someone else holds the device. */
  g_assert_true (ausculta_source_open (meter, &config, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_source_start (meter, "meter", &error));
  failed = inspect (inspection, "SN-BUSY-2", &error);
  g_assert_null (failed);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "portaudio:busycap: the device is busy"));
  invalid = ausculta_inspection_get_measurement (inspection);
  g_assert_nonnull (invalid);
  g_assert_cmpstr (invalid->serial, ==, "SN-BUSY-2");
  g_assert_cmpint (invalid->verdict, ==, AUSCULTA_VERDICT_REPEAT);
  g_assert_cmpstr (ausculta_inspection_get_status (inspection), ==, error->message);
  g_assert_false (ausculta_inspection_is_running (inspection));
  /* Nothing archived for it, nothing lost before it. */
  g_assert_cmpuint (archived (archive), ==, 1);

  /* The meter lets go: the next cycle works. */
  ausculta_source_close (meter);
  g_clear_error (&error);
  next = inspect (inspection, "SN-BUSY-2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->n_features, ==, 432);
  g_assert_cmpuint (archived (archive), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *conf = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("ausculta-busy-XXXXXX", NULL);
  conf = write_config ();
  g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);
  g_test_add_func ("/ausculta/capture/device-busy-then-next", test_busy_then_next);
  status = g_test_run ();
  g_unlink (conf);
  {
    g_autofree char *lock = g_build_filename (tmpdir, "busycap.lock", NULL);

    g_unlink (lock);
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
