/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Judges a capture of an acoustic calibrator (94 or 114 dB SPL at 1 kHz)
 * and turns it into the channel's sensitivity in mV/Pa. A capture is
 * refused when it clips, when its tone is off the nominal frequency, when
 * its level wanders between blocks, or when there is no tone at all. */

#define AUSCULTA_CALIBRATOR_ERROR (ausculta_calibrator_error_quark ())

typedef enum {
  AUSCULTA_CALIBRATOR_ERROR_INVALID,        /* bad settings (level, rate, scale) */
  AUSCULTA_CALIBRATOR_ERROR_TOO_SHORT,      /* less than one second of signal */
  AUSCULTA_CALIBRATOR_ERROR_NO_SIGNAL,      /* silence, or no periodic tone */
  AUSCULTA_CALIBRATOR_ERROR_CLIPPED,        /* samples reach full scale */
  AUSCULTA_CALIBRATOR_ERROR_OFF_FREQUENCY,  /* tone too far from the nominal frequency */
  AUSCULTA_CALIBRATOR_ERROR_UNSTEADY,       /* level varies between blocks */
} AuscultaCalibratorError;

/* How the capture is to be read. */
typedef struct {
  double reference_db;     /* the calibrator's SPL: 94 or 114 */
  double frequency;        /* nominal tone, Hz (1000) */
  double sample_rate;      /* Hz */
  double full_scale;       /* |value| at which the input clips; 0: unknown, not checked */
  double volts_per_unit;   /* volts at the input per sample unit */
} AuscultaCalibratorSettings;

/* What was measured on an accepted capture. */
typedef struct {
  double frequency;        /* measured tone, Hz */
  double rms;              /* in sample units */
  double spread_db;        /* max - min block level, dB */
  double sensitivity;      /* mV/Pa */
} AuscultaCalibration;

#define AUSCULTA_CALIBRATOR_FREQUENCY_TOLERANCE 0.02   /* relative */
#define AUSCULTA_CALIBRATOR_MAX_SPREAD_DB       0.2
#define AUSCULTA_CALIBRATOR_BLOCK_SECONDS       0.1

GQuark   ausculta_calibrator_error_quark    (void);
void     ausculta_calibrator_settings_init  (AuscultaCalibratorSettings       *settings,
                                             double                            reference_db,
                                             double                            sample_rate);
double   ausculta_calibrator_reference_pa   (double                            reference_db);
gboolean ausculta_calibrator_judge          (const AuscultaCalibratorSettings *settings,
                                             const float                      *samples,
                                             gsize                             n_samples,
                                             AuscultaCalibration              *result,
                                             GError                          **error);

G_END_DECLS
