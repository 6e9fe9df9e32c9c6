/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-archive-users"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "ausculta-archive-private.h"

static const char * const role_names[] = { NULL, "inspector", "engineer", "supervisor", "admin" };

const char *
ausculta_role_to_string (AuscultaRole role)
{
  g_return_val_if_fail (role >= AUSCULTA_ROLE_INSPECTOR && role <= AUSCULTA_ROLE_ADMIN, NULL);
  return role_names[role];
}

gboolean
ausculta_role_from_string (const char   *text,
                           AuscultaRole *role)
{
  g_return_val_if_fail (text != NULL && role != NULL, FALSE);

  for (int i = AUSCULTA_ROLE_INSPECTOR; i <= AUSCULTA_ROLE_ADMIN; i++)
    if (g_ascii_strcasecmp (text, role_names[i]) == 0)
      {
        *role = (AuscultaRole) i;
        return TRUE;
      }
  return FALSE;
}

void
ausculta_user_free (AuscultaUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->full_name);
  g_clear_pointer (&user->created_at, g_date_time_unref);
  g_free (user);
}

/* Argon2id through libsodium, interactive limits (about 0.1 s, 64 MiB). */
static char *
hash_secret (const char *secret,
             GError    **error)
{
  static gsize initialised = 0;
  char hash[crypto_pwhash_STRBYTES];

  if (g_once_init_enter (&initialised))
    g_once_init_leave (&initialised, sodium_init () >= 0 ? 1 : 2);
  if (initialised != 1
      || crypto_pwhash_str (hash, secret, strlen (secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_FAILED,
                   "cannot hash the password: out of memory for Argon2id (64 MiB)");
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
check_secrets (const char *password,
               const char *pin,
               GError    **error)
{
  if (password != NULL && strlen (password) < 6)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "password too short: expected at least 6 characters");
      return FALSE;
    }
  if (pin != NULL && (strlen (pin) < 4 || strspn (pin, "0123456789") != strlen (pin)))
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "PIN must be at least 4 digits");
      return FALSE;
    }
  return TRUE;
}

static AuscultaUser *
user_from_row (sqlite3_stmt *stmt)
{
  AuscultaUser *user = g_new0 (AuscultaUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->name = ausculta_archive_column_text (stmt, 1);
  user->full_name = ausculta_archive_column_text (stmt, 2);
  user->role = (AuscultaRole) sqlite3_column_int (stmt, 3);
  user->disabled = sqlite3_column_int (stmt, 4) != 0;
  user->has_pin = sqlite3_column_type (stmt, 5) != SQLITE_NULL;
  user->created_at = ausculta_archive_column_datetime (stmt, 6);
  return user;
}

#define USER_COLUMNS "id, name, full_name, role, disabled, pin_hash, created_at"

/* Loads user @name; @hashes (optional) receives password and PIN hashes. */
static AuscultaUser *
load_user (AuscultaArchive *self,
           sqlite3         *db,
           const char      *name,
           char           **hashes,
           GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "SELECT " USER_COLUMNS ", password_hash FROM users WHERE name = ?", error);
  AuscultaUser *user = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      user = user_from_row (stmt);
      if (hashes != NULL)
        {
          hashes[0] = ausculta_archive_column_text (stmt, 7);
          hashes[1] = ausculta_archive_column_text (stmt, 5);
        }
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                 "no user named “%s” in %s", name, ausculta_archive_get_path (self));
  else
    ausculta_archive_fail (self, db, rc, error, "reading a user");
  sqlite3_finalize (stmt);
  return user;
}

AuscultaUser *
ausculta_archive_require_role_in (AuscultaArchive *self,
                                  sqlite3         *db,
                                  const char      *actor,
                                  AuscultaRole     role,
                                  const char      *action,
                                  GError         **error)
{
  g_autoptr(AuscultaUser) user = NULL;
  g_autoptr(GError) local_error = NULL;

  if (actor == NULL)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                   "%s needs a logged-in user with the role %s", action, role_names[role]);
      return NULL;
    }
  user = load_user (self, db, actor, NULL, &local_error);
  if (user == NULL)
    {
      if (g_error_matches (local_error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND))
        g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                     "%s refused: “%s” is not a user of this archive", action, actor);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user->disabled)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                   "%s refused: user “%s” is disabled", action, actor);
      return NULL;
    }
  if (user->role < role)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_PERMISSION,
                   "%s refused: it needs the role %s or higher; “%s” is %s",
                   action, role_names[role], actor, role_names[user->role]);
      return NULL;
    }
  return g_steal_pointer (&user);
}

gboolean
ausculta_archive_check_role (AuscultaArchive *self,
                             const char      *actor,
                             AuscultaRole     role,
                             GError         **error)
{
  g_autoptr(AuscultaUser) user = NULL;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return FALSE;
  user = ausculta_archive_require_role_in (self, db, actor, role, "this action", error);
  return user != NULL;
}

