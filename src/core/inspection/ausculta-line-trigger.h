/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ausculta-measurement.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_LINE_TRIGGER (ausculta_line_trigger_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaLineTrigger, ausculta_line_trigger, AUSCULTA, LINE_TRIGGER, GObject)

/* The line protocol of a PLC gateway (or a barcode scanner in keyboard
 * mode on stdin), one command per line, UTF-8:
 *   START <serial>   or just <serial>   → the "start" signal
 *   QUIT                                → closes that connection
 * and what the trigger writes back on connections that have an output:
 *   RESULT <serial> <OK|NOK|REPEAT|NONE> <score|nan>
 *   ERROR <serial> <one-line message>
 * Signals are emitted on the main context of the thread that created it. */
AuscultaLineTrigger *ausculta_line_trigger_new            (void);
/* Listens on a local (Unix domain) socket; a stale socket file is replaced. */
gboolean             ausculta_line_trigger_listen         (AuscultaLineTrigger *self,
                                                           const char          *socket_path,
                                                           GError             **error);
/* Reads commands from input (stdin, a pipe); replies go to output if any. */
void                 ausculta_line_trigger_watch          (AuscultaLineTrigger *self,
                                                           GInputStream        *input,
                                                           GOutputStream       *output);
/* Tells every connected gateway how the cycle of a serial ended. */
void                 ausculta_line_trigger_report         (AuscultaLineTrigger *self,
                                                           const char          *serial,
                                                           AuscultaMeasurement *measurement,
                                                           const GError        *error);
guint                ausculta_line_trigger_get_n_peers    (AuscultaLineTrigger *self);

G_END_DECLS
