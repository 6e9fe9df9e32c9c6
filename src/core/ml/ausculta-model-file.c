/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-model-file"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ausculta-model-private.h"
#include "ausculta-safetensors.h"

/* The model file: safetensors (DESIGN.md §5). Metadata are strings; lists
 * and maps are JSON text; numbers are written to round-trip exactly. */

static char *
names_to_json (char **names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
parameters_to_json (GHashTable *parameters)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (parameters), (GCompareFunc) strcmp);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (parameters, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
set_number (AuscultaSafetensors *st,
            const char          *key,
            double               value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  ausculta_safetensors_set_metadata (st, key, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
save_metadata (AuscultaModel       *self,
               AuscultaSafetensors *st)
{
  g_autofree char *names = names_to_json (self->feature_names);
  g_autofree char *params = parameters_to_json (self->parameters);

  ausculta_safetensors_set_metadata (st, "format", AUSCULTA_MODEL_FORMAT);
  ausculta_safetensors_set_metadata (st, "format_version", AUSCULTA_MODEL_FORMAT_VERSION);
  ausculta_safetensors_set_metadata (st, "model_version", self->version);
  ausculta_safetensors_set_metadata (st, "feature_names", names);
  set_number (st, "n_features", self->n_features);
  ausculta_safetensors_set_metadata (st, "profile_name", self->profile_name);
  ausculta_safetensors_set_metadata (st, "profile_hash", self->profile_hash);
  ausculta_safetensors_set_metadata (st, "preprocess",
                                     ausculta_preprocess_kind_to_string (self->pre.kind));
  ausculta_safetensors_set_metadata (st, "detector", ausculta_model_get_detector (self));
  ausculta_safetensors_set_metadata (st, "parameters", params);
  set_number (st, "threshold", self->threshold);
  ausculta_safetensors_set_metadata (st, "threshold_rule", self->threshold_rule);
  ausculta_safetensors_set_metadata (st, "training_hash", self->training_hash);
  set_number (st, "training_rows", self->training_rows);
  ausculta_safetensors_set_metadata (st, "validation", self->validation);
  ausculta_safetensors_set_metadata (st, "score", "larger is more anomalous; NOK when score > threshold");
}

static void
save_tensors (AuscultaModel       *self,
              AuscultaSafetensors *st)
{
  ausculta_safetensors_add_u8 (st, "preprocess.log_columns", self->pre.log_columns, self->n_features);
  if (self->pre.mean != NULL)
    {
      ausculta_safetensors_add_f64 (st, "preprocess.mean", self->pre.mean, self->n_features, 0);
      ausculta_safetensors_add_f64 (st, "preprocess.scale", self->pre.scale, self->n_features, 0);
    }
  ausculta_detector_save (&self->primary, st, "detector.");
  if (self->combined)
    {
      ausculta_detector_save (&self->secondary, st, "secondary.");
      ausculta_safetensors_add_f64 (st, "combine.center", self->center, 2, 0);
      ausculta_safetensors_add_f64 (st, "combine.scale", self->scale, 2, 0);
    }
}

/**
 * ausculta_model_serialize:
 *
 * Returns: (transfer full): the model file's bytes; also sets the model's
 *   SHA-256 to theirs.
 */
GBytes *
ausculta_model_serialize (AuscultaModel *self)
{
  g_autoptr(AuscultaSafetensors) st = ausculta_safetensors_new ();
  GBytes *bytes;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), NULL);

  save_metadata (self, st);
  save_tensors (self, st);
  bytes = ausculta_safetensors_to_bytes (st);
  data = g_bytes_get_data (bytes, &size);
  g_free (self->sha256);
  self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return bytes;
}

gboolean
ausculta_model_save (AuscultaModel *self,
                     const char    *path,
                     GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (AUSCULTA_IS_MODEL (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = ausculta_model_serialize (self);
  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents (path, data, (gssize) size, &local))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_IO,
                   "%s: cannot write the model (%s)", path, local->message);
      return FALSE;
    }
  return TRUE;
}

static char **
parse_names (const char *json,
             guint       expected)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  array = json_node_get_array (json_parser_get_root (parser));
  if (json_array_get_length (array) != expected)
    return NULL;
  for (guint i = 0; i < expected; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return NULL;
      g_ptr_array_add (names, g_strdup (json_node_get_string (node)));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static gboolean
parse_parameters (AuscultaModel *self,
                  const char    *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
      g_hash_table_replace (self->parameters, g_strdup (l->data),
                            g_strdup (json_node_get_string (node)));
    }
  return TRUE;
}

