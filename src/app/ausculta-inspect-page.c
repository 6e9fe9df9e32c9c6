/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-inspect-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ausculta-bench.h"
#include "ausculta-inspect-page.h"
#include "ausculta-sync-badge.h"
#include "ausculta-live-view.h"
#include "ausculta-login-bar.h"
#include "ausculta-run-progress.h"
#include "ausculta-verdict-banner.h"

/* The inspector's page: log in, scan a serial (Enter starts), watch the
 * live views while the motor runs up and down, read the verdict, confirm
 * or flag it. It observes an AuscultaInspection; it owns none of the
 * cycle's work. */
struct _AuscultaInspectPage
{
  GtkWidget              parent_instance;

  AuscultaLoginBar      *login_bar;
  GtkLabel              *counters_label;
  GtkLabel              *sync_label;
  GtkEntry              *serial_entry;
  GtkWidget             *start_button;
  GtkLabel              *run_label;
  AuscultaRunProgress   *progress_bar;
  GtkLabel              *status_label;
  AuscultaVerdictBanner *banner;
  GtkWidget             *review_box;
  AuscultaLiveView      *first_view;
  AuscultaLiveView      *second_view;

  AuscultaInspection    *inspection;
  AuscultaArchive       *archive;
  GCancellable          *cancellable;
  char                  *operator_name;
  guint                  counts[4];          /* per AuscultaVerdict */
  AuscultaSyncBadge     *sync_badge;
  char                  *setup_notes;
};

G_DEFINE_FINAL_TYPE (AuscultaInspectPage, ausculta_inspect_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_OPERATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_operator (AuscultaInspectPage *self,
              const char          *name)
{
  if (g_strcmp0 (self->operator_name, name) == 0)
    return;
  g_free (self->operator_name);
  self->operator_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATOR]);
}

static void
update_counters (AuscultaInspectPage *self)
{
  g_autofree char *text = NULL;

  /* Translators: the shift counters of the bench */
  text = g_strdup_printf (_("OK %u · NOK %u · REPEAT %u"),
                          self->counts[AUSCULTA_VERDICT_OK], self->counts[AUSCULTA_VERDICT_NOK],
                          self->counts[AUSCULTA_VERDICT_REPEAT]);
  gtk_label_set_label (self->counters_label, text);
}

static void
update_actions (AuscultaInspectPage *self)
{
  gboolean running = self->inspection != NULL && ausculta_inspection_is_running (self->inspection);
  gboolean may_start = self->inspection != NULL && !running
                       && (!ausculta_login_bar_is_required (self->login_bar)
                           || self->operator_name != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspect.start", may_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspect.stop", running);
  /* Nobody switches user in the middle of a motor. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self->login_bar), "login.switch-user", !running);
  /* The serial of the motor being measured is fixed (the field is emptied
   * when the run ends anyway). A focused field would still draw its text
   * cursor at every frame of the live views, asking the X server for the
   * keyboard each time: the page itself holds the focus during the run
   * (Escape still stops it, a scanner's Enter does nothing); the field
   * takes it back when the run ends. */
  gtk_editable_set_editable (GTK_EDITABLE (self->serial_entry), !running);
  gtk_widget_set_focusable (GTK_WIDGET (self), running);
  if (running && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->serial_entry)))
        gtk_widget_grab_focus (GTK_WIDGET (self));
    }
}

/* ---- live views ---- */

/* The inspection's block sink, on the cycle's thread: each channel's
 * samples go straight to its view's worker, and the main thread is woken
 * by the frame clock only. The page removes the sink before its views go. */
static void
on_live_block (const AuscultaLiveBlock *block,
               gpointer                 user_data)
{
  AuscultaInspectPage *self = user_data;
  AuscultaLiveView *views[] = { self->first_view, self->second_view };

  for (guint c = 0; c < MIN (block->n_channels, G_N_ELEMENTS (views)); c++)
    ausculta_live_view_push_block (views[c], block->run, block->samples[c], block->n_frames,
                                   block->sample_rate, block->offset, block->captured);
}

/* The live views watch their workers at every frame while the motor runs. */
static void
on_state (AuscultaInspection  *inspection,
          GParamSpec          *pspec,
          AuscultaInspectPage *self)
{
  AuscultaInspectionState state = ausculta_inspection_get_state (inspection);
  gboolean capturing = state == AUSCULTA_INSPECTION_RUN_UP || state == AUSCULTA_INSPECTION_RUN_DOWN;

  ausculta_live_view_set_capturing (self->first_view, capturing);
  ausculta_live_view_set_capturing (self->second_view, capturing);
}

