/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-feature-extractor"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-bands.h"
#include "ausculta-feature-extractor.h"
#include "ausculta-signal-health.h"
#include "ausculta-statistics.h"

#define MIN_FFT_SIZE 256
#define MAX_FFT_SIZE 262144
/* A run shorter than this share of the profile's duration is flagged. */
#define SHORT_RUN_SHARE 0.95

/* The spectrum kernel and buffers of one sample rate, made on first use
 * and kept: a bench runs at one rate, so plans are made once. */
typedef struct {
  double            sample_rate;
  AuscultaSpectrum  spectrum;
  guint             n_channels;
  double           *power;     /* n_channels × n_bins */
  double          **weights;   /* per channel: power gains, NULL when Z */
} RateContext;

/* One channel's spectrum within the run being extracted. */
typedef struct {
  const double *power;       /* NULL for a tachometer */
  const double *weights;     /* the channel's weighting, NULL when Z */
  double        tacho_rate;  /* tachometer: revolutions per second */
  gsize         n_bins;
  double        bin_width;
} ChannelSpectrum;

struct _AuscultaFeatureExtractor {
  AuscultaProfile  *profile;
  guint             n_channels;
  guint             n_feature_channels;  /* all but tachometers */
  guint             run_size;     /* features per run */
  GPtrArray        *contexts;     /* RateContext* */
  double           *features;
  AuscultaBand     *bands;
  double           *band_power;
  ChannelSpectrum  *spectra;      /* n_channels */
};

G_DEFINE_QUARK (ausculta-feature-error-quark, ausculta_feature_error)

static void
rate_context_free (gpointer data)
{
  RateContext *context = data;

  ausculta_spectrum_clear (&context->spectrum);
  g_free (context->power);
  for (guint c = 0; c < context->n_channels; c++)
    g_free (context->weights[c]);
  g_free (context->weights);
  g_free (context);
}

/* The FFT size that keeps the profile's bin width at another rate, made
 * even and of factors 2, 3, 5, 7 only so that FFTW stays fast. */
static gsize
fft_size_for_rate (AuscultaProfile *profile,
                   double           sample_rate)
{
  const AuscultaSpectrumConfig *nominal = ausculta_profile_get_spectrum (profile);
  double wanted = (double) nominal->fft_size * sample_rate / ausculta_profile_get_sample_rate (profile);
  gsize n = (gsize) MAX (2.0 * floor (wanted / 2.0 + 0.5), 2.0);

  for (;; n += 2)
    {
      gsize rest = n;

      for (guint p = 2; p <= 7; p++)
        while (rest % p == 0)
          rest /= p;
      if (rest == 1)
        return n;
    }
}

static RateContext *
rate_context_new (AuscultaFeatureExtractor  *extractor,
                  double                     sample_rate,
                  GError                   **error)
{
  RateContext *context = g_new0 (RateContext, 1);
  AuscultaSpectrumConfig config = *ausculta_profile_get_spectrum (extractor->profile);
  gsize n_bins;

  config.sample_rate = sample_rate;
  config.fft_size = fft_size_for_rate (extractor->profile, sample_rate);
  context->sample_rate = sample_rate;
  context->n_channels = extractor->n_channels;
  context->weights = g_new0 (double *, extractor->n_channels);
  if (!ausculta_spectrum_init (&context->spectrum, &config, error))
    {
      rate_context_free (context);
      return NULL;
    }
  n_bins = context->spectrum.n_bins;
  context->power = g_new0 (double, extractor->n_channels * n_bins);
  for (guint c = 0; c < extractor->n_channels; c++)
    {
      const AuscultaProfileChannel *channel = ausculta_profile_get_channel (extractor->profile, c);

      if (channel->weighting == AUSCULTA_WEIGHTING_Z)
        continue;
      context->weights[c] = g_new (double, n_bins);
      ausculta_weighting_fill_power (channel->weighting, ausculta_spectrum_bin_width (&context->spectrum),
                                     context->weights[c], n_bins);
    }
  return context;
}

