/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-profile-hash"

#include "config.h"

#include "ausculta-profile-private.h"

/* The profile's hash names what its features mean, so that a model and the
 * measurements it scores can be matched across benches and recalibrations.
 * It is the SHA-256 of a canonical text written from the parsed profile (see
 * ausculta_profile_get_hash() in the header for what it holds). Numbers are
 * written so that they read back to the same double; a key left to its
 * default and the same value written out hash alike. Changing this text
 * changes every hash a model or the archive has recorded: bump the first
 * line's version when it must change. */

static void
append_number (GString    *text,
               const char *key,
               double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (text, " %s=%s", key, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
append_channel (GString                      *text,
                const AuscultaProfileChannel *channel)
{
  g_string_append_printf (text, "channel %s kind=%s unit=%s", channel->name,
                          ausculta_profile_kind_word (channel->kind), channel->unit);
  append_number (text, "reference", channel->reference);
  g_string_append_printf (text, " scale=%s weighting=%s\n",
                          ausculta_profile_scale_word (channel->scale),
                          ausculta_weighting_to_string (channel->weighting));
}

static void
append_band_set (GString                      *text,
                 const AuscultaProfileBandSet *set)
{
  g_string_append_printf (text, "bands %s", set->name);
  switch (set->kind)
    {
    case AUSCULTA_BAND_SET_ORDERS:
      g_string_append_printf (text, " kind=orders first=%u count=%u", set->first_order, set->count);
      append_number (text, "width", set->order_width);
      append_number (text, "shaft-rate", set->shaft_rate);
      /* Read only when the rate is estimated. */
      if (set->shaft_channel != NULL)
        {
          g_string_append_printf (text, " shaft-channel=%s", set->shaft_channel);
          append_number (text, "shaft-low", set->shaft_low);
          append_number (text, "shaft-high", set->shaft_high);
        }
      break;
    case AUSCULTA_BAND_SET_CONSTANT_WIDTH:
      g_string_append_printf (text, " kind=constant-width count=%u", set->count);
      append_number (text, "start", set->start);
      append_number (text, "width", set->width);
      break;
    case AUSCULTA_BAND_SET_FRACTIONAL_OCTAVE:
    default:
      g_string_append_printf (text, " kind=fractional-octave fraction=%u", set->fraction);
      append_number (text, "low", set->f_low);
      append_number (text, "high", set->f_high);
      break;
    }
  g_string_append_c (text, '\n');
}

/* The canonical text the hash is taken of; @profile is fully parsed. */
static char *
definition_text (AuscultaProfile *profile)
{
  GString *text = g_string_new ("ausculta-profile-definition 1\n");

  g_string_append (text, "spectrum");
  append_number (text, "sample-rate", profile->sample_rate);
  g_string_append_printf (text, " fft-size=%" G_GSIZE_FORMAT " window=%s",
                          profile->spectrum.fft_size,
                          ausculta_window_to_string (profile->spectrum.window));
  append_number (text, "overlap", profile->spectrum.overlap);
  g_string_append_c (text, '\n');
  for (guint i = 0; i < profile->runs->len; i++)
    {
      const AuscultaProfileRun *run = &g_array_index (profile->runs, AuscultaProfileRun, i);

      g_string_append_printf (text, "run %s", run->name);
      append_number (text, "duration", run->duration);
      g_string_append_c (text, '\n');
    }
  for (guint i = 0; i < profile->channels->len; i++)
    append_channel (text, &g_array_index (profile->channels, AuscultaProfileChannel, i));
  for (guint i = 0; i < profile->band_sets->len; i++)
    append_band_set (text, &g_array_index (profile->band_sets, AuscultaProfileBandSet, i));
  /* The names carry the naming (historical or generated) and the order. */
  for (guint i = 0; i < profile->n_features; i++)
    g_string_append_printf (text, "feature %s\n", (char *) profile->feature_names->pdata[i]);
  return g_string_free (text, FALSE);
}

char *
ausculta_profile_definition_hash (AuscultaProfile *profile)
{
  g_autofree char *text = definition_text (profile);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gboolean
same_sensor (const AuscultaProfileChannel *a,
             const AuscultaProfileChannel *b)
{
  return a->sensitivity == b->sensitivity && a->input == b->input
         && a->input_range == b->input_range && a->dead_below == b->dead_below
         && a->dc_offset_max == b->dc_offset_max && a->noise_floor_min == b->noise_floor_min
         && a->noise_floor_max == b->noise_floor_max
         && a->pulses_per_revolution == b->pulses_per_revolution;
}

/**
 * ausculta_profile_equal:
 *
 * Whether @a and @b measure alike and are recorded alike: the same
 * definitions (hash), the same name and, channel by channel, the same
 * sensor settings the hash leaves out (sensitivity,
 * input, input range, health limits, pulses per revolution). A profile
 * recalibrated keeps its hash but is not equal to the one before.
 */
gboolean
ausculta_profile_equal (AuscultaProfile *a,
                        AuscultaProfile *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!g_str_equal (a->hash, b->hash) || g_strcmp0 (a->name, b->name) != 0
      || a->channels->len != b->channels->len)
    return FALSE;
  for (guint i = 0; i < a->channels->len; i++)
    if (!same_sensor (&g_array_index (a->channels, AuscultaProfileChannel, i),
                      &g_array_index (b->channels, AuscultaProfileChannel, i)))
      return FALSE;
  return TRUE;
}
