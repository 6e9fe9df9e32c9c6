/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "capture-test-jack.h"
#include "capture-test-util.h"

GSubprocess *
capture_test_jack_start (const char *server_name,
                         int         rate)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) jackd = NULL;
  g_autoptr(GSubprocess) wait = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rate_text = g_strdup_printf ("%d", rate);

  g_setenv ("JACK_NO_AUDIO_RESERVATION", "1", TRUE);
  g_setenv ("JACK_NO_START_SERVER", "1", TRUE);
  g_setenv ("JACK_DEFAULT_SERVER", server_name, TRUE);
  g_subprocess_launcher_setenv (launcher, "JACK_NO_AUDIO_RESERVATION", "1", TRUE);
  jackd = g_subprocess_launcher_spawn (launcher, &error, "jackd", "--no-realtime", "-n", server_name,
                                       "-d", "dummy", "-r", rate_text, "-p", "1024", "-C", "2", "-P", "2",
                                       NULL);
  if (jackd == NULL)
    {
      g_test_message ("jackd: %s", error->message);
      return NULL;
    }
  wait = g_subprocess_launcher_spawn (launcher, &error, "jack_wait", "-s", server_name, "-w", "-t", "10", NULL);
  if (wait == NULL || !g_subprocess_wait_check (wait, NULL, &error))
    {
      g_test_message ("jack_wait: %s", error->message);
      capture_test_jack_stop (jackd);
      return NULL;
    }
  return g_steal_pointer (&jackd);
}

void
capture_test_jack_stop (GSubprocess *jackd)
{
  if (jackd == NULL)
    return;
  g_subprocess_send_signal (jackd, SIGTERM);
  g_subprocess_wait (jackd, NULL, NULL);
  g_object_unref (jackd);
}

float *
capture_test_stereo_f32 (gsize n_frames,
                         int   rate)
{
  g_autofree gint16 *s16 = capture_test_stereo_s16 (n_frames, rate);
  float *frames = g_new (float, 2 * n_frames);

  for (gsize i = 0; i < 2 * n_frames; i++)
    frames[i] = s16[i] / 32768.0f;
  return frames;
}
