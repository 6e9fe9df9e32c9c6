/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ausculta-portaudio-source.h"
#include "ausculta-source-spec.h"
#include "capture-test-util.h"

#define RATE 48000

/* PortAudio through ALSA's file plugin: no sound card, bit-exact, faster
 * than real time. One configuration for the whole process (PortAudio reads
 * it when it starts). */
static char *tmpdir;
static gint16 *recording;
static gsize recording_frames;

static void
test_capture_bit_exact (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaSource) source = ausculta_source_new_from_spec ("portaudio:testcap", &error);
  /* Right channel first: the channel set is honoured, not just the count.
   * The file device has no clock: PortAudio's ALSA layer fills its buffer at
   * once and then skips a period, so the buffer must hold the whole capture. */
  AuscultaSourceConfig config = { 2, { 1, 0 }, RATE, 1024, 2.0 };
  gsize n = RATE;
  g_autofree float *frames = g_new (float, 2 * n);
  guint mismatches = 0;

  g_assert_no_error (error);
  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, n, &error), ==, n);
  g_assert_no_error (error);
  ausculta_source_stop (source);
  for (gsize i = 0; i < n; i++)
    {
      mismatches += frames[2 * i] != recording[2 * i + 1] / 32768.0f;
      mismatches += frames[2 * i + 1] != recording[2 * i] / 32768.0f;
    }
  g_assert_cmpuint (mismatches, ==, 0);
  ausculta_source_close (source);
}

static void
test_capture_mono_twice (void)
{
  g_autoptr(AuscultaSource) source = ausculta_portaudio_source_new ("testcap");
  AuscultaSourceConfig config = { 1, { 1 }, RATE, 256, 1.0 };
  float frames[4800];
  g_autoptr(GError) error = NULL;

  /* Open/close per cycle, as the inspection does: the device comes back. */
  for (guint cycle = 0; cycle < 2; cycle++)
    {
      g_assert_true (ausculta_source_open (source, &config, &error));
      g_assert_true (ausculta_source_start (source, "down", &error));
      g_assert_cmpint (ausculta_source_read (source, frames, 4800, &error), ==, 4800);
      g_assert_no_error (error);
      g_assert_cmpfloat (frames[100], ==, recording[2 * 100 + 1] / 32768.0f);
      ausculta_source_close (source);
    }
}

static void
test_list_devices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = ausculta_portaudio_list_devices (&error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < devices->len; i++)
    {
      AuscultaDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *rates = ausculta_device_info_describe_rates (info);

      g_test_message ("%s (%s): %u inputs, rates %s", info->name, info->host_api,
                      info->max_input_channels, rates);
      if (g_str_equal (info->name, "testcap"))
        {
          found = TRUE;
          g_assert_cmpstr (info->host_api, ==, "ALSA");
          g_assert_cmpuint (info->max_input_channels, >=, 2);
          g_assert_nonnull (strstr (rates, "48000"));
        }
    }
  g_assert_true (found);
}

static void
test_unknown_device (void)
{
  g_autoptr(AuscultaSource) source = ausculta_portaudio_source_new ("testca");
  AuscultaSourceConfig config = { 2, { 0, 1 }, RATE, 1024 };
  g_autoptr(GError) error = NULL;

  /* A substring is not a name: the message lists the real ones. */
  g_assert_false (ausculta_source_open (source, &config, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no capture device “testca”; the capture devices are: "));
  g_assert_nonnull (strstr (error->message, "“testcap”"));
  g_assert_false (ausculta_source_is_open (source));
}

static void
test_unsupported_channels (void)
{
  g_autoptr(AuscultaSource) source = ausculta_portaudio_source_new ("testcap");
  AuscultaSourceConfig config = { 2, { 0, 999 }, RATE, 1024 };
  g_autoptr(GError) error = NULL;

  g_assert_false (ausculta_source_open (source, &config, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "portaudio:testcap: no input 999: the device has "));
  g_assert_nonnull (strstr (error->message, "input channels (0 to "));
}

static void
test_unsupported_rate (void)
{
  g_autoptr(AuscultaSource) source = ausculta_portaudio_source_new ("testcap");
  AuscultaSourceConfig config = { 2, { 0, 1 }, 44100, 1024 };
  g_autoptr(GError) error = NULL;

  /* The message lists the rates the device does accept. */
  g_assert_false (ausculta_source_open (source, &config, &error));
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "portaudio:testcap: unsupported rate 44100 Hz with 2 channels; "
                                                   "the device supports "));
  g_assert_nonnull (strstr (error->message, "48000"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *raw = NULL;
  g_autofree char *conf = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("ausculta-pa-XXXXXX", NULL);
  raw = g_build_filename (tmpdir, "in.raw", NULL);
  recording_frames = 3 * RATE;   /* longer than any capture: ALSA repeats stale data after the end */
  recording = capture_test_stereo_s16 (recording_frames, RATE);
  g_assert_true (g_file_set_contents (raw, (char *) recording, recording_frames * 2 * sizeof (gint16), NULL));
  conf = capture_test_write_alsa_config (tmpdir, raw, RATE, FALSE);
  g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);

  g_test_add_func ("/ausculta/capture/portaudio/bit-exact", test_capture_bit_exact);
  g_test_add_func ("/ausculta/capture/portaudio/reopen", test_capture_mono_twice);
  g_test_add_func ("/ausculta/capture/portaudio/devices", test_list_devices);
  g_test_add_func ("/ausculta/capture/portaudio/unknown-device", test_unknown_device);
  g_test_add_func ("/ausculta/capture/portaudio/unsupported-channels", test_unsupported_channels);
  g_test_add_func ("/ausculta/capture/portaudio/unsupported-rate", test_unsupported_rate);
  status = g_test_run ();
  g_unlink (raw);
  g_unlink (conf);
  g_rmdir (tmpdir);
  g_free (recording);
  g_free (tmpdir);
  return status;
}
