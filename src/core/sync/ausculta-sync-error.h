/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What went wrong when talking to a sync target, in the terms the worker
 * acts on: OFFLINE and SERVER are retried with backoff, AUTH waits for the
 * user to fix the credentials (no retry storm), REJECTED means this item
 * will never be accepted as it is, UNSUPPORTED means the server lacks a
 * feature (an MLflow registry) and the caller degrades. */
#define AUSCULTA_SYNC_ERROR (ausculta_sync_error_quark ())

typedef enum {
  AUSCULTA_SYNC_ERROR_CONFIG,       /* bad URI, missing setting */
  AUSCULTA_SYNC_ERROR_OFFLINE,      /* unreachable, timed out, connection dropped */
  AUSCULTA_SYNC_ERROR_SERVER,       /* 5xx, 429, transient server failure */
  AUSCULTA_SYNC_ERROR_AUTH,         /* 401/403, authentication failed */
  AUSCULTA_SYNC_ERROR_REJECTED,     /* the server refuses this item (4xx) */
  AUSCULTA_SYNC_ERROR_UNSUPPORTED,  /* endpoint missing (MLflow registry 404) */
  AUSCULTA_SYNC_ERROR_INTEGRITY,    /* downloaded bytes fail their hash or format */
  AUSCULTA_SYNC_ERROR_NOT_FOUND,    /* the server has no such resource (JSON 404) */
  AUSCULTA_SYNC_ERROR_EXISTS,       /* the server already has it (MLflow RESOURCE_ALREADY_EXISTS) */
} AuscultaSyncError;

GQuark   ausculta_sync_error_quark        (void);
gboolean ausculta_sync_error_is_transient (const GError *error);

G_END_DECLS
