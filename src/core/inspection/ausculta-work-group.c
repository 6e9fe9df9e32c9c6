/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-work-group"

#include "config.h"

#include "ausculta-work-group.h"

struct _AuscultaWorkGroup
{
  GMutex lock;
  GCond  idle;
  guint  pending;
};

typedef struct {
  AuscultaWorkGroup *group;
  AuscultaWorkFunc   func;
  gpointer           data;
  GDestroyNotify     notify;
} Job;

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  AuscultaWorkGroup *group = job->group;

  job->func (job->data);
  if (job->notify != NULL)
    job->notify (job->data);
  g_free (job);
  g_mutex_lock (&group->lock);
  if (--group->pending == 0)
    g_cond_broadcast (&group->idle);
  g_mutex_unlock (&group->lock);
}

/* Shared by every inspection: the jobs are short (a run's features, a
 * signal's FLAC) and there is no point in more of them at once than cores. */
static GThreadPool *
shared_pool (void)
{
  static gsize pool = 0;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *created = g_thread_pool_new (run_job, NULL, (int) g_get_num_processors (),
                                                FALSE, NULL);

      g_once_init_leave (&pool, (gsize) created);
    }
  return (GThreadPool *) pool;
}

AuscultaWorkGroup *
ausculta_work_group_new (void)
{
  AuscultaWorkGroup *group = g_new0 (AuscultaWorkGroup, 1);

  g_mutex_init (&group->lock);
  g_cond_init (&group->idle);
  return group;
}

void
ausculta_work_group_submit (AuscultaWorkGroup *group,
                            AuscultaWorkFunc   func,
                            gpointer           data,
                            GDestroyNotify     notify)
{
  Job *job = g_new (Job, 1);

  *job = (Job) { group, func, data, notify };
  g_mutex_lock (&group->lock);
  group->pending++;
  g_mutex_unlock (&group->lock);
  /* A non-exclusive pool only fails to start a thread when it already
   * has some: the job then waits for one of them. */
  g_thread_pool_push (shared_pool (), job, NULL);
}

void
ausculta_work_group_wait (AuscultaWorkGroup *group)
{
  g_mutex_lock (&group->lock);
  while (group->pending > 0)
    g_cond_wait (&group->idle, &group->lock);
  g_mutex_unlock (&group->lock);
}

void
ausculta_work_group_free (AuscultaWorkGroup *group)
{
  if (group == NULL)
    return;
  ausculta_work_group_wait (group);
  g_mutex_clear (&group->lock);
  g_cond_clear (&group->idle);
  g_free (group);
}
