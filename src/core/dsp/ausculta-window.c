/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-window"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-window.h"

/* Every window here is a sum of cosines, w[i] = Σ (−1)^k a_k cos(2πki/n),
 * so its gains follow from the coefficients: coherent gain a0, equivalent
 * noise bandwidth (a0² + ½Σa_k²) / a0² bins. */
typedef struct {
  const char *name;
  guint       n_terms;
  double      a[5];
} WindowTerms;

static const WindowTerms windows[] = {
  [AUSCULTA_WINDOW_RECTANGULAR] = { "rectangular", 1, { 1.0 } },
  [AUSCULTA_WINDOW_HANN] = { "hann", 2, { 0.5, 0.5 } },
  [AUSCULTA_WINDOW_FLAT_TOP] = { "flattop", 5, { 0.21557895, 0.41663158, 0.277263158,
                                                 0.083578947, 0.006947368 } },
  [AUSCULTA_WINDOW_BLACKMAN_HARRIS] = { "blackmanharris", 4, { 0.35875, 0.48829, 0.14128,
                                                               0.01168 } },
};

static const WindowTerms *
window_terms (AuscultaWindow window)
{
  g_return_val_if_fail ((guint) window < G_N_ELEMENTS (windows), &windows[0]);
  return &windows[window];
}

/**
 * ausculta_window_fill:
 *
 * Writes the periodic (DFT-even) window of length @n, the form scipy's
 * get_window() returns and spectrum analysers use.
 */
void
ausculta_window_fill (AuscultaWindow  window,
                      double         *coefficients,
                      gsize           n)
{
  const WindowTerms *terms = window_terms (window);

  for (gsize i = 0; i < n; i++)
    {
      double value = terms->a[0];
      double sign = -1.0;

      for (guint k = 1; k < terms->n_terms; k++, sign = -sign)
        value += sign * terms->a[k] * cos (2.0 * G_PI * (double) k * (double) i / (double) n);
      coefficients[i] = value;
    }
}

double
ausculta_window_coherent_gain (AuscultaWindow window)
{
  return window_terms (window)->a[0];
}

/* In bins. */
double
ausculta_window_enbw (AuscultaWindow window)
{
  const WindowTerms *terms = window_terms (window);
  double sum = terms->a[0] * terms->a[0];

  for (guint k = 1; k < terms->n_terms; k++)
    sum += 0.5 * terms->a[k] * terms->a[k];
  return sum / (terms->a[0] * terms->a[0]);
}

const char *
ausculta_window_to_string (AuscultaWindow window)
{
  return window_terms (window)->name;
}

gboolean
ausculta_window_from_string (const char     *text,
                             AuscultaWindow *window)
{
  g_return_val_if_fail (text != NULL && window != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    if (g_ascii_strcasecmp (text, windows[i].name) == 0)
      {
        *window = (AuscultaWindow) i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (text, "hanning") == 0)
    {
      *window = AUSCULTA_WINDOW_HANN;
      return TRUE;
    }
  return FALSE;
}
