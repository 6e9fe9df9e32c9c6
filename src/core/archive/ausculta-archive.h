/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-measurement.h"

G_BEGIN_DECLS

/* The archive: one SQLite file holding every measurement, its signals and
 * features, labels, models, stations, users, the audit trail and the outbox.
 *
 * Threads: one AuscultaArchive may be shared by every thread. Each thread
 * that calls it gets its own SQLite connection to the same file (opened on
 * its first call, closed when the archive is finalized); WAL mode lets a
 * reader run while another thread writes. Writers are serialised by SQLite
 * (busy timeout 10 s). Objects returned are owned by the caller. */

#define AUSCULTA_ARCHIVE_ERROR (ausculta_archive_error_quark ())

typedef enum {
  AUSCULTA_ARCHIVE_ERROR_OPEN,          /* cannot open or create the file */
  AUSCULTA_ARCHIVE_ERROR_NOT_ARCHIVE,   /* the file is not an Ausculta archive */
  AUSCULTA_ARCHIVE_ERROR_TOO_NEW,       /* written by a newer Ausculta */
  AUSCULTA_ARCHIVE_ERROR_READ_ONLY,     /* a write on a read-only archive */
  AUSCULTA_ARCHIVE_ERROR_DISK_FULL,     /* no space left (or file size limit) */
  AUSCULTA_ARCHIVE_ERROR_BUSY,          /* locked by another writer too long */
  AUSCULTA_ARCHIVE_ERROR_CORRUPT,       /* integrity or audit-chain failure */
  AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,     /* no such measurement/user/model */
  AUSCULTA_ARCHIVE_ERROR_EXISTS,        /* a unique name/id already there */
  AUSCULTA_ARCHIVE_ERROR_INVALID,       /* a bad argument (empty serial, ...) */
  AUSCULTA_ARCHIVE_ERROR_PERMISSION,    /* the acting user's role lacks the right */
  AUSCULTA_ARCHIVE_ERROR_AUTH,          /* wrong name/password, or user disabled */
  AUSCULTA_ARCHIVE_ERROR_SIGNAL,        /* a signal cannot be encoded or decoded */
  AUSCULTA_ARCHIVE_ERROR_FAILED,        /* any other SQLite failure */
} AuscultaArchiveError;

/* Roles are ordered: each has every right of the ones before it. */
typedef enum {
  AUSCULTA_ROLE_INSPECTOR = 1,   /* inspects, labels own measurements */
  AUSCULTA_ROLE_ENGINEER,        /* labels any measurement, adds candidate models */
  AUSCULTA_ROLE_SUPERVISOR,      /* imports, approves / retires models */
  AUSCULTA_ROLE_ADMIN,           /* manages users and stations */
} AuscultaRole;

typedef enum {
  AUSCULTA_MODEL_CANDIDATE,
  AUSCULTA_MODEL_APPROVED,
  AUSCULTA_MODEL_RETIRED,
} AuscultaModelStatus;

/* Label values (a defect class 1..99 is itself a label value). */
#define AUSCULTA_LABEL_OK          0      /* a good motor */
#define AUSCULTA_LABEL_NG          100    /* a bad motor, defect class not known */
/* Filter values for AuscultaArchiveFilter.label (besides any label value). */
#define AUSCULTA_LABEL_FILTER_ANY        (-1)   /* no filter */
#define AUSCULTA_LABEL_FILTER_UNLABELLED (-2)
#define AUSCULTA_LABEL_FILTER_ANY_NG     (-3)   /* NG or any defect class */

/* A user as the archive knows them (never the hashes). */
typedef struct {
  gint64        id;
  char         *name;
  char         *full_name;
  AuscultaRole  role;
  gboolean      disabled;
  gboolean      has_pin;
  GDateTime    *created_at;
} AuscultaUser;

/* Filters of the Archive page; zero/NULL fields do not filter.
 * Initialise with ausculta_archive_filter_init(). */
typedef struct {
  const char  *serial_prefix;
  GDateTime   *from;          /* started_at >= from */
  GDateTime   *to;            /* started_at <  to */
  int          verdict;       /* -1 = any, else an AuscultaVerdict */
  int          label;         /* AUSCULTA_LABEL_FILTER_* or a label value */
  const char  *station;
  const char  *model_version;
  const char  *source;        /* exact source, e.g. "csv:DATASET_NG_dev.csv" */
} AuscultaArchiveFilter;

