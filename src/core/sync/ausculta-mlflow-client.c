/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-client"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "ausculta-mlflow-client.h"
#include "ausculta-sync-error.h"

#define DEFAULT_TIMEOUT_MS 30000
#define CONNECT_TIMEOUT_MS 5000
#define MAX_ERROR_TEXT     200

struct _AuscultaMlflowClient {
  char  *base;          /* tracking URI without a trailing slash */
  char  *username;
  char  *token;         /* never logged, never in a URL */
  guint  timeout_ms;
};

typedef struct {
  long        status;
  GByteArray *body;
  const char *content_type;
} Response;

static gpointer
init_curl (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

/**
 * ausculta_mlflow_client_new:
 * @tracking_uri: e.g. "https://dagshub.com/OWNER/REPO.mlflow"
 * @username: (nullable): HTTP Basic user name (DagsHub: the user or the token)
 * @token: (nullable): the access token, from the credential store
 */
AuscultaMlflowClient *
ausculta_mlflow_client_new (const char *tracking_uri,
                            const char *username,
                            const char *token)
{
  static GOnce curl_once = G_ONCE_INIT;
  AuscultaMlflowClient *client;

  g_return_val_if_fail (tracking_uri != NULL, NULL);
  g_once (&curl_once, init_curl, NULL);

  client = g_new0 (AuscultaMlflowClient, 1);
  client->base = g_strdup (tracking_uri);
  while (g_str_has_suffix (client->base, "/"))
    client->base[strlen (client->base) - 1] = '\0';
  client->username = g_strdup (username);
  client->token = g_strdup (token);
  client->timeout_ms = DEFAULT_TIMEOUT_MS;
  return client;
}

void
ausculta_mlflow_client_free (AuscultaMlflowClient *client)
{
  if (client == NULL)
    return;
  g_free (client->base);
  g_free (client->username);
  if (client->token != NULL)
    memset (client->token, 0, strlen (client->token));
  g_free (client->token);
  g_free (client);
}

void
ausculta_mlflow_client_set_timeout (AuscultaMlflowClient *client,
                                    guint                 milliseconds)
{
  g_return_if_fail (client != NULL && milliseconds > 0);
  client->timeout_ms = milliseconds;
}

const char *
ausculta_mlflow_client_get_uri (AuscultaMlflowClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return client->base;
}

/* Percent-encodes a query value or a path segment. */
char *
ausculta_mlflow_escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static size_t
on_body (char   *data,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  g_byte_array_append (user_data, (const guint8 *) data, size * count);
  return size * count;
}

typedef struct {
  const guint8 *data;
  gsize         length;
  gsize         offset;
} Upload;

static size_t
on_read (char   *buffer,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  Upload *upload = user_data;
  gsize n = MIN (size * count, upload->length - upload->offset);

  memcpy (buffer, upload->data + upload->offset, n);
  upload->offset += n;
  return n;
}

/* A short, single-line excerpt of a reply body for an error message. */
static char *
excerpt (const Response *response)
{
  g_autofree char *text = g_strndup ((const char *) response->body->data,
                                     MIN (response->body->len, MAX_ERROR_TEXT));

  g_strstrip (g_strdelimit (text, "\r\n\t", ' '));
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("(binary reply)");
  return g_steal_pointer (&text);
}

/* MLflow errors are {"error_code", "message"}; DagsHub may send a bare JSON
 * string; unknown routes give HTML. Returns the message and error_code. */
static char *
parse_error_body (const Response *response,
                  char          **error_code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  *error_code = NULL;
  if (!json_parser_load_from_data (parser, (const char *) response->body->data,
                                   response->body->len, NULL))
    return excerpt (response);
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (root));
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      *error_code = g_strdup (json_object_get_string_member_with_default (object, "error_code", NULL));
      return g_strdup (json_object_get_string_member_with_default (object, "message", ""));
    }
  return excerpt (response);
}

static void
set_http_error (GError               **error,
                AuscultaMlflowClient  *client,
                const char            *method,
                const char            *path,
                const Response        *response)
{
  g_autofree char *code = NULL;
  g_autofree char *message = parse_error_body (response, &code);
  AuscultaSyncError kind = AUSCULTA_SYNC_ERROR_REJECTED;
  long status = response->status;

  if (status == 401 || status == 403)
    kind = AUSCULTA_SYNC_ERROR_AUTH;
  else if (status == 429 || status >= 500)
    kind = AUSCULTA_SYNC_ERROR_SERVER;
  else if (status == 404)
    kind = code != NULL ? AUSCULTA_SYNC_ERROR_NOT_FOUND : AUSCULTA_SYNC_ERROR_UNSUPPORTED;
  else if (g_strcmp0 (code, "RESOURCE_ALREADY_EXISTS") == 0)
    kind = AUSCULTA_SYNC_ERROR_EXISTS;

  g_set_error (error, AUSCULTA_SYNC_ERROR, kind, "MLflow %s: %s %s answered HTTP %ld%s%s%s%s",
               client->base, method, path, status, code ? " " : "", code ? code : "",
               *message ? ": " : "", message);
  if (kind == AUSCULTA_SYNC_ERROR_AUTH)
    g_prefix_error (error, "credentials refused (fix the MLflow token; the queue waits) — ");
}

