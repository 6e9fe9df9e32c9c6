/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* A complete measurement as an inspection would produce it: 4 features,
 * two reasons, a timing, and @n_samples samples per (run, channel) signal
 * (no signals when 0). @day_offset days and @second seconds after
 * 2026-01-01T00:00Z. */
AuscultaMeasurement *archive_test_measurement (const char      *serial,
                                               const char      *station,
                                               const char      *operator_name,
                                               int              day_offset,
                                               int              second,
                                               AuscultaVerdict  verdict,
                                               gsize            n_samples);

/* @name in the test's own isolated data folder (created). */
char                *archive_test_path        (const char      *name);

/* A fresh archive in the test's isolated temporary folder. */
AuscultaArchive     *archive_test_open_new    (const char      *name,
                                               char           **path);

/* Adds admin "root" (password "rootpass", PIN 1234) and users with each
 * role: "insp", "eng", "sup" (password "<name>pass"). */
void                 archive_test_add_users   (AuscultaArchive *archive);

/* Runs @sql on a raw connection (an archive's schema built by hand);
 * a failure ends the test with the statement and SQLite's message. */
void                 archive_test_exec        (sqlite3         *db,
                                               const char      *sql);

G_END_DECLS
