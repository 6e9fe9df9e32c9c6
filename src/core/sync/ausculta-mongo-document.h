/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <bson/bson.h>

#include "ausculta-measurement.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (bson_t, bson_destroy)

/* One change of a measurement's labels, as the plant's dashboards see it. */
typedef struct {
  const char *label;      /* defect class, e.g. "3" or "whistling" */
  const char *author;     /* user name, never a secret */
  GDateTime  *at;         /* UTC */
  gboolean    removed;    /* FALSE: label added, TRUE: label removed */
} AuscultaLabelChange;

/* The labels and label history the archive keeps next to a measurement. */
typedef struct {
  const char * const        *labels;      /* NULL-terminated, may be NULL */
  const AuscultaLabelChange *changes;     /* oldest first */
  guint                      n_changes;
} AuscultaMeasurementLabels;

bson_t *ausculta_mongo_document_new (const AuscultaMeasurement       *measurement,
                                     const AuscultaMeasurementLabels *labels,
                                     const char                      *client);

G_END_DECLS
