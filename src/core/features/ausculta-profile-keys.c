/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-profile-keys"

#include "config.h"

#include <math.h>

#include "ausculta-profile.h"
#include "ausculta-profile-keys.h"

char *
ausculta_keys_string (const Source *source,
             const char   *group,
             const char   *key,
             const char   *fallback,
             GError      **error)
{
  char *value;

  if (!g_key_file_has_group (source->file, group))
    {
      if (fallback != NULL)
        return g_strdup (fallback);
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_MISSING,
                   "%s: group [%s] is missing", source->path, group);
      return NULL;
    }
  value = g_key_file_get_string (source->file, group, key, NULL);
  if (value != NULL)
    return g_strstrip (value);
  if (fallback != NULL)
    return g_strdup (fallback);
  g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_MISSING,
               "%s: [%s] has no key “%s”", source->path, group, key);
  return NULL;
}

/* A number in [min, max]; `fallback` NaN makes the key required. */
gboolean
ausculta_keys_double (const Source *source,
             const char   *group,
             const char   *key,
             double        fallback,
             double        min,
             double        max,
             double       *value,
             GError      **error)
{
  g_autofree char *text = ausculta_keys_string (source, group, key, isnan (fallback) ? NULL : "", error);
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  if (*text == '\0')
    {
      *value = fallback;
      return TRUE;
    }
  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*value) || *value < min || *value > max)
    {
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
                   "%s: [%s] %s=%s is not a number in %g–%g", source->path, group, key,
                   text, min, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
ausculta_keys_uint (const Source *source,
           const char   *group,
           const char   *key,
           double        fallback,
           guint         min,
           guint         max,
           guint        *value,
           GError      **error)
{
  double number;

  if (!ausculta_keys_double (source, group, key, fallback, min, max, &number, error))
    return FALSE;
  if (number != floor (number))
    {
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
                   "%s: [%s] %s=%g is not a whole number", source->path, group, key, number);
      return FALSE;
    }
  *value = (guint) number;
  return TRUE;
}

/* Two numbers "low;high" with low < high. */
gboolean
ausculta_keys_range (const Source *source,
            const char   *group,
            const char   *key,
            const char   *fallback,
            double       *low,
            double       *high,
            GError      **error)
{
  g_autofree char *text = ausculta_keys_string (source, group, key, fallback, error);
  g_auto(GStrv) parts = NULL;
  char *end_low = NULL, *end_high = NULL;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ";", -1);
  if (g_strv_length (parts) == 2)
    {
      *low = g_ascii_strtod (parts[0], &end_low);
      *high = g_ascii_strtod (parts[1], &end_high);
      if (end_low != parts[0] && *end_low == '\0' && end_high != parts[1] && *end_high == '\0'
          && isfinite (*low) && isfinite (*high) && *low < *high)
        return TRUE;
    }
  g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
               "%s: [%s] %s=%s is not a range “low;high” with low < high",
               source->path, group, key, text);
  return FALSE;
}

char **
ausculta_keys_list (const Source *source,
           const char   *group,
           const char   *key,
           GError      **error)
{
  g_autofree char *text = ausculta_keys_string (source, group, key, NULL, error);
  g_auto(GStrv) parts = NULL;
  GPtrArray *items;

  if (text == NULL)
    return NULL;
  parts = g_strsplit (text, ";", -1);
  items = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_ptr_array_add (items, g_strdup (parts[i]));
  if (items->len == 0)
    {
      g_ptr_array_unref (items);
      g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
                   "%s: [%s] %s is empty", source->path, group, key);
      return NULL;
    }
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

gboolean
ausculta_keys_invalid (const Source *source,
              const char   *group,
              const char   *key,
              const char   *value,
              const char   *expected,
              GError      **error)
{
  g_set_error (error, AUSCULTA_PROFILE_ERROR, AUSCULTA_PROFILE_ERROR_INVALID,
               "%s: [%s] %s=%s is not one of %s", source->path, group, key, value, expected);
  return FALSE;
}
