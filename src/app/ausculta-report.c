/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ausculta-plot.h"
#include "ausculta-report.h"

#define PLOT_WIDTH   900.0
#define PLOT_HEIGHT  220.0
#define A4_WIDTH     595.0
#define A4_HEIGHT    842.0
#define PDF_MARGIN   40.0

/* The historical defect classes, from the names of the NG motors. */
static const char * const defect_names[] = {
  NULL,
  N_("commutator / collector"),
  N_("impacts on screws"),
  N_("whistling"),
  N_("impacts on screws"),
  N_("slack wire"),
  N_("unbalance"),
  N_("bent shaft"),
};

char *
ausculta_report_label_name (int label)
{
  if (label == AUSCULTA_LABEL_OK)
    return g_strdup (C_("label", "OK"));
  if (label == AUSCULTA_LABEL_NG)
    return g_strdup (_("NG, class unknown"));
  if (label > 0 && label < (int) G_N_ELEMENTS (defect_names))
    return g_strdup_printf ("%d %s", label, _(defect_names[label]));
  if (label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    return g_strdup (_("Not labelled"));
  return g_strdup_printf (_("Class %d"), label);
}

/* "V1_AC_up" → band V1, group "up · AC"; "G29vib_up" → G29, "up · vib". */
static gboolean
split_feature (const char  *name,
               char       **band,
               char       **group)
{
  g_auto(GStrv) parts = g_strsplit (name, "_", -1);
  guint n = g_strv_length (parts);
  const char *p;

  if (n == 3)
    {
      *band = g_strdup (parts[0]);
      *group = g_strdup_printf ("%s · %s", parts[2], parts[1]);
      return TRUE;
    }
  if (n != 2)
    return FALSE;
  for (p = parts[0]; *p != '\0' && !g_ascii_isdigit (*p); p++)
    ;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '\0' || p == parts[0])
    return FALSE;
  *band = g_strndup (parts[0], p - parts[0]);
  *group = g_strdup_printf ("%s · %s", parts[1], p);
  return TRUE;
}

static AuscultaReportPlot *
find_or_add_plot (GPtrArray  *plots,
                  const char *title,
                  guint       capacity)
{
  AuscultaReportPlot *plot;

  for (guint i = 0; i < plots->len; i++)
    if (g_str_equal (((AuscultaReportPlot *) g_ptr_array_index (plots, i))->title, title))
      return g_ptr_array_index (plots, i);
  plot = g_new0 (AuscultaReportPlot, 1);
  plot->title = g_strdup (title);
  plot->bands = g_new0 (char *, capacity + 1);
  plot->values = g_new (double, capacity);
  plot->low = g_new (double, capacity);
  plot->high = g_new (double, capacity);
  g_ptr_array_add (plots, plot);
  return plot;
}

GPtrArray *
ausculta_report_make_plots (const AuscultaMeasurement   *measurement,
                            const AuscultaReferenceBand *band)
{
  GPtrArray *plots = g_ptr_array_new_with_free_func ((GDestroyNotify) ausculta_report_plot_free);

  g_return_val_if_fail (measurement != NULL, plots);

  for (guint i = 0; i < measurement->n_features; i++)
    {
      g_autofree char *band_name = NULL;
      g_autofree char *group = NULL;
      AuscultaReportPlot *plot;
      int j = band != NULL ? ausculta_reference_band_find (band, measurement->feature_names[i]) : -1;

      if (!split_feature (measurement->feature_names[i], &band_name, &group))
        continue;
      plot = find_or_add_plot (plots, group, measurement->n_features);
      plot->bands[plot->n] = g_steal_pointer (&band_name);
      plot->values[plot->n] = measurement->features[i];
      plot->low[plot->n] = j >= 0 ? band->low[j] : NAN;
      plot->high[plot->n] = j >= 0 ? band->high[j] : NAN;
      plot->n++;
    }
  return plots;
}

static gboolean
violates (const AuscultaReportPlot *plot,
          guint                     i)
{
  return isfinite (plot->low[i]) && isfinite (plot->values[i])
         && (plot->values[i] < plot->low[i] || plot->values[i] > plot->high[i]);
}

guint
ausculta_report_plot_count_violations (const AuscultaReportPlot *plot)
{
  guint n = 0;

  for (guint i = 0; i < plot->n; i++)
    if (violates (plot, i))
      n++;
  return n;
}

