/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

/* A private JACK server with the dummy driver (the real-time clock of the
 * ALSA "rtcap" device), under a server name of its own so that concurrent
 * runs do not meet. NULL (and a message) when jackd cannot start. */
GSubprocess *capture_test_jack_start (const char *server_name,
                                      int         rate);
void         capture_test_jack_stop  (GSubprocess *jackd);
/* Raw FLOAT_LE stereo for "rtcap": the same signal as capture_test_stereo_s16, scaled. */
float       *capture_test_stereo_f32 (gsize        n_frames,
                                      int          rate);
