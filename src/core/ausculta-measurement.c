/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-measurement.h"

G_DEFINE_BOXED_TYPE (AuscultaMeasurement, ausculta_measurement,
                     ausculta_measurement_ref, ausculta_measurement_unref)

static void
reason_free (gpointer data)
{
  AuscultaReason *reason = data;

  g_free (reason->feature);
  g_free (reason);
}

static void
signal_free (gpointer data)
{
  AuscultaSignal *signal = data;

  g_free (signal->run);
  g_free (signal->channel);
  g_free (signal->unit);
  g_free (signal->samples);
  g_clear_pointer (&signal->flac, g_bytes_unref);
  g_free (signal);
}

static void
measurement_clear (gpointer data)
{
  AuscultaMeasurement *measurement = data;

  g_free (measurement->id);
  g_free (measurement->serial);
  g_free (measurement->station);
  g_free (measurement->operator_name);
  g_clear_pointer (&measurement->started_at, g_date_time_unref);
  g_clear_pointer (&measurement->finished_at, g_date_time_unref);
  g_free (measurement->profile_name);
  g_free (measurement->profile_hash);
  g_free (measurement->model_version);
  g_free (measurement->model_hash);
  g_ptr_array_unref (measurement->reasons);
  g_strfreev (measurement->feature_names);
  g_free (measurement->features);
  g_ptr_array_unref (measurement->signals);
  g_free (measurement->source);
  g_free (measurement->source_index);
  g_hash_table_unref (measurement->timings_ms);
}

/**
 * ausculta_measurement_new:
 *
 * Returns: (transfer full): an empty measurement with a fresh UUIDv7 id,
 *   started now (UTC), no verdict and a NaN score.
 */
AuscultaMeasurement *
ausculta_measurement_new (void)
{
  AuscultaMeasurement *measurement = g_atomic_rc_box_new0 (AuscultaMeasurement);

  measurement->id = ausculta_uuid7_new ();
  measurement->started_at = g_date_time_new_now_utc ();
  measurement->verdict = AUSCULTA_VERDICT_NONE;
  measurement->score = NAN;
  measurement->threshold = NAN;
  measurement->reasons = g_ptr_array_new_with_free_func (reason_free);
  measurement->signals = g_ptr_array_new_with_free_func (signal_free);
  measurement->timings_ms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return measurement;
}

AuscultaMeasurement *
ausculta_measurement_ref (AuscultaMeasurement *measurement)
{
  g_return_val_if_fail (measurement != NULL, NULL);
  return g_atomic_rc_box_acquire (measurement);
}

void
ausculta_measurement_unref (AuscultaMeasurement *measurement)
{
  g_return_if_fail (measurement != NULL);
  g_atomic_rc_box_release_full (measurement, measurement_clear);
}

void
ausculta_measurement_set_features (AuscultaMeasurement *measurement,
                                   const char * const  *names,
                                   const double        *values,
                                   guint                n_features)
{
  g_return_if_fail (measurement != NULL);
  g_return_if_fail (n_features == 0 || (names != NULL && values != NULL));

  g_strfreev (measurement->feature_names);
  g_free (measurement->features);
  measurement->feature_names = g_new0 (char *, n_features + 1);
  for (guint i = 0; i < n_features; i++)
    measurement->feature_names[i] = g_strdup (names[i]);
  measurement->features = g_memdup2 (values, n_features * sizeof (double));
  measurement->n_features = n_features;
}

void
ausculta_measurement_add_reason (AuscultaMeasurement *measurement,
                                 const char          *feature,
                                 double               contribution)
{
  AuscultaReason *reason;

  g_return_if_fail (measurement != NULL && feature != NULL);

  reason = g_new0 (AuscultaReason, 1);
  reason->feature = g_strdup (feature);
  reason->contribution = contribution;
  g_ptr_array_add (measurement->reasons, reason);
}

/**
 * ausculta_measurement_add_signal:
 *
 * Returns: (transfer none): a new signal of @n_samples zeroed samples,
 *   owned by @measurement.
 */
AuscultaSignal *
ausculta_measurement_add_signal (AuscultaMeasurement *measurement,
                                 const char          *run,
                                 const char          *channel,
                                 const char          *unit,
                                 double               sample_rate,
                                 gsize                n_samples)
{
  AuscultaSignal *signal;

  g_return_val_if_fail (measurement != NULL && run != NULL && channel != NULL, NULL);

  signal = g_new0 (AuscultaSignal, 1);
  signal->run = g_strdup (run);
  signal->channel = g_strdup (channel);
  signal->unit = g_strdup (unit);
  signal->sample_rate = sample_rate;
  signal->samples = g_new0 (float, MAX (n_samples, 1));
  signal->n_samples = n_samples;
  g_ptr_array_add (measurement->signals, signal);
  return signal;
}

