/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-explore-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-explore-page.h"
#include "ausculta-linear-models.h"
#include "ausculta-scatter-view.h"

/* The population as a scatter of two principal components of its
 * standardised features, coloured by verdict, label, defect class, station
 * or date (with a legend); selecting a point opens its measurement through
 * the window's "win.open-measurement" action. The PCA runs in a worker over
 * at most MAX_ROWS of the newest measurements. */
#define MAX_ROWS       5000
#define MAX_COMPONENTS 6

typedef struct
{
  guint    n_rows;
  guint    n_components;
  double  *scores;       /* n_rows × n_components */
  double  *ratio;        /* explained variance ratio per component */
  int     *labels;
  GStrv    ids;
  /* from the archive's rows, by id */
  int     *verdicts;     /* AuscultaVerdict */
  GStrv    stations;
  GStrv    serials;
  gint64  *times;        /* started_at, Unix seconds */
} Projection;

enum {
  COLOUR_BY_VERDICT,
  COLOUR_BY_LABEL,
  COLOUR_BY_DEFECT_CLASS,
  COLOUR_BY_STATION,
  COLOUR_BY_DATE,
};

#define N_GROUPS 8   /* the scatter view's colours */

struct _AuscultaExplorePage
{
  GtkWidget            parent_instance;

  GtkSpinButton       *x_spin;
  GtkSpinButton       *y_spin;
  GtkDropDown         *colour_drop_down;
  GtkLabel            *info_label;
  GtkStack            *stack;
  AuscultaScatterView *scatter_view;
  GtkLabel            *selection_label;

  AuscultaArchive     *archive;
  Projection          *projection;
  GCancellable        *cancellable;
  gboolean             dirty;
};

G_DEFINE_FINAL_TYPE (AuscultaExplorePage, ausculta_explore_page, GTK_TYPE_WIDGET)

static void
projection_free (Projection *projection)
{
  g_free (projection->scores);
  g_free (projection->ratio);
  g_free (projection->labels);
  g_strfreev (projection->ids);
  g_free (projection->verdicts);
  g_strfreev (projection->stations);
  g_strfreev (projection->serials);
  g_free (projection->times);
  g_free (projection);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Projection, projection_free)

/* In place: missing values take their column's mean, then every column is
 * centred and scaled to unit (population) variance; constant columns stay 0. */
static void
standardise (double *values,
             guint   n,
             guint   d)
{
  for (guint j = 0; j < d; j++)
    {
      double sum = 0, sum2 = 0, mean, sd;
      guint count = 0;

      for (guint i = 0; i < n; i++)
        if (isfinite (values[i * d + j]))
          {
            sum += values[i * d + j];
            count++;
          }
      mean = count > 0 ? sum / count : 0;
      for (guint i = 0; i < n; i++)
        {
          double *v = &values[i * d + j];

          *v = isfinite (*v) ? *v - mean : 0;
          sum2 += *v * *v;
        }
      sd = sqrt (sum2 / n);
      for (guint i = 0; i < n; i++)
        values[i * d + j] = sd > 0 ? values[i * d + j] / sd : 0;
    }
}

static Projection *
project (AuscultaFeatureMatrix *matrix)
{
  g_autoptr(Projection) projection = g_new0 (Projection, 1);
  guint n = matrix->n_rows, d = matrix->n_features;
  g_autofree double *mean = g_new (double, d);
  g_autofree double *components = NULL;
  g_autofree double *variance = NULL;
  double total = 0;
  guint k;

  standardise (matrix->values, n, d);
  k = ausculta_pca_fit (matrix->values, n, d, MIN (MAX_COMPONENTS, MIN (d, n - 1)), 0,
                        mean, &components, &variance);
  projection->n_rows = n;
  projection->n_components = k;
  projection->scores = g_new0 (double, (gsize) n * k);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < k; c++)
      for (guint j = 0; j < d; j++)
        projection->scores[i * k + c] += (matrix->values[i * d + j] - mean[j]) * components[c * d + j];
  /* Standardised: the total variance is the number of non-constant columns. */
  for (guint j = 0; j < d; j++)
    {
      double column = 0;

      for (guint i = 0; i < n; i++)
        column += matrix->values[i * d + j] * matrix->values[i * d + j];
      total += column / MAX (1, n - 1);
    }
  projection->ratio = g_new (double, k);
  for (guint c = 0; c < k; c++)
    projection->ratio[c] = total > 0 ? variance[c] / total : 0;
  projection->labels = g_memdup2 (matrix->labels, n * sizeof (int));
  projection->ids = g_strdupv (matrix->ids);
  return g_steal_pointer (&projection);
}

