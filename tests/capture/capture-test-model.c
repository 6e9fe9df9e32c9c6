/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ausculta-train.h"
#include "capture-test-model.h"

AuscultaModel *
capture_test_train_model (AuscultaMeasurement **good,
                          guint                 n_good,
                          const char           *profile_name,
                          const char           *profile_hash)
{
  return capture_test_train_model_version (good, n_good, profile_name, profile_hash, NULL);
}

AuscultaModel *
capture_test_train_model_version (AuscultaMeasurement **good,
                                  guint                 n_good,
                                  const char           *profile_name,
                                  const char           *profile_hash,
                                  const char           *version)
{
  AuscultaDataset *data = ausculta_dataset_new ((const char * const *) good[0]->feature_names);
  g_autofree char *version_setting = version ? g_strconcat ("version=", version, NULL) : NULL;
  const char *settings[] = { "detector=lof", version_setting, NULL };
  g_autoptr(GError) error = NULL;
  AuscultaModel *model;

  for (guint i = 0; i < n_good; i++)
    {
      g_autofree char *name = g_strdup_printf ("sim-%u", i);

      ausculta_dataset_append (data, name, name, AUSCULTA_DATASET_LABEL_OK, good[i]->features);
    }
  model = ausculta_model_train (data, settings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ausculta_model_set_profile (model, profile_name, profile_hash);
  ausculta_dataset_free (data);
  return model;
}
