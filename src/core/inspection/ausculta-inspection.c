/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspection"

#include "config.h"

#include <stdbool.h>

#include "ausculta-inspection-private.h"

G_DEFINE_FINAL_TYPE (AuscultaInspection, ausculta_inspection, G_TYPE_OBJECT)

G_DEFINE_QUARK (ausculta-inspection-error-quark, ausculta_inspection_error)

static GParamSpec *properties[N_PROPS];

void
ausculta_inspection_notify (AuscultaInspection         *self,
                            AuscultaInspectionProperty  property)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[property]);
}

static const GEnumValue state_values[] = {
  { AUSCULTA_INSPECTION_IDLE, "AUSCULTA_INSPECTION_IDLE", "idle" },
  { AUSCULTA_INSPECTION_ARMED, "AUSCULTA_INSPECTION_ARMED", "armed" },
  { AUSCULTA_INSPECTION_RUN_UP, "AUSCULTA_INSPECTION_RUN_UP", "run-up" },
  { AUSCULTA_INSPECTION_RUN_DOWN, "AUSCULTA_INSPECTION_RUN_DOWN", "run-down" },
  { AUSCULTA_INSPECTION_PROCESSING, "AUSCULTA_INSPECTION_PROCESSING", "processing" },
  { AUSCULTA_INSPECTION_DONE, "AUSCULTA_INSPECTION_DONE", "done" },
  { 0, NULL, NULL }
};

GType
ausculta_inspection_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("AuscultaInspectionState", state_values));
  return type;
}

const char *
ausculta_inspection_state_to_string (AuscultaInspectionState state)
{
  g_return_val_if_fail (state <= AUSCULTA_INSPECTION_DONE, NULL);
  return state_values[state].value_nick;
}

/* ---- configuration ---- */

#define SET_OBJECT(field, value, prop)                                   \
  G_STMT_START {                                                         \
    g_mutex_lock (&self->lock);                                          \
    gboolean changed_ = g_set_object (&self->field, value);              \
    g_mutex_unlock (&self->lock);                                        \
    if (changed_ && (prop) > 0)                                          \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);      \
  } G_STMT_END

AuscultaInspection *
ausculta_inspection_new (AuscultaProfile *profile,
                         AuscultaSource  *source)
{
  AuscultaInspection *self;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (source == NULL || AUSCULTA_IS_SOURCE (source), NULL);

  self = g_object_new (AUSCULTA_TYPE_INSPECTION, NULL);
  self->profile = ausculta_profile_ref (profile);
  if (source != NULL)
    self->source = g_object_ref (source);
  return self;
}

void
ausculta_inspection_set_source (AuscultaInspection *self,
                                AuscultaSource     *source)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  SET_OBJECT (source, source, PROP_SOURCE);
}

AuscultaSource *
ausculta_inspection_get_source (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->source;
}

/* The profile the next cycle measures with (the running one may still use
 * the previous one). Borrowed: for the thread that sets the profile. */
AuscultaProfile *
ausculta_inspection_get_profile (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->profile;
}

/**
 * ausculta_inspection_dup_profile:
 *
 * Returns: (transfer full): the profile the next cycle measures with; safe
 *   from any thread.
 */
AuscultaProfile *
ausculta_inspection_dup_profile (AuscultaInspection *self)
{
  AuscultaProfile *profile;

  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  g_mutex_lock (&self->lock);
  profile = ausculta_profile_ref (self->profile);
  g_mutex_unlock (&self->lock);
  return profile;
}

/**
 * ausculta_inspection_set_profile:
 * @profile: what the next cycles measure with (e.g. new sensitivities)
 *
 * Safe from any thread, during a cycle too: the running cycle keeps the
 * profile it started with for its capture, live blocks and features; the
 * next cycle starts with @profile (its extractor is made then, replacing
 * one given by ausculta_inspection_set_extractor()).
 */
void
ausculta_inspection_set_profile (AuscultaInspection *self,
                                 AuscultaProfile    *profile)
{
  AuscultaProfile *previous;

  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  g_return_if_fail (profile != NULL);

  g_mutex_lock (&self->lock);
  previous = self->profile;
  if (previous != profile)
    {
      self->profile = ausculta_profile_ref (profile);
      self->profile_changed = TRUE;
    }
  g_mutex_unlock (&self->lock);
  /* The running cycle holds its own reference. */
  if (previous != profile)
    ausculta_profile_unref (previous);
}