static RateContext *
context_for_rate (AuscultaFeatureExtractor  *extractor,
                  double                     sample_rate,
                  GError                   **error)
{
  RateContext *context;

  for (guint i = 0; i < extractor->contexts->len; i++)
    {
      context = g_ptr_array_index (extractor->contexts, i);
      if (context->sample_rate == sample_rate)
        return context;
    }
  context = rate_context_new (extractor, sample_rate, error);
  if (context != NULL)
    g_ptr_array_add (extractor->contexts, context);
  return context;
}

static guint
max_band_count (AuscultaProfile *profile)
{
  guint count = 1;

  for (guint s = 0; s < ausculta_profile_get_n_band_sets (profile); s++)
    count = MAX (count, ausculta_profile_get_band_set (profile, s)->count);
  return count;
}

/**
 * ausculta_feature_extractor_new:
 * @profile: the profile whose features to compute
 *
 * Returns: (transfer full): an extractor for one thread at a time.
 */
AuscultaFeatureExtractor *
ausculta_feature_extractor_new (AuscultaProfile  *profile,
                                GError          **error)
{
  AuscultaFeatureExtractor *extractor;
  guint max_bands;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  extractor = g_new0 (AuscultaFeatureExtractor, 1);
  extractor->profile = ausculta_profile_ref (profile);
  extractor->n_channels = ausculta_profile_get_n_channels (profile);
  for (guint c = 0; c < extractor->n_channels; c++)
    extractor->n_feature_channels += ausculta_profile_get_channel (profile, c)->kind != AUSCULTA_CHANNEL_TACHO;
  extractor->contexts = g_ptr_array_new_with_free_func (rate_context_free);
  extractor->features = g_new0 (double, MAX (ausculta_profile_get_n_features (profile), 1));
  /* The profile lays its features out run after run, each run alike. */
  extractor->run_size = ausculta_profile_get_n_runs (profile) > 0
                        ? ausculta_profile_get_n_features (profile) / ausculta_profile_get_n_runs (profile) : 0;
  g_assert (extractor->run_size * ausculta_profile_get_n_runs (profile) == ausculta_profile_get_n_features (profile));
  max_bands = max_band_count (profile);
  extractor->bands = g_new0 (AuscultaBand, max_bands);
  extractor->band_power = g_new0 (double, max_bands);
  extractor->spectra = g_new0 (ChannelSpectrum, extractor->n_channels);

  /* Plan the nominal rate now, not during the first inspection. */
  if (context_for_rate (extractor, ausculta_profile_get_sample_rate (profile), error) == NULL)
    {
      ausculta_feature_extractor_free (extractor);
      return NULL;
    }
  return extractor;
}

void
ausculta_feature_extractor_free (AuscultaFeatureExtractor *extractor)
{
  if (extractor == NULL)
    return;
  ausculta_profile_unref (extractor->profile);
  g_ptr_array_unref (extractor->contexts);
  g_free (extractor->features);
  g_free (extractor->bands);
  g_free (extractor->band_power);
  g_free (extractor->spectra);
  g_free (extractor);
}

AuscultaProfile *
ausculta_feature_extractor_get_profile (AuscultaFeatureExtractor *extractor)
{
  g_return_val_if_fail (extractor != NULL, NULL);
  return extractor->profile;
}

static AuscultaSignal *
find_signal (AuscultaSignal **signals,
             guint            n_signals,
             const char      *run,
             const char      *channel)
{
  for (guint i = 0; i < n_signals; i++)
    if (g_strcmp0 (signals[i]->run, run) == 0 && g_strcmp0 (signals[i]->channel, channel) == 0)
      return signals[i];
  return NULL;
}

