/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fftw3.h>
#include <math.h>

#include "capture-test-util.h"

double
capture_test_band_rms (const float *samples,
                       gsize        n,
                       gsize        stride,
                       double       rate,
                       double       f_low,
                       double       f_high)
{
  double *in = fftw_alloc_real (n);
  fftw_complex *out = fftw_alloc_complex (n / 2 + 1);
  fftw_plan plan = fftw_plan_dft_r2c_1d (n, in, out, FFTW_ESTIMATE);
  double window_power = 0.0;
  double power = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double w = 0.5 - 0.5 * cos (2.0 * G_PI * i / n);

      in[i] = samples[i * stride] * w;
      window_power += w * w;
    }
  fftw_execute (plan);
  for (gsize k = 1; k <= n / 2; k++)
    {
      double f = k * rate / n;

      if (f >= f_low && f < f_high)
        power += 2.0 * (out[k][0] * out[k][0] + out[k][1] * out[k][1]);
    }
  fftw_destroy_plan (plan);
  fftw_free (in);
  fftw_free (out);
  /* Parseval with the window's power: the mean square of the band. */
  return sqrt (power / (n * window_power));
}

char *
capture_test_write_alsa_config (const char *dir,
                                const char *infile,
                                int         rate,
                                gboolean    jack)
{
  char *path = g_build_filename (dir, "asound.conf", NULL);
  g_autofree char *config = NULL;

  if (jack)
    config = g_strdup_printf (
      "pcm.null { type null }\n"
      "pcm.default { type plug slave.pcm \"null\" }\n"
      "pcm.jackclock { type jack capture_ports { 0 \"system:capture_1\" 1 \"system:capture_2\" } }\n"
      "pcm.rtcap_raw { type file slave.pcm \"jackclock\" file \"/dev/null\" infile \"%s\" format \"raw\" }\n"
      "pcm.rtcap { type plug slave { pcm \"rtcap_raw\" format FLOAT_LE rate %d channels 2 } }\n",
      infile, rate);
  else
    config = g_strdup_printf (
      "pcm.null { type null }\n"
      "pcm.default { type plug slave.pcm \"null\" }\n"
      "pcm.testcap_raw { type file slave.pcm \"null\" file \"/dev/null\" infile \"%s\" format \"raw\" }\n"
      "pcm.testcap { type plug slave { pcm \"testcap_raw\" format S16_LE rate %d channels 2 } }\n",
      infile, rate);
  g_assert_true (g_file_set_contents (path, config, -1, NULL));
  return path;
}

gint16 *
capture_test_stereo_s16 (gsize n_frames,
                         int   rate)
{
  gint16 *frames = g_new (gint16, 2 * n_frames);

  for (gsize i = 0; i < n_frames; i++)
    {
      frames[2 * i] = (gint16) lrint (16000 * sin (2 * G_PI * 1000.0 * i / rate) + (i % 7));
      frames[2 * i + 1] = (gint16) lrint (9000 * sin (2 * G_PI * 230.0 * i / rate) - (i % 11));
    }
  return frames;
}
