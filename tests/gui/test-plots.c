/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-test-plots"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ausculta-application.h"
#include "ausculta-bands-view.h"
#include "ausculta-gui-test.h"
#include "ausculta-live-worker.h"
#include "ausculta-plot.h"
#include "ausculta-spectrogram-view.h"
#include "ausculta-spectrum-view.h"
#include "ausculta-verdict-banner.h"
#include "ausculta-waveform-view.h"

/* The plot widgets and the verdict banner, each alone in a window, checked
 * by what they show: the readout under the cursor, the red of a band
 * outside its reference, the colour and size of a verdict. */

static GtkWindow *
show_in_window (GtkWidget *widget,
                int        width,
                int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);
  ausculta_test_wait_ms (300);
  return window;
}

static void
test_merge_columns (void)
{
  const AuscultaColumnRange eight[] = {
    { 1, 2, TRUE }, { -1, 0, TRUE }, { 5, 6, TRUE }, { 0, 0, FALSE },
    { 0, 0, FALSE }, { 0, 0, FALSE }, { 3, 3, TRUE }, { 9, 9, TRUE },
  };
  const AuscultaColumnRange two[] = { { 1, 2, TRUE }, { 7, 8, TRUE } };
  AuscultaColumnRange out[4];

  /* Fewer columns: each takes the two under it. */
  ausculta_plot_merge_columns (eight, 8, out, 4);
  g_assert_true (out[0].filled);
  g_assert_cmpfloat (out[0].min, ==, -1);
  g_assert_cmpfloat (out[0].max, ==, 2);
  g_assert_cmpfloat (out[1].min, ==, 5);
  g_assert_cmpfloat (out[1].max, ==, 6);
  g_assert_false (out[2].filled);
  g_assert_cmpfloat (out[3].min, ==, 3);
  g_assert_cmpfloat (out[3].max, ==, 9);
  /* More columns: each takes the one under its centre. */
  ausculta_plot_merge_columns (two, 2, out, 4);
  g_assert_cmpfloat (out[1].max, ==, 2);
  g_assert_cmpfloat (out[2].min, ==, 7);
  g_assert_cmpfloat (out[3].max, ==, 8);
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                          + y * cairo_image_surface_get_stride (surface));

  return row[x] & 0xffffff;
}

static void
test_paint_columns (void)
{
  /* Levels 0..10 on a 10-pixel-high area: level v is at y = 10 - v. */
  const AuscultaPlotArea area = { .x = 0, .y = 0, .width = 4, .height = 10, .v_min = 0, .v_max = 10 };
  const AuscultaColumnRange columns[] = { { 2, 3, TRUE }, { 7, 8, TRUE }, { 0, 0, FALSE }, { 5, 5, TRUE } };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 4, 12);
  cairo_surface_t *doubled = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 8, 24);
  GdkRGBA blue = { 0, 0, 1, 1 };
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  ausculta_plot_paint_columns (surface, &area, columns, G_N_ELEMENTS (columns), 1.0, &blue);
  /* Column 0 spans levels 2..3; column 1 jumps up to 7..8 and reaches
   * down to meet it, so the trace has no gap; no antialiased grey. */
  for (int y = 0; y < 12; y++)
    {
      g_assert_cmphex (pixel_at (surface, 0, y), ==, y >= 7 && y <= 8 ? 0x0000ff : 0xffffff);
      g_assert_cmphex (pixel_at (surface, 1, y), ==, y >= 2 && y <= 7 ? 0x0000ff : 0xffffff);
      /* An empty column breaks the trace. */
      g_assert_cmphex (pixel_at (surface, 2, y), ==, 0xffffff);
      g_assert_cmphex (pixel_at (surface, 3, y), ==, y == 5 ? 0x0000ff : 0xffffff);
    }

  /* On a screen scaled twice, the same trace in device pixels, opaque on
   * the transparent rest. */
  cairo_surface_set_device_scale (doubled, 2, 2);
  ausculta_plot_paint_columns (doubled, &area, columns, G_N_ELEMENTS (columns), 1.0, &blue);
  for (int y = 0; y < 24; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (doubled)
                                              + y * cairo_image_surface_get_stride (doubled));

      g_assert_cmphex (row[0], ==, y >= 14 && y <= 17 ? 0xff0000ff : 0);
      g_assert_cmphex (row[1], ==, row[0]);
      g_assert_cmphex (row[3], ==, y >= 4 && y <= 15 ? 0xff0000ff : 0);
      g_assert_cmphex (row[4], ==, 0);
    }
  cairo_surface_destroy (doubled);
  cairo_surface_destroy (surface);
}

