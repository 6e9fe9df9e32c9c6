/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-inspect"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ausculta-cli.h"
#include "ausculta-data-paths.h"
#include "ausculta-inspection.h"
#include "ausculta-line-trigger.h"
#include "ausculta-source-spec.h"

typedef struct {
  char     *source;
  char     *serial;
  char     *model;
  char     *profile;
  char     *archive;
  char     *format;
  char     *operator_name;
  char     *station;
  char     *trigger;
  gboolean  no_archive;
  gboolean  realtime;
} InspectOptions;

static void
inspect_options_clear (InspectOptions *options)
{
  g_free (options->source);
  g_free (options->serial);
  g_free (options->model);
  g_free (options->profile);
  g_free (options->archive);
  g_free (options->format);
  g_free (options->operator_name);
  g_free (options->station);
  g_free (options->trigger);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static GPtrArray *
sorted_timings (AuscultaMeasurement *measurement)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, measurement->timings_ms);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
print_text (AuscultaMeasurement *measurement,
            const char          *status)
{
  g_autofree char *health = ausculta_health_to_string (measurement->health);
  g_autoptr(GPtrArray) timings = sorted_timings (measurement);

  g_print ("%s: %s\n", measurement->serial, ausculta_verdict_to_string (measurement->verdict));
  g_print ("  status: %s\n", status);
  if (!isnan (measurement->score))
    g_print ("  score: %.6g (threshold %.6g, model %s)\n", measurement->score,
             measurement->threshold, measurement->model_version ? measurement->model_version : "?");
  for (guint i = 0; i < measurement->reasons->len; i++)
    {
      AuscultaReason *reason = g_ptr_array_index (measurement->reasons, i);

      g_print ("  reason: %s (%.0f %%)\n", reason->feature, 100.0 * reason->contribution);
    }
  g_print ("  health: %s\n", health && *health ? health : "ok");
  g_print ("  overruns: %u\n", measurement->overruns);
  g_print ("  features: %u\n", measurement->n_features);
  for (guint i = 0; i < timings->len; i++)
    {
      const char *step = g_ptr_array_index (timings, i);

      g_print ("  time %s: %.1f ms\n", step, *(double *) g_hash_table_lookup (measurement->timings_ms, step));
    }
  g_print ("  id: %s\n  source: %s\n", measurement->id, measurement->source);
}

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_member_number (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (AuscultaMeasurement *measurement,
            const char          *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) timings = sorted_timings (measurement);
  g_autofree char *health = ausculta_health_to_string (measurement->health);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_member_string (builder, "id", measurement->id);
  add_member_string (builder, "serial", measurement->serial);
  add_member_string (builder, "verdict", ausculta_verdict_to_string (measurement->verdict));
  add_member_string (builder, "status", status);
  add_member_number (builder, "score", measurement->score);
  add_member_number (builder, "threshold", measurement->threshold);
  add_member_string (builder, "model_version", measurement->model_version);
  add_member_string (builder, "source", measurement->source);
  add_member_string (builder, "health", health);
  add_member_number (builder, "overruns", measurement->overruns);
  add_member_number (builder, "n_features", measurement->n_features);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < measurement->reasons->len; i++)
    {
      AuscultaReason *reason = g_ptr_array_index (measurement->reasons, i);

      json_builder_begin_object (builder);
      add_member_string (builder, "feature", reason->feature);
      add_member_number (builder, "contribution", reason->contribution);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "timings_ms");
  json_builder_begin_object (builder);
  for (guint i = 0; i < timings->len; i++)
    {
      const char *step = g_ptr_array_index (timings, i);

      add_member_number (builder, step, *(double *) g_hash_table_lookup (measurement->timings_ms, step));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "features");
  json_builder_begin_object (builder);
  for (guint i = 0; i < measurement->n_features; i++)
    add_member_number (builder, measurement->feature_names[i], measurement->features[i]);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static gboolean
load_model (AuscultaInspection *inspection,
            const char         *path,
            GError            **error)
{
  g_autoptr(AuscultaModel) model = NULL;

  if (path == NULL)
    return TRUE;
  if (!(model = ausculta_model_load (path, error)))
    return FALSE;
  ausculta_inspection_set_model (inspection, model);
  return TRUE;
}