/* Performs one request; FALSE only on a transport failure. */
static gboolean
perform (AuscultaMlflowClient *client,
         const char           *method,
         const char           *url,
         const char           *content_type,
         GBytes               *payload,
         Response             *response,
         GError              **error)
{
  CURL *curl = curl_easy_init ();
  struct curl_slist *headers = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  Upload upload = { 0 };
  CURLcode code;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) client->timeout_ms);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) MIN (client->timeout_ms, CONNECT_TIMEOUT_MS));
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, response->body);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "ausculta/" PACKAGE_VERSION);
  if (client->token != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      curl_easy_setopt (curl, CURLOPT_USERNAME, client->username ? client->username : client->token);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, client->token);
    }
  if (payload != NULL)
    {
      upload.data = g_bytes_get_data (payload, &upload.length);
      headers = curl_slist_append (headers, content_type);
      curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (curl, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
      curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length);
      headers = curl_slist_append (headers, "Expect:");
    }
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);

  code = curl_easy_perform (curl);
  if (code == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response->status);
  else
    g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_OFFLINE,
                 "MLflow %s unreachable: %s", client->base,
                 *curl_error ? curl_error : curl_easy_strerror (code));
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  return code == CURLE_OK;
}

static JsonNode *
parse_reply (AuscultaMlflowClient *client,
             const char           *path,
             const Response       *response,
             GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  if (response->body->len == 0)
    return json_node_init_object (json_node_alloc (), json_object_new ());
  if (!json_parser_load_from_data (parser, (const char *) response->body->data,
                                   response->body->len, &parse_error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *text = excerpt (response);

      g_set_error (error, AUSCULTA_SYNC_ERROR, AUSCULTA_SYNC_ERROR_SERVER,
                   "MLflow %s: %s did not answer with a JSON object: %s", client->base, path, text);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/**
 * ausculta_mlflow_client_call:
 * @method: "GET", "POST", "PATCH" or "DELETE"
 * @path: below /api/2.0/mlflow/, with its query string for a GET,
 *   e.g. "experiments/get-by-name?experiment_name=ausculta"
 * @body: (nullable): the JSON request body
 *
 * Returns: (transfer full): the reply object (`{}` for an empty success).
 */
JsonNode *
ausculta_mlflow_client_call (AuscultaMlflowClient *client,
                             const char           *method,
                             const char           *path,
                             JsonNode             *body,
                             GError              **error)
{
  g_autofree char *url = g_strdup_printf ("%s/api/2.0/mlflow/%s", client->base, path);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  Response response = { 0, reply, NULL };

  g_return_val_if_fail (client != NULL && method != NULL && path != NULL, NULL);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      payload = g_bytes_new_take (text, strlen (text));
    }
  if (!perform (client, method, url, "Content-Type: application/json", payload, &response, error))
    return NULL;
  if (response.status < 200 || response.status >= 300)
    {
      set_http_error (error, client, method, path, &response);
      return NULL;
    }
  return parse_reply (client, path, &response, error);
}

static char *
artifact_url (AuscultaMlflowClient *client,
              const char           *artifact_path)
{
  g_auto(GStrv) parts = g_strsplit (artifact_path, "/", -1);
  g_autoptr(GString) url = g_string_new (client->base);

  g_string_append (url, "/api/2.0/mlflow-artifacts/artifacts");
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *segment = ausculta_mlflow_escape (parts[i]);

      g_string_append_printf (url, "/%s", segment);
    }
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* PUT through the proxy: @artifact_path = "<exp>/<run>/artifacts/<file>",
 * i.e. the run's artifact_uri without "mlflow-artifacts:/". Re-uploading
 * the same bytes is harmless. */
gboolean
ausculta_mlflow_client_upload (AuscultaMlflowClient *client,
                               const char           *artifact_path,
                               GBytes               *content,
                               GError              **error)
{
  g_autofree char *url = artifact_url (client, artifact_path);
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  Response response = { 0, reply, NULL };

  g_return_val_if_fail (client != NULL && artifact_path != NULL && content != NULL, FALSE);
  if (!perform (client, "PUT", url, "Content-Type: application/octet-stream", content,
                &response, error))
    return FALSE;
  if (response.status < 200 || response.status >= 300)
    {
      set_http_error (error, client, "PUT", artifact_path, &response);
      return FALSE;
    }
  return TRUE;
}

/* GET through the proxy; a missing file is a 500 on MLflow, not a 404. */
GBytes *
ausculta_mlflow_client_download (AuscultaMlflowClient *client,
                                 const char           *artifact_path,
                                 GError              **error)
{
  g_autofree char *url = artifact_url (client, artifact_path);
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  Response response = { 0, reply, NULL };

  g_return_val_if_fail (client != NULL && artifact_path != NULL, NULL);
  if (!perform (client, "GET", url, NULL, NULL, &response, error))
    return NULL;
  if (response.status < 200 || response.status >= 300)
    {
      set_http_error (error, client, "GET", artifact_path, &response);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&reply));
}