static void
test_paint_box (void)
{
  /* An area at (10, 20) in its widget; the image is the area's. */
  const AuscultaPlotArea area = { .x = 10, .y = 20, .width = 8, .height = 8, .v_min = 0, .v_max = 1 };
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 8, 8);
  const guint32 *pixels = (const guint32 *) cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image) / 4;
  GdkRGBA blue = { 0, 0, 1, 1 }, half_white = { 1, 1, 1, 0.5 };

  /* Rounded to whole pixels: 11.6 → 12, 2.8 wide → to 14.4 → 14. */
  ausculta_plot_paint_box (image, &area, 11.6, 21.0, 2.8, 3.0, &blue);
  ausculta_plot_paint_box (image, &area, 13.0, 21.0, 2.0, 1.0, &half_white);
  g_assert_cmphex (pixels[1 * stride + 1], ==, 0);
  g_assert_cmphex (pixels[1 * stride + 2], ==, 0xff0000ff);
  g_assert_cmphex (pixels[3 * stride + 3], ==, 0xff0000ff);
  g_assert_cmphex (pixels[4 * stride + 3], ==, 0);
  /* Half white (premultiplied 0x80808080) over blue, and over nothing. */
  g_assert_cmphex (pixels[1 * stride + 3], ==, 0xff8080ff);
  g_assert_cmphex (pixels[1 * stride + 4], ==, 0x80808080);
  g_assert_cmphex (pixels[1 * stride + 5], ==, 0);
  cairo_surface_destroy (image);
}

static double *
spectrum_with_peak (gsize n, double floor_db, double peak_hz, double peak_db)
{
  double *levels = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    levels[i] = floor_db;
  if (peak_hz > 0)
    levels[(gsize) peak_hz] = peak_db;
  return levels;
}

static void
test_spectrum_readout (void)
{
  GtkWidget *view = ausculta_spectrum_view_new ();
  GtkWindow *window = show_in_window (view, 640, 320);
  g_autofree double *peaked = spectrum_with_peak (24001, 20.0, 1000.0, 80.0);
  g_autofree double *flat = spectrum_with_peak (24001, 20.0, 0, 0);
  g_autoptr(GdkTexture) shot = NULL;
  double frequency, level;
  int found_x = -1;

  ausculta_spectrum_view_set_spectrum (AUSCULTA_SPECTRUM_VIEW (view), peaked, 24001, 1.0);
  g_assert_false (ausculta_spectrum_view_get_readout (AUSCULTA_SPECTRUM_VIEW (view), &frequency, &level));
  /* Sweep the cursor: one position reads the 1 kHz line at 80 dB, and the
   * neighbouring pixels snap to it too. */
  for (int x = 0; x < gtk_widget_get_width (view) && found_x < 0; x++)
    {
      ausculta_spectrum_view_set_cursor (AUSCULTA_SPECTRUM_VIEW (view), x);
      if (ausculta_spectrum_view_get_readout (AUSCULTA_SPECTRUM_VIEW (view), &frequency, &level)
          && frequency == 1000.0)
        found_x = x;
    }
  g_assert_cmpint (found_x, >, 0);
  g_assert_cmpfloat (level, ==, 80.0);
  ausculta_spectrum_view_set_cursor (AUSCULTA_SPECTRUM_VIEW (view), found_x + 2);
  g_assert_true (ausculta_spectrum_view_get_readout (AUSCULTA_SPECTRUM_VIEW (view), &frequency, &level));
  g_assert_cmpfloat (frequency, ==, 1000.0);
  {
    g_autofree char *text = ausculta_spectrum_view_dup_readout_text (AUSCULTA_SPECTRUM_VIEW (view));

    g_assert_cmpstr (text, ==, "1 kHz  80.0 dB");
  }

  /* The line goes away; its peak hold (orange) stays, the live trace reads the floor. */
  ausculta_spectrum_view_set_spectrum (AUSCULTA_SPECTRUM_VIEW (view), flat, 24001, 1.0);
  ausculta_spectrum_view_set_cursor (AUSCULTA_SPECTRUM_VIEW (view), found_x);
  g_assert_true (ausculta_spectrum_view_get_readout (AUSCULTA_SPECTRUM_VIEW (view), &frequency, &level));
  g_assert_cmpfloat (level, ==, 20.0);
  ausculta_test_wait_ms (100);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "plot-spectrum");
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0xff7800, 40), >, 10);
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0x3584e4, 40), >, 100);
  gtk_window_destroy (window);
}

