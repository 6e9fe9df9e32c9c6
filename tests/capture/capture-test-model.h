/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-measurement.h"
#include "ausculta-model.h"

/* Trains a detector on the features of good measurements (kept apart from
 * the archive's headers, whose label constants differ from the dataset's). */
AuscultaModel *capture_test_train_model (AuscultaMeasurement **good,
                                         guint                 n_good,
                                         const char           *profile_name,
                                         const char           *profile_hash);
/* The same, with the version the model carries into the measurements. */
AuscultaModel *capture_test_train_model_version (AuscultaMeasurement **good,
                                                 guint                 n_good,
                                                 const char           *profile_name,
                                                 const char           *profile_hash,
                                                 const char           *version);
