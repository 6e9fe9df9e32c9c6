/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test-mlflow"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "sync-test-mlflow.h"

static char *
double_script (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  const char *bench = g_getenv ("BENCH_SRCDIR");

  if (bench != NULL)
    return g_build_filename (bench, "..", "tests", "sync", "mlflow-double.py", NULL);
  return g_build_filename (srcdir ? srcdir : ".", "sync", "mlflow-double.py", NULL);
}

SyncTestMlflow *
sync_test_mlflow_start (guint16     port,
                        const char *option)
{
  g_autofree char *script = double_script ();
  g_autofree char *port_arg = g_strdup_printf ("--port=%u", port);
  const char *argv[] = { "/usr/bin/python3", script, port_arg, option, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  SyncTestMlflow *double_ = g_new0 (SyncTestMlflow, 1);

  double_->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (double_->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  double_->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  double_->uri = g_strdup_printf ("http://127.0.0.1:%u", double_->port);
  return double_;
}

void
sync_test_mlflow_free (SyncTestMlflow *double_)
{
  if (double_->process != NULL)
    {
      g_subprocess_force_exit (double_->process);
      g_subprocess_wait (double_->process, NULL, NULL);
      g_clear_object (&double_->process);
    }
  g_free (double_->uri);
  g_free (double_);
}

static size_t
on_body (char   *data,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * count));
  return size * count;
}

static char *
request (SyncTestMlflow *double_,
         const char     *path,
         const char     *json)
{
  g_autofree char *url = g_strdup_printf ("%s/__double__/%s", double_->uri, path);
  GString *reply = g_string_new (NULL);
  CURL *curl = curl_easy_init ();
  CURLcode code;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
  if (json != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, json);
  code = curl_easy_perform (curl);
  curl_easy_cleanup (curl);
  g_assert_cmpint (code, ==, CURLE_OK);
  return g_string_free (reply, FALSE);
}

/* e.g. {"fail_status": 503, "fail_count": 3} */
void
sync_test_mlflow_control (SyncTestMlflow *double_,
                          const char     *json)
{
  g_free (request (double_, "control", json));
}

JsonNode *
sync_test_mlflow_state (SyncTestMlflow *double_)
{
  g_autofree char *text = request (double_, "state", NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *state = json_from_string (text, &error);

  g_assert_no_error (error);
  return state;
}

/* How many requests a route (e.g. "runs/log-batch") received. */
gint64
sync_test_mlflow_requests (JsonNode   *state,
                           const char *route)
{
  JsonObject *requests = json_object_get_object_member (json_node_get_object (state), "requests");

  return json_object_get_int_member_with_default (requests, route, 0);
}

/* Members of an object member ("runs", "models", "artifacts") or
 * elements of an array member ("experiments"). */
guint
sync_test_mlflow_count (JsonNode   *state,
                        const char *member)
{
  JsonNode *node = json_object_get_member (json_node_get_object (state), member);

  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node));
  return json_object_get_size (json_node_get_object (node));
}

GBytes *
sync_test_model_bytes (guint i)
{
  g_autofree char *header = g_strdup_printf ("{\"__metadata__\": {\"format\": \"test\", \"n\": \"%u\"}}", i);
  guint64 n = strlen (header);
  GByteArray *bytes = g_byte_array_new ();

  for (guint b = 0; b < 8; b++)
    {
      guint8 byte = (n >> (8 * b)) & 0xff;

      g_byte_array_append (bytes, &byte, 1);
    }
  g_byte_array_append (bytes, (const guint8 *) header, (guint) n);
  g_byte_array_append (bytes, (const guint8 *) "\0\0\0\0\0\0\0\0", 8);
  return g_byte_array_free_to_bytes (bytes);
}

GBytes *
sync_test_data_model (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("AUSCULTA_DATA_DIR"), "models", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (file);
}
