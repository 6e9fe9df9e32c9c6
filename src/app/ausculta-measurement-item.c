/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-measurement-item"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ausculta-measurement-item.h"

/* One row of the Archive list. It exists before its page is read (a
 * placeholder, so the list can scroll over a million rows at once) and
 * notifies "row" when the page arrives. */
struct _AuscultaMeasurementItem
{
  GObject             parent_instance;

  AuscultaArchiveRow *row;   /* NULL while its page is being read */
};

G_DEFINE_FINAL_TYPE (AuscultaMeasurementItem, ausculta_measurement_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ausculta_measurement_item_finalize (GObject *object)
{
  AuscultaMeasurementItem *self = AUSCULTA_MEASUREMENT_ITEM (object);

  g_clear_pointer (&self->row, ausculta_archive_row_free);

  G_OBJECT_CLASS (ausculta_measurement_item_parent_class)->finalize (object);
}

static void
ausculta_measurement_item_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AuscultaMeasurementItem *self = AUSCULTA_MEASUREMENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->row != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ausculta_measurement_item_class_init (AuscultaMeasurementItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ausculta_measurement_item_finalize;
  object_class->get_property = ausculta_measurement_item_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ausculta_measurement_item_init (AuscultaMeasurementItem *self)
{
}

AuscultaMeasurementItem *
ausculta_measurement_item_new (void)
{
  return g_object_new (AUSCULTA_TYPE_MEASUREMENT_ITEM, NULL);
}

/* Takes @row; notifies "loaded". */
void
ausculta_measurement_item_set_row (AuscultaMeasurementItem *self,
                                   AuscultaArchiveRow      *row)
{
  g_return_if_fail (AUSCULTA_IS_MEASUREMENT_ITEM (self));

  g_clear_pointer (&self->row, ausculta_archive_row_free);
  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/**
 * ausculta_measurement_item_get_row:
 *
 * Returns: (nullable): the row, or %NULL while its page is being read.
 */
const AuscultaArchiveRow *
ausculta_measurement_item_get_row (AuscultaMeasurementItem *self)
{
  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_ITEM (self), NULL);

  return self->row;
}

static char *
describe_label (int label)
{
  if (label == AUSCULTA_LABEL_FILTER_UNLABELLED)
    return g_strdup ("");
  if (label == AUSCULTA_LABEL_OK)
    return g_strdup (_("good"));
  if (label == AUSCULTA_LABEL_NG)
    return g_strdup (_("bad"));
  /* Translators: a measurement labelled with a defect class number */
  return g_strdup_printf (_("defect %d"), label);
}

/* The text of one column of the list: "started", "serial", "station",
 * "operator", "verdict", "label", "model" or "score"; "…" while loading. */
char *
ausculta_measurement_item_dup_column (AuscultaMeasurementItem *self,
                                      const char              *column)
{
  const AuscultaArchiveRow *row = self->row;

  g_return_val_if_fail (AUSCULTA_IS_MEASUREMENT_ITEM (self), NULL);

  if (row == NULL)
    return g_strdup ("…");
  if (g_str_equal (column, "started"))
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (row->started_at);

      return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
    }
  if (g_str_equal (column, "serial"))
    return g_strdup (row->serial != NULL ? row->serial : row->source_index);
  if (g_str_equal (column, "station"))
    return g_strdup (row->station);
  if (g_str_equal (column, "operator"))
    return g_strdup (row->operator_name);
  if (g_str_equal (column, "verdict"))
    return g_strdup (row->verdict == AUSCULTA_VERDICT_NONE ? "" : ausculta_verdict_to_string (row->verdict));
  if (g_str_equal (column, "label"))
    return describe_label (row->label);
  if (g_str_equal (column, "model"))
    return g_strdup (row->model_version);
  if (g_str_equal (column, "score"))
    return isnan (row->score) ? g_strdup ("") : g_strdup_printf ("%.3g", row->score);
  g_return_val_if_reached (NULL);
}
