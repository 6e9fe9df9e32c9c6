/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ausculta_argpartition (const double *v,
                            guint        *idx,
                            gsize         num,
                            gsize         kth);

G_END_DECLS
