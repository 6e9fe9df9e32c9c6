/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-cli-devices"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ausculta-cli.h"
#include "ausculta-portaudio-source.h"
#include "ausculta-simulator.h"

static void
print_text (GPtrArray *devices)
{
  g_autofree char *faults = ausculta_motor_fault_list_names ();

  for (guint i = 0; i < devices->len; i++)
    {
      AuscultaDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *rates = ausculta_device_info_describe_rates (info);

      g_print ("portaudio:%s\n  %s, device %d, %u input%s, default %g Hz, rates: %s Hz\n",
               info->name, info->host_api, info->index, info->max_input_channels,
               info->max_input_channels == 1 ? "" : "s", info->default_rate, rates);
    }
  g_print ("simulator\n  simulated motor bench, 2 inputs (0 microphone in Pa, 1 accelerometer in m/s²), "
           "8000 to 192000 Hz; faults: %s\n", faults);
#if HAVE_COMEDI
  g_print ("comedi:/dev/comediN\n  Comedi DAQ analog inputs (opened on use)\n");
#endif
}

static void
print_json (GPtrArray *devices)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      AuscultaDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *spec = g_strconcat ("portaudio:", info->name, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, spec);
      json_builder_set_member_name (builder, "host_api");
      json_builder_add_string_value (builder, info->host_api);
      json_builder_set_member_name (builder, "inputs");
      json_builder_add_int_value (builder, info->max_input_channels);
      json_builder_set_member_name (builder, "default_rate");
      json_builder_add_double_value (builder, info->default_rate);
      json_builder_set_member_name (builder, "rates");
      json_builder_begin_array (builder);
      for (guint r = 0; r < info->rates->len; r++)
        json_builder_add_double_value (builder, g_array_index (info->rates, double, r));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "simulator");
  json_builder_set_member_name (builder, "inputs");
  json_builder_add_int_value (builder, AUSCULTA_SIMULATOR_N_INPUTS);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
ausculta_cli_devices (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "FORMAT" },
    { NULL }
  };
  int status;

  g_option_context_set_summary (context, _("List the capture sources: PortAudio devices with their "
                                           "inputs and rates, the simulator, comedi"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = ausculta_cli_parse_options (context, &argc, &argv)) != AUSCULTA_CLI_OK)
    return status;
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    {
      g_printerr (_("ausculta-cli: unknown format “%s”: expected text or json\n"), format);
      return AUSCULTA_CLI_USER_ERROR;
    }
  if (!(devices = ausculta_portaudio_list_devices (&error)))
    return ausculta_cli_fail (error);
  if (g_strcmp0 (format, "json") == 0)
    print_json (devices);
  else
    print_text (devices);
  return AUSCULTA_CLI_OK;
}