static void
value_range (const AuscultaReportPlot *plot,
             double                   *v_min,
             double                   *v_max)
{
  *v_min = INFINITY;
  *v_max = -INFINITY;
  for (guint i = 0; i < plot->n; i++)
    {
      const double v[] = { plot->values[i], plot->low[i], plot->high[i] };

      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        if (isfinite (v[k]))
          {
            *v_min = MIN (*v_min, v[k]);
            *v_max = MAX (*v_max, v[k]);
          }
    }
  if (!isfinite (*v_min))
    {
      *v_min = 0.0;
      *v_max = 1.0;
    }
  if (*v_max - *v_min < 1e-9)
    *v_max = *v_min + 1.0;
  *v_min -= 0.05 * (*v_max - *v_min);
}

static void
draw_frame (cairo_t                *cr,
            const AuscultaReportPlot *plot,
            const AuscultaPlotArea *area,
            const GdkRGBA          *ink)
{
  char text[64];

  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, area->x + 0.5, area->y + 0.5, area->width, area->height);
  cairo_stroke (cr);
  cairo_set_font_size (cr, 11.0);
  for (int t = 0; t <= 2; t++)
    {
      double v = area->v_min + t * (area->v_max - area->v_min) / 2.0;

      g_snprintf (text, sizeof text, "%.3g", v);
      cairo_move_to (cr, 4.0, ausculta_plot_y_for_value (area, v) + 4.0);
      cairo_show_text (cr, text);
    }
  if (plot->n > 0)
    {
      cairo_move_to (cr, area->x, area->y + area->height + 14.0);
      cairo_show_text (cr, plot->bands[0]);
      cairo_move_to (cr, area->x + area->width - 30.0, area->y + area->height + 14.0);
      cairo_show_text (cr, plot->bands[plot->n - 1]);
    }
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 1.0);
  cairo_set_font_size (cr, 13.0);
  g_snprintf (text, sizeof text, "%s", plot->title);
  cairo_move_to (cr, area->x + 6.0, area->y - 6.0);
  cairo_show_text (cr, text);
}

/* The reference band over the bars: a translucent box with its limits
 * drawn as lines, visible even when the band is narrow. */
static void
draw_reference (cairo_t                  *cr,
                const AuscultaReportPlot *plot,
                const AuscultaPlotArea   *area,
                const GdkRGBA            *ink,
                double                    step)
{
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < plot->n; i++)
    {
      double x = area->x + i * step;
      double y_high, y_low;

      if (!isfinite (plot->low[i]))
        continue;
      y_high = ausculta_plot_y_for_value (area, plot->high[i]);
      y_low = ausculta_plot_y_for_value (area, plot->low[i]);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.25);
      cairo_rectangle (cr, x, y_high, step, MAX (1.0, y_low - y_high));
      cairo_fill (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.85);
      cairo_move_to (cr, x, y_high);
      cairo_line_to (cr, x + step, y_high);
      cairo_move_to (cr, x, y_low);
      cairo_line_to (cr, x + step, y_low);
      cairo_stroke (cr);
    }
}

/* Bars by band index (the bands are not on one frequency axis: orders and
 * constant-width bands follow each other), grey reference band behind. */
void
ausculta_report_draw_plot (cairo_t                  *cr,
                           const AuscultaReportPlot *plot,
                           double                    width,
                           double                    height,
                           const GdkRGBA            *ink)
{
  AuscultaPlotArea area = { 56.0, 22.0, MAX (1.0, width - 64.0), MAX (1.0, height - 42.0), 1, 2, 0, 1 };
  GdkRGBA blue, red;
  double step;

  gdk_rgba_parse (&blue, AUSCULTA_PLOT_BLUE);
  gdk_rgba_parse (&red, AUSCULTA_PLOT_RED);
  value_range (plot, &area.v_min, &area.v_max);
  draw_frame (cr, plot, &area, ink);
  step = area.width / MAX (1u, plot->n);
  for (guint i = 0; i < plot->n; i++)
    {
      double y = ausculta_plot_y_for_value (&area, plot->values[i]);
      double bottom = area.y + area.height;

      if (!isfinite (plot->values[i]))
        continue;
      gdk_cairo_set_source_rgba (cr, violates (plot, i) ? &red : &blue);
      cairo_rectangle (cr, area.x + (i + 0.15) * step, MIN (y, bottom), MAX (1.0, step * 0.7), fabs (bottom - y));
      cairo_fill (cr);
    }
  draw_reference (cr, plot, &area, ink, step);
}

static gboolean
cairo_failed (cairo_status_t status,
              const char    *path,
              GError       **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write: %s",
               path, cairo_status_to_string (status));
  return TRUE;
}

