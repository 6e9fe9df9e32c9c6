/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* A clock the tests move by hand (UTC microseconds). */
typedef struct {
  gint64 now;
} SyncTestClock;

gint64               sync_test_clock_now         (gpointer          data);
AuscultaMeasurement *sync_test_measurement_new   (guint             i);
AuscultaArchive     *sync_test_archive_new       (guint             n_measurements);
void                 sync_test_archive_add       (AuscultaArchive  *archive,
                                                  guint             first,
                                                  guint             n_measurements);
guint                sync_test_outbox_attempts   (AuscultaArchive  *archive,
                                                  const char       *target);

G_END_DECLS