static void
on_progress (AuscultaInspection  *inspection,
             GParamSpec          *pspec,
             AuscultaInspectPage *self)
{
  const char *run = ausculta_inspection_get_run (inspection);
  g_autofree char *text = NULL;

  if (run != NULL)
    /* Translators: %s is the run, "up" or "down" */
    text = g_strdup_printf (_("Run %s"), run);
  if (g_strcmp0 (text != NULL ? text : "", gtk_label_get_label (self->run_label)) != 0)
    gtk_label_set_label (self->run_label, text);
  ausculta_run_progress_set_fraction (self->progress_bar, ausculta_inspection_get_progress (inspection));
}

static void
on_status (AuscultaInspection  *inspection,
           GParamSpec          *pspec,
           AuscultaInspectPage *self)
{
  const char *status = ausculta_inspection_get_status (inspection);

  gtk_label_set_label (self->status_label, status != NULL ? status : "");
}

/* The views follow the profile of the next cycle: one chosen or calibrated
 * in Preferences shows from the next motor on. */
static void
setup_channels (AuscultaInspectPage *self)
{
  g_autoptr(AuscultaProfile) profile = ausculta_inspection_dup_profile (self->inspection);
  AuscultaLiveView *views[] = { self->first_view, self->second_view };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      const AuscultaProfileChannel *channel = NULL;

      if (i < ausculta_profile_get_n_channels (profile))
        channel = ausculta_profile_get_channel (profile, i);
      gtk_widget_set_visible (GTK_WIDGET (views[i]), channel != NULL);
      if (channel == NULL)
        continue;
      ausculta_live_view_set_channel (views[i], channel->name, channel->unit, channel->reference);
      /* Microphones in dB re 20 µPa, accelerometers in dB re 1 µm/s². */
      if (channel->kind == AUSCULTA_CHANNEL_MICROPHONE)
        ausculta_live_view_set_range (views[i], -10.0, 100.0);
      else
        ausculta_live_view_set_range (views[i], 20.0, 130.0);
    }
}

/* ---- the cycle ---- */

/* "V12_vib_up 41 %, G20_AC_down 17 %, …": the features that weighed most,
 * for a rejected motor only: on an OK they would read as faults. */
static char *
describe_reasons (AuscultaMeasurement *measurement)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (measurement->verdict == AUSCULTA_VERDICT_REPEAT && measurement->health != 0)
    {
      g_autofree char *health = ausculta_health_to_string (measurement->health);

      g_string_append (text, health);
    }
  for (guint i = 0;
       measurement->verdict == AUSCULTA_VERDICT_NOK && measurement->reasons != NULL
       && i < MIN (3u, measurement->reasons->len);
       i++)
    {
      AuscultaReason *reason = g_ptr_array_index (measurement->reasons, i);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s %.0f %%", reason->feature, 100 * reason->contribution);
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_measurement (AuscultaInspectPage *self,
                  AuscultaMeasurement *measurement)
{
  static const AuscultaBannerState states[] = {
    [AUSCULTA_VERDICT_NONE] = AUSCULTA_BANNER_UNDECIDED,
    [AUSCULTA_VERDICT_OK] = AUSCULTA_BANNER_OK,
    [AUSCULTA_VERDICT_NOK] = AUSCULTA_BANNER_NOK,
    [AUSCULTA_VERDICT_REPEAT] = AUSCULTA_BANNER_REPEAT,
  };
  g_autofree char *reasons = describe_reasons (measurement);

  if (reasons == NULL && measurement->verdict == AUSCULTA_VERDICT_NONE)
    reasons = g_strdup (ausculta_inspection_get_status (self->inspection));
  ausculta_verdict_banner_show (self->banner, states[measurement->verdict], reasons,
                                measurement->model_version);
  self->counts[measurement->verdict]++;
  update_counters (self);
  gtk_widget_set_visible (self->review_box, measurement->verdict == AUSCULTA_VERDICT_OK
                                            || measurement->verdict == AUSCULTA_VERDICT_NOK);
}

static void
on_run_finished (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AuscultaInspectPage) self = user_data;
  g_autoptr(AuscultaMeasurement) measurement = NULL;
  g_autoptr(GError) error = NULL;

  measurement = ausculta_inspection_run_finish (AUSCULTA_INSPECTION (object), result, &error);
  g_clear_object (&self->cancellable);
  gtk_label_set_label (self->run_label, "");
  if (measurement != NULL)
    show_measurement (self, measurement);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ausculta_verdict_banner_show (self->banner, AUSCULTA_BANNER_IDLE, _("Stopped"), NULL);
  else
    {
      ausculta_verdict_banner_show (self->banner, AUSCULTA_BANNER_REPEAT, error->message, NULL);
      self->counts[AUSCULTA_VERDICT_REPEAT]++;
      update_counters (self);
    }
  ausculta_sync_badge_update (self->sync_badge);
  update_actions (self);
  /* Ready for the next scan. */
  gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->serial_entry));
}

