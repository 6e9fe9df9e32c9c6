/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ausculta-spectrum.h"
#include "ausculta-weighting.h"

G_BEGIN_DECLS

#define AUSCULTA_PROFILE_ERROR (ausculta_profile_error_quark ())

typedef enum {
  AUSCULTA_PROFILE_ERROR_NOT_FOUND,   /* no such file, or no such bundled profile */
  AUSCULTA_PROFILE_ERROR_PARSE,       /* not a key file */
  AUSCULTA_PROFILE_ERROR_MISSING,     /* a required group or key is absent */
  AUSCULTA_PROFILE_ERROR_INVALID,     /* a value out of range or of the wrong kind */
} AuscultaProfileError;

typedef enum {
  AUSCULTA_CHANNEL_MICROPHONE,      /* sensitivity in mV/Pa, levels dB re 20 µPa */
  AUSCULTA_CHANNEL_ACCELEROMETER,   /* mV/(m/s²) or mV/g, levels dB re 1 µm/s² */
  AUSCULTA_CHANNEL_TACHO,           /* pulses for the shaft rate: no features of its own */
} AuscultaChannelKind;

typedef enum {
  AUSCULTA_LEVEL_LINEAR,   /* RMS in the channel's unit */
  AUSCULTA_LEVEL_DB,       /* dB re the channel's reference */
} AuscultaLevelScale;

typedef enum {
  AUSCULTA_BAND_SET_ORDERS,
  AUSCULTA_BAND_SET_CONSTANT_WIDTH,
  AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE,
} AuscultaBandSetKind;

typedef struct {
  char   *name;              /* "down", "up" */
  double  duration;          /* seconds */
} AuscultaProfileRun;

typedef struct {
  char                *name;           /* "AC", "vib" */
  AuscultaChannelKind  kind;
  char                *unit;           /* "Pa", "m/s²", "g" */
  double               sensitivity;    /* mV per unit */
  guint                input;          /* device input index, from 0 */
  double               input_range;    /* volts at digital full scale (peak) */
  double               reference;      /* dB reference in unit (20e-6 Pa, 1e-6 m/s²) */
  AuscultaLevelScale   scale;          /* how its features are written */
  AuscultaWeighting    weighting;      /* applied to its fractional-octave bands */
  double               dead_below;     /* standard deviation (unit) under which it is dead */
  double               dc_offset_max;  /* |mean| above this fraction of full scale: offset */
  double               noise_floor_min;  /* dB re reference/√Hz: normal range of the median PSD */
  double               noise_floor_max;
  double               pulses_per_revolution;  /* tacho */
} AuscultaProfileChannel;

typedef struct {
  char                *name;          /* feature prefix: "V", "G", "T" */
  AuscultaBandSetKind  kind;
  guint                count;         /* orders, constant-width */
  guint                first_order;   /* orders */
  double               order_width;   /* orders, in orders */
  double               shaft_rate;    /* orders: Hz, or 0 to estimate */
  double               shaft_low;     /* orders: estimation range, Hz */
  double               shaft_high;
  char                *shaft_channel; /* orders: channel the rate is estimated on */
  double               start;         /* constant-width: Hz */
  double               width;         /* constant-width: Hz */
  guint                fraction;      /* fractional-octave: 1, 3, 6, 12, 24 */
  double               f_low;         /* fractional-octave: Hz */
  double               f_high;
} AuscultaProfileBandSet;

typedef struct _AuscultaProfile AuscultaProfile;

GQuark                         ausculta_profile_error_quark       (void);

AuscultaProfile               *ausculta_profile_load              (const char       *name_or_path,
                                                                   GError          **error);
/* From the text of a profile file (e.g. a copy with other sensitivities,
 * never written to disk); @path names it in errors and is its path. */
AuscultaProfile               *ausculta_profile_load_from_data    (const char       *data,
                                                                   gssize            length,
                                                                   const char       *path,
                                                                   GError          **error);
AuscultaProfile               *ausculta_profile_ref               (AuscultaProfile  *profile);
void                           ausculta_profile_unref             (AuscultaProfile  *profile);

const char                    *ausculta_profile_get_name          (AuscultaProfile  *profile);
const char                    *ausculta_profile_get_path          (AuscultaProfile  *profile);
/* The SHA-256 (64 hex digits) of what the features mean, so that a model
 * and the measurements it scores can be matched: the sample rate; the
 * spectrum's FFT size, window and overlap; each run's name and duration, in
 * order; each channel's name, kind, unit, dB reference, scale and weighting,
 * in order; each band set's name, kind and the keys of its kind (orders:
 * first, count, width, shaft-rate and, when the rate is estimated,
 * shaft-channel and shaft-range; constant-width: start, width, count;
 * fractional-octave: fraction, range); and the feature names in order (they
 * carry the naming). Left out: the profile's name and description (the
 * model checks the name apart), each channel's sensor settings
 * (sensitivity, input, input-range, pulses-per-revolution: calibration and
 * wiring) and health limits (dead-below, dc-offset-max, noise-floor: they
 * flag a measurement to repeat, they do not change its features), comments,
 * whitespace, the order of groups and keys, and how a number is written
 * ("5" and "5.0"; a key left out and its default written out). */
const char                    *ausculta_profile_get_hash          (AuscultaProfile  *profile);
/* The same hash, name and sensor settings: recalibrated profiles differ. */
gboolean                       ausculta_profile_equal             (AuscultaProfile  *a,
                                                                   AuscultaProfile  *b);
double                         ausculta_profile_get_sample_rate   (AuscultaProfile  *profile);

guint                          ausculta_profile_get_n_runs        (AuscultaProfile  *profile);
const AuscultaProfileRun      *ausculta_profile_get_run           (AuscultaProfile  *profile,
                                                                   guint             index);
guint                          ausculta_profile_get_n_channels    (AuscultaProfile  *profile);
const AuscultaProfileChannel  *ausculta_profile_get_channel       (AuscultaProfile  *profile,
                                                                   guint             index);
const AuscultaProfileChannel  *ausculta_profile_find_channel      (AuscultaProfile  *profile,
                                                                   const char       *name);
guint                          ausculta_profile_get_n_band_sets   (AuscultaProfile  *profile);
const AuscultaProfileBandSet  *ausculta_profile_get_band_set      (AuscultaProfile  *profile,
                                                                   guint             index);
/* The spectrum settings at the nominal rate (fft_size, window, overlap);
 * other rates use the FFT size that keeps the same bin width. */
const AuscultaSpectrumConfig  *ausculta_profile_get_spectrum      (AuscultaProfile  *profile);

/* Ordered, NULL-terminated; the default profile gives the 432 historical names. */
const char * const            *ausculta_profile_get_feature_names (AuscultaProfile  *profile);
guint                          ausculta_profile_get_n_features    (AuscultaProfile  *profile);

/* Raw input to calibrated units. VOLTS: the input's voltage. NORMALISED:
 * sample values of the converter, ±1 = ±input_range volts. */
typedef enum {
  AUSCULTA_RAW_VOLTS,
  AUSCULTA_RAW_NORMALISED,
} AuscultaRawScale;

/* The channel's full scale in its unit: input_range volts through its sensitivity. */
double                         ausculta_profile_channel_full_scale (const AuscultaProfileChannel *channel);
void                           ausculta_profile_channel_calibrate (const AuscultaProfileChannel *channel,
                                                                   AuscultaRawScale              scale,
                                                                   const float                  *raw,
                                                                   float                        *calibrated,
                                                                   gsize                         n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaProfile, ausculta_profile_unref)

G_END_DECLS
