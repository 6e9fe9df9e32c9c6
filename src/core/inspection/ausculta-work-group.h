/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Jobs of one inspection cycle run on a process-wide pool of worker
 * threads (one per processor), while the cycle goes on capturing; the
 * cycle waits for the whole group before it uses their results. */
typedef struct _AuscultaWorkGroup AuscultaWorkGroup;

typedef void (*AuscultaWorkFunc) (gpointer data);

AuscultaWorkGroup *ausculta_work_group_new    (void);
/* Runs func (data) on a worker, then notify (data). */
void               ausculta_work_group_submit (AuscultaWorkGroup *group,
                                               AuscultaWorkFunc   func,
                                               gpointer           data,
                                               GDestroyNotify     notify);
/* Blocks until every job submitted so far has finished. */
void               ausculta_work_group_wait   (AuscultaWorkGroup *group);
/* Waits, then frees. */
void               ausculta_work_group_free   (AuscultaWorkGroup *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaWorkGroup, ausculta_work_group_free)

G_END_DECLS