static gboolean
load_header (AuscultaModel       *self,
             AuscultaSafetensors *st,
             GError             **error)
{
  const char *format = ausculta_safetensors_get_metadata (st, "format");
  const char *version = ausculta_safetensors_get_metadata (st, "format_version");
  const char *text = ausculta_safetensors_get_metadata (st, "n_features");
  g_auto(GStrv) names = NULL;
  guint64 n = 0;
  char *end = NULL;

  if (g_strcmp0 (format, AUSCULTA_MODEL_FORMAT) != 0)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "metadata “format” is %s; expected “%s” "
                 "(a safetensors file, but not an Ausculta model)", format ? format : "missing",
                 AUSCULTA_MODEL_FORMAT);
  if (g_strcmp0 (version, AUSCULTA_MODEL_FORMAT_VERSION) != 0)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_VERSION, "format version %s; this Ausculta reads "
                 "version %s", version ? version : "missing", AUSCULTA_MODEL_FORMAT_VERSION);
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &n, NULL)
      || (names = parse_names (ausculta_safetensors_get_metadata (st, "feature_names"), n)) == NULL)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "metadata feature_names is not a JSON list "
                 "of n_features (%s) names", text ? text : "missing");
  ausculta_model_set_feature_names (self, (const char * const *) names);
  text = ausculta_safetensors_get_metadata (st, "threshold");
  self->threshold = text != NULL ? g_ascii_strtod (text, &end) : NAN;
  if (text == NULL || *end != '\0' || isnan (self->threshold))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "metadata threshold is %s; expected a number",
                 text ? text : "missing");
  if (!parse_parameters (self, ausculta_safetensors_get_metadata (st, "parameters")))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "metadata parameters is not a JSON object "
                 "of strings");
  self->version = g_strdup (ausculta_safetensors_get_metadata (st, "model_version"));
  self->profile_name = g_strdup (ausculta_safetensors_get_metadata (st, "profile_name"));
  self->profile_hash = g_strdup (ausculta_safetensors_get_metadata (st, "profile_hash"));
  self->threshold_rule = g_strdup (ausculta_safetensors_get_metadata (st, "threshold_rule"));
  self->training_hash = g_strdup (ausculta_safetensors_get_metadata (st, "training_hash"));
  self->validation = g_strdup (ausculta_safetensors_get_metadata (st, "validation"));
  text = ausculta_safetensors_get_metadata (st, "training_rows");
  self->training_rows = text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
  return TRUE;
}

static gboolean
load_preprocess (AuscultaModel       *self,
                 AuscultaSafetensors *st,
                 GError             **error)
{
  const char *kind = ausculta_safetensors_get_metadata (st, "preprocess");
  const AuscultaTensor *log_columns = ausculta_safetensors_get (st, "preprocess.log_columns");
  guint d = self->n_features;

  self->pre.n_cols = d;
  if (!ausculta_preprocess_kind_from_string (kind, &self->pre.kind))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "metadata preprocess is %s; expected none, "
                 "standard or log-standard", kind ? kind : "missing");
  if (log_columns == NULL || log_columns->dtype != AUSCULTA_DTYPE_U8 || log_columns->n_dims != 1
      || log_columns->shape[0] != d)
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_CORRUPT, "tensor preprocess.log_columns is missing "
                 "or is not U8 of shape [%u]", d);
  self->pre.log_columns = g_memdup2 (log_columns->data, d);
  if (self->pre.kind == AUSCULTA_PREPROCESS_NONE)
    return TRUE;
  return (self->pre.mean = ausculta_safetensors_dup_f64 (st, "preprocess.mean", d, 0, error)) != NULL
         && (self->pre.scale = ausculta_safetensors_dup_f64 (st, "preprocess.scale", d, 0, error)) != NULL;
}

static gboolean
load_detectors (AuscultaModel       *self,
                AuscultaSafetensors *st,
                GError             **error)
{
  g_autofree double *center = NULL;
  g_autofree double *scale = NULL;

  if (!ausculta_detector_load (&self->primary, st, "detector.", self->n_features, error))
    return FALSE;
  if (ausculta_safetensors_get_metadata (st, "secondary.kind") == NULL)
    return TRUE;
  self->combined = TRUE;
  if (!ausculta_detector_load (&self->secondary, st, "secondary.", self->n_features, error)
      || (center = ausculta_safetensors_dup_f64 (st, "combine.center", 2, 0, error)) == NULL
      || (scale = ausculta_safetensors_dup_f64 (st, "combine.scale", 2, 0, error)) == NULL)
    return FALSE;
  ausculta_model_set_combination (self, center, scale);
  return TRUE;
}

AuscultaModel *
ausculta_model_load_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(AuscultaModel) self = g_object_new (AUSCULTA_TYPE_MODEL, NULL);
  g_autoptr(AuscultaSafetensors) st = NULL;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (bytes != NULL, NULL);

  st = ausculta_safetensors_parse (bytes, error);
  if (st == NULL || !load_header (self, st, error) || !load_preprocess (self, st, error)
      || !load_detectors (self, st, error))
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return g_steal_pointer (&self);
}

AuscultaModel *
ausculta_model_load (const char *path,
                     GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  AuscultaModel *model;
  gsize size;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &size, &local))
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_IO,
                   "%s: cannot read the model (%s)", path, local->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
  model = ausculta_model_load_bytes (bytes, &local);
  if (model == NULL)
    {
      g_set_error (error, AUSCULTA_MODEL_ERROR, local->code, "%s: %s", path, local->message);
      return NULL;
    }
  return model;
}