static gboolean
count_users (AuscultaArchive *self,
             sqlite3         *db,
             const char      *sql,
             gint64          *count,
             GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return ausculta_archive_fail (self, db, rc, error, "counting users");
  return TRUE;
}

static gboolean
insert_user (AuscultaArchive *self,
             sqlite3         *db,
             const char      *name,
             const char      *full_name,
             AuscultaRole     role,
             const char      *password_hash,
             const char      *pin_hash,
             GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db,
    "INSERT INTO users (name, full_name, role, password_hash, pin_hash, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, full_name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, role);
  sqlite3_bind_text (stmt, 4, password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, pin_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, ausculta_archive_now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_EXISTS,
                   "a user named “%s” already exists", name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "adding a user");
  return TRUE;
}

/* The first user of an empty archive needs no actor but must be an admin,
 * so that an archive always has someone who can manage it. */
static gboolean
may_add_user (AuscultaArchive *self,
              sqlite3         *db,
              const char      *actor,
              AuscultaRole     role,
              GError         **error)
{
  g_autoptr(AuscultaUser) admin = NULL;
  gint64 n_users;

  if (!count_users (self, db, "SELECT count(*) FROM users", &n_users, error))
    return FALSE;
  if (n_users == 0 && role != AUSCULTA_ROLE_ADMIN)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "the first user of an archive must be an admin");
      return FALSE;
    }
  if (n_users == 0)
    return TRUE;
  admin = ausculta_archive_require_role_in (self, db, actor, AUSCULTA_ROLE_ADMIN,
                                            "adding a user", error);
  return admin != NULL;
}

gboolean
ausculta_archive_add_user (AuscultaArchive *self,
                           const char      *actor,
                           const char      *name,
                           const char      *full_name,
                           AuscultaRole     role,
                           const char      *password,
                           const char      *pin,
                           GError         **error)
{
  g_autofree char *password_hash = NULL;
  g_autofree char *pin_hash = NULL;
  g_autofree char *detail = NULL;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (name != NULL && password != NULL, FALSE);

  if (*name == '\0' || role < AUSCULTA_ROLE_INSPECTOR || role > AUSCULTA_ROLE_ADMIN)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
                   "a user needs a name and one of the roles inspector, engineer, "
                   "supervisor, admin");
      return FALSE;
    }
  if (!check_secrets (password, pin, error)
      || (password_hash = hash_secret (password, error)) == NULL
      || (pin != NULL && (pin_hash = hash_secret (pin, error)) == NULL))
    return FALSE;
  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  detail = g_strdup_printf ("role=%s", role_names[role]);
  if (!may_add_user (self, db, actor, role, error)
      || !insert_user (self, db, name, full_name, role, password_hash, pin_hash, error)
      || !ausculta_archive_audit_append_in (self, db, actor, "user.add", name, detail, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return ausculta_archive_commit (self, db, error);
}

/* Runs an UPDATE of one user: ?1 = name, ?2 = @text, ?3 = @number (a
 * parameter the SQL does not use is left unbound). */
static gboolean
update_user (AuscultaArchive *self,
             sqlite3         *db,
             const char      *sql,
             const char      *name,
             const char      *text,
             gint64           number,
             GError         **error)
{
  sqlite3_stmt *stmt = ausculta_archive_prepare (self, db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, number);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return ausculta_archive_fail (self, db, rc, error, "changing a user");
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_NOT_FOUND,
                   "no user named “%s” in %s", name, ausculta_archive_get_path (self));
      return FALSE;
    }
  return TRUE;
}

gboolean
ausculta_archive_set_user_secret (AuscultaArchive *self,
                                  const char      *actor,
                                  const char      *name,
                                  const char      *password,
                                  const char      *pin,
                                  GError         **error)
{
  g_autofree char *password_hash = NULL;
  g_autofree char *pin_hash = NULL;
  g_autoptr(AuscultaUser) by = NULL;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && name != NULL, FALSE);

  if (!check_secrets (password, pin, error)
      || (password != NULL && (password_hash = hash_secret (password, error)) == NULL)
      || (pin != NULL && (pin_hash = hash_secret (pin, error)) == NULL))
    return FALSE;
  db = ausculta_archive_db (self, error);
  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  by = ausculta_archive_require_role_in (self, db, actor,
                                         g_strcmp0 (actor, name) == 0 ? AUSCULTA_ROLE_INSPECTOR
                                         : AUSCULTA_ROLE_ADMIN,
                                         "changing another user's password", error);
  if (by == NULL
      || !update_user (self, db, "UPDATE users SET password_hash = coalesce (?2, password_hash)"
                       " WHERE name = ?1", name, password_hash, 0, error)
      || !update_user (self, db, "UPDATE users SET pin_hash = coalesce (?2, pin_hash)"
                       " WHERE name = ?1", name, pin_hash, 0, error)
      || !ausculta_archive_audit_append_in (self, db, actor, "user.passwd", name,
                                            pin != NULL ? "password/PIN" : "password", error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return ausculta_archive_commit (self, db, error);
}

/* Refuses a change that would leave no enabled admin. */
static gboolean
keeps_an_admin (AuscultaArchive *self,
                sqlite3         *db,
                GError         **error)
{
  gint64 n_admins;

  if (!count_users (self, db, "SELECT count(*) FROM users WHERE role = 4 AND NOT disabled",
                    &n_admins, error))
    return FALSE;
  if (n_admins > 0)
    return TRUE;
  g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_INVALID,
               "refused: the archive would have no enabled admin left");
  return FALSE;
}

