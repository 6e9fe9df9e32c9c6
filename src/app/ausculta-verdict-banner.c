/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-verdict-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "ausculta-verdict-banner.h"

/* The full-width verdict, readable from three metres: a word on a green,
 * red or amber field, with the reasons and the model that decided. */
struct _AuscultaVerdictBanner
{
  GtkWidget            parent_instance;

  GtkLabel            *verdict_label;
  GtkLabel            *reasons_label;
  GtkLabel            *model_label;
  AuscultaBannerState  state;
};

G_DEFINE_FINAL_TYPE (AuscultaVerdictBanner, ausculta_verdict_banner, GTK_TYPE_WIDGET)

static const char *state_classes[] = { "idle", "running", "ok", "nok", "repeat", "undecided" };

static const char *
state_text (AuscultaBannerState state)
{
  switch (state)
    {
    case AUSCULTA_BANNER_IDLE:
      return _("Ready");
    case AUSCULTA_BANNER_RUNNING:
      return _("Measuring…");
    case AUSCULTA_BANNER_OK:
      /* Translators: the verdict for a good motor, shown very large */
      return C_("verdict", "OK");
    case AUSCULTA_BANNER_NOK:
      /* Translators: the verdict for a bad motor, shown very large */
      return C_("verdict", "NOK");
    case AUSCULTA_BANNER_REPEAT:
      /* Translators: the verdict when the motor must be measured again */
      return C_("verdict", "REPEAT");
    case AUSCULTA_BANNER_UNDECIDED:
      return _("No Verdict");
    default:
      g_assert_not_reached ();
    }
}

static void
ausculta_verdict_banner_dispose (GObject *object)
{
  GtkWidget *child;

  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_verdict_banner_parent_class)->dispose (object);
}

static void
ausculta_verdict_banner_class_init (AuscultaVerdictBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_verdict_banner_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-verdict-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaVerdictBanner, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaVerdictBanner, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaVerdictBanner, model_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "verdict-banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
ausculta_verdict_banner_init (AuscultaVerdictBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ausculta_verdict_banner_show (self, AUSCULTA_BANNER_IDLE, NULL, NULL);
}

GtkWidget *
ausculta_verdict_banner_new (void)
{
  return g_object_new (AUSCULTA_TYPE_VERDICT_BANNER, NULL);
}

/**
 * ausculta_verdict_banner_show:
 * @reasons: (nullable): why, in the inspector's words ("3 bands above the
 *   reference: 2.5 kHz, 3.15 kHz, 4 kHz")
 * @model_version: (nullable): the model that decided
 */
void
ausculta_verdict_banner_show (AuscultaVerdictBanner *self,
                              AuscultaBannerState    state,
                              const char            *reasons,
                              const char            *model_version)
{
  g_autofree char *model_text = NULL;

  g_return_if_fail (AUSCULTA_IS_VERDICT_BANNER (self));
  g_return_if_fail (state <= AUSCULTA_BANNER_UNDECIDED);

  gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[self->state]);
  self->state = state;
  gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[state]);
  gtk_label_set_label (self->verdict_label, state_text (state));
  gtk_label_set_label (self->reasons_label, reasons != NULL ? reasons : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_label), reasons != NULL && *reasons != '\0');
  if (model_version != NULL)
    model_text = g_strdup_printf (_("Model %s"), model_version);
  gtk_label_set_label (self->model_label, model_text != NULL ? model_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->model_label), model_text != NULL);
}

AuscultaBannerState
ausculta_verdict_banner_get_state (AuscultaVerdictBanner *self)
{
  g_return_val_if_fail (AUSCULTA_IS_VERDICT_BANNER (self), AUSCULTA_BANNER_IDLE);

  return self->state;
}

const char *
ausculta_verdict_banner_get_text (AuscultaVerdictBanner *self)
{
  g_return_val_if_fail (AUSCULTA_IS_VERDICT_BANNER (self), NULL);

  return gtk_label_get_label (self->verdict_label);
}
