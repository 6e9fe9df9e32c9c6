/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A horizontal peak meter, -60..0 dBFS, with a peak hold that falls back
 * after two seconds; exposed to assistive technologies as a meter. */
#define AUSCULTA_TYPE_LEVEL_METER (ausculta_level_meter_get_type ())

G_DECLARE_FINAL_TYPE (AuscultaLevelMeter, ausculta_level_meter, AUSCULTA, LEVEL_METER, GtkWidget)

#define AUSCULTA_LEVEL_METER_FLOOR_DB (-60.0)

GtkWidget *ausculta_level_meter_new       (void);
void       ausculta_level_meter_set_level (AuscultaLevelMeter *self,
                                           double              dbfs);
double     ausculta_level_meter_get_level (AuscultaLevelMeter *self);
double     ausculta_level_meter_get_hold  (AuscultaLevelMeter *self);

/* A capture source read on a thread of its own: the peak of each channel
 * (dBFS of the source's values) for the meters, and captures of one
 * channel (for the calibrator). */
typedef struct _AuscultaLevelProbe AuscultaLevelProbe;

AuscultaLevelProbe *ausculta_level_probe_new            (const char          *spec,
                                                         guint                n_channels,
                                                         double               sample_rate,
                                                         GError             **error);
void                ausculta_level_probe_free           (AuscultaLevelProbe  *probe);
guint               ausculta_level_probe_get_n_channels (AuscultaLevelProbe  *probe);
double              ausculta_level_probe_get_sample_rate (AuscultaLevelProbe *probe);
const char         *ausculta_level_probe_get_unit       (AuscultaLevelProbe  *probe,
                                                         guint                channel);
gboolean            ausculta_level_probe_get_peaks      (AuscultaLevelProbe  *probe,
                                                         double              *dbfs,
                                                         char               **error_message);
void                ausculta_level_probe_capture_async  (AuscultaLevelProbe  *probe,
                                                         guint                channel,
                                                         double               seconds,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GArray             *ausculta_level_probe_capture_finish (AuscultaLevelProbe  *probe,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaLevelProbe, ausculta_level_probe_free)

G_END_DECLS
