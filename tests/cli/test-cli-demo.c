/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

/* The demo bench as the app runs it on its defaults: the simulator scored
 * with the model shipped for it (data/models/simulator.model). A good unit
 * must pass and a faulty one must be rejected, with its reasons, whatever
 * the seed — otherwise the demo teaches the inspector to ignore verdicts. */

static JsonObject *
inspect (const char *spec)
{
  g_autofree char *model = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "models",
                                             "simulator.model", NULL);
  const char *argv[] = { g_getenv ("AUSCULTA_CLI"), "inspect", "--source", spec,
                         "--serial", "SN-DEMO", "--no-archive", "--model", model,
                         "--format", "json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_good_units_pass (void)
{
  for (guint seed = 1; seed <= 4; seed++)
    {
      g_autofree char *spec = g_strdup_printf ("simulator,seed=%u", seed);
      g_autoptr(JsonObject) result = inspect (spec);

      g_test_message ("%s: %s, score %g", spec, json_object_get_string_member (result, "verdict"),
                      json_object_get_double_member (result, "score"));
      g_assert_cmpstr (json_object_get_string_member (result, "verdict"), ==, "OK");
      g_assert_cmpstr (json_object_get_string_member (result, "model_version"), ==, "simulator-2");
    }
}

static void
test_faults_rejected (void)
{
  const char *faults[] = { "commutator", "screw-impacts", "whistling", "slack-wire",
                           "unbalance", "bent-shaft", "bearing" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *spec = g_strdup_printf ("simulator:%s,seed=%u", faults[i], 10 + i);
      g_autoptr(JsonObject) result = inspect (spec);
      JsonArray *reasons = json_object_get_array_member (result, "reasons");

      g_test_message ("%s: %s, score %g", spec, json_object_get_string_member (result, "verdict"),
                      json_object_get_double_member (result, "score"));
      g_assert_cmpstr (json_object_get_string_member (result, "verdict"), ==, "NOK");
      g_assert_cmpuint (json_array_get_length (reasons), >, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/ausculta/cli/demo/good-units-pass", test_good_units_pass);
  g_test_add_func ("/ausculta/cli/demo/faults-rejected", test_faults_rejected);
  return g_test_run ();
}
