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
 * standardised features, coloured by label; a click shows which
 * measurement a point is. The PCA runs in a worker over at most
 * MAX_ROWS of the newest measurements. */
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
} Projection;

struct _AuscultaExplorePage
{
  GtkWidget            parent_instance;

  GtkSpinButton       *x_spin;
  GtkSpinButton       *y_spin;
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
    g_task_return_pointer (task, project (matrix), (GDestroyNotify) projection_free);
}

static guint8
label_group (int label)
{
  if (label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    return 0;
  return label == AUSCULTA_LABEL_OK ? 1 : 2;
}

static void
show_projection (AuscultaExplorePage *self)
{
  const char *legend[] = { _("unlabelled"), _("good"), _("bad"), NULL };
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
      groups[i] = label_group (projection->labels[i]);
    }
  ausculta_scatter_view_set_points (self->scatter_view, x, y, groups, n, legend);
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
  /* Translators: the selected point: a measurement id and its label */
  text = g_strdup_printf (_("Measurement %s: %s"), projection->ids[index], label_text);
  gtk_label_set_label (self->selection_label, text);
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