static gboolean
check_signal (const AuscultaSignal  *signal,
              const char            *run,
              const char            *channel,
              GError               **error)
{
  if (signal == NULL)
    {
      g_set_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_MISSING_SIGNAL,
                   "The measurement has no signal for run “%s”, channel “%s”", run, channel);
      return FALSE;
    }
  if (!isfinite (signal->sample_rate) || signal->sample_rate <= 0.0)
    {
      g_set_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_SAMPLE_RATE,
                   "Run “%s”, channel “%s”: sample rate %g Hz is not a positive rate",
                   run, channel, signal->sample_rate);
      return FALSE;
    }
  return TRUE;
}

static RateContext *
context_for_signal (AuscultaFeatureExtractor  *extractor,
                    const AuscultaSignal      *signal,
                    GError                   **error)
{
  gsize n = fft_size_for_rate (extractor->profile, signal->sample_rate);
  RateContext *context;

  if (n < MIN_FFT_SIZE || n > MAX_FFT_SIZE)
    {
      g_set_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_SAMPLE_RATE,
                   "Run “%s”, channel “%s”: sample rate %g Hz needs a %" G_GSIZE_FORMAT
                   "-point FFT for this profile's resolution, outside %d–%d",
                   signal->run, signal->channel, signal->sample_rate, n, MIN_FFT_SIZE, MAX_FFT_SIZE);
      return NULL;
    }
  context = context_for_rate (extractor, signal->sample_rate, error);
  if (context != NULL && signal->n_samples < context->spectrum.config.fft_size)
    {
      g_set_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_TOO_SHORT,
                   "Run “%s”, channel “%s”: %" G_GSIZE_FORMAT " samples, fewer than one "
                   "%" G_GSIZE_FORMAT "-point FFT frame (%.3f s at %g Hz)",
                   signal->run, signal->channel, signal->n_samples, context->spectrum.config.fft_size,
                   context->spectrum.config.fft_size / signal->sample_rate, signal->sample_rate);
      return NULL;
    }
  return context;
}

static gboolean
check_finite (const AuscultaSampleScan *scan,
              const AuscultaSignal     *signal,
              GError                  **error)
{
  if (scan->n_nonfinite == 0)
    return TRUE;
  g_set_error (error, AUSCULTA_FEATURE_ERROR, AUSCULTA_FEATURE_ERROR_SAMPLES,
               "Run “%s”, channel “%s”: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
               " samples are NaN or infinite", signal->run, signal->channel, scan->n_nonfinite,
               signal->n_samples);
  return FALSE;
}

/* A channel's spectrum, or a tachometer's rate. */
static gboolean
analyse_signal (AuscultaFeatureExtractor      *extractor,
                guint                          c,
                const AuscultaProfileChannel  *channel,
                const AuscultaSignal          *signal,
                GError                       **error)
{
  ChannelSpectrum *spectrum = &extractor->spectra[c];
  RateContext *context;

  if (channel->kind == AUSCULTA_CHANNEL_TACHO)
    {
      spectrum->power = NULL;
      spectrum->tacho_rate = ausculta_statistics_pulse_rate (signal->samples, signal->n_samples,
                                                             signal->sample_rate)
                             / channel->pulses_per_revolution;
      return TRUE;
    }
  if (!(context = context_for_signal (extractor, signal, error)))
    return FALSE;
  spectrum->n_bins = context->spectrum.n_bins;
  spectrum->bin_width = ausculta_spectrum_bin_width (&context->spectrum);
  spectrum->power = context->power + c * spectrum->n_bins;
  spectrum->weights = context->weights[c];
  ausculta_spectrum_reset (&context->spectrum);
  ausculta_spectrum_process (&context->spectrum, signal->samples, signal->n_samples);
  ausculta_spectrum_get (&context->spectrum, AUSCULTA_SPECTRUM_POWER, (double *) spectrum->power);
  return TRUE;
}

/* The spectrum of every channel of one run, and their health (ORed into
 * each signal's and into *health). */
