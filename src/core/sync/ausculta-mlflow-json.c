/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-mlflow-json"

#include "config.h"

#include "ausculta-mlflow-private.h"

/* Building MLflow REST bodies and reading its replies. */

JsonNode *
mlflow_object (const char *first_key,
               ...)
{
  JsonObject *object = json_object_new ();
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      JsonNode *value = va_arg (args, JsonNode *);

      json_object_set_member (object, key, value);
    }
  va_end (args);
  return json_node_init_object (json_node_alloc (), object);
}

JsonNode *
mlflow_string (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

/* [{"key": k, "value": v}, ...] from NULL-terminated key/value pairs. */
JsonNode *
mlflow_key_values (const char * const *pairs)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    json_array_add_element (array, mlflow_object ("key", mlflow_string (pairs[i]),
                                                  "value", mlflow_string (pairs[i + 1]), NULL));
  return json_node_init_array (json_node_alloc (), array);
}

/* The node at a dotted @path of objects, or NULL when any step is missing. */
static JsonNode *
get_path (JsonNode   *node,
          const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return node;
}

JsonArray *
mlflow_get_array (JsonNode   *node,
                  const char *path)
{
  node = get_path (node, path);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
mlflow_get_object (JsonNode   *node,
                   const char *path)
{
  node = get_path (node, path);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
mlflow_get_string (JsonNode   *node,
                   const char *path)
{
  node = get_path (node, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
mlflow_member_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The value of tag @key in a [{"key","value"}] array member, or NULL. */
const char *
mlflow_find_tag (JsonObject *object,
                 const char *member,
                 const char *key)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  JsonArray *tags = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *element = json_array_get_element (tags, i);
      JsonObject *tag = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (tag != NULL
          && g_strcmp0 (mlflow_member_string (tag, "key"), key) == 0)
        return mlflow_member_string (tag, "value");
    }
  return NULL;
}