static AuscultaInspection *
build_inspection (InspectOptions *options,
                  GError        **error)
{
  g_autoptr(AuscultaProfile) profile = NULL;
  g_autoptr(AuscultaSource) source = NULL;
  g_autoptr(AuscultaInspection) inspection = NULL;

  if (!(source = ausculta_source_new_from_spec (options->source, error))
      || !(profile = ausculta_profile_load (options->profile ? options->profile : "default", error)))
    return NULL;
  ausculta_source_set_realtime (source, options->realtime);
  inspection = ausculta_inspection_new (profile, source);
  ausculta_inspection_set_operator (inspection, options->operator_name);
  ausculta_inspection_set_station (inspection, options->station ? options->station : g_get_host_name ());
  if (!load_model (inspection, options->model, error))
    return NULL;
  if (!options->no_archive)
    {
      g_autofree char *path = options->archive ? g_strdup (options->archive)
                                               : ausculta_default_archive_path ();
      g_autoptr(AuscultaArchive) archive = ausculta_archive_open (path, error);

      if (archive == NULL)
        return NULL;
      ausculta_inspection_set_archive (inspection, archive);
    }
  return g_steal_pointer (&inspection);
}

static void
print_result (AuscultaMeasurement *measurement,
              const char          *status,
              gboolean             json)
{
  if (json)
    print_json (measurement, status);
  else
    print_text (measurement, status);
}

static int
inspect_one (AuscultaInspection *inspection,
             const char         *serial,
             gboolean            json)
{
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(GError) error = NULL;

  ausculta_inspection_set_serial (inspection, serial);
  measurement = ausculta_inspection_run (inspection, NULL, &error);
  if (measurement == NULL)
    return ausculta_cli_fail (error);
  print_result (measurement, ausculta_inspection_get_status (inspection), json);
  return AUSCULTA_CLI_OK;
}

/* Cycles started by lines from a PLC gateway: on stdin (until its end or
 * QUIT) or on a local socket (until SIGINT or SIGTERM). */
typedef struct {
  AuscultaInspection  *inspection;
  AuscultaLineTrigger *trigger;
  GMainLoop           *loop;
  gboolean             json;
  gboolean             stdin_closed;
  GQueue               pending;         /* serials that arrived during a cycle */
  int                  status;
} LineSession;

static void on_cycle_done (GObject      *object,
                           GAsyncResult *result,
                           gpointer      data);

static void
start_next (LineSession *session)
{
  g_autofree char *serial = g_queue_pop_head (&session->pending);

  if (serial == NULL)
    {
      if (session->stdin_closed)
        g_main_loop_quit (session->loop);
      return;
    }
  ausculta_inspection_set_serial (session->inspection, serial);
  ausculta_inspection_run_async (session->inspection, NULL, on_cycle_done, session);
}

static void
on_cycle_done (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  LineSession *session = data;
  AuscultaInspection *inspection = AUSCULTA_INSPECTION (object);
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(GError) error = NULL;
  const char *serial = ausculta_inspection_get_serial (inspection);

  measurement = ausculta_inspection_run_finish (inspection, result, &error);
  if (measurement == NULL)
    {
      session->status = ausculta_cli_fail (error);
      ausculta_line_trigger_report (session->trigger, serial, NULL, error);
    }
  else
    {
      print_result (measurement, ausculta_inspection_get_status (inspection), session->json);
      ausculta_line_trigger_report (session->trigger, serial, measurement, NULL);
    }
  fflush (stdout);
  start_next (session);
}

/* Serials queue up: a pipe delivers every line at once, a gateway may
 * send the next serial before the previous result. */
static void
on_start (AuscultaLineTrigger *trigger,
          const char          *serial,
          LineSession         *session)
{
  g_queue_push_tail (&session->pending, g_strdup (serial));
  if (!ausculta_inspection_is_running (session->inspection))
    start_next (session);
}

