/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ausculta-portaudio-source.h"
#include "capture-test-jack.h"
#include "capture-test-util.h"

/* PortAudio → ALSA file device → ALSA jack device, clocked by a JACK dummy
 * driver: real time and bit-exact, with no sound card. */

#define RATE 48000
#define SECONDS 10

static char *tmpdir;
static char *server_name;
static float *recording;

static GSubprocess *
start_jack_or_skip (void)
{
  GSubprocess *jackd = capture_test_jack_start (server_name, RATE);

  if (jackd == NULL)
    g_test_skip ("jackd could not start here");
  return jackd;
}

static void
test_sustained_zero_overruns (void)
{
  GSubprocess *jackd = start_jack_or_skip ();
  g_autoptr(AuscultaSource) source = NULL;
  AuscultaSourceConfig config = { 2, { 0, 1 }, RATE, 1024 };
  gsize n = SECONDS * RATE;
  g_autofree float *frames = g_new (float, 2 * n);
  g_autoptr(GError) error = NULL;
  gint64 started;
  double seconds;
  gssize offset = -1;

  if (jackd == NULL)
    return;
  source = ausculta_portaudio_source_new ("rtcap");
  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_source_start (source, "up", &error));
  started = g_get_monotonic_time ();
  for (gsize done = 0; done < n; done += 1024)
    g_assert_cmpint (ausculta_source_read (source, frames + 2 * done, MIN (1024, n - done), &error), >, 0);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  ausculta_source_stop (source);
  g_test_message ("%d s captured in %.3f s, %u overruns", SECONDS, seconds,
                  ausculta_source_get_overruns (source));
  g_assert_cmpuint (ausculta_source_get_overruns (source), ==, 0);
  g_assert_cmpfloat (seconds, >, SECONDS - 0.2);
  g_assert_cmpfloat (seconds, <, SECONDS + 1.0);
  /* Bit-exact: the capture is the file, from its first frame. */
  for (gsize i = 0; i < 2 * n && offset < 0; i++)
    if (frames[i] != recording[i])
      offset = i;
  g_assert_cmpint (offset, ==, -1);
  ausculta_source_close (source);
  capture_test_jack_stop (jackd);
}

/* The clock stops (jackd frozen, as a device that stops delivering): the
 * read fails with DISCONNECTED instead of waiting forever; once the clock
 * runs again the next capture works. (Killing jackd instead makes
 * PortAudio 19.6 abort in its JACK host API's Pa_Terminate.) */
static void
test_stalled_then_back (void)
{
  GSubprocess *jackd = start_jack_or_skip ();
  g_autoptr(AuscultaSource) source = NULL;
  AuscultaSourceConfig config = { 2, { 0, 1 }, RATE, 1024 };
  g_autofree float *frames = g_new (float, 2 * 5 * RATE);
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (jackd == NULL)
    return;
  source = ausculta_portaudio_source_new ("rtcap");
  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_true (ausculta_source_start (source, "down", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, RATE, &error), ==, RATE);
  g_subprocess_send_signal (jackd, SIGSTOP);
  started = g_get_monotonic_time ();
  g_assert_cmpint (ausculta_source_read (source, frames, 4 * RATE, &error), ==, -1);
  g_test_message ("%s (after %.1f s)", error->message, (g_get_monotonic_time () - started) / 1e6);
  g_assert_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED);
  g_assert_cmpstr (error->message, ==, "portaudio:rtcap: no data for 2000 ms during run “down”: "
                                       "was the device unplugged?");
  g_subprocess_send_signal (jackd, SIGCONT);
  ausculta_source_close (source);
  g_clear_error (&error);
  g_assert_true (ausculta_source_open (source, &config, &error));
  g_assert_no_error (error);
  g_assert_true (ausculta_source_start (source, "up", &error));
  g_assert_cmpint (ausculta_source_read (source, frames, RATE / 2, &error), ==, RATE / 2);
  g_assert_no_error (error);
  ausculta_source_close (source);
  capture_test_jack_stop (jackd);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *raw = NULL;
  g_autofree char *conf = NULL;
  gsize n = (SECONDS + 4) * RATE;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!g_find_program_in_path ("jackd"))
    {
      g_test_skip ("jackd is not installed (package jackd2)");
      return g_test_run ();
    }
  tmpdir = g_dir_make_tmp ("ausculta-jack-XXXXXX", NULL);
  server_name = g_strdup_printf ("ausculta-test-%d", getpid ());
  raw = g_build_filename (tmpdir, "in.raw", NULL);
  recording = capture_test_stereo_f32 (n, RATE);
  g_assert_true (g_file_set_contents (raw, (char *) recording, n * 2 * sizeof (float), NULL));
  conf = capture_test_write_alsa_config (tmpdir, raw, RATE, TRUE);
  g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);
  g_test_add_func ("/ausculta/capture/jack/sustained-zero-overruns", test_sustained_zero_overruns);
  g_test_add_func ("/ausculta/capture/jack/stalled-then-back", test_stalled_then_back);
  status = g_test_run ();
  g_unlink (raw);
  g_unlink (conf);
  g_rmdir (tmpdir);
  g_free (recording);
  return status;
}