/* Live frames redraw the data only: the axes, grid, labels and title are
 * drawn again when the title or the style changes, not at every frame. */
static void
test_frame_cached (void)
{
  GtkWidget *view = ausculta_spectrum_view_new ();
  GtkWindow *window = show_in_window (view, 640, 320);
  AuscultaPlotView *plot = AUSCULTA_PLOT_VIEW (view);
  AuscultaSpectrumPoint points[512];
  g_autoptr(GdkTexture) shot = NULL;
  guint drawn;

  ausculta_plot_view_set_db_range (plot, 0.0, 100.0);
  for (int frame = 0; frame < 20; frame++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (points); i++)
        {
          points[i].frequency = 10.0 * pow (2400.0, (i + 0.5) / G_N_ELEMENTS (points));
          points[i].level = 50.0 + 20.0 * sin (i * 0.05 + frame);
        }
      ausculta_spectrum_view_set_points (AUSCULTA_SPECTRUM_VIEW (view), points, G_N_ELEMENTS (points),
                                         10.0, 24000.0);
      ausculta_test_wait_ms (20);
    }
  drawn = ausculta_plot_view_get_n_frames_drawn (plot);
  g_assert_cmpuint (drawn, >=, 1);
  g_assert_cmpuint (drawn, <=, 2);
  shot = ausculta_test_render (GTK_WIDGET (window));
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0x3584e4, 40), >, 500);

  ausculta_plot_view_set_title (plot, "AC spectrum");
  g_assert_cmpstr (ausculta_plot_view_get_title (plot), ==, "AC spectrum");
  ausculta_test_wait_ms (100);
  g_assert_cmpuint (ausculta_plot_view_get_n_frames_drawn (plot), ==, drawn + 1);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ausculta_test_wait_ms (300);
  g_assert_cmpuint (ausculta_plot_view_get_n_frames_drawn (plot), ==, drawn + 2);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_destroy (window);
}