/* Verdict, station, serial and date of each projected row, from the
 * archive's list rows (same filter, matched by id). */
static gboolean
add_rows (Projection                  *projection,
          AuscultaArchive             *archive,
          const AuscultaArchiveFilter *filter,
          GError                     **error)
{
  g_autoptr(GPtrArray) rows = ausculta_archive_query_page (archive, filter, 0, MAX_ROWS, error);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = projection->n_rows;

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      AuscultaArchiveRow *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (by_id, row->id, row);
    }
  projection->verdicts = g_new (int, n);
  projection->stations = g_new0 (char *, n + 1);
  projection->serials = g_new0 (char *, n + 1);
  projection->times = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      AuscultaArchiveRow *row = g_hash_table_lookup (by_id, projection->ids[i]);

      projection->verdicts[i] = row != NULL ? (int) row->verdict : AUSCULTA_VERDICT_NONE;
      projection->stations[i] = g_strdup (row != NULL && row->station != NULL ? row->station : "");
      projection->serials[i] = g_strdup (row != NULL && row->serial != NULL ? row->serial : "");
      projection->times[i] = row != NULL && row->started_at != NULL ? g_date_time_to_unix (row->started_at) : 0;
    }
  return TRUE;
}

static void
project_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  AuscultaArchive *archive = task_data;
  g_autoptr(AuscultaFeatureMatrix) matrix = NULL;
  AuscultaArchiveFilter filter;
  GError *error = NULL;

  ausculta_archive_filter_init (&filter);
  matrix = ausculta_archive_get_features (archive, &filter, MAX_ROWS, &error);
  if (matrix == NULL)
    g_task_return_error (task, error);
  else if (matrix->n_rows < 3 || matrix->n_features < 2)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      Projection *projection = project (matrix);

      if (!add_rows (projection, archive, &filter, &error))
        {
          projection_free (projection);
          g_task_return_error (task, error);
        }
      else
        g_task_return_pointer (task, projection, (GDestroyNotify) projection_free);
    }
}

