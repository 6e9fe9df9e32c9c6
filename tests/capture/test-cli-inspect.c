/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "capture-test-util.h"

/* ausculta-cli devices / inspect as a script or an operator runs them. */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static Run
run_cli (const char *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AUSCULTA_CLI"));
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

static void
test_devices (void)
{
  Run run = run_cli (NULL, "devices", NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "portaudio:testcap\n  ALSA, device "));
  g_assert_nonnull (strstr (run.out, "\nsimulator\n  simulated motor bench, 2 inputs"));
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
}

static void
test_inspect_json (void)
{
  Run run = run_cli (NULL, "inspect", "--source", "simulator:unbalance,seed=4", "--serial", "SN-JSON",
                     "--format", "json", "--no-archive", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "serial"), ==, "SN-JSON");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "NONE");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==,
                   "no model loaded: features computed, no verdict");
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "simulator:unbalance");
  g_assert_cmpint (json_object_get_int_member (object, "n_features"), ==, 432);
  g_assert_cmpint (json_object_get_int_member (object, "overruns"), ==, 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "timings_ms"),
                                         "end_to_verdict"));
  run_clear (&run);
}

static void
test_inspect_archived (void)
{
  g_autofree char *archive = g_build_filename (g_get_user_data_dir (), "bench.sqlite", NULL);
  Run run = run_cli (NULL, "inspect", "--source", "simulator", "--serial", "SN-TEXT",
                     "--archive", archive, "--operator", "bob", NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "SN-TEXT: NONE\n"));
  g_assert_nonnull (strstr (run.out, "\n  health: ok\n"));
  g_assert_nonnull (strstr (run.out, "\n  time archive: "));
  g_assert_true (g_file_test (archive, G_FILE_TEST_IS_REGULAR));
  run_clear (&run);
}

static void
test_inspect_lines (void)
{
  Run run = run_cli ("START SN-A\n\nSN-B\nQUIT\nSN-NEVER\n", "inspect", "--source", "simulator",
                     "--trigger", "stdin", "--no-archive", NULL);

  /* One cycle per line from the PLC gateway, until QUIT. */
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "SN-A: NONE\n"));
  g_assert_nonnull (strstr (run.out, "\nSN-B: NONE\n"));
  g_assert_null (strstr (run.out, "SN-NEVER"));
  run_clear (&run);
}

static char *
read_reply (GDataInputStream *replies)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (replies, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static void
test_inspect_socket (void)
{
  g_autofree char *path = g_build_filename (g_get_user_runtime_dir (), "plc.sock", NULL);
  g_autofree char *trigger = g_strconcat ("socket:", path, NULL);
  const char *argv[] = { g_getenv ("AUSCULTA_CLI"), "inspect", "--source", "simulator", "--trigger",
                         trigger, "--no-archive", NULL };
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GOutputStream *commands;

  g_mkdir_with_parents (g_get_user_runtime_dir (), 0700);
  cli = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 500 && connection == NULL; i++)
    {
      g_clear_error (&error);
      connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
      if (connection == NULL)
        g_usleep (10000);
    }
  g_assert_no_error (error);
  commands = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  replies = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  /* The gateway sends a serial, waits for the result, sends the next. */
  g_assert_true (g_output_stream_write_all (commands, "START SN-S1\n", 12, NULL, NULL, &error));
  first = read_reply (replies);
  g_assert_cmpstr (first, ==, "RESULT SN-S1 NONE nan");
  g_assert_true (g_output_stream_write_all (commands, "SN-S2\r\n", 7, NULL, NULL, &error));
  second = read_reply (replies);
  g_assert_cmpstr (second, ==, "RESULT SN-S2 NONE nan");
  g_subprocess_send_signal (cli, SIGTERM);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 0);
  g_assert_true (g_str_has_prefix (out, "SN-S1: NONE\n"));
  g_assert_nonnull (strstr (out, "\nSN-S2: NONE\n"));
  /* The socket file goes with the server. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_inspect_errors (void)
{
  struct { const char *source; const char *message; } cases[] = {
    { "simulator:disconnect=1", "ausculta-cli: invalid run, measure again: simulator: the bench cable "
                                "was disconnected 1.00 s into run “down”\n" },
    { "simulator:rust", "ausculta-cli: simulator: unknown fault “rust”; the faults are: commutator, "
                        "screw-impacts, whistling, slack-wire, unbalance, bent-shaft, bearing\n" },
    { "file:/nonexistent/run.wav", "ausculta-cli: /nonexistent/run.wav: no such file\n" },
    { "portaudio:nosuchcard", "ausculta-cli: portaudio: no capture device “nosuchcard”; the capture "
                              "devices are: “testcap_raw”, “testcap”, “default”\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = run_cli (NULL, "inspect", "--source", cases[i].source, "--serial", "SN-ERR",
                         "--no-archive", NULL);

      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.err, ==, cases[i].message);
      g_assert_cmpstr (run.out, ==, "");
      run_clear (&run);
    }
  {
    Run run = run_cli (NULL, "inspect", "--source", "simulator", NULL);

    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "ausculta-cli: inspect needs --serial SN (or --trigger stdin|socket:PATH)\n");
    run_clear (&run);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *conf = NULL;
  g_autofree gint16 *recording = capture_test_stereo_s16 (4800, 48000);
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A known, quiet device list: ALSA's file device only. */
  dir = g_dir_make_tmp ("ausculta-cli-XXXXXX", NULL);
  raw = g_build_filename (dir, "in.raw", NULL);
  g_assert_true (g_file_set_contents (raw, (char *) recording, 4800 * 4, NULL));
  conf = capture_test_write_alsa_config (dir, raw, 48000, FALSE);
  g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);
  g_test_add_func ("/ausculta/cli/devices", test_devices);
  g_test_add_func ("/ausculta/cli/inspect/json", test_inspect_json);
  g_test_add_func ("/ausculta/cli/inspect/archived", test_inspect_archived);
  g_test_add_func ("/ausculta/cli/inspect/lines", test_inspect_lines);
  g_test_add_func ("/ausculta/cli/inspect/socket", test_inspect_socket);
  g_test_add_func ("/ausculta/cli/inspect/errors", test_inspect_errors);
  status = g_test_run ();
  g_unlink (raw);
  g_unlink (conf);
  g_rmdir (dir);
  return status;
}
