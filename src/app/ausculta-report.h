/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"
#include "ausculta-measurement.h"
#include "ausculta-reference-band.h"

G_BEGIN_DECLS

/* The feature bands of one run and channel of a measurement, over the
 * golden reference band, drawn with cairo: on the page, into a PNG and
 * into the PDF report. */
typedef struct {
  char    *title;      /* "up · AC" */
  char   **bands;      /* band names ("V1", "G29"), n long */
  double  *values;
  double  *low;        /* NaN where the reference has no band */
  double  *high;
  guint    n;
} AuscultaReportPlot;

/* One plot per run and channel, in the order the features come. */
GPtrArray *ausculta_report_make_plots        (const AuscultaMeasurement   *measurement,
                                              const AuscultaReferenceBand *band);
guint      ausculta_report_plot_count_violations (const AuscultaReportPlot *plot);
void       ausculta_report_draw_plot         (cairo_t                   *cr,
                                              const AuscultaReportPlot  *plot,
                                              double                     width,
                                              double                     height,
                                              const GdkRGBA             *ink);
/* The plots stacked on a white page, one above the other. */
gboolean   ausculta_report_write_png         (GPtrArray                 *plots,
                                              const char                *path,
                                              GError                   **error);
/* Header, verdict, reasons, label history and the plots, A4 pages. */
gboolean   ausculta_report_write_pdf         (const AuscultaMeasurement *measurement,
                                              GPtrArray                 *labels,
                                              GPtrArray                 *plots,
                                              const char                *path,
                                              GError                   **error);
/* "1 commutator / collector" ... for a label value (translated). */
char      *ausculta_report_label_name        (int                        label);
void       ausculta_report_plot_free         (AuscultaReportPlot        *plot);

G_END_DECLS
