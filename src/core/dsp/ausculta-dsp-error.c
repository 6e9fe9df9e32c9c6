/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-dsp-error"

#include "config.h"

#include "ausculta-dsp-error.h"

G_DEFINE_QUARK (ausculta-dsp-error-quark, ausculta_dsp_error)
