/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ausculta-archive.h"
#include "ausculta-reference-band.h"

G_BEGIN_DECLS

#define AUSCULTA_TYPE_MEASUREMENT_PAGE (ausculta_measurement_page_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaMeasurementPage, ausculta_measurement_page, AUSCULTA, MEASUREMENT_PAGE, GtkWidget)

/* One archived measurement in full: header, feature bands over the golden
 * reference band, stored signals (spectrum, spectrogram, waveform, play),
 * labelling with its history, and exports (CSV, WAV, PNG, PDF).
 * Signals: "back" (the user leaves the page), "labelled" (a label was set).
 * Property "loading" is TRUE while a worker reads the archive. */
GtkWidget                   *ausculta_measurement_page_new            (void);
void                         ausculta_measurement_page_set_archive    (AuscultaMeasurementPage *self,
                                                                       AuscultaArchive         *archive);
void                         ausculta_measurement_page_set_user       (AuscultaMeasurementPage *self,
                                                                       const char              *user_name);
void                         ausculta_measurement_page_load           (AuscultaMeasurementPage *self,
                                                                       const char              *measurement_id);
gboolean                     ausculta_measurement_page_get_loading    (AuscultaMeasurementPage *self);
AuscultaMeasurement         *ausculta_measurement_page_get_measurement (AuscultaMeasurementPage *self);
const AuscultaReferenceBand *ausculta_measurement_page_get_reference  (AuscultaMeasurementPage *self);
GPtrArray                   *ausculta_measurement_page_get_labels     (AuscultaMeasurementPage *self);
guint                        ausculta_measurement_page_count_violations (AuscultaMeasurementPage *self);
/* What the buttons do once a file is chosen; errors also show in a toast. */
gboolean                     ausculta_measurement_page_set_label      (AuscultaMeasurementPage *self,
                                                                       int                      label,
                                                                       const char              *comment,
                                                                       GError                 **error);
gboolean                     ausculta_measurement_page_export_csv     (AuscultaMeasurementPage *self,
                                                                       const char              *path,
                                                                       GError                 **error);
gboolean                     ausculta_measurement_page_export_wav     (AuscultaMeasurementPage *self,
                                                                       const char              *folder,
                                                                       GError                 **error);
gboolean                     ausculta_measurement_page_export_png     (AuscultaMeasurementPage *self,
                                                                       const char              *path,
                                                                       GError                 **error);
gboolean                     ausculta_measurement_page_export_pdf     (AuscultaMeasurementPage *self,
                                                                       const char              *path,
                                                                       GError                 **error);

G_END_DECLS
