/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sync secrets (the MongoDB password, the DagsHub/MLflow token), kept out
 * of settings, logs, command lines and the archive: in the desktop secret
 * service (libsecret) when one answers, otherwise in
 * $XDG_CONFIG_HOME/ausculta/credentials, readable by its owner only (0600;
 * a file others can read is refused). AUSCULTA_CREDENTIALS=file forces the
 * file (headless benches, tests). Keyed by service ("mongodb", "mlflow")
 * and account (user@host, user name). */
#define AUSCULTA_CREDENTIALS_ERROR (ausculta_credentials_error_quark ())

typedef enum {
  AUSCULTA_CREDENTIALS_ERROR_STORE,     /* cannot write the secret */
  AUSCULTA_CREDENTIALS_ERROR_INSECURE,  /* the file is readable by others */
} AuscultaCredentialsError;

GQuark    ausculta_credentials_error_quark (void);
gboolean  ausculta_credentials_store       (const char  *service,
                                            const char  *account,
                                            const char  *secret,
                                            GError     **error);
char     *ausculta_credentials_lookup      (const char  *service,
                                            const char  *account,
                                            GError     **error);
gboolean  ausculta_credentials_clear       (const char  *service,
                                            const char  *account,
                                            GError     **error);
char     *ausculta_credentials_file_path   (void);

G_END_DECLS
