/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-plot-view.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_BANDS_VIEW (ausculta_bands_view_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaBandsView, ausculta_bands_view, AUSCULTA, BANDS_VIEW, AuscultaPlotView)

GtkWidget *ausculta_bands_view_new              (void);
void       ausculta_bands_view_set_levels       (AuscultaBandsView *self,
                                                 const double      *centres_hz,
                                                 const double      *levels_db,
                                                 gsize              n_bands);
void       ausculta_bands_view_set_reference    (AuscultaBandsView *self,
                                                 const double      *low_db,
                                                 const double      *high_db,
                                                 gsize              n_bands);
guint      ausculta_bands_view_count_violations (AuscultaBandsView *self);

G_END_DECLS