static gboolean
admin_change (AuscultaArchive *self,
              const char      *actor,
              const char      *name,
              const char      *sql,
              gint64           value,
              const char      *action,
              const char      *detail,
              GError         **error)
{
  g_autoptr(AuscultaUser) admin = NULL;
  sqlite3 *db = ausculta_archive_db (self, error);

  if (db == NULL || !ausculta_archive_begin (self, db, error))
    return FALSE;
  admin = ausculta_archive_require_role_in (self, db, actor, AUSCULTA_ROLE_ADMIN,
                                            "changing a user", error);
  if (admin == NULL
      || !update_user (self, db, sql, name, NULL, value, error)
      || !keeps_an_admin (self, db, error)
      || !ausculta_archive_audit_append_in (self, db, actor, action, name, detail, error))
    {
      ausculta_archive_rollback (db);
      return FALSE;
    }
  return ausculta_archive_commit (self, db, error);
}

gboolean
ausculta_archive_set_user_disabled (AuscultaArchive *self,
                                    const char      *actor,
                                    const char      *name,
                                    gboolean         disabled,
                                    GError         **error)
{
  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && name != NULL, FALSE);
  return admin_change (self, actor, name,
                       "UPDATE users SET disabled = ?3 WHERE name = ?1",
                       disabled ? 1 : 0, disabled ? "user.disable" : "user.enable", NULL, error);
}

gboolean
ausculta_archive_set_user_role (AuscultaArchive *self,
                                const char      *actor,
                                const char      *name,
                                AuscultaRole     role,
                                GError         **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self) && name != NULL, FALSE);
  g_return_val_if_fail (role >= AUSCULTA_ROLE_INSPECTOR && role <= AUSCULTA_ROLE_ADMIN, FALSE);

  detail = g_strdup_printf ("role=%s", role_names[role]);
  return admin_change (self, actor, name,
                       "UPDATE users SET role = ?3 WHERE name = ?1",
                       role, "user.role", detail, error);
}

GPtrArray *
ausculta_archive_list_users (AuscultaArchive *self,
                             GError         **error)
{
  g_autoptr(GPtrArray) users = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  stmt = ausculta_archive_prepare (self, db,
    "SELECT " USER_COLUMNS " FROM users ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_user_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ausculta_archive_fail (self, db, rc, error, "listing users");
      return NULL;
    }
  return g_steal_pointer (&users);
}

static gboolean
secret_matches (const char *hash,
                const char *secret)
{
  return hash != NULL && crypto_pwhash_str_verify (hash, secret, strlen (secret)) == 0;
}

/**
 * ausculta_archive_authenticate:
 * @secret: the user's password or PIN
 *
 * Returns: (transfer full): the user, or %NULL with an AUTH error.
 */
AuscultaUser *
ausculta_archive_authenticate (AuscultaArchive *self,
                               const char      *name,
                               const char      *secret,
                               GError         **error)
{
  g_autoptr(AuscultaUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  char *hashes[2] = { NULL, NULL };
  gboolean matches;
  sqlite3 *db;

  g_return_val_if_fail (AUSCULTA_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (name != NULL && secret != NULL, NULL);

  db = ausculta_archive_db (self, error);
  if (db == NULL)
    return NULL;
  user = load_user (self, db, name, hashes, &local_error);
  if (user == NULL && !g_error_matches (local_error, AUSCULTA_ARCHIVE_ERROR,
                                        AUSCULTA_ARCHIVE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  matches = secret_matches (hashes[0], secret) || secret_matches (hashes[1], secret);
  g_free (hashes[0]);
  g_free (hashes[1]);
  if (user == NULL || !matches)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH,
                   "unknown user or wrong password/PIN for “%s”", name);
      return NULL;
    }
  if (user->disabled)
    {
      g_set_error (error, AUSCULTA_ARCHIVE_ERROR, AUSCULTA_ARCHIVE_ERROR_AUTH,
                   "user “%s” is disabled; ask an admin", name);
      return NULL;
    }
  return g_steal_pointer (&user);
}
