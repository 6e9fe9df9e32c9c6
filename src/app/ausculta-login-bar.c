/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-login-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-login-bar.h"

/* Quick login at the bench: user and PIN or password, checked against the
 * archive (Argon2id, in a worker), and a fast switch to the next user.
 * With no user in the archive the bench is open: inspections are then
 * recorded without an operator. */
struct _AuscultaLoginBar
{
  GtkWidget         parent_instance;

  GtkStack         *login_stack;
  GtkEntry         *user_entry;
  GtkPasswordEntry *secret_entry;
  GtkLabel         *user_label;
  GtkLabel         *login_error_label;
  GtkWidget        *login_button;

  AuscultaArchive  *archive;
  char             *user_name;
  gboolean          required;
  gboolean          authenticating;
};

G_DEFINE_FINAL_TYPE (AuscultaLoginBar, ausculta_login_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_USER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_user_name (AuscultaLoginBar *self,
               const char       *name)
{
  if (g_strcmp0 (self->user_name, name) == 0)
    return;
  g_free (self->user_name);
  self->user_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
}

static void
show_login_error (AuscultaLoginBar *self,
                  const char       *message)
{
  gtk_label_set_label (self->login_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->login_error_label), message != NULL);
}

static void
update_actions (AuscultaLoginBar *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.log-in",
                                 self->archive != NULL && !self->authenticating);
}


typedef struct
{
  char *name;
  char *secret;
} Credentials;

static void
credentials_free (Credentials *credentials)
{
  g_free (credentials->name);
  /* The secret does not outlive the check. */
  if (credentials->secret != NULL)
    memset (credentials->secret, 0, strlen (credentials->secret));
  g_free (credentials->secret);
  g_free (credentials);
}

/* Argon2id is slow by design: the check runs in a worker. */
static void
authenticate_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  AuscultaLoginBar *self = source_object;
  Credentials *credentials = task_data;
  GError *error = NULL;
  AuscultaUser *user;

  user = ausculta_archive_authenticate (self->archive, credentials->name, credentials->secret, &error);
  if (user == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, user, (GDestroyNotify) ausculta_user_free);
}

static void
on_authenticated (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AuscultaLoginBar *self = AUSCULTA_LOGIN_BAR (object);
  g_autoptr(GError) error = NULL;
  AuscultaUser *user = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  self->authenticating = FALSE;
  update_actions (self);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_entry), "");
  if (user == NULL)
    {
      show_login_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->secret_entry));
      return;
    }
  set_user_name (self, user->name);
  /* Translators: the user logged in, then their role */
  text = g_strdup_printf (_("%s (%s)"), user->full_name != NULL && *user->full_name != '\0'
                                        ? user->full_name : user->name,
                          ausculta_role_to_string (user->role));
  gtk_label_set_label (self->user_label, text);
  gtk_stack_set_visible_child_name (self->login_stack, "user");
  show_login_error (self, NULL);
  ausculta_user_free (user);
  update_actions (self);
}

static void
login (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  AuscultaLoginBar *self = AUSCULTA_LOGIN_BAR (widget);
  g_autoptr(GTask) task = NULL;
  Credentials *credentials;

  if (self->archive == NULL)
    return;
  credentials = g_new0 (Credentials, 1);
  credentials->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_entry))));
  credentials->secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_entry)));
  if (*credentials->name == '\0')
    {
      credentials_free (credentials);
      gtk_widget_grab_focus (GTK_WIDGET (self->user_entry));
      return;
    }
  self->authenticating = TRUE;
  update_actions (self);
  task = g_task_new (self, NULL, on_authenticated, NULL);
  g_task_set_source_tag (task, login);
  g_task_set_task_data (task, credentials, (GDestroyNotify) credentials_free);
  g_task_run_in_thread (task, authenticate_in_thread);
}

static void
switch_user (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AuscultaLoginBar *self = AUSCULTA_LOGIN_BAR (widget);

  set_user_name (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), "");
  gtk_stack_set_visible_child_name (self->login_stack, "login");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->user_entry));
}

static void
on_user_activate (GtkEntry            *entry,
                  AuscultaLoginBar    *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->secret_entry));
}

static void
on_secret_activate (GtkPasswordEntry    *entry,
                    AuscultaLoginBar    *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.log-in", NULL);
}

static void
ausculta_login_bar_dispose (GObject *object)
{
  AuscultaLoginBar *self = AUSCULTA_LOGIN_BAR (object);
  GtkWidget *child;

  g_clear_object (&self->archive);
  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_login_bar_parent_class)->dispose (object);
}

static void
ausculta_login_bar_finalize (GObject *object)
{
  g_free (AUSCULTA_LOGIN_BAR (object)->user_name);

  G_OBJECT_CLASS (ausculta_login_bar_parent_class)->finalize (object);
}

static void
ausculta_login_bar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AuscultaLoginBar *self = AUSCULTA_LOGIN_BAR (object);

  switch (prop_id)
    {
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_login_bar_class_init (AuscultaLoginBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_login_bar_dispose;
  object_class->finalize = ausculta_login_bar_finalize;
  object_class->get_property = ausculta_login_bar_get_property;

  /* The user logged in, NULL when nobody is. */
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-login-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, login_stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, user_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, secret_entry);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, user_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, login_error_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaLoginBar, login_button);
  gtk_widget_class_bind_template_callback (widget_class, on_user_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_activate);
  gtk_widget_class_install_action (widget_class, "login.log-in", NULL, login);
  gtk_widget_class_install_action (widget_class, "login.switch-user", NULL, switch_user);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_login_bar_init (AuscultaLoginBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->login_stack, "open");
  update_actions (self);
}

/* Logging in needs a user of @archive; without any, the bench is open. */
void
ausculta_login_bar_set_archive (AuscultaLoginBar *self,
                                AuscultaArchive  *archive)
{
  g_autoptr(GPtrArray) users = NULL;

  g_return_if_fail (AUSCULTA_IS_LOGIN_BAR (self));

  g_set_object (&self->archive, archive);
  if (archive != NULL)
    users = ausculta_archive_list_users (archive, NULL);
  self->required = users != NULL && users->len > 0;
  set_user_name (self, NULL);
  gtk_stack_set_visible_child_name (self->login_stack, self->required ? "login" : "open");
  update_actions (self);
}

const char *
ausculta_login_bar_get_user_name (AuscultaLoginBar *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LOGIN_BAR (self), NULL);

  return self->user_name;
}

/* Whether someone must log in before an inspection. */
gboolean
ausculta_login_bar_is_required (AuscultaLoginBar *self)
{
  g_return_val_if_fail (AUSCULTA_IS_LOGIN_BAR (self), FALSE);

  return self->required;
}

void
ausculta_login_bar_focus (AuscultaLoginBar *self)
{
  g_return_if_fail (AUSCULTA_IS_LOGIN_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->user_entry));
}