void
ausculta_inspection_set_extractor (AuscultaInspection       *self,
                                   AuscultaFeatureExtractor *extractor)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  g_return_if_fail (!atomic_load (&self->running));

  g_clear_pointer (&self->extractor, ausculta_feature_extractor_free);
  g_clear_pointer (&self->run_features, ausculta_run_features_free);
  self->run_features_tried = FALSE;
  self->extractor = extractor;
  /* Given after a profile: it is the one to use. */
  g_mutex_lock (&self->lock);
  self->profile_changed = FALSE;
  g_mutex_unlock (&self->lock);
}

void
ausculta_inspection_set_model (AuscultaInspection *self,
                               AuscultaModel      *model)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  SET_OBJECT (model, model, PROP_MODEL);
}

/* The archive's production model once a cycle loaded it, else the one
 * given: the model the next verdict comes from (as far as is known). */
AuscultaModel *
ausculta_inspection_get_model (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->production != NULL ? self->production : self->model;
}

void
ausculta_inspection_set_archive (AuscultaInspection *self,
                                 AuscultaArchive    *archive)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  SET_OBJECT (archive, archive, 0);
}

AuscultaArchive *
ausculta_inspection_get_archive (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->archive;
}

void
ausculta_inspection_set_serial (AuscultaInspection *self,
                                const char         *serial)
{
  g_autofree char *stripped = NULL;
  gboolean changed;

  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));

  stripped = serial ? g_strstrip (g_strdup (serial)) : NULL;
  if (stripped != NULL && *stripped == '\0')
    g_clear_pointer (&stripped, g_free);
  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->serial, stripped) != 0;
  if (changed)
    {
      g_free (self->serial);
      self->serial = g_steal_pointer (&stripped);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL]);
  if (!atomic_load (&self->running))
    ausculta_inspection_publish (self, self->serial ? AUSCULTA_INSPECTION_ARMED : AUSCULTA_INSPECTION_IDLE,
                                 NULL, NULL, NULL);
}

const char *
ausculta_inspection_get_serial (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->serial;
}

void
ausculta_inspection_set_operator (AuscultaInspection *self,
                                  const char         *operator_name)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  g_mutex_lock (&self->lock);
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  g_mutex_unlock (&self->lock);
}

void
ausculta_inspection_set_station (AuscultaInspection *self,
                                 const char         *station)
{
  g_return_if_fail (AUSCULTA_IS_INSPECTION (self));
  g_mutex_lock (&self->lock);
  g_free (self->station);
  self->station = g_strdup (station);
  g_mutex_unlock (&self->lock);
}

AuscultaInspectionState
ausculta_inspection_get_state (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), AUSCULTA_INSPECTION_IDLE);
  return self->state;
}

const char *
ausculta_inspection_get_run (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->run;
}

double
ausculta_inspection_get_progress (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), 0.0);
  return self->progress;
}

const char *
ausculta_inspection_get_status (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->status;
}

AuscultaMeasurement *
ausculta_inspection_get_measurement (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), NULL);
  return self->measurement;
}

gboolean
ausculta_inspection_is_running (AuscultaInspection *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECTION (self), FALSE);
  return atomic_load (&self->running);
}

/* The cycle's extractors, made from @profile when there are none or the
 * profile changed since; NULL extractor: @error says why. Not running. */
static void
prepare_extractors (AuscultaInspection  *self,
                    AuscultaProfile     *profile,
                    gboolean             profile_changed,
                    GError             **error)
{
  if (profile_changed)
    {
      g_clear_pointer (&self->extractor, ausculta_feature_extractor_free);
      g_clear_pointer (&self->run_features, ausculta_run_features_free);
      self->run_features_tried = FALSE;
    }
  if (self->extractor == NULL)
    self->extractor = ausculta_feature_extractor_new (profile, error);
  if (self->extractor != NULL && !self->run_features_tried)
    {
      g_autoptr(GError) local_error = NULL;

      self->run_features_tried = TRUE;
      self->run_features = ausculta_run_features_new (ausculta_feature_extractor_get_profile (self->extractor),
                                                      &local_error);
      if (self->run_features == NULL)
        g_message ("features will be computed once all runs are captured: %s", local_error->message);
    }
}