gboolean
ausculta_report_write_png (GPtrArray   *plots,
                           const char  *path,
                           GError     **error)
{
  const GdkRGBA ink = { 0.1, 0.1, 0.1, 1.0 };
  int height = (int) (PLOT_HEIGHT * MAX (1u, plots->len));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) PLOT_WIDTH, height);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint i = 0; i < plots->len; i++)
    {
      cairo_save (cr);
      cairo_translate (cr, 0, i * PLOT_HEIGHT);
      ausculta_report_draw_plot (cr, g_ptr_array_index (plots, i), PLOT_WIDTH, PLOT_HEIGHT, &ink);
      cairo_restore (cr);
    }
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  return !cairo_failed (status, path, error);
}

static double
show_line (cairo_t    *cr,
           double      y,
           double      size,
           const char *text)
{
  cairo_set_font_size (cr, size);
  cairo_move_to (cr, PDF_MARGIN, y);
  cairo_show_text (cr, text);
  return y + size * 1.5;
}

static double
write_header (cairo_t                   *cr,
              const AuscultaMeasurement *m,
              GPtrArray                 *labels)
{
  g_autofree char *started = m->started_at != NULL ? g_date_time_format_iso8601 (m->started_at) : NULL;
  g_autofree char *health = ausculta_health_to_string (m->health);
  g_autofree char *line = NULL;
  double y = PDF_MARGIN + 10.0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  line = g_strdup_printf (_("Inspection report — %s"), m->serial != NULL ? m->serial : "");
  y = show_line (cr, y, 18.0, line);
  g_free (line);
  if (isfinite (m->score))
    line = g_strdup_printf (_("Verdict: %s   score %.4g / threshold %.4g"),
                            ausculta_verdict_to_string (m->verdict), m->score, m->threshold);
  else
    line = g_strdup_printf (_("Verdict: %s   no score"), ausculta_verdict_to_string (m->verdict));
  y = show_line (cr, y, 14.0, line);
  g_free (line);
  line = g_strdup_printf (_("Time %s · station %s · operator %s · model %s"), started ? started : "—",
                          m->station ? m->station : "—", m->operator_name ? m->operator_name : "—",
                          m->model_version ? m->model_version : "—");
  y = show_line (cr, y, 10.0, line);
  g_free (line);
  line = g_strdup_printf (_("Health: %s"), health != NULL && *health != '\0' ? health : _("good"));
  y = show_line (cr, y, 10.0, line);
  for (guint i = 0; m->reasons != NULL && i < m->reasons->len && i < 5; i++)
    {
      const AuscultaReason *reason = g_ptr_array_index (m->reasons, i);
      g_autofree char *text = g_strdup_printf (_("Reason: %s (%.0f %%)"), reason->feature,
                                               100.0 * reason->contribution);

      y = show_line (cr, y, 10.0, text);
    }
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      const AuscultaLabel *label = g_ptr_array_index (labels, i);
      g_autofree char *name = ausculta_report_label_name (label->label);
      g_autofree char *text = label->comment != NULL && *label->comment != '\0'
                              ? g_strdup_printf (_("Label: %s by %s — %s"), name, label->user_name, label->comment)
                              : g_strdup_printf (_("Label: %s by %s"), name, label->user_name);

      y = show_line (cr, y, 10.0, text);
    }
  return y;
}

gboolean
ausculta_report_write_pdf (const AuscultaMeasurement *measurement,
                           GPtrArray                 *labels,
                           GPtrArray                 *plots,
                           const char                *path,
                           GError                   **error)
{
  const GdkRGBA ink = { 0.1, 0.1, 0.1, 1.0 };
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  double plot_w = A4_WIDTH - 2 * PDF_MARGIN, plot_h = 150.0;
  double y = write_header (cr, measurement, labels);
  cairo_status_t status;

  for (guint i = 0; i < plots->len; i++)
    {
      if (y + plot_h > A4_HEIGHT - PDF_MARGIN)
        {
          cairo_show_page (cr);
          y = PDF_MARGIN;
        }
      cairo_save (cr);
      cairo_translate (cr, PDF_MARGIN, y);
      ausculta_report_draw_plot (cr, g_ptr_array_index (plots, i), plot_w, plot_h, &ink);
      cairo_restore (cr);
      y += plot_h + 10.0;
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return !cairo_failed (status, path, error);
}

void
ausculta_report_plot_free (AuscultaReportPlot *plot)
{
  if (plot == NULL)
    return;
  g_free (plot->title);
  g_strfreev (plot->bands);
  g_free (plot->values);
  g_free (plot->low);
  g_free (plot->high);
  g_free (plot);
}