static void
test_bands_violations (void)
{
  GtkWidget *view = ausculta_bands_view_new ();
  GtkWindow *window = show_in_window (view, 640, 320);
  double centres[10], levels[10], low[10], high[10];
  g_autoptr(GdkTexture) inside = NULL;
  g_autoptr(GdkTexture) outside = NULL;

  for (int i = 0; i < 10; i++)
    {
      centres[i] = 100.0 * pow (2.0, i / 3.0);
      levels[i] = 50.0;
      low[i] = 40.0;
      high[i] = 60.0;
    }
  ausculta_bands_view_set_levels (AUSCULTA_BANDS_VIEW (view), centres, levels, 10);
  ausculta_bands_view_set_reference (AUSCULTA_BANDS_VIEW (view), low, high, 10);
  g_assert_cmpuint (ausculta_bands_view_count_violations (AUSCULTA_BANDS_VIEW (view)), ==, 0);
  ausculta_test_wait_ms (100);
  inside = ausculta_test_render (GTK_WIDGET (window));
  g_assert_cmpuint (ausculta_test_count_pixels (inside, 0xe01b24, 30), ==, 0);

  levels[3] = 75.0;   /* above the band */
  levels[7] = 20.0;   /* below it */
  ausculta_bands_view_set_levels (AUSCULTA_BANDS_VIEW (view), centres, levels, 10);
  g_assert_cmpuint (ausculta_bands_view_count_violations (AUSCULTA_BANDS_VIEW (view)), ==, 2);
  ausculta_test_wait_ms (100);
  outside = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (outside, "plot-bands");
  g_assert_cmpuint (ausculta_test_count_pixels (outside, 0xe01b24, 30), >, 200);
  gtk_window_destroy (window);
}

static void
test_spectrogram_and_waveform (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *spectrogram = ausculta_spectrogram_view_new ();
  GtkWidget *waveform = ausculta_waveform_view_new ();
  GtkWindow *window;
  g_autofree double *levels = spectrum_with_peak (24001, 10.0, 1000.0, 95.0);
  g_autofree float *samples = g_new (float, 48000);
  g_autoptr(GdkTexture) shot = NULL;

  gtk_box_append (GTK_BOX (box), spectrogram);
  gtk_box_append (GTK_BOX (box), waveform);
  window = show_in_window (box, 640, 480);
  for (int i = 0; i < 500; i++)
    ausculta_spectrogram_view_push (AUSCULTA_SPECTROGRAM_VIEW (spectrogram), levels, 24001, 1.0);
  /* The history keeps the last 400 spectra. */
  g_assert_cmpuint (ausculta_spectrogram_view_get_n_columns (AUSCULTA_SPECTROGRAM_VIEW (spectrogram)), ==, 400);
  for (int i = 0; i < 48000; i++)
    samples[i] = 0.5f * sinf (2 * G_PI * 50 * i / 48000.0f);
  samples[1234] = -0.9f;
  ausculta_waveform_view_set_samples (AUSCULTA_WAVEFORM_VIEW (waveform), samples, 48000, 48000.0);
  g_assert_cmpfloat_with_epsilon (ausculta_waveform_view_get_peak (AUSCULTA_WAVEFORM_VIEW (waveform)), 0.9, 1e-6);
  ausculta_test_wait_ms (100);
  shot = ausculta_test_render (GTK_WIDGET (window));
  ausculta_test_save_shot (shot, "plot-spectrogram-waveform");
  /* The 1 kHz line is the bright end of the colour map: a yellow row. */
  g_assert_cmpuint (ausculta_test_count_pixels (shot, 0xfde725, 30), >, 100);
  gtk_window_destroy (window);
}

/* Wherever the ring of columns wraps, the full history is one picture: no
 * column of the empty background (the colour map's low end) shows through. */
static void
test_spectrogram_wraps (void)
{
  GtkWidget *spectrogram = ausculta_spectrogram_view_new ();
  g_autofree double *levels = spectrum_with_peak (24001, 50.0, 1000.0, 95.0);
  GtkWindow *window = show_in_window (spectrogram, 290, 250);
  /* Where the newest column lands, after the first 400 (the inspect page's
   * size showed a seam at 62). */
  static const guint next[] = { 1, 62, 99, 199, 338, 371 };
  guint pushed = 400;
  guint8 r, g, b;

  ausculta_plot_colormap (0.0, &r, &g, &b);
  for (int i = 0; i < 400; i++)
    ausculta_spectrogram_view_push (AUSCULTA_SPECTROGRAM_VIEW (spectrogram), levels, 24001, 1.0);
  for (guint step = 0; step < G_N_ELEMENTS (next); step++)
    {
      g_autoptr(GdkTexture) shot = NULL;

      for (; pushed < 400 + next[step]; pushed++)
        ausculta_spectrogram_view_push (AUSCULTA_SPECTROGRAM_VIEW (spectrogram), levels, 24001, 1.0);
      ausculta_test_wait_ms (30);
      shot = ausculta_test_render (GTK_WIDGET (window));
      g_assert_cmpuint (ausculta_test_count_pixels (shot, (guint32) r << 16 | (guint32) g << 8 | b, 4),
                        ==, 0);
    }
  gtk_window_destroy (window);
}