/**
 * ausculta_measurement_find_signal:
 *
 * Returns: (transfer none) (nullable): the signal of @channel in @run, NULL
 *   when the measurement kept none.
 */
AuscultaSignal *
ausculta_measurement_find_signal (AuscultaMeasurement *measurement,
                                  const char          *run,
                                  const char          *channel)
{
  g_return_val_if_fail (measurement != NULL && run != NULL && channel != NULL, NULL);

  for (guint i = 0; i < measurement->signals->len; i++)
    {
      AuscultaSignal *signal = g_ptr_array_index (measurement->signals, i);

      if (g_str_equal (signal->run, run) && g_str_equal (signal->channel, channel))
        return signal;
    }
  return NULL;
}

void
ausculta_measurement_set_timing (AuscultaMeasurement *measurement,
                                 const char          *step,
                                 double               milliseconds)
{
  g_return_if_fail (measurement != NULL && step != NULL);
  g_hash_table_insert (measurement->timings_ms, g_strdup (step),
                       g_memdup2 (&milliseconds, sizeof milliseconds));
}

const char *
ausculta_verdict_to_string (AuscultaVerdict verdict)
{
  switch (verdict)
    {
    case AUSCULTA_VERDICT_OK:
      return "OK";
    case AUSCULTA_VERDICT_NOK:
      return "NOK";
    case AUSCULTA_VERDICT_REPEAT:
      return "REPEAT";
    case AUSCULTA_VERDICT_NONE:
    default:
      return "NONE";
    }
}

gboolean
ausculta_verdict_from_string (const char      *text,
                              AuscultaVerdict *verdict)
{
  static const AuscultaVerdict all[] = {
    AUSCULTA_VERDICT_NONE, AUSCULTA_VERDICT_OK, AUSCULTA_VERDICT_NOK, AUSCULTA_VERDICT_REPEAT
  };

  g_return_val_if_fail (text != NULL && verdict != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_ascii_strcasecmp (text, ausculta_verdict_to_string (all[i])) == 0)
      {
        *verdict = all[i];
        return TRUE;
      }
  return FALSE;
}

static const struct { guint flag; const char *name; } health_names[] = {
  { AUSCULTA_HEALTH_DEAD_CHANNEL, "dead-channel" },
  { AUSCULTA_HEALTH_CLIPPING, "clipping" },
  { AUSCULTA_HEALTH_DC_OFFSET, "dc-offset" },
  { AUSCULTA_HEALTH_NOISE_FLOOR, "noise-floor" },
  { AUSCULTA_HEALTH_OVERRUN, "overrun" },
  { AUSCULTA_HEALTH_SHORT_RUN, "short-run" },
};

/**
 * ausculta_health_to_string:
 *
 * Returns: (transfer full): the flags as words, e.g. "dead-channel,clipping",
 *   or "" when healthy.
 */
char *
ausculta_health_to_string (guint health)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (health_names); i++)
    if (health & health_names[i].flag)
      g_string_append_printf (text, "%s%s", text->len ? "," : "", health_names[i].name);
  return g_string_free (text, FALSE);
}

/**
 * ausculta_health_flag_from_string:
 * @word: one word of ausculta_health_to_string(), e.g. "clipping"
 * @flag: (out): its #AuscultaHealth flag
 *
 * Returns: %FALSE if @word names no flag.
 */
gboolean
ausculta_health_flag_from_string (const char *word,
                                  guint      *flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (health_names); i++)
    if (g_str_equal (word, health_names[i].name))
      {
        *flag = health_names[i].flag;
        return TRUE;
      }
  return FALSE;
}

/**
 * ausculta_uuid7_new:
 *
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then
 * random bits, so ids sort by creation time and never need a server.
 *
 * Returns: (transfer full): the UUID in its 36-character text form.
 */
char *
ausculta_uuid7_new (void)
{
  guint8 bytes[16];
  guint64 ms = (guint64) (g_get_real_time () / 1000);

  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (ms >> (40 - 8 * i));
  for (guint i = 6; i < 16; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (bytes + i, &r, MIN (4, 16 - i));
    }
  bytes[6] = (bytes[6] & 0x0F) | 0x70;
  bytes[8] = (bytes[8] & 0x3F) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                          bytes[12], bytes[13], bytes[14], bytes[15]);
}
