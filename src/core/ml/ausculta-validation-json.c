/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-validation-json"

#include "config.h"

#include <math.h>

#include "ausculta-validation.h"

/* JSON has no NaN: a figure that cannot be computed is null. */
static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_rate (JsonBuilder        *b,
          const char         *name,
          const AuscultaRate *rate)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, rate->successes);
  json_builder_set_member_name (b, "of");
  json_builder_add_int_value (b, rate->trials);
  add_number (b, "value", rate->value);
  add_number (b, "ci95_low", rate->low);
  add_number (b, "ci95_high", rate->high);
  json_builder_end_object (b);
}

static void
add_headline (JsonBuilder                    *b,
              const AuscultaValidationReport *r)
{
  if (r->model_version != NULL)
    {
      json_builder_set_member_name (b, "model_version");
      json_builder_add_string_value (b, r->model_version);
    }
  if (r->method != NULL)
    {
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, r->method);
    }
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, r->n_rows);
  json_builder_set_member_name (b, "motors");
  json_builder_add_int_value (b, r->n_motors);
  add_number (b, "threshold", r->threshold);
  json_builder_set_member_name (b, "confusion");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bad_rejected");
  json_builder_add_int_value (b, r->true_nok);
  json_builder_set_member_name (b, "bad_accepted");
  json_builder_add_int_value (b, r->false_ok);
  json_builder_set_member_name (b, "good_rejected");
  json_builder_add_int_value (b, r->false_nok);
  json_builder_set_member_name (b, "good_accepted");
  json_builder_add_int_value (b, r->true_ok);
  json_builder_end_object (b);
  add_rate (b, "escape_rate", &r->escape_rate);
  add_rate (b, "false_reject_rate", &r->false_reject_rate);
  add_number (b, "auc", r->auc);
  add_number (b, "auc_ci95_low", r->auc_low);
  add_number (b, "auc_ci95_high", r->auc_high);
  add_number (b, "pauc_fpr_0.1", r->pauc);
  add_number (b, "pauc_ci95_low", r->pauc_low);
  add_number (b, "pauc_ci95_high", r->pauc_high);
}

static void
add_classes (JsonBuilder                    *b,
             const AuscultaValidationReport *r)
{
  json_builder_set_member_name (b, "classes");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->classes->len; i++)
    {
      const AuscultaClassRecall *c = &g_array_index (r->classes, AuscultaClassRecall, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "defect_class");
      json_builder_add_int_value (b, c->defect_class);
      add_rate (b, "recall", &c->recall);
      if (c->left_out.trials > 0)
        add_rate (b, "left_out_recall", &c->left_out);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_curves (JsonBuilder                    *b,
            const AuscultaValidationReport *r)
{
  json_builder_set_member_name (b, "roc");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->roc->len; i++)
    {
      const AuscultaRocPoint *p = &g_array_index (r->roc, AuscultaRocPoint, i);

      json_builder_begin_object (b);
      add_number (b, "threshold", p->threshold);
      add_number (b, "false_reject_rate", p->fpr);
      add_number (b, "catch_rate", p->tpr);
      add_number (b, "escape_rate", 1.0 - p->tpr);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "repeats");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->repeats->len; i++)
    {
      const AuscultaRepeatSummary *s = &g_array_index (r->repeats, AuscultaRepeatSummary, i);

      json_builder_begin_object (b);
      add_number (b, "escape_rate", s->escape);
      add_number (b, "false_reject_rate", s->false_reject);
      add_number (b, "auc", s->auc);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_report (JsonBuilder                    *b,
              const AuscultaValidationReport *r,
              gboolean                        full)
{
  json_builder_begin_object (b);
  add_headline (b, r);
  add_classes (b, r);
  if (full)
    add_curves (b, r);
  if (full && r->production != NULL)
    {
      json_builder_set_member_name (b, "production");
      build_report (b, r->production, TRUE);
    }
  json_builder_end_object (b);
}

/**
 * ausculta_validation_report_to_json:
 *
 * Returns: (transfer full): the whole report: headline figures with their
 *   95 % intervals, per-class recalls, the ROC / threshold trade-off points,
 *   per-repeat figures, and the production model's report on the same rows.
 */
JsonNode *
ausculta_validation_report_to_json (const AuscultaValidationReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_report (b, report, TRUE);
  return json_builder_get_root (b);
}

JsonNode *
ausculta_validation_report_summary_json (const AuscultaValidationReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_report (b, report, FALSE);
  return json_builder_get_root (b);
}

static void
append_rate (GString            *out,
             const char         *label,
             const AuscultaRate *rate)
{
  if (rate->trials == 0)
    g_string_append_printf (out, "%s: n/a (no rows)\n", label);
  else
    g_string_append_printf (out, "%s: %.2f %% (%u of %u; 95 %% CI %.2f–%.2f %%)\n", label,
                            100 * rate->value, rate->successes, rate->trials, 100 * rate->low,
                            100 * rate->high);
}

static void
append_report (GString                        *out,
               const AuscultaValidationReport *r,
               const char                     *title)
{
  g_string_append_printf (out, "%s%s%s\n", title, r->model_version ? " " : "",
                          r->model_version ? r->model_version : "");
  if (r->method != NULL)
    g_string_append_printf (out, "  method: %s\n", r->method);
  g_string_append_printf (out, "  rows: %u (%u motors), threshold %.6g\n", r->n_rows, r->n_motors,
                          r->threshold);
  g_string_append_printf (out, "  confusion: bad rejected %u, bad accepted %u, good rejected %u, "
                          "good accepted %u\n", r->true_nok, r->false_ok, r->false_nok, r->true_ok);
  g_string_append (out, "  ");
  append_rate (out, "escape rate (bad accepted)", &r->escape_rate);
  g_string_append (out, "  ");
  append_rate (out, "false-reject rate (good rejected)", &r->false_reject_rate);
  g_string_append_printf (out, "  ROC AUC: %.4f (95 %% CI %.4f–%.4f, bootstrap by motor)\n",
                          r->auc, r->auc_low, r->auc_high);
  g_string_append_printf (out, "  pAUC (FPR ≤ 0.1, standardised): %.4f (95 %% CI %.4f–%.4f)\n",
                          r->pauc, r->pauc_low, r->pauc_high);
  for (guint i = 0; i < r->classes->len; i++)
    {
      const AuscultaClassRecall *c = &g_array_index (r->classes, AuscultaClassRecall, i);
      g_autofree char *label = c->defect_class > 0 ? g_strdup_printf ("recall, defect class %d",
                                                                      c->defect_class)
                                                   : g_strdup ("recall, bad (no class)");

      g_string_append (out, "  ");
      append_rate (out, label, &c->recall);
      if (c->left_out.trials > 0)
        {
          g_string_append (out, "    ");
          append_rate (out, "left out of training", &c->left_out);
        }
    }
}

char *
ausculta_validation_report_to_text (const AuscultaValidationReport *report)
{
  GString *out = g_string_new (NULL);

  append_report (out, report, "candidate");
  if (report->production != NULL)
    append_report (out, report->production, "production");
  return g_string_free (out, FALSE);
}
