/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-archive.h"

G_BEGIN_DECLS

/* The actor of what the sync service writes on its own. */
#define AUSCULTA_ARCHIVE_SYNC_ACTOR "sync:mlflow"

/* A model the plant approved elsewhere (the MLflow `champion`), downloaded
 * and verified by the sync service. */
typedef struct {
  const char *model_id;           /* nullable: its id where it was trained */
  const char *version;            /* e.g. "lof-3" */
  GBytes     *file;
  const char *sha256;             /* what its MLflow version tag says */
  const char *validation_report;  /* nullable: JSON text */
  const char *approved_by;        /* the approval's version tags */
  GDateTime  *approved_at;
  const char *origin;             /* for the audit: e.g. "MLflow ausculta-detector v3" */
} AuscultaPulledModel;

char *ausculta_archive_install_champion (AuscultaArchive           *self,
                                         const AuscultaPulledModel *model,
                                         gboolean                  *changed,
                                         GError                   **error);

G_END_DECLS