static guint8
label_group (int label)
{
  if (label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    return 0;
  return label == AUSCULTA_LABEL_OK ? 1 : 2;
}

static void
group_by_verdict (const Projection *projection,
                  guint8           *groups,
                  GPtrArray        *legend)
{
  /* grey, green, red, blue: the scatter view's first colours */
  g_ptr_array_add (legend, g_strdup (_("no verdict")));
  g_ptr_array_add (legend, g_strdup (C_("verdict", "OK")));
  g_ptr_array_add (legend, g_strdup (C_("verdict", "NOK")));
  g_ptr_array_add (legend, g_strdup (C_("verdict", "REPEAT")));
  for (guint i = 0; i < projection->n_rows; i++)
    groups[i] = projection->verdicts[i] == AUSCULTA_VERDICT_OK ? 1
              : projection->verdicts[i] == AUSCULTA_VERDICT_NOK ? 2
              : projection->verdicts[i] == AUSCULTA_VERDICT_REPEAT ? 3 : 0;
}

static void
group_by_label (const Projection *projection,
                guint8           *groups,
                GPtrArray        *legend)
{
  g_ptr_array_add (legend, g_strdup (_("unlabelled")));
  g_ptr_array_add (legend, g_strdup (_("good")));
  g_ptr_array_add (legend, g_strdup (_("bad")));
  for (guint i = 0; i < projection->n_rows; i++)
    groups[i] = label_group (projection->labels[i]);
}

/* Defect classes 1..6 have their own colour; later ones share the last. */
static void
group_by_defect_class (const Projection *projection,
                       guint8           *groups,
                       GPtrArray        *legend)
{
  g_ptr_array_add (legend, g_strdup (_("no class")));
  for (int klass = 1; klass < N_GROUPS - 1; klass++)
    g_ptr_array_add (legend, g_strdup_printf (_("class %d"), klass));
  g_ptr_array_add (legend, g_strdup_printf (_("class %d+"), N_GROUPS - 1));
  for (guint i = 0; i < projection->n_rows; i++)
    {
      int label = projection->labels[i];

      groups[i] = label > 0 && label != AUSCULTA_LABEL_NG ? (guint8) MIN (label, N_GROUPS - 1) : 0;
    }
}

/* One colour per station, in order of appearance; "other" past the seventh. */
static void
group_by_station (const Projection *projection,
                  guint8           *groups,
                  GPtrArray        *legend)
{
  for (guint i = 0; i < projection->n_rows; i++)
    {
      const char *station = projection->stations[i][0] != '\0' ? projection->stations[i] : _("no station");
      guint group;

      for (group = 0; group < legend->len; group++)
        if (g_str_equal (g_ptr_array_index (legend, group), station))
          break;
      if (group == legend->len && legend->len < N_GROUPS - 1)
        g_ptr_array_add (legend, g_strdup (station));
      else if (group == legend->len)
        {
          group = N_GROUPS - 1;
          if (legend->len < N_GROUPS)
            g_ptr_array_add (legend, g_strdup (_("other")));
        }
      groups[i] = (guint8) group;
    }
}

/* Equal spans of time from the oldest to the newest measurement, each
 * named by the day it starts. */
static void
group_by_date (const Projection *projection,
               guint8           *groups,
               GPtrArray        *legend)
{
  gint64 first = G_MAXINT64, last = G_MININT64;
  guint n_spans;
  double span;

  for (guint i = 0; i < projection->n_rows; i++)
    {
      first = MIN (first, projection->times[i]);
      last = MAX (last, projection->times[i]);
    }
  n_spans = last > first ? N_GROUPS : 1;
  span = (double) (last - first + 1) / n_spans;
  for (guint g = 0; g < n_spans; g++)
    {
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (first + (gint64) (g * span));

      g_ptr_array_add (legend, g_date_time_format (start, "%Y-%m-%d"));
    }
  for (guint i = 0; i < projection->n_rows; i++)
    groups[i] = (guint8) MIN (n_spans - 1, (guint) ((projection->times[i] - first) / span));
}

static void
group_points (const Projection *projection,
              guint             colour_by,
              guint8           *groups,
              GPtrArray        *legend)
{
  switch (colour_by)
    {
    case COLOUR_BY_LABEL:
      group_by_label (projection, groups, legend);
      break;
    case COLOUR_BY_DEFECT_CLASS:
      group_by_defect_class (projection, groups, legend);
      break;
    case COLOUR_BY_STATION:
      group_by_station (projection, groups, legend);
      break;
    case COLOUR_BY_DATE:
      group_by_date (projection, groups, legend);
      break;
    default:
      group_by_verdict (projection, groups, legend);
      break;
    }
  g_ptr_array_add (legend, NULL);
}

static void
show_projection (AuscultaExplorePage *self)
{
  g_autoptr(GPtrArray) legend = g_ptr_array_new_with_free_func (g_free);
  Projection *projection = self->projection;
  guint cx, cy, k, n;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree guint8 *groups = NULL;
  g_autofree char *x_title = NULL;
  g_autofree char *y_title = NULL;

  if (projection == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  k = projection->n_components;
  n = projection->n_rows;
  cx = MIN ((guint) gtk_spin_button_get_value_as_int (self->x_spin), k) - 1;
  cy = MIN ((guint) gtk_spin_button_get_value_as_int (self->y_spin), k) - 1;
  x = g_new (double, n);
  y = g_new (double, n);
  groups = g_new (guint8, n);
  for (guint i = 0; i < n; i++)
    {
      x[i] = projection->scores[i * k + cx];
      y[i] = projection->scores[i * k + cy];
    }
  group_points (projection, gtk_drop_down_get_selected (self->colour_drop_down), groups, legend);
  ausculta_scatter_view_set_points (self->scatter_view, x, y, groups, n, (const char * const *) legend->pdata);
  /* Translators: a principal component and the share of variance it explains */
  x_title = g_strdup_printf (_("PC%u (%.0f %%)"), cx + 1, 100 * projection->ratio[cx]);
  y_title = g_strdup_printf (_("PC%u (%.0f %%)"), cy + 1, 100 * projection->ratio[cy]);
  ausculta_scatter_view_set_axes (self->scatter_view, x_title, y_title);
  gtk_stack_set_visible_child_name (self->stack, "scatter");
}

static void
on_projected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Projection *projection = g_task_propagate_pointer (G_TASK (result), &error);
  AuscultaExplorePage *self;
  g_autofree char *info = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AUSCULTA_EXPLORE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->projection, projection_free);
  self->projection = projection;
  /* A new population: the old selection means nothing any more. */
  ausculta_scatter_view_select (self->scatter_view, -1);
  if (error != NULL)
    info = g_strdup (error->message);
  else if (projection != NULL)
    info = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u measurement, standardised features",
                                         "%u measurements, standardised features", projection->n_rows),
                            projection->n_rows);
  gtk_label_set_label (self->info_label, info != NULL ? info : "");
  gtk_label_set_label (self->selection_label, "");
  show_projection (self);
}