/* One row of a page: what the list shows, without features or signals. */
typedef struct {
  char            *id;
  char            *serial;
  char            *station;
  char            *operator_name;
  GDateTime       *started_at;
  char            *model_version;
  AuscultaVerdict  verdict;
  double           score;       /* NaN when none */
  double           threshold;
  guint            health;
  int              label;       /* AUSCULTA_LABEL_FILTER_UNLABELLED when none */
  char            *source_index;
} AuscultaArchiveRow;

/* Counts per UTC day and verdict. */
typedef struct {
  GDate  day;
  guint  counts[4];             /* indexed by AuscultaVerdict */
} AuscultaDayCounts;

/* One label of a measurement's history. */
typedef struct {
  int         label;            /* AUSCULTA_LABEL_OK, _NG or a defect class */
  char       *comment;
  char       *user_name;
  GDateTime  *created_at;
} AuscultaLabel;

/* A features matrix, row-major, for PCA and training. */
typedef struct {
  guint    n_rows;
  guint    n_features;
  char   **feature_names;       /* n_features, NULL-terminated */
  double  *values;              /* n_rows * n_features; NaN where missing */
  char   **ids;                 /* n_rows measurement ids, NULL-terminated */
  char   **motor_groups;        /* n_rows, NULL-terminated ("" when unknown) */
  int     *labels;              /* n_rows; AUSCULTA_LABEL_FILTER_UNLABELLED when none */
} AuscultaFeatureMatrix;

typedef struct {
  char                *id;
  char                *version;
  char                *sha256;
  AuscultaModelStatus  status;
  char                *validation_report;   /* JSON text, may be NULL */
  char                *created_by;
  GDateTime           *created_at;
  char                *approved_by;         /* NULL unless approved once */
  GDateTime           *approved_at;
  gboolean             production;          /* the current production model */
} AuscultaModelInfo;

typedef struct {
  char     *name;
  char     *description;
  gboolean  store_signals;      /* keep FLAC signals of this station's measurements */
} AuscultaStation;

#define AUSCULTA_TYPE_ARCHIVE (ausculta_archive_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaArchive, ausculta_archive, AUSCULTA, ARCHIVE, GObject)

GQuark               ausculta_archive_error_quark          (void);

/* Opening: creates the file (and its folder) when missing, migrates an
 * older schema forward; refuses a non-archive or a newer schema. */
AuscultaArchive     *ausculta_archive_open                 (const char             *path,
                                                            GError                **error);
AuscultaArchive     *ausculta_archive_open_default         (GError                **error);
AuscultaArchive     *ausculta_archive_open_read_only       (const char             *path,
                                                            GError                **error);

/* Upgrading an older archive rebuilds its indexes: minutes for a million
 * measurements. The upgrade is one transaction: interrupted (cancelled,
 * the process killed, the power cut), the archive stays at its old version
 * and the next opening starts the upgrade again. @done of @total steps
 * are finished: its SQL statements (the slow ones each build an index),
 * then the writing of the result. */
typedef void (*AuscultaArchiveProgressFunc) (guint    done,
                                             guint    total,
                                             gpointer user_data);

/* TRUE when @path is an archive of an older version, which opening will
 * upgrade (FALSE for a missing, new, current or foreign file). Cheap. */
gboolean             ausculta_archive_needs_upgrade        (const char             *path);
/* ausculta_archive_open() in a worker thread; @progress (nullable) is
 * called in the caller's thread-default main context, in order, before
 * @callback, for each step of an upgrade (or of a new archive's creation),
 * never when the archive is current. Cancelling interrupts an upgrade,
 * which leaves the archive as it was (G_IO_ERROR_CANCELLED). */