/* Waits for the worker's frame of the block just pushed. */
static AuscultaLiveFrame *
next_frame (AuscultaLiveWorker *worker)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  AuscultaLiveFrame *frame;

  while ((frame = ausculta_live_worker_take_frame (worker)) == NULL && g_get_monotonic_time () < end)
    g_usleep (1000);
  g_assert_nonnull (frame);
  return frame;
}

static void
push_sine (AuscultaLiveWorker *worker,
           guint64             offset,
           double              amplitude)
{
  float samples[1024];

  /* 1 kHz, 1 Pa peak at 48 kHz: 91 dB re 20 µPa. */
  for (guint i = 0; i < 1024; i++)
    samples[i] = (float) (amplitude * sin (2 * G_PI * 1000.0 * (offset + i) / 48000.0));
  ausculta_live_worker_push (worker, "run up", samples, 1024, 48000.0, offset, g_get_monotonic_time ());
}

static void
test_live_worker (void)
{
  g_autoptr(AuscultaLiveWorker) worker = ausculta_live_worker_new ();
  g_autofree AuscultaLiveFrame *frame = NULL;
  const AuscultaSpectrumPoint *best;
  guint loudest_band = 0;

  /* 16 contiguous blocks fill the 16384-point frame. */
  for (guint b = 0; b < 16; b++)
    {
      push_sine (worker, b * 1024, 1.0);
      g_free (frame);
      frame = next_frame (worker);
    }
  g_assert_cmpuint (frame->serial, ==, 16);
  g_assert_cmpuint (ausculta_live_worker_get_n_skipped (worker), ==, 0);
  best = &frame->spectrum[0];
  for (guint p = 1; p < AUSCULTA_LIVE_SPECTRUM_POINTS; p++)
    if (frame->spectrum[p].level > best->level)
      best = &frame->spectrum[p];
  g_assert_cmpfloat (fabs (best->frequency - 1000.0), <, 3.0);
  /* The peak bin loses up to ~3 dB to the window (1000 Hz falls between
   * bins); the third-octave band holds the whole tone. */
  g_assert_cmpfloat (best->level, >, 87.0);
  g_assert_cmpfloat (best->level, <, 92.0);
  for (guint i = 1; i < frame->n_bands; i++)
    if (frame->bands[i] > frame->bands[loudest_band])
      loudest_band = i;
  g_assert_cmpfloat (fabs (frame->centres[loudest_band] - 1000.0), <, 20.0);
  g_assert_cmpfloat (fabs (frame->bands[loudest_band] - 91.0), <, 1.0);
  g_assert_cmpfloat_with_epsilon (frame->peak, 1.0, 1e-3);
  g_assert_cmpuint (frame->n_columns, ==, 1024);

  /* Blocks 16 and 17 never reach the worker: two skipped. */
  push_sine (worker, 18 * 1024, 1.0);
  g_free (frame);
  frame = next_frame (worker);
  g_assert_cmpuint (frame->offset, ==, 18 * 1024);
  g_assert_cmpuint (ausculta_live_worker_get_n_skipped (worker), ==, 2);

  /* A new motor starts from nothing; a new run starts at offset 0. */
  ausculta_live_worker_reset (worker);
  g_assert_cmpuint (ausculta_live_worker_get_n_skipped (worker), ==, 0);
  push_sine (worker, 0, 1.0);
  g_free (frame);
  frame = next_frame (worker);
  g_assert_cmpuint (frame->serial, ==, 1);
  g_assert_cmpuint (ausculta_live_worker_get_n_skipped (worker), ==, 0);

  /* Blocks faster than frames are taken: none is lost from the samples,
   * but at most one frame is made per frame taken, from the newest ones
   * (the last block is 10 times louder: 20 dB more in its 21 ms). */
  for (guint b = 1; b < 8; b++)
    push_sine (worker, b * 1024, b == 7 ? 10.0 : 1.0);
  g_free (frame);
  frame = next_frame (worker);
  /* That one may have begun before the last block came: the next is it. */
  if (frame->offset != 7 * 1024)
    {
      g_free (frame);
      frame = next_frame (worker);
    }
  g_assert_cmpuint (frame->serial, <=, 3);
  g_assert_cmpuint (frame->offset, ==, 7 * 1024);
  g_assert_cmpfloat_with_epsilon (frame->peak, 10.0, 1e-2);
  g_assert_cmpuint (ausculta_live_worker_get_n_skipped (worker), ==, 0);
}

