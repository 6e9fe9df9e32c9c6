/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The benchmark harness: time a piece of Ausculta, run its reference
 * (a /usr/bin/python3 script printing "seconds: S"), print both and the ratio. */

double   ausculta_bench_now             (void);
gboolean ausculta_bench_run_reference   (const char  *script,
                                         const char * const *args,
                                         double      *seconds,
                                         GError     **error);
void     ausculta_bench_report          (const char  *what,
                                         double       ausculta_seconds,
                                         double       reference_seconds,
                                         const char  *reference_what);
gsize    ausculta_bench_peak_rss_kib    (void);

G_END_DECLS