static void
compute (AuscultaExplorePage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->archive == NULL || self->cancellable != NULL)
    return;
  self->dirty = FALSE;
  self->cancellable = g_cancellable_new ();
  gtk_label_set_label (self->info_label, _("Computing the principal components…"));
  task = g_task_new (self, self->cancellable, on_projected, NULL);
  g_task_set_source_tag (task, compute);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_object_ref (self->archive), g_object_unref);
  g_task_run_in_thread (task, project_in_thread);
}

static void
on_components_changed (AuscultaExplorePage *self)
{
  show_projection (self);
}

/* The measurement page belongs to the window: ask it through its action;
 * without one, say which measurement it is. */
static void
open_measurement (AuscultaExplorePage *self,
                  int                  index)
{
  GtkWidget *overlay;
  g_autofree char *text = NULL;

  if (gtk_widget_activate_action (GTK_WIDGET (self), "win.open-measurement", "s", self->projection->ids[index]))
    return;
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  /* Translators: %s is a motor's serial number */
  text = g_strdup_printf (_("Selected motor %s"), self->projection->serials[index]);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_point_activated (AuscultaExplorePage *self,
                    int                  index,
                    AuscultaScatterView *view)
{
  Projection *projection = self->projection;
  int label = projection->labels[index];
  g_autofree char *text = NULL;
  g_autofree char *label_text = NULL;

  if (label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    label_text = g_strdup (_("unlabelled"));
  else if (label == AUSCULTA_LABEL_OK)
    label_text = g_strdup (_("good"));
  else if (label == AUSCULTA_LABEL_NG)
    label_text = g_strdup (_("bad"));
  else
    label_text = g_strdup_printf (_("defect %d"), label);
  /* Translators: the selected point: a serial number and its label */
  text = g_strdup_printf (_("Motor %s: %s"), projection->serials[index], label_text);
  gtk_label_set_label (self->selection_label, text);
  open_measurement (self, index);
}

static void
on_map (AuscultaExplorePage *self)
{
  if (self->dirty)
    compute (self);
}

static void
ausculta_explore_page_dispose (GObject *object)
{
  AuscultaExplorePage *self = AUSCULTA_EXPLORE_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->archive);
  g_clear_pointer (&self->projection, projection_free);
  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ausculta_explore_page_parent_class)->dispose (object);
}

static void
ausculta_explore_page_class_init (AuscultaExplorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ausculta_explore_page_dispose;

  g_type_ensure (AUSCULTA_TYPE_SCATTER_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ausculta/Ausculta/ausculta-explore-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, x_spin);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, y_spin);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, colour_drop_down);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, info_label);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, scatter_view);
  gtk_widget_class_bind_template_child (widget_class, AuscultaExplorePage, selection_label);
  gtk_widget_class_bind_template_callback (widget_class, on_components_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_point_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ausculta_explore_page_init (AuscultaExplorePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/* The PCA is computed when the page is next shown. */
void
ausculta_explore_page_set_archive (AuscultaExplorePage *self,
                                   AuscultaArchive     *archive)
{
  g_return_if_fail (AUSCULTA_IS_EXPLORE_PAGE (self));

  g_set_object (&self->archive, archive);
  ausculta_explore_page_invalidate (self);
}

/* The population changed: recompute when shown (now, if it is). */
void
ausculta_explore_page_invalidate (AuscultaExplorePage *self)
{
  g_return_if_fail (AUSCULTA_IS_EXPLORE_PAGE (self));

  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    compute (self);
}

gboolean
ausculta_explore_page_is_busy (AuscultaExplorePage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_EXPLORE_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

guint
ausculta_explore_page_get_n_points (AuscultaExplorePage *self)
{
  g_return_val_if_fail (AUSCULTA_IS_EXPLORE_PAGE (self), 0);

  return ausculta_scatter_view_get_n_points (self->scatter_view);
}
