/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  AUSCULTA_BANNER_IDLE,     /* waiting for a motor */
  AUSCULTA_BANNER_RUNNING,  /* capture in progress */
  AUSCULTA_BANNER_OK,
  AUSCULTA_BANNER_NOK,
  AUSCULTA_BANNER_REPEAT,   /* the measurement cannot be trusted: measure again */
  AUSCULTA_BANNER_UNDECIDED,  /* measured and archived, but no model decided */
} AuscultaBannerState;

#define AUSCULTA_TYPE_VERDICT_BANNER (ausculta_verdict_banner_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaVerdictBanner, ausculta_verdict_banner, AUSCULTA, VERDICT_BANNER, GtkWidget)

GtkWidget          *ausculta_verdict_banner_new       (void);
void                ausculta_verdict_banner_show      (AuscultaVerdictBanner *self,
                                                       AuscultaBannerState    state,
                                                       const char            *reasons,
                                                       const char            *model_version);
AuscultaBannerState ausculta_verdict_banner_get_state (AuscultaVerdictBanner *self);
const char         *ausculta_verdict_banner_get_text  (AuscultaVerdictBanner *self);

G_END_DECLS
