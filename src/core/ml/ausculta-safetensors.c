/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-safetensors"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ausculta-model.h"
#include "ausculta-safetensors.h"

#if G_BYTE_ORDER != G_LITTLE_ENDIAN
#error "the model file stores little-endian tensors; add byte swapping for this host"
#endif

/* A header larger than this is not one of ours (and would not fit memory). */
#define MAX_HEADER_BYTES (64u * 1024u * 1024u)

struct _AuscultaSafetensors {
  GBytes     *bytes;      /* parsed file, or NULL when writing */
  GHashTable *metadata;   /* char* -> char* */
  GHashTable *tensors;    /* name -> AuscultaTensor* */
  GPtrArray  *owned;      /* copies of written tensor data */
};

static void
tensor_free (gpointer data)
{
  AuscultaTensor *t = data;

  g_free (t->name);
  g_free (t);
}

AuscultaSafetensors *
ausculta_safetensors_new (void)
{
  AuscultaSafetensors *st = g_new0 (AuscultaSafetensors, 1);

  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  st->tensors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tensor_free);
  st->owned = g_ptr_array_new_with_free_func (g_free);
  return st;
}

void
ausculta_safetensors_free (AuscultaSafetensors *st)
{
  if (st == NULL)
    return;
  g_clear_pointer (&st->bytes, g_bytes_unref);
  g_hash_table_unref (st->metadata);
  g_hash_table_unref (st->tensors);
  g_ptr_array_unref (st->owned);
  g_free (st);
}

void
ausculta_safetensors_set_metadata (AuscultaSafetensors *st,
                                   const char          *key,
                                   const char          *value)
{
  if (value != NULL)
    g_hash_table_replace (st->metadata, g_strdup (key), g_strdup (value));
}

static void
add_tensor (AuscultaSafetensors *st,
            const char          *name,
            AuscultaDtype        dtype,
            gconstpointer        data,
            gsize                elem,
            guint                n_dims,
            guint64              d0,
            guint64              d1)
{
  AuscultaTensor *t = g_new0 (AuscultaTensor, 1);
  gsize n = (gsize) d0 * (n_dims == 2 ? d1 : 1);
  guint8 *copy = g_memdup2 (data, MAX (n * elem, 1));

  g_ptr_array_add (st->owned, copy);
  *t = (AuscultaTensor) { g_strdup (name), dtype, n_dims, { d0, d1 }, n * elem, copy };
  g_hash_table_replace (st->tensors, t->name, t);
}

void
ausculta_safetensors_add_f64 (AuscultaSafetensors *st,
                              const char          *name,
                              const double        *values,
                              guint64              rows,
                              guint64              cols)
{
  add_tensor (st, name, AUSCULTA_DTYPE_F64, values, sizeof (double), cols > 0 ? 2 : 1, rows, cols);
}

void
ausculta_safetensors_add_u8 (AuscultaSafetensors *st,
                             const char          *name,
                             const guint8        *values,
                             guint64              n)
{
  add_tensor (st, name, AUSCULTA_DTYPE_U8, values, 1, 1, n, 0);
}

static GList *
sorted_keys (GHashTable *table)
{
  return g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);
}

static char *
build_header (AuscultaSafetensors *st,
              GList               *names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = sorted_keys (st->metadata);
  guint64 offset = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "__metadata__");
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (st->metadata, l->data));
    }
  json_builder_end_object (builder);
  for (GList *l = names; l != NULL; l = l->next)
    {
      AuscultaTensor *t = g_hash_table_lookup (st->tensors, l->data);

      json_builder_set_member_name (builder, t->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, t->dtype == AUSCULTA_DTYPE_F64 ? "F64" : "U8");
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < t->n_dims; d++)
        json_builder_add_int_value (builder, (gint64) t->shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + t->n_bytes));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += t->n_bytes;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The keys are sorted, tensors are in name order: the bytes depend on the
 * model only (hash tables would otherwise decide the order). */
GBytes *
ausculta_safetensors_to_bytes (AuscultaSafetensors *st)
{
  g_autoptr(GList) names = sorted_keys (st->tensors);
  g_autofree char *header = build_header (st, names);
  GByteArray *out = g_byte_array_new ();
  gsize len = strlen (header);
  gsize padded = (len + 7) / 8 * 8;
  guint64 le = GUINT64_TO_LE ((guint64) padded);

  g_byte_array_append (out, (const guint8 *) &le, 8);
  g_byte_array_append (out, (const guint8 *) header, len);
  for (gsize i = len; i < padded; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  for (GList *l = names; l != NULL; l = l->next)
    {
      AuscultaTensor *t = g_hash_table_lookup (st->tensors, l->data);

      g_byte_array_append (out, t->data, t->n_bytes);
    }
  return g_byte_array_free_to_bytes (out);
}

static gboolean G_GNUC_PRINTF (2, 3)
corrupt (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AUSCULTA_MODEL_ERROR, AUSCULTA_MODEL_ERROR_CORRUPT, message);
  return FALSE;
}

static gboolean
parse_metadata (AuscultaSafetensors *st,
                JsonNode            *node,
                GError             **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return corrupt (error, "header field __metadata__ is not an object of strings");
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return corrupt (error, "metadata “%s” is not a string", (const char *) l->data);
      ausculta_safetensors_set_metadata (st, l->data, json_node_get_string (value));
    }
  return TRUE;
}