static void
on_closed (AuscultaLineTrigger *trigger,
           LineSession         *session)
{
  session->stdin_closed = TRUE;
  if (!ausculta_inspection_is_running (session->inspection) && g_queue_is_empty (&session->pending))
    g_main_loop_quit (session->loop);
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
inspect_from_lines (AuscultaInspection *inspection,
                    const char         *trigger_spec,
                    gboolean            json)
{
  g_autoptr(AuscultaLineTrigger) trigger = ausculta_line_trigger_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  LineSession session = { inspection, trigger, loop, json, FALSE, G_QUEUE_INIT, AUSCULTA_CLI_OK };
  g_autoptr(GError) error = NULL;

  g_signal_connect (trigger, "start", G_CALLBACK (on_start), &session);
  if (g_str_equal (trigger_spec, "stdin"))
    {
      g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      g_signal_connect (trigger, "closed", G_CALLBACK (on_closed), &session);
      ausculta_line_trigger_watch (trigger, input, NULL);
    }
  else if (!ausculta_line_trigger_listen (trigger, trigger_spec + strlen ("socket:"), &error))
    return ausculta_cli_fail (error);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_queue_clear_full (&session.pending, g_free);
  return session.status;
}

int
ausculta_cli_inspect (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(AuscultaInspection) inspection = NULL;
  g_autoptr(GError) error = NULL;
  InspectOptions options = { 0 };
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &options.source,
      N_("simulator[:FAULT[+FAULT]][,seed=N], portaudio[:DEVICE], comedi[:DEVICE], file:WAV[,WAV]"), "SPEC" },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &options.serial, N_("The motor's serial"), "SN" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &options.model, N_("Model file, used while the archive has no production model (no model: no verdict)"), "MODEL" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &options.profile, N_("Bench profile (default: default)"), "PROFILE" },
    { "archive", 0, 0, G_OPTION_ARG_FILENAME, &options.archive, N_("Archive file"), "PATH" },
    { "no-archive", 0, 0, G_OPTION_ARG_NONE, &options.no_archive, N_("Do not archive the measurement"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format, N_("Output format: text or json"), "FORMAT" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &options.operator_name, N_("Operator name"), "NAME" },
    { "station", 0, 0, G_OPTION_ARG_STRING, &options.station, N_("Station name (default: host name)"), "NAME" },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &options.realtime, N_("Pace the simulator and recordings in real time"), NULL },
    { "trigger", 0, 0, G_OPTION_ARG_STRING, &options.trigger,
      N_("One cycle per serial line from a PLC gateway: stdin, or socket:PATH (a local socket)"), "TRIGGER" },
    { NULL }
  };
  gboolean json;
  int status;

  g_option_context_set_summary (context, _("Run inspection cycles headless: capture the runs, check "
                                           "the sensors, compute the features, score, archive"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = ausculta_cli_parse_options (context, &argc, &argv)) != AUSCULTA_CLI_OK)
    goto out;
  status = AUSCULTA_CLI_USER_ERROR;
  json = g_strcmp0 (options.format, "json") == 0;
  if (options.format != NULL && !json && !g_str_equal (options.format, "text"))
    g_printerr (_("ausculta-cli: unknown format “%s”: expected text or json\n"), options.format);
  else if (options.source == NULL)
    g_printerr (_("ausculta-cli: inspect needs --source (simulator, portaudio:DEVICE, file:WAV…)\n"));
  else if (options.trigger != NULL && !g_str_equal (options.trigger, "stdin")
           && !(g_str_has_prefix (options.trigger, "socket:") && options.trigger[7] != '\0'))
    g_printerr (_("ausculta-cli: unknown trigger “%s”: expected stdin or socket:PATH\n"), options.trigger);
  else if (options.serial == NULL && options.trigger == NULL)
    g_printerr (_("ausculta-cli: inspect needs --serial SN (or --trigger stdin|socket:PATH)\n"));
  else if (!(inspection = build_inspection (&options, &error)))
    status = ausculta_cli_fail (error);
  else if (options.trigger != NULL)
    status = inspect_from_lines (inspection, options.trigger, json);
  else
    status = inspect_one (inspection, options.serial, json);
out:
  inspect_options_clear (&options);
  return status;
}
