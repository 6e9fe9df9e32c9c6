/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-feature-layout"

#include "config.h"

#include <string.h>

#include "ausculta-feature-layout.h"

static const char * const runs[] = { "down", "up" };
static const char * const channels[] = { "AC", "vib" };

static char **
build_names (void)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      for (guint b = 0; b < 75 + 33; b++)
        {
          gboolean order_band = b < 75;
          guint number = order_band ? b + 1 : b - 75 + 1;

          for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
            {
              gboolean typo = !order_band && number == 29 && c == 1;

              g_ptr_array_add (names,
                               g_strdup_printf ("%c%u%s%s_%s",
                                                order_band ? 'V' : 'G', number,
                                                typo ? "" : "_",
                                                channels[c], runs[r]));
            }
        }
    }
  g_assert (names->len == AUSCULTA_HISTORICAL_N_FEATURES);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/**
 * ausculta_feature_layout_historical:
 *
 * Returns: (transfer none): the 432 historical feature names, in the order
 *   the original bench wrote them, NULL-terminated.
 */
const char * const *
ausculta_feature_layout_historical (void)
{
  static char **names;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      names = build_names ();
      g_once_init_leave (&initialised, 1);
    }
  return (const char * const *) names;
}

static GHashTable *
build_positions (void)
{
  const char * const *names = ausculta_feature_layout_historical ();
  GHashTable *positions = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_insert (positions, (gpointer) names[i], GUINT_TO_POINTER (i + 1));
  return positions;
}

/**
 * ausculta_feature_layout_historical_find:
 * @name: a column name
 *
 * Returns: the position of @name in the historical layout, or -1.
 */
int
ausculta_feature_layout_historical_find (const char *name)
{
  static GHashTable *positions;
  static gsize initialised;

  g_return_val_if_fail (name != NULL, -1);

  if (g_once_init_enter (&initialised))
    {
      positions = build_positions ();
      g_once_init_leave (&initialised, 1);
    }
  return GPOINTER_TO_INT (g_hash_table_lookup (positions, name)) - 1;
}

/**
 * ausculta_feature_layout_motor_group:
 * @index: a measurement name from the historical `index` column
 *
 * The original bench measured most rejected motors up to three times and
 * named the repetitions "1Balourd_27A", "2Balourd_27A", "3Balourd_27A".
 * A single leading 1, 2 or 3 directly followed by a letter or a space is
 * that repetition number; names such as "123_34207" or "1_vis_SIH" carry a
 * population or motor number instead and are kept whole.
 *
 * Returns: (transfer full): the motor the measurement belongs to.
 */
char *
ausculta_feature_layout_motor_group (const char *index)
{
  g_return_val_if_fail (index != NULL, NULL);

  if (index[0] >= '1' && index[0] <= '3' && index[1] != '\0'
      && !g_ascii_isdigit (index[1]) && index[1] != '_')
    return g_strdup (index + 1);
  return g_strdup (index);
}
