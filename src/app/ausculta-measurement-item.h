/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_MEASUREMENT_ITEM (ausculta_measurement_item_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaMeasurementItem, ausculta_measurement_item, AUSCULTA, MEASUREMENT_ITEM, GObject)

AuscultaMeasurementItem  *ausculta_measurement_item_new     (void);
void                      ausculta_measurement_item_set_row (AuscultaMeasurementItem *self,
                                                             AuscultaArchiveRow      *row);
const AuscultaArchiveRow *ausculta_measurement_item_get_row (AuscultaMeasurementItem *self);
char                     *ausculta_measurement_item_dup_column (AuscultaMeasurementItem *self,
                                                                const char              *column);

G_END_DECLS