static gboolean
analyse_run (AuscultaFeatureExtractor  *extractor,
             AuscultaSignal           **signals,
             guint                      n_signals,
             const AuscultaProfileRun  *run,
             guint                     *health,
             GError                   **error)
{
  for (guint c = 0; c < extractor->n_channels; c++)
    {
      const AuscultaProfileChannel *channel = ausculta_profile_get_channel (extractor->profile, c);
      AuscultaSignal *signal = find_signal (signals, n_signals, run->name, channel->name);
      const ChannelSpectrum *spectrum = &extractor->spectra[c];
      AuscultaSampleScan scan;

      if (!check_signal (signal, run->name, channel->name, error))
        return FALSE;
      ausculta_sample_scan (channel, signal->samples, signal->n_samples, &scan);
      if (!check_finite (&scan, signal, error)
          || !analyse_signal (extractor, c, channel, signal, error))
        return FALSE;

      signal->health |= ausculta_sample_scan_health (channel, &scan, signal->n_samples, spectrum->power,
                                                     spectrum->n_bins, spectrum->bin_width);
      if ((double) signal->n_samples < SHORT_RUN_SHARE * run->duration * signal->sample_rate)
        signal->health |= AUSCULTA_HEALTH_SHORT_RUN;
      *health |= signal->health;
    }
  return TRUE;
}

static double
shaft_rate (AuscultaFeatureExtractor     *extractor,
            const AuscultaProfileBandSet *set)
{
  const ChannelSpectrum *spectrum = NULL;

  if (set->shaft_rate > 0.0)
    return set->shaft_rate;
  for (guint c = 0; c < extractor->n_channels; c++)
    if (g_str_equal (ausculta_profile_get_channel (extractor->profile, c)->name, set->shaft_channel))
      spectrum = &extractor->spectra[c];
  g_assert (spectrum != NULL);
  if (spectrum->power == NULL)
    return spectrum->tacho_rate;
  return ausculta_bands_strongest_line (spectrum->power, spectrum->n_bins, spectrum->bin_width,
                                        set->shaft_low, set->shaft_high);
}

/* The set's bands for this run into extractor->bands; FALSE when the
 * shaft rate cannot be found (no line in range). */
static gboolean
fill_bands (AuscultaFeatureExtractor     *extractor,
            const AuscultaProfileBandSet *set)
{
  double rate;

  switch (set->kind)
    {
    case AUSCULTA_BAND_SET_ORDERS:
      rate = shaft_rate (extractor, set);
      if (isnan (rate))
        return FALSE;
      ausculta_bands_orders (rate, set->first_order, set->count, set->order_width, set->name,
                             extractor->bands);
      return TRUE;
    case AUSCULTA_BAND_SET_CONSTANT_WIDTH:
      ausculta_bands_constant_width (set->start, set->width, set->count, set->name, extractor->bands);
      return TRUE;
    case AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE:
    default:
      return ausculta_bands_fractional_octave (set->fraction, set->f_low, set->f_high,
                                               extractor->bands, set->count, NULL) == set->count;
    }
}

/* Band levels of one set for every channel but tachometers, at
 * features[b·n_feature_channels + channel's rank]. */
static void
band_set_levels (AuscultaFeatureExtractor     *extractor,
                 const AuscultaProfileBandSet *set,
                 double                       *features)
{
  gboolean have_bands = fill_bands (extractor, set);
  guint rank = 0;

  for (guint c = 0; c < extractor->n_channels; c++)
    {
      const AuscultaProfileChannel *channel = ausculta_profile_get_channel (extractor->profile, c);
      const ChannelSpectrum *spectrum = &extractor->spectra[c];
      double *level = extractor->band_power;
      const double *weights = set->kind == AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE ? spectrum->weights : NULL;

      if (channel->kind == AUSCULTA_CHANNEL_TACHO)
        continue;
      if (have_bands)
        ausculta_bands_sum_power (extractor->bands, set->count, spectrum->power, weights,
                                  spectrum->n_bins, spectrum->bin_width, level);
      for (guint b = 0; b < set->count; b++)
        {
          if (!have_bands)
            level[b] = NAN;
          else if (channel->scale == AUSCULTA_LEVEL_LINEAR)
            level[b] = sqrt (level[b]);
        }
      if (have_bands && channel->scale == AUSCULTA_LEVEL_DB)
        ausculta_spectrum_to_db (level, set->count, TRUE, channel->reference);
      for (guint b = 0; b < set->count; b++)
        features[b * extractor->n_feature_channels + rank] = level[b];
      rank++;
    }
}

