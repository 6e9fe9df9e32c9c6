/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The safetensors container: an 8-byte little-endian header length, a JSON
 * header giving each tensor's dtype, shape and byte range (plus a
 * "__metadata__" map of strings), then the raw little-endian tensors.
 * Written deterministically (keys sorted, tensors in name order, header
 * padded with spaces to 8 bytes) so the same model gives the same bytes. */

typedef enum {
  AUSCULTA_DTYPE_F64,
  AUSCULTA_DTYPE_U8,
} AuscultaDtype;

typedef struct {
  char          *name;
  AuscultaDtype  dtype;
  guint          n_dims;
  guint64        shape[2];
  gsize          n_bytes;
  const guint8  *data;     /* points into the reader's bytes or the writer's copy */
} AuscultaTensor;

typedef struct _AuscultaSafetensors AuscultaSafetensors;

AuscultaSafetensors *ausculta_safetensors_new          (void);
void                 ausculta_safetensors_free         (AuscultaSafetensors *st);
void                 ausculta_safetensors_set_metadata (AuscultaSafetensors *st,
                                                        const char          *key,
                                                        const char          *value);
void                 ausculta_safetensors_add_f64      (AuscultaSafetensors *st,
                                                        const char          *name,
                                                        const double        *values,
                                                        guint64              rows,
                                                        guint64              cols);
void                 ausculta_safetensors_add_u8       (AuscultaSafetensors *st,
                                                        const char          *name,
                                                        const guint8        *values,
                                                        guint64              n);
GBytes              *ausculta_safetensors_to_bytes     (AuscultaSafetensors *st);

/* Parses and checks @bytes (kept referenced); the messages of @error name
 * what is wrong, for the caller to prefix with the file name. */
AuscultaSafetensors *ausculta_safetensors_parse        (GBytes              *bytes,
                                                        GError             **error);
const char          *ausculta_safetensors_get_metadata (AuscultaSafetensors *st,
                                                        const char          *key);
const AuscultaTensor *ausculta_safetensors_get         (AuscultaSafetensors *st,
                                                        const char          *name);
/* Copies an F64 tensor of exactly @rows × @cols values (cols 0 for a
 * vector) or fails naming the tensor and what was expected. */
double              *ausculta_safetensors_dup_f64      (AuscultaSafetensors *st,
                                                        const char          *name,
                                                        guint64              rows,
                                                        guint64              cols,
                                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuscultaSafetensors, ausculta_safetensors_free)

G_END_DECLS
