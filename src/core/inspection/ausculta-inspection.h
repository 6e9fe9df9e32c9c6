/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-archive.h"
#include "ausculta-feature-extractor.h"
#include "ausculta-measurement.h"
#include "ausculta-model.h"
#include "ausculta-profile.h"
#include "ausculta-source.h"

G_BEGIN_DECLS

#define AUSCULTA_INSPECTION_ERROR (ausculta_inspection_error_quark ())

typedef enum {
  AUSCULTA_INSPECTION_ERROR_NO_SERIAL,   /* started without a serial */
  AUSCULTA_INSPECTION_ERROR_BUSY,        /* a cycle is already running */
  AUSCULTA_INSPECTION_ERROR_SETUP,       /* no source or profile, or they disagree */
} AuscultaInspectionError;
/* A failed capture reports the source's error (AUSCULTA_SOURCE_ERROR_*),
 * prefixed "invalid run, measure again: " once the runs had started. */

typedef enum {
  AUSCULTA_INSPECTION_IDLE,
  AUSCULTA_INSPECTION_ARMED,        /* a serial is set, waiting for the start */
  AUSCULTA_INSPECTION_RUN_UP,
  AUSCULTA_INSPECTION_RUN_DOWN,
  AUSCULTA_INSPECTION_PROCESSING,   /* health, features, model, archive */
  AUSCULTA_INSPECTION_DONE,
} AuscultaInspectionState;

#define AUSCULTA_TYPE_INSPECTION_STATE (ausculta_inspection_state_get_type ())
#define AUSCULTA_TYPE_INSPECTION (ausculta_inspection_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaInspection, ausculta_inspection, AUSCULTA, INSPECTION, GObject)

/* The inspection cycle: serial → runs (from the profile) → sensor health →
 * features → model → verdict → archive (+ outbox, same transaction).
 *
 * Threads: create and observe it on one thread (the GUI's main thread).
 * The cycle runs in a worker (run_async) or in the caller (run); property
 * notifications are always delivered on the creating thread's main
 * context: "state", "run", "progress" (in steps of at least 1 %),
 * "measurement", "status". The samples of a running capture go, block by
 * block, to the block sink, on the cycle's thread. */
GType                    ausculta_inspection_state_get_type   (void) G_GNUC_CONST;
GQuark                   ausculta_inspection_error_quark      (void);
const char              *ausculta_inspection_state_to_string  (AuscultaInspectionState state);

AuscultaInspection      *ausculta_inspection_new              (AuscultaProfile     *profile,
                                                               AuscultaSource      *source);
void                     ausculta_inspection_set_source       (AuscultaInspection  *self,
                                                               AuscultaSource      *source);
AuscultaSource          *ausculta_inspection_get_source       (AuscultaInspection  *self);
AuscultaProfile         *ausculta_inspection_get_profile      (AuscultaInspection  *self);
AuscultaProfile         *ausculta_inspection_dup_profile      (AuscultaInspection  *self);
/* From any thread, even during a cycle: the profile (e.g. with new
 * sensitivities) of the NEXT cycle; a running cycle keeps its own for its
 * capture, live blocks and features. */
void                     ausculta_inspection_set_profile      (AuscultaInspection  *self,
                                                               AuscultaProfile     *profile);
/* Optional collaborators: no extractor → one is made from the profile;
 * no model → verdict NONE with a status saying so; no archive → nothing kept.
 * With an archive, each cycle asks it for its production model and, when
 * that changed, loads it and scores with it from that cycle on ("model"
 * is notified): an approval or a champion pulled by sync needs nothing from
 * the front end. The model set here scores while the archive has none; a
 * production model that cannot be read leaves the previous one in use and
 * the cycle's status says so. get_model returns the model in use. */
void                     ausculta_inspection_set_extractor    (AuscultaInspection       *self,
                                                               AuscultaFeatureExtractor *extractor);
void                     ausculta_inspection_set_model        (AuscultaInspection  *self,
                                                               AuscultaModel       *model);
AuscultaModel           *ausculta_inspection_get_model        (AuscultaInspection  *self);
void                     ausculta_inspection_set_archive      (AuscultaInspection  *self,
                                                               AuscultaArchive     *archive);
AuscultaArchive         *ausculta_inspection_get_archive      (AuscultaInspection  *self);

/* Setting a serial while idle or done arms the cycle. */
void                     ausculta_inspection_set_serial       (AuscultaInspection  *self,
                                                               const char          *serial);
const char              *ausculta_inspection_get_serial       (AuscultaInspection  *self);
void                     ausculta_inspection_set_operator     (AuscultaInspection  *self,
                                                               const char          *operator_name);
void                     ausculta_inspection_set_station      (AuscultaInspection  *self,
                                                               const char          *station);

AuscultaInspectionState  ausculta_inspection_get_state        (AuscultaInspection  *self);
const char              *ausculta_inspection_get_run          (AuscultaInspection  *self);
double                   ausculta_inspection_get_progress     (AuscultaInspection  *self);
const char              *ausculta_inspection_get_status       (AuscultaInspection  *self);
/* The last finished (or invalid) measurement; NULL before the first. */
AuscultaMeasurement     *ausculta_inspection_get_measurement  (AuscultaInspection  *self);

/* One block of a running capture, calibrated: channel c's n_frames
 * samples at samples[c], the block's first frame in its run and its
 * capture time (g_get_monotonic_time() when the cycle had it). Valid only
 * during the sink's call. */
typedef struct
{
  const char  *run;
  guint        n_channels;
  const float *samples[AUSCULTA_SOURCE_MAX_CHANNELS];
  gsize        n_frames;
  double       sample_rate;
  guint64      offset;
  gint64       captured;
} AuscultaLiveBlock;

typedef void (*AuscultaBlockSink) (const AuscultaLiveBlock *block,
                                   gpointer                 user_data);

/* Every block of every capture, in order, as soon as it is calibrated, on
 * the cycle's thread: live views take them there without waking the main
 * thread. The sink holds up the capture, so it must only copy, and it must
 * not call the inspection. From any thread: replacing the sink (NULL: none)
 * waits for a call in progress, then @destroy (if any) frees the old
 * user data. */
void                     ausculta_inspection_set_block_sink   (AuscultaInspection  *self,
                                                               AuscultaBlockSink    sink,
                                                               gpointer             user_data,
                                                               GDestroyNotify       destroy);

/* One cycle for the armed serial. The measurement is returned even when
 * its verdict is REPEAT; an error means there is no trustworthy
 * measurement (invalid run, setup error, cancelled): the invalid one, if
 * any, is the "measurement" property; the cycle is ready for the next
 * serial either way. */
AuscultaMeasurement     *ausculta_inspection_run              (AuscultaInspection  *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
void                     ausculta_inspection_run_async        (AuscultaInspection  *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
AuscultaMeasurement     *ausculta_inspection_run_finish       (AuscultaInspection  *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
gboolean                 ausculta_inspection_is_running       (AuscultaInspection  *self);

G_END_DECLS
