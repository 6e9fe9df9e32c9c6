/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-source-spec"

#include "config.h"

#include <string.h>

#include "ausculta-file-source.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-simulator.h"
#include "ausculta-source-spec.h"
#if HAVE_COMEDI
#include "ausculta-comedi-source.h"
#endif

static gboolean
parse_simulator_option (const char *option,
                        guint64    *seed,
                        double     *disconnect,
                        guint      *faults,
                        GError    **error)
{
  g_auto(GStrv) names = NULL;
  char *end = NULL;

  if (g_str_has_prefix (option, "seed="))
    {
      if (g_ascii_string_to_unsigned (option + 5, 10, 0, G_MAXUINT64, seed, NULL))
        return TRUE;
    }
  else if (g_str_has_prefix (option, "disconnect="))
    {
      *disconnect = g_ascii_strtod (option + 11, &end);
      if (end != option + 11 && *end == '\0' && *disconnect > 0.0)
        return TRUE;
    }
  else
    {
      names = g_strsplit (option, "+", -1);
      for (guint i = 0; names[i] != NULL; i++)
        {
          AuscultaMotorFault fault;

          if (!ausculta_motor_fault_from_string (names[i], &fault))
            {
              g_autofree char *known = ausculta_motor_fault_list_names ();

              g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_INVALID,
                           "simulator: unknown fault “%s”; the faults are: %s", names[i], known);
              return FALSE;
            }
          *faults |= fault;
        }
      return TRUE;
    }
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_INVALID,
               "simulator: invalid option “%s”: expected seed=INTEGER or disconnect=SECONDS",
               option);
  return FALSE;
}

static AuscultaSource *
new_simulator (const char *options,
               GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (options ? options : "", ",", -1);
  guint64 seed = 1;
  double disconnect = 0.0;
  guint faults = 0;
  AuscultaSource *source;

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0' && !parse_simulator_option (parts[i], &seed, &disconnect, &faults, error))
      return NULL;
  source = ausculta_simulator_new (seed, faults);
  ausculta_simulator_set_disconnect_after (AUSCULTA_SIMULATOR (source), disconnect);
  return source;
}

AuscultaSource *
ausculta_source_new_from_spec (const char *spec,
                               GError    **error)
{
  g_autofree char *kind = NULL;
  const char *colon;
  const char *rest;

  g_return_val_if_fail (spec != NULL, NULL);

  /* "simulator,seed=3" reads as well as "simulator:seed=3". */
  colon = strpbrk (spec, g_str_has_prefix (spec, "simulator,") ? "," : ":");
  kind = colon ? g_strndup (spec, colon - spec) : g_strdup (spec);
  rest = colon ? colon + 1 : NULL;
  if (strcmp (kind, "simulator") == 0)
    return new_simulator (rest, error);
  if (strcmp (kind, "portaudio") == 0)
    return ausculta_portaudio_source_new (rest && *rest ? rest : NULL);
  if (strcmp (kind, "file") == 0 && rest != NULL && *rest != '\0')
    {
      g_auto(GStrv) paths = g_strsplit (rest, ",", -1);

      return ausculta_file_source_new ((const char * const *) paths);
    }
#if HAVE_COMEDI
  if (strcmp (kind, "comedi") == 0)
    return ausculta_comedi_source_new (rest && *rest ? rest : NULL);
#endif
  g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_INVALID,
               "invalid source “%s”: expected simulator[:FAULT], portaudio[:DEVICE], "
               "file:PATH[,PATH]%s", spec,
               HAVE_COMEDI ? " or comedi[:/dev/comediN]" : " (comedi is not built in this version)");
  return NULL;
}
