/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The data every part of the core passes along: one inspection of one motor.
 * The inspection cycle fills it, the archive stores it, sync sends it, the
 * GUI shows it. A plain reference-counted record, not a GObject: it has no
 * behaviour and is shared read-only between threads once complete. */

typedef enum {
  AUSCULTA_VERDICT_NONE,    /* not decided (imported, or no model) */
  AUSCULTA_VERDICT_OK,
  AUSCULTA_VERDICT_NOK,
  AUSCULTA_VERDICT_REPEAT,  /* the measurement cannot be trusted: measure again */
} AuscultaVerdict;

/* Sensor and capture health, per signal and or-ed per measurement. Any flag
 * in AUSCULTA_HEALTH_REPEAT_MASK makes the verdict REPEAT, never OK/NOK. */
typedef enum {
  AUSCULTA_HEALTH_DEAD_CHANNEL = 1 << 0,
  AUSCULTA_HEALTH_CLIPPING     = 1 << 1,
  AUSCULTA_HEALTH_DC_OFFSET    = 1 << 2,
  AUSCULTA_HEALTH_NOISE_FLOOR  = 1 << 3,
  AUSCULTA_HEALTH_OVERRUN      = 1 << 4,
  AUSCULTA_HEALTH_SHORT_RUN    = 1 << 5,
} AuscultaHealth;

#define AUSCULTA_HEALTH_REPEAT_MASK (AUSCULTA_HEALTH_DEAD_CHANNEL | AUSCULTA_HEALTH_CLIPPING | \
                                     AUSCULTA_HEALTH_NOISE_FLOOR | AUSCULTA_HEALTH_OVERRUN | \
                                     AUSCULTA_HEALTH_SHORT_RUN)

/* One band that pushed the score up, for the inspector's "why". */
typedef struct {
  char   *feature;        /* e.g. "V1_vib_up" */
  double  contribution;   /* its share of the score, 0..1 */
} AuscultaReason;

/* The capture of one channel during one run, in calibrated units. */
typedef struct {
  char     *run;          /* "up", "down" */
  char     *channel;      /* "AC", "vib" */
  char     *unit;         /* "Pa", "m/s²", "g" */
  double    sample_rate;
  float    *samples;
  gsize     n_samples;
  guint     overruns;
  guint     health;       /* AuscultaHealth flags */
  GBytes   *flac;         /* the samples already encoded for the archive, or NULL */
  double    flac_scale;   /* what @flac's samples were divided by (peak or full scale) */
} AuscultaSignal;

typedef struct {
  char            *id;              /* UUIDv7, generated locally */
  char            *serial;
  char            *station;
  char            *operator_name;
  GDateTime       *started_at;      /* UTC */
  GDateTime       *finished_at;     /* UTC */
  char            *profile_name;
  char            *profile_hash;    /* ausculta_profile_get_hash(): its definitions */
  char            *model_version;
  char            *model_hash;      /* SHA-256 of the model file */
  AuscultaVerdict  verdict;
  double           score;           /* larger = more anomalous; NaN if none */
  double           threshold;
  GPtrArray       *reasons;         /* AuscultaReason*, largest first */
  guint            health;          /* AuscultaHealth flags of all signals */
  guint            overruns;
  char           **feature_names;   /* NULL-terminated, n_features long */
  double          *features;
  guint            n_features;
  GPtrArray       *signals;         /* AuscultaSignal* (may be empty) */
  char            *source;          /* "simulator", "portaudio:…", "file:…", "csv:…" */
  char            *source_index;    /* the historical `index` name when imported */
  GHashTable      *timings_ms;      /* step name -> double* milliseconds */
} AuscultaMeasurement;

#define AUSCULTA_TYPE_MEASUREMENT (ausculta_measurement_get_type ())

GType                ausculta_measurement_get_type      (void) G_GNUC_CONST;
AuscultaMeasurement *ausculta_measurement_new           (void);
AuscultaMeasurement *ausculta_measurement_ref           (AuscultaMeasurement *measurement);
void                 ausculta_measurement_unref         (AuscultaMeasurement *measurement);
void                 ausculta_measurement_set_features  (AuscultaMeasurement *measurement,
                                                         const char * const  *names,
                                                         const double        *values,
                                                         guint                n_features);
void                 ausculta_measurement_add_reason    (AuscultaMeasurement *measurement,
                                                         const char          *feature,
                                                         double               contribution);
AuscultaSignal      *ausculta_measurement_add_signal    (AuscultaMeasurement *measurement,
                                                         const char          *run,
                                                         const char          *channel,
                                                         const char          *unit,
                                                         double               sample_rate,
                                                         gsize                n_samples);
AuscultaSignal      *ausculta_measurement_find_signal   (AuscultaMeasurement *measurement,
                                                         const char          *run,
                                                         const char          *channel);
void                 ausculta_measurement_set_timing    (AuscultaMeasurement *measurement,
                                                         const char          *step,
                                                         double               milliseconds);

const char          *ausculta_verdict_to_string         (AuscultaVerdict      verdict);
gboolean             ausculta_verdict_from_string       (const char          *text,
                                                         AuscultaVerdict     *verdict);
char                *ausculta_health_to_string          (guint                health);
gboolean             ausculta_health_flag_from_string   (const char          *word,
                                                         guint               *flag);

char                *ausculta_uuid7_new                 (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaMeasurement, ausculta_measurement_unref)

G_END_DECLS