static void
start (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  AuscultaInspectPage *self = AUSCULTA_INSPECT_PAGE (widget);
  g_autofree char *serial = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->serial_entry))));

  if (*serial == '\0')
    {
      gtk_label_set_label (self->status_label, _("Scan or type a serial number first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->serial_entry));
      return;
    }
  ausculta_inspection_set_serial (self->inspection, serial);
  ausculta_inspection_set_operator (self->inspection, self->operator_name);
  ausculta_live_view_reset (self->first_view);
  ausculta_live_view_reset (self->second_view);
  setup_channels (self);
  gtk_widget_set_visible (self->review_box, FALSE);
  ausculta_verdict_banner_show (self->banner, AUSCULTA_BANNER_RUNNING, serial, NULL);
  self->cancellable = g_cancellable_new ();
  ausculta_inspection_run_async (self->inspection, self->cancellable, on_run_finished,
                                 g_object_ref (self));
  update_actions (self);
}

static void
stop (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  AuscultaInspectPage *self = AUSCULTA_INSPECT_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
on_serial_activate (GtkEntry            *entry,
                    AuscultaInspectPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "inspect.start", NULL);
}

static void
focus_serial (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (AUSCULTA_INSPECT_PAGE (widget)->serial_entry));
}

/* ---- confirm or flag ---- */

static void
review (AuscultaInspectPage *self,
        gboolean             confirm)
{
  AuscultaMeasurement *measurement = ausculta_inspection_get_measurement (self->inspection);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (measurement == NULL || self->archive == NULL)
    return;
  if (confirm)
    done = ausculta_archive_set_label (self->archive, self->operator_name, measurement->id,
                                       measurement->verdict == AUSCULTA_VERDICT_OK
                                       ? AUSCULTA_LABEL_OK : AUSCULTA_LABEL_NG,
                                       "confirmed by the inspector", &error);
  else
    done = ausculta_archive_append_audit (self->archive, self->operator_name, "flag",
                                          measurement->id, "flagged for review by the inspector",
                                          &error);
  gtk_label_set_label (self->status_label, done ? (confirm ? _("Verdict confirmed")
                                                           : _("Flagged for review"))
                                                : error->message);
  gtk_widget_set_visible (self->review_box, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->serial_entry));
}

static void
confirm (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  review (AUSCULTA_INSPECT_PAGE (widget), TRUE);
}

static void
flag (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  review (AUSCULTA_INSPECT_PAGE (widget), FALSE);
}

/* ---- set-up ---- */

/* A user logged in (or out) at the bench: they operate what comes next. */
static void
on_user_name (AuscultaLoginBar    *login_bar,
              GParamSpec          *pspec,
              AuscultaInspectPage *self)
{
  set_operator (self, ausculta_login_bar_get_user_name (login_bar));
  update_actions (self);
  if (self->operator_name != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->serial_entry));
}

static void
setup_bench (AuscultaInspectPage *self)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  self->inspection = ausculta_bench_new_inspection (&self->archive, notes);
  g_ptr_array_add (notes, NULL);
  self->setup_notes = g_strjoinv ("\n", (char **) notes->pdata);
  if (*self->setup_notes != '\0')
    g_message ("Bench set-up: %s", self->setup_notes);
  gtk_label_set_label (self->status_label, self->setup_notes);
  if (self->inspection == NULL)
    return;
  ausculta_inspection_set_block_sink (self->inspection, on_live_block, self, NULL);
  g_signal_connect_object (self->inspection, "notify::state", G_CALLBACK (on_state), self, 0);
  g_signal_connect_object (self->inspection, "notify::progress", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (self->inspection, "notify::run", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (self->inspection, "notify::status", G_CALLBACK (on_status), self, 0);
  setup_channels (self);
}

static void
on_map (GtkWidget           *widget,
        AuscultaInspectPage *self)
{
  if (ausculta_login_bar_is_required (self->login_bar) && self->operator_name == NULL)
    ausculta_login_bar_focus (self->login_bar);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->serial_entry));
}

