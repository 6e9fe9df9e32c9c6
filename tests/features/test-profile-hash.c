/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "ausculta-profile.h"

/* The hashes a model trained on the shipped profiles records (model file
 * metadata "profile_hash", measurements in the archive and in Mongo): a
 * change here makes every such model refuse the bench's new measurements. */
#define DEFAULT_HASH "0754d89d2edbc8496db1ee94b2234e718f785a94b197edfe4ff7aa3010c1114f"
#define THIRD_OCTAVE_HASH "422013132c2c6dadd0dab75364f234aa139bdd780f77010029041eb82b6d2873"

static char *
shipped_text (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".ini", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "profiles", file, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static AuscultaProfile *
load_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  AuscultaProfile *profile = ausculta_profile_load_from_data (text, -1, "test.ini", &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

/* @text with its one occurrence of @old replaced by @new. */
static char *
edit (const char *text,
      const char *old,
      const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  g_assert_null (strstr (at + 1, old));
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static const char *
hash_of (AuscultaProfile *profile)
{
  const char *hash = ausculta_profile_get_hash (profile);

  g_assert_cmpuint (strlen (hash), ==, 64);
  return hash;
}

/* Each edit of the default profile, and whether it must change the hash. */
static void
assert_edit (const char *old,
             const char *new,
             gboolean    changes)
{
  g_autofree char *text = shipped_text ("default");
  g_autofree char *edited = edit (text, old, new);
  g_autoptr(AuscultaProfile) profile = load_text (text);
  g_autoptr(AuscultaProfile) other = load_text (edited);
  g_autofree char *shown = g_strescape (new, NULL);

  g_test_message ("%s: %.12s to %.12s", shown, hash_of (profile), hash_of (other));
  if (changes)
    g_assert_cmpstr (hash_of (profile), !=, hash_of (other));
  else
    g_assert_cmpstr (hash_of (profile), ==, hash_of (other));
}

/* A recalibration (Preferences, or bench.ini's sensitivities) keeps the
 * hash, so a model keeps scoring the bench's measurements; the profiles
 * still tell themselves apart. */
static void
test_sensitivity (void)
{
  g_autofree char *text = shipped_text ("default");
  g_autofree char *calibrated = edit (text, "sensitivity=50\n", "sensitivity=47.3\n");
  g_autoptr(AuscultaProfile) profile = load_text (text);
  g_autoptr(AuscultaProfile) other = load_text (calibrated);
  g_autoptr(AuscultaProfile) again = load_text (text);

  g_assert_cmpfloat (ausculta_profile_find_channel (other, "AC")->sensitivity, ==, 47.3);
  g_assert_cmpstr (hash_of (profile), ==, hash_of (other));
  g_assert_false (ausculta_profile_equal (profile, other));
  g_assert_true (ausculta_profile_equal (profile, again));

  assert_edit ("sensitivity=10.2\n", "sensitivity=9.81\n", FALSE);
}

/* A profile renamed in place keeps its hash but is another profile: the
 * bench takes it, and its measurements record the new name. */
static void
test_renamed (void)
{
  g_autofree char *text = shipped_text ("default");
  g_autofree char *renamed = edit (text, "name=default\n", "name=line-3\n");
  g_autoptr(AuscultaProfile) profile = load_text (text);
  g_autoptr(AuscultaProfile) other = load_text (renamed);

  g_assert_cmpstr (hash_of (profile), ==, hash_of (other));
  g_assert_false (ausculta_profile_equal (profile, other));
}

/* Wiring and health limits leave the features as they are. */
static void
test_sensor_settings (void)
{
  assert_edit ("input=1\n", "input=3\n", FALSE);
  assert_edit ("input-range=5\nscale=linear", "input-range=10\nscale=linear", FALSE);
  assert_edit ("dead-below=0.0005\n", "dead-below=0.001\n", FALSE);
  assert_edit ("noise-floor=0;150\n", "noise-floor=10;140\n", FALSE);
  assert_edit ("name=default\n", "name=line-3\n", FALSE);
}

/* What the features mean: any of it changes the hash. */
static void
test_definitions (void)
{
  assert_edit ("width=600\n", "width=610\n", TRUE);
  assert_edit ("start=0\n", "start=12.5\n", TRUE);
  assert_edit ("shaft-range=20;200\n", "shaft-range=20;250\n", TRUE);
  assert_edit ("fft-size=8192\n", "fft-size=16384\n", TRUE);
  assert_edit ("window=hann\n", "window=flattop\n", TRUE);
  assert_edit ("overlap=50\n", "overlap=75\n", TRUE);
  assert_edit ("sample-rate=51200\n", "sample-rate=48000\n", TRUE);
  assert_edit ("[run up]\nduration=5\n", "[run up]\nduration=4\n", TRUE);
  assert_edit ("scale=db\n", "scale=linear\n", TRUE);
  assert_edit ("scale=db\nweighting=Z\n", "scale=db\nweighting=A\n", TRUE);
  assert_edit ("unit=m/s²\n", "unit=g\n", TRUE);
  assert_edit ("input=0\n", "input=0\nreference=1e-5\n", TRUE);
  assert_edit ("naming=historical\n", "naming=generated\n", TRUE);
}

/* The third-octave profile's band edges come from its range. */
static void
test_fractional_octave_edges (void)
{
  g_autofree char *text = shipped_text ("third-octave");
  g_autofree char *narrower = edit (text, "range=12.5;20000\n", "range=12.5;16000\n");
  g_autofree char *sixth = edit (text, "fraction=3\n", "fraction=6\n");
  g_autoptr(AuscultaProfile) profile = load_text (text);
  g_autoptr(AuscultaProfile) other = load_text (narrower);
  g_autoptr(AuscultaProfile) finer = load_text (sixth);

  g_assert_cmpstr (hash_of (profile), !=, hash_of (other));
  g_assert_cmpstr (hash_of (profile), !=, hash_of (finer));
  g_assert_cmpstr (hash_of (other), !=, hash_of (finer));
}

/* @text without comments and blank lines, "key = value", each group's keys
 * in reverse order and the groups in reverse order. */
static char *
reformat (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *groups = g_string_new (NULL);
  GString *group = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *equal = strchr (lines[i], '=');

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      if (lines[i][0] == '[')
        {
          g_string_prepend (groups, group->str);
          g_string_assign (group, "");
          g_string_append_printf (group, "\n  %s\n", lines[i]);
        }
      else
        {
          g_autofree char *key_value = NULL;

          g_assert_nonnull (equal);
          *equal = '\0';
          key_value = g_strdup_printf ("%s = %s\t\n", lines[i], equal + 1);
          g_string_insert (group, strchr (group->str + 1, '\n') - group->str + 1, key_value);
        }
    }
  g_string_prepend (groups, group->str);
  g_string_free (group, TRUE);
  return g_string_free (groups, FALSE);
}

static void
test_formatting (void)
{
  g_autofree char *text = shipped_text ("default");
  g_autofree char *reformatted = reformat (text);
  g_autofree char *numbers = edit (text, "width=600\n", "width=600.000\n");
  g_autofree char *defaults = edit (text, "scale=db\nweighting=Z\n", "scale=db\n");
  g_autoptr(AuscultaProfile) profile = load_text (text);
  g_autoptr(AuscultaProfile) other = load_text (reformatted);

  g_test_message ("reformatted:\n%s", reformatted);
  g_assert_null (strstr (reformatted, "#"));
  g_assert_true (g_str_has_prefix (reformatted, "\n  [bands G]\n"));
  g_assert_cmpstr (hash_of (profile), ==, hash_of (other));
  g_assert_true (ausculta_profile_equal (profile, other));

  {
    g_autoptr(AuscultaProfile) written = load_text (numbers);
    g_autoptr(AuscultaProfile) defaulted = load_text (defaults);

    g_assert_cmpstr (hash_of (profile), ==, hash_of (written));
    g_assert_cmpstr (hash_of (profile), ==, hash_of (defaulted));
  }
}

static void
test_shipped_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuscultaProfile) profile = ausculta_profile_load ("default", &error);
  g_autoptr(AuscultaProfile) third = NULL;

  g_assert_no_error (error);
  third = ausculta_profile_load ("third-octave", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ausculta_profile_get_hash (profile), ==, DEFAULT_HASH);
  g_assert_cmpstr (ausculta_profile_get_hash (third), ==, THIRD_OCTAVE_HASH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ausculta/profile/hash-sensitivity", test_sensitivity);
  g_test_add_func ("/ausculta/profile/renamed", test_renamed);
  g_test_add_func ("/ausculta/profile/hash-sensor-settings", test_sensor_settings);
  g_test_add_func ("/ausculta/profile/hash-definitions", test_definitions);
  g_test_add_func ("/ausculta/profile/hash-fractional-octave", test_fractional_octave_edges);
  g_test_add_func ("/ausculta/profile/hash-formatting", test_formatting);
  g_test_add_func ("/ausculta/profile/hash-shipped", test_shipped_values);

  return g_test_run ();
}
