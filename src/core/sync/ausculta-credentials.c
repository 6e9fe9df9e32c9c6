/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-credentials"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#if HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "ausculta-credentials.h"

G_DEFINE_QUARK (ausculta-credentials-error-quark, ausculta_credentials_error)

char *
ausculta_credentials_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "ausculta", "credentials", NULL);
}

static gboolean
use_file_only (void)
{
  return g_strcmp0 (g_getenv ("AUSCULTA_CREDENTIALS"), "file") == 0;
}

#if HAVE_LIBSECRET
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.ausculta.Ausculta.Credential", SECRET_SCHEMA_NONE,
    { { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}
#endif

/* Opens the file, refusing one that group or others may read. */
static GKeyFile *
load_file (const char *path,
           GError    **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return g_steal_pointer (&file);
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, AUSCULTA_CREDENTIALS_ERROR, AUSCULTA_CREDENTIALS_ERROR_INSECURE,
                   "%s is readable by other users (mode %03o): run “chmod 600 %s”",
                   path, (unsigned) (st.st_mode & 0777), path);
      return NULL;
    }
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, AUSCULTA_CREDENTIALS_ERROR, AUSCULTA_CREDENTIALS_ERROR_STORE,
                   "%s: %s", path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

static gboolean
save_file (GKeyFile   *file,
           const char *path,
           GError    **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *data = g_key_file_to_data (file, NULL, NULL);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0
      || !g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                    &local_error))
    {
      g_set_error (error, AUSCULTA_CREDENTIALS_ERROR, AUSCULTA_CREDENTIALS_ERROR_STORE,
                   "cannot write %s: %s", path,
                   local_error ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
file_store (const char *service,
            const char *account,
            const char *secret,
            GError    **error)
{
  g_autofree char *path = ausculta_credentials_file_path ();
  g_autoptr(GKeyFile) file = load_file (path, error);

  if (file == NULL)
    return FALSE;
  if (secret != NULL)
    g_key_file_set_string (file, service, account, secret);
  else
    g_key_file_remove_key (file, service, account, NULL);
  return save_file (file, path, error);
}

/**
 * ausculta_credentials_store:
 *
 * Keeps @secret for (@service, @account): in the secret service when one
 * answers, else in the owner-only file.
 */
gboolean
ausculta_credentials_store (const char *service,
                            const char *account,
                            const char *secret,
                            GError    **error)
{
  g_return_val_if_fail (service != NULL && account != NULL && secret != NULL, FALSE);

#if HAVE_LIBSECRET
  if (!use_file_only ())
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *label = g_strdup_printf ("Ausculta %s (%s)", service, account);

      if (secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                      NULL, &local_error, "service", service,
                                      "account", account, NULL))
        return TRUE;
      g_debug ("no secret service (%s): using the credentials file", local_error->message);
    }
#endif
  return file_store (service, account, secret, error);
}

/* Returns: (transfer full) (nullable): the secret, NULL when none is kept. */
char *
ausculta_credentials_lookup (const char *service,
                             const char *account,
                             GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GKeyFile) file = NULL;

  g_return_val_if_fail (service != NULL && account != NULL, NULL);

#if HAVE_LIBSECRET
  if (!use_file_only ())
    {
      g_autoptr(GError) local_error = NULL;
      char *secret = secret_password_lookup_sync (get_schema (), NULL, &local_error,
                                                  "service", service, "account", account, NULL);

      if (secret != NULL)
        {
          char *copy = g_strdup (secret);

          secret_password_free (secret);
          return copy;
        }
    }
#endif
  path = ausculta_credentials_file_path ();
  file = load_file (path, error);
  if (file == NULL)
    return NULL;
  return g_key_file_get_string (file, service, account, NULL);
}

gboolean
ausculta_credentials_clear (const char *service,
                            const char *account,
                            GError    **error)
{
  g_return_val_if_fail (service != NULL && account != NULL, FALSE);

#if HAVE_LIBSECRET
  if (!use_file_only ())
    secret_password_clear_sync (get_schema (), NULL, NULL, "service", service,
                                "account", account, NULL);
#endif
  return file_store (service, account, NULL, error);
}