/* Snapshot of the configuration for one cycle; marks the cycle running. */
gboolean
ausculta_inspection_take_setup (AuscultaInspection      *self,
                                AuscultaInspectionSetup *setup,
                                GError                 **error)
{
  bool idle = false;
  gboolean profile_changed;

  if (!atomic_compare_exchange_strong (&self->running, &idle, TRUE))
    {
      g_set_error (error, AUSCULTA_INSPECTION_ERROR, AUSCULTA_INSPECTION_ERROR_BUSY,
                   "an inspection is already running (serial %s)", self->serial);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  *setup = (AuscultaInspectionSetup) {
    .profile = ausculta_profile_ref (self->profile),
    .source = self->source ? g_object_ref (self->source) : NULL,
    .follower = self->follower,
    .model = self->model ? g_object_ref (self->model) : NULL,
    .archive = self->archive ? g_object_ref (self->archive) : NULL,
    .serial = g_strdup (self->serial),
    .operator_name = g_strdup (self->operator_name),
    .station = g_strdup (self->station),
  };
  profile_changed = self->profile_changed;
  self->profile_changed = FALSE;
  g_mutex_unlock (&self->lock);
  prepare_extractors (self, setup->profile, profile_changed, error);
  setup->extractor = self->extractor;
  setup->run_features = self->run_features;
  if (self->extractor == NULL)
    {
      ausculta_inspection_setup_clear (setup);
      atomic_store (&self->running, FALSE);
      return FALSE;
    }
  return TRUE;
}

void
ausculta_inspection_setup_clear (AuscultaInspectionSetup *setup)
{
  g_clear_pointer (&setup->profile, ausculta_profile_unref);
  g_clear_object (&setup->source);
  g_clear_object (&setup->model);
  g_clear_object (&setup->archive);
  g_clear_pointer (&setup->serial, g_free);
  g_clear_pointer (&setup->operator_name, g_free);
  g_clear_pointer (&setup->station, g_free);
  setup->extractor = NULL;
  setup->run_features = NULL;
  setup->follower = NULL;
}

void
ausculta_inspection_cycle_ended (AuscultaInspection *self)
{
  atomic_store (&self->running, FALSE);
}

/* ---- GObject ---- */

static void
ausculta_inspection_dispose (GObject *object)
{
  AuscultaInspection *self = AUSCULTA_INSPECTION (object);

  g_clear_object (&self->source);
  g_clear_object (&self->model);
  g_clear_object (&self->production);
  g_clear_object (&self->archive);
  g_clear_pointer (&self->measurement, ausculta_measurement_unref);
  ausculta_inspection_set_block_sink (self, NULL, NULL, NULL);
  G_OBJECT_CLASS (ausculta_inspection_parent_class)->dispose (object);
}

static void
ausculta_inspection_finalize (GObject *object)
{
  AuscultaInspection *self = AUSCULTA_INSPECTION (object);

  g_clear_pointer (&self->extractor, ausculta_feature_extractor_free);
  g_clear_pointer (&self->run_features, ausculta_run_features_free);
  ausculta_model_follower_free (self->follower);
  g_clear_pointer (&self->profile, ausculta_profile_unref);
  g_free (self->serial);
  g_free (self->operator_name);
  g_free (self->station);
  g_free (self->run);
  g_free (self->status);
  g_mutex_clear (&self->sink_lock);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ausculta_inspection_parent_class)->finalize (object);
}

static void
ausculta_inspection_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AuscultaInspection *self = AUSCULTA_INSPECTION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RUN:
      g_value_set_string (value, self->run);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_MEASUREMENT:
      g_value_set_boxed (value, self->measurement);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_MODEL:
      g_value_set_object (value, ausculta_inspection_get_model (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_inspection_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AuscultaInspection *self = AUSCULTA_INSPECTION (object);

  switch (prop_id)
    {
    case PROP_SERIAL:
      ausculta_inspection_set_serial (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      ausculta_inspection_set_source (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      ausculta_inspection_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_inspection_class_init (AuscultaInspectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ausculta_inspection_dispose;
  object_class->finalize = ausculta_inspection_finalize;
  object_class->get_property = ausculta_inspection_get_property;
  object_class->set_property = ausculta_inspection_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AUSCULTA_TYPE_INSPECTION_STATE,
                       AUSCULTA_INSPECTION_IDLE, ro);
  properties[PROP_RUN] = g_param_spec_string ("run", NULL, NULL, NULL, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_MEASUREMENT] =
    g_param_spec_boxed ("measurement", NULL, NULL, AUSCULTA_TYPE_MEASUREMENT, ro);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, rw);
  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, AUSCULTA_TYPE_SOURCE, rw);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, AUSCULTA_TYPE_MODEL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ausculta_inspection_init (AuscultaInspection *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
  g_mutex_init (&self->lock);
  self->follower = ausculta_model_follower_new ();
  g_mutex_init (&self->sink_lock);
  atomic_init (&self->running, FALSE);
}
