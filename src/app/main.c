/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-main"

#include "config.h"

#include "ausculta-application.h"
#include "ausculta-mongo-target.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AuscultaApplication) app = NULL;

  ausculta_mongo_prepare_process ();
  ausculta_app_init_i18n ();
  ausculta_app_init_display ();
  app = ausculta_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