guint
ausculta_feature_extractor_get_run_size (AuscultaFeatureExtractor *extractor)
{
  g_return_val_if_fail (extractor != NULL, 0);
  return extractor->run_size;
}

/**
 * ausculta_feature_extractor_extract_run:
 * @run: the run's index in the profile
 * @signals: (array length=n_signals): signals of any runs; those of @run
 *   are used, and their health is set
 * @features: (out caller-allocates): get_run_size() values, the slice of
 *   the whole vector that starts at @run × get_run_size()
 * @health: (inout): the run's health flags are ORed into it
 *
 * Computes one run's features alone, as ausculta_feature_extractor_extract()
 * computes them for the whole measurement: the same values.
 *
 * Returns: %FALSE with @error as ausculta_feature_extractor_extract() does.
 */
gboolean
ausculta_feature_extractor_extract_run (AuscultaFeatureExtractor  *extractor,
                                        guint                      run,
                                        AuscultaSignal           **signals,
                                        guint                      n_signals,
                                        double                    *features,
                                        guint                     *health,
                                        GError                   **error)
{
  AuscultaProfile *profile;

  g_return_val_if_fail (extractor != NULL && features != NULL && health != NULL, FALSE);
  g_return_val_if_fail (run < ausculta_profile_get_n_runs (extractor->profile), FALSE);
  g_return_val_if_fail (signals != NULL || n_signals == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  profile = extractor->profile;
  if (!analyse_run (extractor, signals, n_signals, ausculta_profile_get_run (profile, run), health, error))
    return FALSE;
  for (guint s = 0; s < ausculta_profile_get_n_band_sets (profile); s++)
    {
      const AuscultaProfileBandSet *set = ausculta_profile_get_band_set (profile, s);

      band_set_levels (extractor, set, features);
      features += set->count * extractor->n_feature_channels;
    }
  return TRUE;
}

/**
 * ausculta_feature_extractor_extract:
 *
 * Computes the profile's features from @measurement's signals (any
 * sample rate: the FFT size follows it to keep the profile's resolution;
 * bands beyond the Nyquist frequency are NaN).
 *
 * Returns: %FALSE with @error naming the run and channel when a signal is
 *   missing, too short, not finite or at an unusable rate.
 */
gboolean
ausculta_feature_extractor_extract (AuscultaFeatureExtractor  *extractor,
                                    AuscultaMeasurement       *measurement,
                                    GError                   **error)
{
  AuscultaProfile *profile;
  gint64 started = g_get_monotonic_time ();
  AuscultaSignal **signals;
  guint n_signals;

  g_return_val_if_fail (extractor != NULL && measurement != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  profile = extractor->profile;
  signals = (AuscultaSignal **) measurement->signals->pdata;
  n_signals = measurement->signals->len;
  for (guint r = 0; r < ausculta_profile_get_n_runs (profile); r++)
    if (!ausculta_feature_extractor_extract_run (extractor, r, signals, n_signals,
                                                 extractor->features + r * extractor->run_size,
                                                 &measurement->health, error))
      return FALSE;

  ausculta_measurement_set_features (measurement, ausculta_profile_get_feature_names (profile),
                                     extractor->features, ausculta_profile_get_n_features (profile));
  g_free (measurement->profile_name);
  measurement->profile_name = g_strdup (ausculta_profile_get_name (profile));
  g_free (measurement->profile_hash);
  measurement->profile_hash = g_strdup (ausculta_profile_get_hash (profile));
  ausculta_measurement_set_timing (measurement, "features",
                                   (g_get_monotonic_time () - started) / 1000.0);
  return TRUE;
}
