/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-line-trigger"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ausculta-line-trigger.h"

#define MAX_LINE 256

typedef struct {
  AuscultaLineTrigger *trigger;      /* weak: peers die with it */
  GIOStream           *connection;   /* NULL for watched streams */
  GDataInputStream    *input;
  GOutputStream       *output;       /* NULL: no replies */
  GCancellable        *cancellable;
} Peer;

struct _AuscultaLineTrigger
{
  GObject          parent_instance;

  GSocketService  *service;
  char            *socket_path;
  GPtrArray       *peers;           /* Peer* */
};

G_DEFINE_FINAL_TYPE (AuscultaLineTrigger, ausculta_line_trigger, G_TYPE_OBJECT)

enum {
  SIGNAL_START,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
peer_free (Peer *peer)
{
  g_cancellable_cancel (peer->cancellable);
  g_clear_object (&peer->cancellable);
  g_clear_object (&peer->input);
  g_clear_object (&peer->output);
  if (peer->connection != NULL)
    g_io_stream_close (peer->connection, NULL, NULL);
  g_clear_object (&peer->connection);
  g_free (peer);
}

static void read_next_line (Peer *peer);

static void
close_peer (Peer *peer)
{
  AuscultaLineTrigger *self = peer->trigger;

  /* Emitted before the peer goes, so a CLI on stdin can end its loop. */
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
  g_ptr_array_remove (self->peers, peer);
}

static void
handle_line (Peer *peer,
             char *line)
{
  char *command = g_strstrip (line);

  if (g_str_has_prefix (command, "START "))
    command = g_strstrip (command + strlen ("START "));
  if (*command == '\0')
    return;
  if (g_str_equal (command, "QUIT"))
    {
      close_peer (peer);
      return;
    }
  g_signal_emit (peer->trigger, signals[SIGNAL_START], 0, command);
}

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Peer *peer = data;
  AuscultaLineTrigger *self;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, &length, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = peer->trigger;
  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("gateway connection closed: %s", error->message);
      close_peer (peer);
      return;
    }
  if (length <= MAX_LINE)
    handle_line (peer, line);
  else
    g_debug ("ignored a %" G_GSIZE_FORMAT "-byte line: not a command", length);
  /* handle_line may have closed (freed) the peer: QUIT. */
  if (g_ptr_array_find (self->peers, peer, NULL))
    read_next_line (peer);
}

static void
read_next_line (Peer *peer)
{
  g_data_input_stream_read_line_async (peer->input, G_PRIORITY_DEFAULT, peer->cancellable, on_line, peer);
}

static void
add_peer (AuscultaLineTrigger *self,
          GIOStream           *connection,
          GInputStream        *input,
          GOutputStream       *output)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->trigger = self;
  peer->connection = connection ? g_object_ref (connection) : NULL;
  peer->input = g_data_input_stream_new (input);
  g_data_input_stream_set_newline_type (peer->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  peer->output = output ? g_object_ref (output) : NULL;
  peer->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->peers, peer);
  read_next_line (peer);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           data)
{
  AuscultaLineTrigger *self = data;
  GIOStream *stream = G_IO_STREAM (connection);

  add_peer (self, stream, g_io_stream_get_input_stream (stream), g_io_stream_get_output_stream (stream));
  return TRUE;
}

gboolean
ausculta_line_trigger_listen (AuscultaLineTrigger *self,
                              const char          *socket_path,
                              GError             **error)
{
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (AUSCULTA_IS_LINE_TRIGGER (self), FALSE);
  g_return_val_if_fail (socket_path != NULL, FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  if (g_file_test (socket_path, G_FILE_TEST_EXISTS) && !g_file_test (socket_path, G_FILE_TEST_IS_REGULAR))
    g_unlink (socket_path);
  address = g_unix_socket_address_new (socket_path);
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: cannot listen for the PLC gateway: ", socket_path);
      g_clear_object (&self->service);
      return FALSE;
    }
  self->socket_path = g_strdup (socket_path);
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  return TRUE;
}

void
ausculta_line_trigger_watch (AuscultaLineTrigger *self,
                             GInputStream        *input,
                             GOutputStream       *output)
{
  g_return_if_fail (AUSCULTA_IS_LINE_TRIGGER (self));
  g_return_if_fail (G_IS_INPUT_STREAM (input));

  add_peer (self, NULL, input, output);
}

void
ausculta_line_trigger_report (AuscultaLineTrigger *self,
                              const char          *serial,
                              AuscultaMeasurement *measurement,
                              const GError        *error)
{
  g_autofree char *line = NULL;
  char score[G_ASCII_DTOSTR_BUF_SIZE] = "nan";

  g_return_if_fail (AUSCULTA_IS_LINE_TRIGGER (self));

  if (measurement != NULL && !isnan (measurement->score))
    g_ascii_formatd (score, sizeof score, "%.6g", measurement->score);
  if (measurement != NULL)
    line = g_strdup_printf ("RESULT %s %s %s\n", serial,
                            ausculta_verdict_to_string (measurement->verdict), score);
  else
    line = g_strdup_printf ("ERROR %s %s\n", serial, error ? error->message : "failed");
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);

      /* Small lines to a local gateway: a blocking write is bounded. */
      if (peer->output != NULL)
        g_output_stream_write_all (peer->output, line, strlen (line), NULL, NULL, NULL);
    }
}

guint
ausculta_line_trigger_get_n_peers (AuscultaLineTrigger *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LINE_TRIGGER (self), 0);
  return self->peers->len;
}

AuscultaLineTrigger *
ausculta_line_trigger_new (void)
{
  return g_object_new (AUSCULTA_TYPE_LINE_TRIGGER, NULL);
}

static void
ausculta_line_trigger_dispose (GObject *object)
{
  AuscultaLineTrigger *self = AUSCULTA_LINE_TRIGGER (object);

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
      g_unlink (self->socket_path);
    }
  if (self->peers != NULL)
    g_ptr_array_set_size (self->peers, 0);
  G_OBJECT_CLASS (ausculta_line_trigger_parent_class)->dispose (object);
}

static void
ausculta_line_trigger_finalize (GObject *object)
{
  AuscultaLineTrigger *self = AUSCULTA_LINE_TRIGGER (object);

  g_clear_pointer (&self->peers, g_ptr_array_unref);
  g_free (self->socket_path);
  G_OBJECT_CLASS (ausculta_line_trigger_parent_class)->finalize (object);
}

static void
ausculta_line_trigger_class_init (AuscultaLineTriggerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ausculta_line_trigger_dispose;
  object_class->finalize = ausculta_line_trigger_finalize;

  /* A serial arrived: start a cycle for it. */
  signals[SIGNAL_START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A connection or watched stream ended (end of input or QUIT). */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ausculta_line_trigger_init (AuscultaLineTrigger *self)
{
  self->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
}
