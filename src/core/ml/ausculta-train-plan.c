/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-train-plan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-train-private.h"

static const char * const known_keys[] = {
  "detector", "preprocess", "n_neighbors", "metric", "n_components", "variance", "statistic",
  "C", "combine", "target_frr", "target_escape", "folds", "repeats", "seed", "version",
  "profile_name", "profile_hash", "vib_weight", NULL
};

#define DEFAULT_DETECTOR   "knn"
#define DEFAULT_PREPROCESS "log-standard"
/* chosen by tools/evaluate-models (see its table of variants) */
#define DEFAULT_VIB_WEIGHT "0.5"

void
ausculta_train_plan_clear (AuscultaTrainPlan *plan)
{
  g_clear_pointer (&plan->params, g_hash_table_unref);
}

static gboolean
parse_settings (const char * const *settings,
                GHashTable         *params,
                GError            **error)
{
  for (guint i = 0; settings != NULL && settings[i] != NULL; i++)
    {
      const char *eq = strchr (settings[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (settings[i], eq - settings[i]) : NULL;

      if (key == NULL || *key == '\0' || eq[1] == '\0')
        return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "setting “%s”: expected key=value", settings[i]);
      if (!g_strv_contains (known_keys, key))
        return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "unknown setting “%s”; known settings: detector, "
                                "preprocess, n_neighbors, metric, n_components, variance, "
                                "statistic, C, combine, target_frr, target_escape, folds, "
                                "repeats, seed, version, profile_name, profile_hash, vib_weight", key);
      g_hash_table_replace (params, g_steal_pointer (&key), g_strdup (eq + 1));
    }
  return TRUE;
}

static gboolean
plan_number (AuscultaTrainPlan *plan,
             const char        *key,
             double             fallback,
             double             min,
             double             max,
             double            *out,
             GError           **error)
{
  const char *text = g_hash_table_lookup (plan->params, key);
  char *end = NULL;

  *out = fallback;
  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*out >= min && *out <= max))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "%s=%s: expected a number in [%g, %g]", key, text, min, max);
  return TRUE;
}

static gboolean
plan_kinds (AuscultaTrainPlan *plan,
            GError           **error)
{
  const char *detector = g_hash_table_lookup (plan->params, "detector");
  const char *combine = g_hash_table_lookup (plan->params, "combine");
  const char *pre = g_hash_table_lookup (plan->params, "preprocess");

  if (!ausculta_detector_kind_from_string (detector, &plan->kind))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "detector=%s: expected lof, knn, mahalanobis, pca or logistic",
                            detector);
  plan->supervised = plan->kind == AUSCULTA_DETECTOR_KIND_LOGISTIC;
  if (combine != NULL && g_strcmp0 (combine, "none") != 0)
    {
      if (!ausculta_detector_kind_from_string (combine, &plan->combine_kind)
          || plan->combine_kind == AUSCULTA_DETECTOR_KIND_LOGISTIC
          || plan->combine_kind == plan->kind)
        return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "combine=%s: expected none, or a detector other than "
                                "detector= among lof, knn, mahalanobis, pca", combine);
      plan->combined = TRUE;
    }
  if (!ausculta_preprocess_kind_from_string (pre != NULL ? pre : DEFAULT_PREPROCESS, &plan->pre_kind))
    return ausculta_model_fail (error, AUSCULTA_MODEL_ERROR_PARAMETER, "preprocess=%s: expected none, standard or log-standard", pre);
  return TRUE;
}

gboolean
ausculta_train_plan_init (AuscultaTrainPlan  *plan,
                          const char * const *settings,
                          GError            **error)
{
  double folds, repeats, seed;

  *plan = (AuscultaTrainPlan) { 0 };
  plan->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (plan->params, g_strdup ("detector"), g_strdup (DEFAULT_DETECTOR));
  g_hash_table_insert (plan->params, g_strdup ("preprocess"), g_strdup (DEFAULT_PREPROCESS));
  if (!parse_settings (settings, plan->params, error) || !plan_kinds (plan, error))
    return FALSE;
  /* the weight is part of the default recipe; plain standard scaling stays
   * scikit-learn's StandardScaler unless asked otherwise */
  if (plan->pre_kind == AUSCULTA_PREPROCESS_LOG_STANDARD
      && !g_hash_table_contains (plan->params, "vib_weight"))
    g_hash_table_insert (plan->params, g_strdup ("vib_weight"), g_strdup (DEFAULT_VIB_WEIGHT));
  if (!plan_number (plan, "target_frr", plan->supervised ? 0.01 : 0.02, 0.0, 0.5,
                    &plan->target_frr, error)
      || !plan_number (plan, "target_escape", NAN, 0.0, 0.5, &plan->target_escape, error)
      || !plan_number (plan, "folds", 5, 2, 50, &folds, error)
      || !plan_number (plan, "repeats", 2, 1, 50, &repeats, error)
      || !plan_number (plan, "seed", 1, 0, G_MAXINT32, &seed, error)
      || !plan_number (plan, "vib_weight", 1.0, 1e-3, 1e3, &plan->vib_weight, error))
    return FALSE;
  plan->folds = (guint) folds;
  plan->repeats = (guint) repeats;
  plan->seed = (guint) seed;
  if (plan->combined)
    {
      g_autofree char *name = g_strdup_printf ("%s+%s", ausculta_detector_kind_to_string (plan->kind),
                                               ausculta_detector_kind_to_string (plan->combine_kind));

      g_hash_table_replace (plan->params, g_strdup ("detector"), g_steal_pointer (&name));
    }
  return TRUE;
}

gboolean
ausculta_train_plan_uses_row (const AuscultaTrainPlan *plan,
                              const AuscultaDataset   *data,
                              gboolean                 unlabelled,
                              guint                    r)
{
  int label = data->labels[r];

  if (unlabelled)
    return TRUE;
  return plan->supervised ? ausculta_label_is_good (label) || ausculta_label_is_bad (label)
                          : ausculta_label_is_good (label);
}
