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