static void
test_verdict_banner (void)
{
  static const struct {
    AuscultaBannerState state;
    const char *text;
    guint32 background;
  } cases[] = {
    { AUSCULTA_BANNER_OK, "OK", 0x26a269 },
    { AUSCULTA_BANNER_NOK, "NOK", 0xc01c28 },
    { AUSCULTA_BANNER_REPEAT, "REPEAT", 0xf6d32d },
  };
  GtkWidget *banner = ausculta_verdict_banner_new ();
  GtkWindow *window = show_in_window (banner, 900, 140);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GdkTexture) shot = NULL;
      g_autofree char *name = g_strdup_printf ("banner-%s", cases[i].text);
      guint area;

      ausculta_verdict_banner_show (AUSCULTA_VERDICT_BANNER (banner), cases[i].state,
                                    "V12_vib_up 41 %", "lof-2026-11-26");
      g_assert_cmpstr (ausculta_verdict_banner_get_text (AUSCULTA_VERDICT_BANNER (banner)), ==, cases[i].text);
      ausculta_test_wait_ms (300);
      shot = ausculta_test_render (banner);
      ausculta_test_save_shot (shot, name);
      /* Most of the banner is the verdict's colour. */
      area = gdk_texture_get_width (shot) * gdk_texture_get_height (shot);
      g_assert_cmpuint (ausculta_test_count_pixels (shot, cases[i].background, 8), >, area / 2);
    }
  /* Readable from three metres: the verdict's letters are about 7 cm at
   * 96 dpi, i.e. taller than 60 pixels. */
  g_assert_cmpint (gtk_widget_get_height (banner), >, 60);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ausculta_app_init_i18n ();
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  {
    /* The app's stylesheet, which AdwApplication loads in the app. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/ausculta/Ausculta/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/ausculta/gui/plots/merge-columns", test_merge_columns);
  g_test_add_func ("/ausculta/gui/plots/paint-columns", test_paint_columns);
  g_test_add_func ("/ausculta/gui/plots/paint-box", test_paint_box);
  g_test_add_func ("/ausculta/gui/plots/spectrum-readout", test_spectrum_readout);
  g_test_add_func ("/ausculta/gui/plots/frame-cached", test_frame_cached);
  g_test_add_func ("/ausculta/gui/plots/bands-violations", test_bands_violations);
  g_test_add_func ("/ausculta/gui/plots/spectrogram-waveform", test_spectrogram_and_waveform);
  g_test_add_func ("/ausculta/gui/plots/spectrogram-wraps", test_spectrogram_wraps);
  g_test_add_func ("/ausculta/gui/plots/verdict-banner", test_verdict_banner);
  g_test_add_func ("/ausculta/gui/plots/live-worker", test_live_worker);

  return g_test_run ();
}