static void
ausculta_inspect_page_dispose (GObject *object)
{
  AuscultaInspectPage *self = AUSCULTA_INSPECT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync_badge);
  /* Waits for a block being handed to the views, which go below. */
  if (self->inspection != NULL)
    ausculta_inspection_set_block_sink (self->inspection, NULL, NULL, NULL);
  g_clear_object (&self->inspection);
  g_clear_object (&self->archive);

  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_inspect_page_parent_class)->dispose (object);
}

static void
ausculta_inspect_page_finalize (GObject *object)
{
  AuscultaInspectPage *self = AUSCULTA_INSPECT_PAGE (object);

  g_free (self->operator_name);
  g_free (self->setup_notes);

  G_OBJECT_CLASS (ausculta_inspect_page_parent_class)->finalize (object);
}

static void
ausculta_inspect_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AuscultaInspectPage *self = AUSCULTA_INSPECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_OPERATOR:
      g_value_set_string (value, self->operator_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_inspect_page_class_init (AuscultaInspectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_inspect_page_dispose;
  object_class->finalize = ausculta_inspect_page_finalize;
  object_class->get_property = ausculta_inspect_page_get_property;

  /* The user logged in at the bench, NULL when nobody is. */
  properties[PROP_OPERATOR] =
    g_param_spec_string ("operator", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AUSCULTA_TYPE_RUN_PROGRESS);
  g_type_ensure (AUSCULTA_TYPE_LIVE_VIEW);
  g_type_ensure (AUSCULTA_TYPE_LOGIN_BAR);
  g_type_ensure (AUSCULTA_TYPE_VERDICT_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-inspect-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AuscultaInspectPage, name)
  BIND (login_bar);
  BIND (counters_label);
  BIND (sync_label);
  BIND (serial_entry);
  BIND (start_button);
  BIND (run_label);
  BIND (progress_bar);
  BIND (status_label);
  BIND (banner);
  BIND (review_box);
  BIND (first_view);
  BIND (second_view);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_serial_activate);

  gtk_widget_class_install_action (widget_class, "inspect.start", NULL, start);
  gtk_widget_class_install_action (widget_class, "inspect.stop", NULL, stop);
  gtk_widget_class_install_action (widget_class, "inspect.focus-serial", NULL, focus_serial);
  gtk_widget_class_install_action (widget_class, "inspect.confirm", NULL, confirm);
  gtk_widget_class_install_action (widget_class, "inspect.flag", NULL, flag);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "inspect.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "inspect.focus-serial", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_inspect_page_init (AuscultaInspectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_bench (self);
  g_signal_connect_object (self->login_bar, "notify::user-name", G_CALLBACK (on_user_name), self, 0);
  ausculta_login_bar_set_archive (self->login_bar, self->archive);
  update_counters (self);
  self->sync_badge = ausculta_sync_badge_new (self->sync_label, self->archive);
  update_actions (self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), self);
}

void
ausculta_inspect_page_set_station (AuscultaInspectPage *self,
                                   const char          *station)
{
  g_return_if_fail (AUSCULTA_IS_INSPECT_PAGE (self));

  if (self->inspection != NULL)
    ausculta_inspection_set_station (self->inspection, station);
}

/**
 * ausculta_inspect_page_get_inspection:
 *
 * Returns: (transfer none) (nullable): the cycle this page observes, or
 *   %NULL when the bench could not be set up (no profile).
 */
AuscultaInspection *
ausculta_inspect_page_get_inspection (AuscultaInspectPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECT_PAGE (self), NULL);

  return self->inspection;
}

const char *
ausculta_inspect_page_get_operator (AuscultaInspectPage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECT_PAGE (self), NULL);

  return self->operator_name;
}

/* Verdicts of this shift (since the app started). */
guint
ausculta_inspect_page_get_count (AuscultaInspectPage *self,
                                 AuscultaVerdict      verdict)
{
  g_return_val_if_fail (AUSCULTA_IS_INSPECT_PAGE (self), 0);
  g_return_val_if_fail (verdict <= AUSCULTA_VERDICT_REPEAT, 0);

  return self->counts[verdict];
}