void                 ausculta_archive_open_async           (const char             *path,
                                                            AuscultaArchiveProgressFunc progress,
                                                            gpointer                progress_data,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
AuscultaArchive     *ausculta_archive_open_finish          (GAsyncResult           *result,
                                                            GError                **error);
const char          *ausculta_archive_get_path             (AuscultaArchive        *self);
int                  ausculta_archive_get_schema_version   (AuscultaArchive        *self);
int                  ausculta_archive_get_latest_schema_version (void);

/* Measurements: measurement row, signals (FLAC, when its station keeps
 * them), features, and one outbox row per sync target, in one transaction.
 * Fails with EXISTS if the id is already archived. */
gboolean             ausculta_archive_insert_measurement   (AuscultaArchive        *self,
                                                            AuscultaMeasurement    *measurement,
                                                            GError                **error);
/* Many at once, one transaction (batch ingest, import). */
gboolean             ausculta_archive_insert_measurements  (AuscultaArchive        *self,
                                                            AuscultaMeasurement   **measurements,
                                                            guint                   n_measurements,
                                                            GError                **error);
AuscultaMeasurement *ausculta_archive_load_measurement     (AuscultaArchive        *self,
                                                            const char             *id,
                                                            gboolean                with_signals,
                                                            GError                **error);

/* Queries of the GUI. Rows are sorted by started_at, newest first. */
void                 ausculta_archive_filter_init          (AuscultaArchiveFilter  *filter);
GPtrArray           *ausculta_archive_query_page           (AuscultaArchive        *self,
                                                            const AuscultaArchiveFilter *filter,
                                                            guint                   offset,
                                                            guint                   limit,
                                                            GError                **error);
gboolean             ausculta_archive_count                (AuscultaArchive        *self,
                                                            const AuscultaArchiveFilter *filter,
                                                            guint64                *count,
                                                            GError                **error);
/* AuscultaDayCounts per day with at least one measurement, oldest first;
 * honours filter->from, ->to and ->station (other fields ignored). */
GArray              *ausculta_archive_count_per_day        (AuscultaArchive        *self,
                                                            const AuscultaArchiveFilter *filter,
                                                            GError                **error);
/* The features of the filtered rows (newest first, at most max_rows; 0 = all). */
AuscultaFeatureMatrix *ausculta_archive_get_features       (AuscultaArchive        *self,
                                                            const AuscultaArchiveFilter *filter,
                                                            guint                   max_rows,
                                                            GError                **error);
/* The same for an explicit list of measurement ids, in that order. */
AuscultaFeatureMatrix *ausculta_archive_get_features_of_ids (AuscultaArchive       *self,
                                                            const char * const     *ids,
                                                            GError                **error);

/* Labels: history kept; the latest is the measurement's label. An
 * inspector may label only measurements they operated (operator_name). */
gboolean             ausculta_archive_set_label            (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *measurement_id,
                                                            int                     label,
                                                            const char             *comment,
                                                            GError                **error);
GPtrArray           *ausculta_archive_get_label_history    (AuscultaArchive        *self,
                                                            const char             *measurement_id,
                                                            GError                **error);

/* Models. Adding needs engineer; approving, retiring needs supervisor.
 * The production model is the most recently approved one still approved. */
char                *ausculta_archive_add_model            (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *version,
                                                            GBytes                 *file,
                                                            const char             *validation_report,
                                                            GError                **error);
gboolean             ausculta_archive_approve_model        (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *model_id,
                                                            GError                **error);
gboolean             ausculta_archive_retire_model         (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *model_id,
                                                            GError                **error);
GPtrArray           *ausculta_archive_list_models          (AuscultaArchive        *self,
                                                            GError                **error);
AuscultaModelInfo   *ausculta_archive_get_production_model (AuscultaArchive        *self,
                                                            GError                **error);
GBytes              *ausculta_archive_get_model_file       (AuscultaArchive        *self,
                                                            const char             *model_id,
                                                            GError                **error);

/* A signal's samples as the FLAC file the archive stores (24-bit, divided
 * by their peak, returned in @scale). */
GBytes              *ausculta_archive_encode_flac          (const AuscultaSignal   *signal,
                                                            double                 *scale,
                                                            GError                **error);

/* Stations (admin). Unknown stations are created on first measurement
 * with store_signals = TRUE. */
gboolean             ausculta_archive_set_station          (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *name,
                                                            const char             *description,
                                                            gboolean                store_signals,
                                                            GError                **error);
GPtrArray           *ausculta_archive_list_stations        (AuscultaArchive        *self,
                                                            GError                **error);

/* Users (admin; the very first user of an empty archive may be added with
 * actor NULL and must be an admin). Secrets are hashed with Argon2id. */
gboolean             ausculta_archive_add_user             (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *name,
                                                            const char             *full_name,
                                                            AuscultaRole            role,
                                                            const char             *password,
                                                            const char             *pin,
                                                            GError                **error);
/* A user may change their own password/PIN; an admin anyone's. NULL keeps. */
gboolean             ausculta_archive_set_user_secret      (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *name,
                                                            const char             *password,
                                                            const char             *pin,
                                                            GError                **error);
gboolean             ausculta_archive_set_user_disabled    (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *name,
                                                            gboolean                disabled,
                                                            GError                **error);
gboolean             ausculta_archive_set_user_role        (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *name,
                                                            AuscultaRole            role,
                                                            GError                **error);
GPtrArray           *ausculta_archive_list_users           (AuscultaArchive        *self,
                                                            GError                **error);
/* Checks name + password or PIN; fails with AUTH (same message for an
 * unknown name and a wrong secret) or for a disabled user. */
AuscultaUser        *ausculta_archive_authenticate         (AuscultaArchive        *self,
                                                            const char             *name,
                                                            const char             *secret,
                                                            GError                **error);
/* Fails with PERMISSION unless @actor exists, is enabled and has @role. */
gboolean             ausculta_archive_check_role           (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            AuscultaRole            role,
                                                            GError                **error);

/* Audit: append-only, each entry hashes the previous one. */
gboolean             ausculta_archive_append_audit         (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *action,
                                                            const char             *object,
                                                            const char             *detail,
                                                            GError                **error);
/* Checks integrity, foreign keys, orphan rows and the audit chain; each
 * problem found is appended to @problems as one line. TRUE if none. */
gboolean             ausculta_archive_check                (AuscultaArchive        *self,
                                                            GPtrArray              *problems,
                                                            GError                **error);

/* Import of the historical CSV files (needs supervisor; actor NULL only
 * while the archive has no users). A row already archived (same `index`
 * and same values, from any file) adds nothing; its label is refined (NG -> defect class) when the file
 * knows more, and a disagreeing label is counted, not overwritten. */
typedef struct {
  guint n_rows;
  guint n_added;
  guint n_relabelled;
  guint n_conflicts;
} AuscultaImportResult;

gboolean             ausculta_archive_import_csv           (AuscultaArchive        *self,
                                                            const char             *actor,
                                                            const char             *path,
                                                            AuscultaImportResult   *result,
                                                            GError                **error);

/* Export in a historical layout: VALIDATION (",", index,target 0/1) or
 * DEFECT_CLASS ("; " with decimal commas, BOM, target = class, row stats).
 * Only measurements with features; index = source_index or the id. */
typedef enum {
  AUSCULTA_EXPORT_VALIDATION,
  AUSCULTA_EXPORT_DEFECT_CLASS,
} AuscultaExportLayout;

gboolean             ausculta_archive_export_csv           (AuscultaArchive        *self,
                                                            const AuscultaArchiveFilter *filter,
                                                            AuscultaExportLayout    layout,
                                                            const char             *path,
                                                            guint                  *n_rows,
                                                            GError                **error);
/* One float WAV per stored signal, named <id>_<run>_<channel>.wav; the
 * written paths are appended to @written (may be NULL). */
gboolean             ausculta_archive_export_wav           (AuscultaArchive        *self,
                                                            const char             *measurement_id,
                                                            const char             *folder,
                                                            GPtrArray              *written,
                                                            GError                **error);

const char          *ausculta_role_to_string               (AuscultaRole            role);
gboolean             ausculta_role_from_string             (const char             *text,
                                                            AuscultaRole           *role);
const char          *ausculta_model_status_to_string       (AuscultaModelStatus     status);
char                *ausculta_label_to_string              (int                     label);

void                 ausculta_archive_row_free             (AuscultaArchiveRow     *row);
void                 ausculta_user_free                    (AuscultaUser           *user);
void                 ausculta_label_free                   (AuscultaLabel          *label);
void                 ausculta_feature_matrix_free          (AuscultaFeatureMatrix  *matrix);
void                 ausculta_model_info_free              (AuscultaModelInfo      *info);
void                 ausculta_station_free                 (AuscultaStation        *station);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaArchiveRow, ausculta_archive_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaUser, ausculta_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaLabel, ausculta_label_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaFeatureMatrix, ausculta_feature_matrix_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaModelInfo, ausculta_model_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaStation, ausculta_station_free)

G_END_DECLS