static gboolean
read_uint_array (JsonObject *object,
                 const char *member,
                 guint       max_len,
                 guint64    *values,
                 guint      *len)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  *len = json_array_get_length (array);
  if (*len > max_len)
    return FALSE;
  for (guint i = 0; i < *len; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64
          || json_node_get_int (item) < 0)
        return FALSE;
      values[i] = (guint64) json_node_get_int (item);
    }
  return TRUE;
}

static gboolean
parse_tensor (AuscultaSafetensors *st,
              const char          *name,
              JsonNode            *node,
              const guint8        *data,
              gsize                data_len,
              GError             **error)
{
  JsonObject *object;
  const char *dtype;
  guint64 offsets[2], count = 1;
  guint n_offsets = 0;
  AuscultaTensor t = { NULL };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return corrupt (error, "tensor “%s” is not described by an object", name);
  object = json_node_get_object (node);
  dtype = json_object_get_string_member_with_default (object, "dtype", "");
  if (g_strcmp0 (dtype, "F64") == 0)
    t.dtype = AUSCULTA_DTYPE_F64;
  else if (g_strcmp0 (dtype, "U8") == 0)
    t.dtype = AUSCULTA_DTYPE_U8;
  else
    return corrupt (error, "tensor “%s” has dtype “%s”; expected F64 or U8", name, dtype);
  if (!read_uint_array (object, "shape", 2, t.shape, &t.n_dims))
    return corrupt (error, "tensor “%s” has no valid shape (at most 2 dimensions)", name);
  if (!read_uint_array (object, "data_offsets", 2, offsets, &n_offsets) || n_offsets != 2
      || offsets[0] > offsets[1] || offsets[1] > data_len)
    return corrupt (error, "tensor “%s” has data offsets outside the %" G_GSIZE_FORMAT
                    " data bytes (truncated file?)", name, data_len);
  for (guint d = 0; d < t.n_dims; d++)
    count *= t.shape[d];
  t.n_bytes = offsets[1] - offsets[0];
  if (count * (t.dtype == AUSCULTA_DTYPE_F64 ? 8 : 1) != t.n_bytes)
    return corrupt (error, "tensor “%s”: its shape needs %" G_GUINT64_FORMAT
                    " bytes but its offsets span %" G_GSIZE_FORMAT, name,
                    count * (t.dtype == AUSCULTA_DTYPE_F64 ? 8 : 1), t.n_bytes);
  t.name = g_strdup (name);
  t.data = data + offsets[0];
  g_hash_table_replace (st->tensors, t.name, g_memdup2 (&t, sizeof t));
  return TRUE;
}

static gboolean
parse_header (AuscultaSafetensors *st,
              const char          *header,
              gsize                header_len,
              const guint8        *data,
              gsize                data_len,
              GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;

  if (!json_parser_load_from_data (parser, header, (gssize) header_len, &local))
    return corrupt (error, "the JSON header is invalid (%s)", local->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return corrupt (error, "the JSON header is not an object");
  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (root, l->data);
      gboolean ok = g_str_equal (l->data, "__metadata__")
                    ? parse_metadata (st, node, error)
                    : parse_tensor (st, l->data, node, data, data_len, error);

      if (!ok)
        return FALSE;
    }
  return TRUE;
}

AuscultaSafetensors *
ausculta_safetensors_parse (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(AuscultaSafetensors) st = ausculta_safetensors_new ();
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint64 header_len;

  if (size < 8)
    {
      corrupt (error, "%" G_GSIZE_FORMAT " bytes is too short for a model file "
               "(expected an 8-byte header length, a JSON header and tensors)", size);
      return NULL;
    }
  memcpy (&header_len, data, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > MAX_HEADER_BYTES || header_len > size - 8)
    {
      corrupt (error, "the header length %" G_GUINT64_FORMAT " exceeds the %" G_GSIZE_FORMAT
               " bytes that follow it (truncated, or not a model file)", header_len, size - 8);
      return NULL;
    }
  if (header_len < 2 || data[8] != '{')
    {
      corrupt (error, "no JSON header after the header length (not a model file)");
      return NULL;
    }
  st->bytes = g_bytes_ref (bytes);
  if (!parse_header (st, (const char *) data + 8, header_len, data + 8 + header_len,
                     size - 8 - header_len, error))
    return NULL;
  return g_steal_pointer (&st);
}

const char *
ausculta_safetensors_get_metadata (AuscultaSafetensors *st,
                                   const char          *key)
{
  return g_hash_table_lookup (st->metadata, key);
}

const AuscultaTensor *
ausculta_safetensors_get (AuscultaSafetensors *st,
                          const char          *name)
{
  return g_hash_table_lookup (st->tensors, name);
}

double *
ausculta_safetensors_dup_f64 (AuscultaSafetensors *st,
                              const char          *name,
                              guint64              rows,
                              guint64              cols,
                              GError             **error)
{
  const AuscultaTensor *t = ausculta_safetensors_get (st, name);
  guint n_dims = cols > 0 ? 2 : 1;
  double *values;

  if (t == NULL)
    {
      corrupt (error, "tensor “%s” is missing", name);
      return NULL;
    }
  if (t->dtype != AUSCULTA_DTYPE_F64 || t->n_dims != n_dims || t->shape[0] != rows
      || (n_dims == 2 && t->shape[1] != cols))
    {
      corrupt (error, "tensor “%s” is not F64 of shape [%" G_GUINT64_FORMAT "%s%.0" G_GUINT64_FORMAT
               "] as the metadata requires", name, rows, n_dims == 2 ? ", " : "", cols);
      return NULL;
    }
  values = g_new (double, MAX (t->n_bytes / 8, 1));
  memcpy (values, t->data, t->n_bytes);
  return values;
}
