/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An ALSA capture PCM for tests that, like a sound card's `hw` device,
 * lets one program open it at a time: a second open fails with EBUSY for
 * as long as the first holds it. Exclusivity is an flock() on the file
 * named by `lock`, so it holds across processes and within one. Delivers
 * silence as fast as it is read (no clock), S16_LE stereo at any rate.
 *
 *   pcm_type.exclusive { lib "/path/libasound_module_pcm_exclusive.so" }
 *   pcm.busycap_raw { type exclusive lock "/tmp/dir/busycap.lock" }
 *   pcm.busycap { type plug slave.pcm "busycap_raw" }
 */
#define _GNU_SOURCE   /* pipe2 */

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

typedef struct {
  snd_pcm_ioplug_t io;
  int              lock_fd;
  int              poll_pipe[2];   /* always readable: data is always there */
  snd_pcm_uframes_t hw;            /* frames delivered since start */
} Exclusive;

static snd_pcm_sframes_t
exclusive_pointer (snd_pcm_ioplug_t *io)
{
  Exclusive *pcm = io->private_data;

  /* Each look finds one more period, as long as the reader keeps up. */
  if (io->buffer_size == 0)
    return 0;
  if (pcm->hw + io->period_size - io->appl_ptr < io->buffer_size)
    pcm->hw += io->period_size;
  return (snd_pcm_sframes_t) (pcm->hw % io->buffer_size);
}

static snd_pcm_sframes_t
exclusive_transfer (snd_pcm_ioplug_t          *io,
                    const snd_pcm_channel_area_t *areas,
                    snd_pcm_uframes_t          offset,
                    snd_pcm_uframes_t          size)
{
  snd_pcm_areas_silence (areas, offset, io->channels, size, io->format);
  return (snd_pcm_sframes_t) size;
}

static int
exclusive_start (snd_pcm_ioplug_t *io)
{
  ((Exclusive *) io->private_data)->hw = io->appl_ptr;
  return 0;
}

static int
exclusive_stop (snd_pcm_ioplug_t *io)
{
  return 0;
}

/* Data is always there: readable, whatever the layers above think of the
 * pipe's state. */
static int
exclusive_poll_revents (snd_pcm_ioplug_t *io,
                        struct pollfd    *pfds,
                        unsigned int      nfds,
                        unsigned short   *revents)
{
  *revents = POLLIN;
  return 0;
}

static int
exclusive_close (snd_pcm_ioplug_t *io)
{
  Exclusive *pcm = io->private_data;

  close (pcm->poll_pipe[0]);
  close (pcm->poll_pipe[1]);
  close (pcm->lock_fd);   /* releases the lock */
  free (pcm);
  return 0;
}

static const snd_pcm_ioplug_callback_t callbacks = {
  .start = exclusive_start,
  .stop = exclusive_stop,
  .pointer = exclusive_pointer,
  .transfer = exclusive_transfer,
  .close = exclusive_close,
  .poll_revents = exclusive_poll_revents,
};

static int
set_constraints (snd_pcm_ioplug_t *io)
{
  static const unsigned int access[] = { SND_PCM_ACCESS_RW_INTERLEAVED, SND_PCM_ACCESS_MMAP_INTERLEAVED };
  static const unsigned int formats[] = { SND_PCM_FORMAT_S16_LE };
  int err;

  if ((err = snd_pcm_ioplug_set_param_list (io, SND_PCM_IOPLUG_HW_ACCESS, 2, access)) < 0
      || (err = snd_pcm_ioplug_set_param_list (io, SND_PCM_IOPLUG_HW_FORMAT, 1, formats)) < 0
      || (err = snd_pcm_ioplug_set_param_minmax (io, SND_PCM_IOPLUG_HW_CHANNELS, 2, 2)) < 0
      || (err = snd_pcm_ioplug_set_param_minmax (io, SND_PCM_IOPLUG_HW_RATE, 8000, 192000)) < 0
      || (err = snd_pcm_ioplug_set_param_minmax (io, SND_PCM_IOPLUG_HW_PERIOD_BYTES, 256, 65536)) < 0
      || (err = snd_pcm_ioplug_set_param_minmax (io, SND_PCM_IOPLUG_HW_PERIODS, 2, 64)) < 0)
    return err;
  return 0;
}

static int
take_lock (const char *path)
{
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    return -errno;
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

      close (fd);
      return err;
    }
  return fd;
}

SND_PCM_PLUGIN_DEFINE_FUNC (exclusive)
{
  snd_config_iterator_t i, next;
  const char *lock = NULL;
  Exclusive *pcm;
  int err;

  snd_config_for_each (i, next, conf)
    {
      snd_config_t *entry = snd_config_iterator_entry (i);
      const char *id;

      if (snd_config_get_id (entry, &id) < 0 || strcmp (id, "comment") == 0
          || strcmp (id, "type") == 0 || strcmp (id, "hint") == 0)
        continue;
      if (strcmp (id, "lock") == 0 && snd_config_get_string (entry, &lock) >= 0)
        continue;
      SNDERR ("exclusive: unknown or bad field %s", id);
      return -EINVAL;
    }
  if (lock == NULL || stream != SND_PCM_STREAM_CAPTURE)
    return -EINVAL;
  if (!(pcm = calloc (1, sizeof *pcm)))
    return -ENOMEM;
  if ((pcm->lock_fd = take_lock (lock)) < 0)
    {
      err = pcm->lock_fd;
      free (pcm);
      return err;
    }
  if (pipe2 (pcm->poll_pipe, O_CLOEXEC | O_NONBLOCK) < 0 || write (pcm->poll_pipe[1], "", 1) != 1)
    {
      close (pcm->lock_fd);
      free (pcm);
      return -EIO;
    }
  pcm->io.version = SND_PCM_IOPLUG_VERSION;
  pcm->io.name = "exclusive test capture";
  pcm->io.callback = &callbacks;
  pcm->io.private_data = pcm;
  pcm->io.poll_fd = pcm->poll_pipe[0];
  pcm->io.poll_events = POLLIN;
  if ((err = snd_pcm_ioplug_create (&pcm->io, name, stream, mode)) < 0)
    {
      close (pcm->poll_pipe[0]);
      close (pcm->poll_pipe[1]);
      close (pcm->lock_fd);
      free (pcm);
      return err;
    }
  if ((err = set_constraints (&pcm->io)) < 0)
    {
      snd_pcm_ioplug_delete (&pcm->io);
      return err;
    }
  *pcmp = pcm->io.pcm;
  return 0;
}

SND_PCM_PLUGIN_SYMBOL (exclusive);
