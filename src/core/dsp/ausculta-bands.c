/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-bands"

#include "config.h"

#include <math.h>

#include "ausculta-bands.h"
#include "ausculta-dsp-error.h"

/* IEC 61260-1:2014, base-10 octave ratio. */
#define OCTAVE_RATIO 1.9952623149688795   /* 10^(3/10) */
/* How far a nominal range end may sit from its band's exact mid-band
 * frequency (12.5 Hz names the 12.589 Hz band). */
#define NOMINAL_TOLERANCE 1.01

static double
mid_band (guint fraction,
          int   x)
{
  if (fraction % 2 == 1)
    return 1000.0 * pow (OCTAVE_RATIO, (double) x / fraction);
  return 1000.0 * pow (OCTAVE_RATIO, (2.0 * x + 1.0) / (2.0 * fraction));
}

/* The nominal frequency: the R10 preferred numbers for octaves and thirds
 * (IEC 61260-1 Annex E), three significant digits for finer bands. */
static double
nominal (guint  fraction,
         double exact)
{
  static const double r10[] = { 1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0 };
  double decade = pow (10.0, floor (log10 (exact)));
  double mantissa = exact / decade;

  if (fraction == 1 || fraction == 3)
    {
      double best = r10[0];

      for (guint i = 1; i < G_N_ELEMENTS (r10); i++)
        if (fabs (log (r10[i] / mantissa)) < fabs (log (best / mantissa)))
          best = r10[i];
      return best * decade;
    }
  return round (mantissa * 100.0) / 100.0 * decade;
}

static void
format_label (double  value,
              char   *label,
              gsize   size)
{
  /* Round away the binary noise of value / 1000 before printing. */
  if (value >= 1000.0)
    g_snprintf (label, size, "%gk", round (value) / 1000.0);
  else
    g_snprintf (label, size, "%g", round (value * 1000.0) / 1000.0);
}

guint
ausculta_bands_fractional_octave (guint          fraction,
                                  double         f_low,
                                  double         f_high,
                                  AuscultaBand  *bands,
                                  guint          max_bands,
                                  GError       **error)
{
  double half = pow (OCTAVE_RATIO, 1.0 / (2.0 * fraction));
  guint n = 0;
  int x_low, x_high;

  g_return_val_if_fail (bands != NULL || max_bands == 0, 0);

  if (fraction != 1 && fraction != 3 && fraction != 6 && fraction != 12 && fraction != 24)
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_BANDS,
                   "Band fraction 1/%u is not one of 1/1, 1/3, 1/6, 1/12, 1/24", fraction);
      return 0;
    }
  if (!(f_low > 0.0 && f_high >= f_low))
    {
      g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_BANDS,
                   "Band range %g–%g Hz is empty", f_low, f_high);
      return 0;
    }

  x_low = (int) floor (fraction * log (f_low / 1000.0) / log (OCTAVE_RATIO)) - 1;
  x_high = (int) ceil (fraction * log (f_high / 1000.0) / log (OCTAVE_RATIO)) + 1;
  for (int x = x_low; x <= x_high && n < max_bands; x++)
    {
      double center = mid_band (fraction, x);

      if (center < f_low / NOMINAL_TOLERANCE || center > f_high * NOMINAL_TOLERANCE)
        continue;
      bands[n].center = center;
      bands[n].lower = center / half;
      bands[n].upper = center * half;
      format_label (nominal (fraction, center), bands[n].label, sizeof bands[n].label);
      n++;
    }
  if (n == 0)
    g_set_error (error, AUSCULTA_DSP_ERROR, AUSCULTA_DSP_ERROR_BANDS,
                 "No 1/%u-octave band has its mid-band frequency in %g–%g Hz", fraction, f_low, f_high);
  return n;
}

void
ausculta_bands_constant_width (double         start,
                               double         width,
                               guint          count,
                               const char    *prefix,
                               AuscultaBand  *bands)
{
  for (guint i = 0; i < count; i++)
    {
      bands[i].lower = start + width * i;
      bands[i].upper = start + width * (i + 1);
      bands[i].center = 0.5 * (bands[i].lower + bands[i].upper);
      g_snprintf (bands[i].label, sizeof bands[i].label, "%s%u", prefix, i + 1);
    }
}

void
ausculta_bands_orders (double         shaft_rate,
                       guint          first,
                       guint          count,
                       double         width,
                       const char    *prefix,
                       AuscultaBand  *bands)
{
  for (guint i = 0; i < count; i++)
    {
      double order = first + i;

      bands[i].center = order * shaft_rate;
      bands[i].lower = (order - 0.5 * width) * shaft_rate;
      bands[i].upper = (order + 0.5 * width) * shaft_rate;
      g_snprintf (bands[i].label, sizeof bands[i].label, "%s%u", prefix, first + i);
    }
}

/* The frequencies bin k covers: ±bin_width/2 around its centre, cut at 0
 * and at the last bin's centre so that every frequency belongs to one bin. */
static void
bin_edges (gsize   k,
           gsize   n_bins,
           double  bin_width,
           double *lower,
           double *upper)
{
  *lower = k == 0 ? 0.0 : (k - 0.5) * bin_width;
  *upper = k == n_bins - 1 ? k * bin_width : (k + 0.5) * bin_width;
}

static double
band_power (const AuscultaBand *band,
            const double       *power,
            const double       *weights,
            gsize               n_bins,
            double              bin_width)
{
  double top = (n_bins - 1) * bin_width;
  gsize first, last;
  double sum = 0.0;

  if (band->lower >= top || band->upper <= band->lower)
    return NAN;
  first = (gsize) MAX (floor (band->lower / bin_width + 0.5), 0.0);
  last = (gsize) MIN (floor (band->upper / bin_width + 0.5), (double) (n_bins - 1));
  for (gsize k = first; k <= last; k++)
    {
      double lower, upper, overlap;

      bin_edges (k, n_bins, bin_width, &lower, &upper);
      overlap = MIN (band->upper, upper) - MAX (band->lower, lower);
      if (overlap <= 0.0)
        continue;
      sum += power[k] * (weights != NULL ? weights[k] : 1.0) * overlap / (upper - lower);
    }
  return sum;
}

void
ausculta_bands_sum_power (const AuscultaBand *bands,
                          guint               n_bands,
                          const double       *power,
                          const double       *weights,
                          gsize               n_bins,
                          double              bin_width,
                          double             *out)
{
  g_return_if_fail (n_bins >= 2 && bin_width > 0.0);

  for (guint i = 0; i < n_bands; i++)
    out[i] = band_power (&bands[i], power, weights, n_bins, bin_width);
}

double
ausculta_bands_strongest_line (const double *power,
                               gsize         n_bins,
                               double        bin_width,
                               double        f_low,
                               double        f_high)
{
  gsize first = (gsize) MAX (ceil (f_low / bin_width), 1.0);
  gsize last = (gsize) MIN (floor (f_high / bin_width), (double) n_bins - 2.0);
  gsize best;
  double a, b, c, denominator, offset = 0.0;

  if (n_bins < 3 || first > last)
    return NAN;
  best = first;
  for (gsize k = first + 1; k <= last; k++)
    if (power[k] > power[best])
      best = k;
  if (!(power[best] > 0.0))
    return NAN;

  a = log (MAX (power[best - 1], G_MINDOUBLE));
  b = log (power[best]);
  c = log (MAX (power[best + 1], G_MINDOUBLE));
  denominator = a - 2.0 * b + c;
  if (denominator < 0.0)
    offset = CLAMP (0.5 * (a - c) / denominator, -0.5, 0.5);
  return ((double) best + offset) * bin_width;
}
