/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ausculta-simulator"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ausculta-simulator.h"

/* A small brushed DC motor with a gearbox on the bench: a microphone in Pa
 * and an accelerometer in m/s². Tonal lines at orders of the shaft rate
 * (rotor, armature slots, gear mesh, commutator, bearings), a structural
 * resonance and a high-frequency one excited by impacts and sparks, and a
 * noise floor. Levels: about 60 dB SPL and 0.3 m/s² RMS for a good unit.
 * Everything derives from the seed: same seed, same samples, whatever the
 * read sizes, because the slow state changes on fixed 256-frame segments. */

#define SEGMENT_FRAMES 256
#define MAX_LINES 24
#define MIC AUSCULTA_SIMULATOR_MICROPHONE
#define VIB AUSCULTA_SIMULATOR_ACCELEROMETER

typedef struct {
  double order;
  double amp[2];      /* peak amplitude: Pa, m/s² */
  double phase;
} Line;

typedef struct {
  double b1, b2, gain;
  double y1, y2;
} Resonator;

struct _AuscultaSimulator
{
  AuscultaSource parent_instance;

  guint64   seed;
  guint     faults;
  double    disconnect_after;

  /* This unit, drawn from the seed. */
  double    rate_up;
  double    rate_down;
  double    spread[MAX_LINES];
  double    noise_gain[2];
  double    whistle_hz;
  double    structure_hz;

  /* The run being generated. */
  double    fs;
  guint     n_outputs;
  guint     outputs[AUSCULTA_SOURCE_MAX_CHANNELS];
  Line      lines[MAX_LINES];
  guint     n_lines;
  double    z_re[MAX_LINES], z_im[MAX_LINES];
  double    w_re[MAX_LINES], w_im[MAX_LINES];
  guint64   rng;
  guint64   frame;
  double    theta;        /* shaft revolutions since the start of the run */
  double    nominal_rate;
  double    rate;
  double    wander;
  double    whistle_phase;
  double    lowpass[2];
  Resonator structure[2];
  Resonator spark[2];
};

G_DEFINE_FINAL_TYPE (AuscultaSimulator, ausculta_simulator, AUSCULTA_TYPE_SOURCE)

static const struct {
  AuscultaMotorFault fault;
  const char        *name;
} fault_names[] = {
  { AUSCULTA_MOTOR_FAULT_COMMUTATOR, "commutator" },
  { AUSCULTA_MOTOR_FAULT_SCREW_IMPACTS, "screw-impacts" },
  { AUSCULTA_MOTOR_FAULT_WHISTLING, "whistling" },
  { AUSCULTA_MOTOR_FAULT_SLACK_WIRE, "slack-wire" },
  { AUSCULTA_MOTOR_FAULT_UNBALANCE, "unbalance" },
  { AUSCULTA_MOTOR_FAULT_BENT_SHAFT, "bent-shaft" },
  { AUSCULTA_MOTOR_FAULT_BEARING, "bearing" },
};

gboolean
ausculta_motor_fault_from_string (const char         *name,
                                  AuscultaMotorFault *fault)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_ascii_strcasecmp (name, fault_names[i].name) == 0)
      {
        *fault = fault_names[i].fault;
        return TRUE;
      }
  return FALSE;
}

const char *
ausculta_motor_fault_to_string (AuscultaMotorFault fault)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (fault_names[i].fault == fault)
      return fault_names[i].name;
  return NULL;
}

char *
ausculta_motor_fault_list_names (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", fault_names[i].name);
  return g_string_free (text, FALSE);
}

/* splitmix64: small, fast, and a full 64-bit state from any seed. */
static inline guint64
next_random (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline double
uniform (guint64 *state)
{
  return (next_random (state) >> 11) * (1.0 / 9007199254740992.0);
}

/* Irwin–Hall of four 16-bit uniforms: unit variance, bounded, one draw. */
static inline double
gaussian (guint64 *state)
{
  guint64 r = next_random (state);
  double sum = (double) (r & 0xffff) + (double) ((r >> 16) & 0xffff)
               + (double) ((r >> 32) & 0xffff) + (double) (r >> 48);

  return (sum / 65536.0 - 2.0) * 1.7320508075688772;
}

static void
resonator_init (Resonator *res,
                double     hz,
                double     bandwidth_hz,
                double     fs)
{
  double r = exp (-G_PI * bandwidth_hz / fs);
  double w = 2.0 * G_PI * MIN (hz, 0.45 * fs) / fs;

  *res = (Resonator) { .b1 = 2.0 * r * cos (w), .b2 = -r * r, .gain = sin (w) };
}

static inline double
resonator_process (Resonator *res,
                   double     x)
{
  double y = res->gain * x + res->b1 * res->y1 + res->b2 * res->y2;

  res->y2 = res->y1;
  res->y1 = y;
  return y;
}

AuscultaSource *
ausculta_simulator_new (guint64 seed,
                        guint   faults)
{
  g_autofree char *name = NULL;
  AuscultaSimulator *self;
  GString *label = g_string_new ("simulator");

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (faults & fault_names[i].fault)
      g_string_append_printf (label, "%c%s", label->len == 9 ? ':' : '+', fault_names[i].name);
  name = g_string_free (label, FALSE);
  self = g_object_new (AUSCULTA_TYPE_SIMULATOR, "name", name, NULL);
  self->seed = seed;
  self->faults = faults;

  /* Unit-to-unit variation: ±3 % speed, ±15 % line levels, ±10 % noise. */
  {
    guint64 rng = seed ^ G_GUINT64_CONSTANT (0x5A17C0FFEE);

    self->rate_up = 46.0 * (1.0 + 0.03 * gaussian (&rng));
    self->rate_down = 53.0 * (1.0 + 0.03 * gaussian (&rng));
    for (guint i = 0; i < MAX_LINES; i++)
      self->spread[i] = exp (0.15 * gaussian (&rng));
    for (guint i = 0; i < 2; i++)
      self->noise_gain[i] = exp (0.1 * gaussian (&rng));
    self->whistle_hz = 6500.0 + 1500.0 * uniform (&rng);
    self->structure_hz = 2600.0 * (1.0 + 0.05 * gaussian (&rng));
  }
  return AUSCULTA_SOURCE (self);
}

static void
add_line (AuscultaSimulator *self,
          double             order,
          double             mic_pa,
          double             vib_ms2)
{
  Line *line;

  g_assert (self->n_lines < MAX_LINES);
  line = &self->lines[self->n_lines];
  line->order = order;
  line->amp[MIC] = mic_pa * self->spread[self->n_lines];
  line->amp[VIB] = vib_ms2 * self->spread[self->n_lines];
  line->phase = 2.0 * G_PI * uniform (&self->rng);
  self->n_lines++;
}

/* The tonal lines of this unit for this run, with the faults' signatures. */
static void
build_lines (AuscultaSimulator *self)
{
  guint f = self->faults;
  double unbalance = (f & AUSCULTA_MOTOR_FAULT_UNBALANCE) ? 8.0 : 1.0;
  double bent = (f & AUSCULTA_MOTOR_FAULT_BENT_SHAFT) ? 1.0 : 0.0;
  double commutator = (f & AUSCULTA_MOTOR_FAULT_COMMUTATOR) ? 5.0 : 1.0;
  double bearing = (f & AUSCULTA_MOTOR_FAULT_BEARING) ? 5.0 : 1.0;
  double slack = (f & AUSCULTA_MOTOR_FAULT_SLACK_WIRE) ? 1.0 : 0.0;

  self->n_lines = 0;
  /* A bent shaft shows at 1x and 2x; 1x stays the strongest low line, as
   * the shaft-rate estimate of the features relies on. */
  add_line (self, 1.0, 0.0015 * (unbalance + 3.0 * bent), 0.04 * (unbalance + 3.0 * bent));
  add_line (self, 2.0, 0.0010 * (1.0 + 3.0 * bent), 0.02 * (1.0 + 4.0 * bent));
  add_line (self, 3.0, 0.0005 * (1.0 + 2.0 * bent), 0.008 * (1.0 + 3.0 * bent));
  add_line (self, AUSCULTA_SIMULATOR_SLOT_ORDER, 0.004, 0.03);
  add_line (self, 3.0 * AUSCULTA_SIMULATOR_SLOT_ORDER, 0.002, 0.012);
  add_line (self, AUSCULTA_SIMULATOR_MESH_ORDER, 0.006, 0.05);
  add_line (self, 2.0 * AUSCULTA_SIMULATOR_MESH_ORDER, 0.002, 0.015);
  add_line (self, AUSCULTA_SIMULATOR_COMMUTATOR_ORDER, 0.008, 0.06);
  for (guint k = 2; k <= 4; k++)
    add_line (self, k * AUSCULTA_SIMULATOR_COMMUTATOR_ORDER,
              commutator * 0.008 / k, commutator * 0.06 / k);
  add_line (self, AUSCULTA_SIMULATOR_BPFO_ORDER, 0.0002 * bearing, 0.004 * bearing);
  add_line (self, 2.0 * AUSCULTA_SIMULATOR_BPFO_ORDER, 0.0001 * bearing, 0.002 * bearing);
  add_line (self, 4.93, 0.0002, 0.003);  /* inner race pass of a healthy bearing */
  for (guint k = 4; k <= 8 && slack > 0.0; k++)
    add_line (self, k, 0.005, 0.015);
}

/* Every segment: the speed wanders slowly (load, supply) and each line's
 * phasor is re-anchored on the shaft angle so rounding never accumulates. */
static void
begin_segment (AuscultaSimulator *self)
{
  const double a = 0.995;

  self->wander = a * self->wander + sqrt (1.0 - a * a) * 0.004 * gaussian (&self->rng);
  self->rate = self->nominal_rate * (1.0 + self->wander);
  for (guint i = 0; i < self->n_lines; i++)
    {
      const Line *line = &self->lines[i];
      double hz = line->order * self->rate;
      double angle = 2.0 * G_PI * line->order * fmod (self->theta, 1.0) + line->phase;
      double step = 2.0 * G_PI * hz / self->fs;

      self->z_re[i] = cos (angle);
      self->z_im[i] = sin (angle);
      self->w_re[i] = hz < 0.45 * self->fs ? cos (step) : 1.0;
      self->w_im[i] = hz < 0.45 * self->fs ? sin (step) : 0.0;
      if (hz >= 0.45 * self->fs)
        self->z_im[i] = 0.0;
    }
}

/* Impacts and sparks: what excites the two resonances in this sample. */
static inline void
excitations (AuscultaSimulator *self,
             double             previous_theta,
             double            *structure,
             double            *spark)
{
  guint f = self->faults;

  *structure = 0.0;
  *spark = 0.0;
  if ((f & AUSCULTA_MOTOR_FAULT_BEARING)
      && floor (AUSCULTA_SIMULATOR_BPFO_ORDER * self->theta)
         != floor (AUSCULTA_SIMULATOR_BPFO_ORDER * previous_theta))
    *structure += 10.0 * (0.7 + 0.3 * uniform (&self->rng));
  if ((f & AUSCULTA_MOTOR_FAULT_SCREW_IMPACTS) && uniform (&self->rng) < 8.0 / self->fs)
    *structure += 25.0 * (0.5 + uniform (&self->rng));
  if ((f & AUSCULTA_MOTOR_FAULT_SLACK_WIRE) && sin (2.0 * G_PI * self->theta) > 0.7)
    *structure += 0.6 * gaussian (&self->rng);
  if ((f & AUSCULTA_MOTOR_FAULT_COMMUTATOR)
      && floor (AUSCULTA_SIMULATOR_COMMUTATOR_ORDER * self->theta)
         != floor (AUSCULTA_SIMULATOR_COMMUTATOR_ORDER * previous_theta))
    *spark += 4.0 * uniform (&self->rng);
}

static void
render (AuscultaSimulator *self,
        float             *frames,
        gsize              n_frames)
{
  double step = self->rate / self->fs;
  double whistle_step = 2.0 * G_PI * self->whistle_hz / self->fs;
  gboolean whistling = (self->faults & AUSCULTA_MOTOR_FAULT_WHISTLING) != 0;
  double lowpass_a = exp (-2.0 * G_PI * 400.0 / self->fs);

  for (gsize n = 0; n < n_frames; n++)
    {
      double value[2] = { 0.0, 0.0 };
      double previous = self->theta;
      double structure, spark;

      self->theta += step;
      for (guint i = 0; i < self->n_lines; i++)
        {
          double re = self->z_re[i] * self->w_re[i] - self->z_im[i] * self->w_im[i];
          double im = self->z_re[i] * self->w_im[i] + self->z_im[i] * self->w_re[i];

          self->z_re[i] = re;
          self->z_im[i] = im;
          value[MIC] += im * self->lines[i].amp[MIC];
          value[VIB] += im * self->lines[i].amp[VIB];
        }
      excitations (self, previous, &structure, &spark);
      for (guint c = 0; c < 2; c++)
        {
          double white = gaussian (&self->rng);
          double ring = resonator_process (&self->structure[c], structure + 0.02 * white);
          double crackle = resonator_process (&self->spark[c], spark);

          self->lowpass[c] = lowpass_a * self->lowpass[c] + (1.0 - lowpass_a) * gaussian (&self->rng);
          value[c] += (c == MIC ? 0.004 : 0.05) * ring + (c == MIC ? 0.003 : 0.03) * crackle;
          value[c] += self->noise_gain[c] * (c == MIC ? 0.002 * white + 0.03 * self->lowpass[c]
                                                      : 0.01 * white + 0.2 * self->lowpass[c]);
        }
      if (whistling)
        {
          self->whistle_phase = fmod (self->whistle_phase + whistle_step, 2.0 * G_PI);
          value[MIC] += 0.04 * sin (self->whistle_phase);
          value[VIB] += 0.01 * sin (self->whistle_phase);
        }
      for (guint c = 0; c < self->n_outputs; c++)
        frames[n * self->n_outputs + c] = (float) value[self->outputs[c]];
    }
}

static gsize
ausculta_simulator_generate (AuscultaSource *source,
                             float          *frames,
                             gsize           n_frames,
                             GError        **error)
{
  AuscultaSimulator *self = AUSCULTA_SIMULATOR (source);
  gsize limit = n_frames;
  gsize done = 0;

  if (self->disconnect_after > 0.0)
    {
      guint64 end = (guint64) (self->disconnect_after * self->fs);

      limit = end > self->frame ? MIN (n_frames, end - self->frame) : 0;
    }
  while (done < limit)
    {
      gsize in_segment = SEGMENT_FRAMES - self->frame % SEGMENT_FRAMES;
      gsize n = MIN (limit - done, in_segment);

      if (self->frame % SEGMENT_FRAMES == 0)
        begin_segment (self);
      render (self, frames + done * self->n_outputs, n);
      done += n;
      self->frame += n;
    }
  if (done < n_frames)
    g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_DISCONNECTED,
                 "%s: the bench cable was disconnected %.2f s into run “%s”",
                 ausculta_source_get_name (source), self->disconnect_after,
                 ausculta_source_get_run (source));
  return done;
}

static gboolean
ausculta_simulator_open (AuscultaSource             *source,
                         const AuscultaSourceConfig *config,
                         GError                    **error)
{
  AuscultaSimulator *self = AUSCULTA_SIMULATOR (source);

  if (config->sample_rate < 8000.0 || config->sample_rate > 192000.0)
    {
      g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                   "%s: unsupported rate %g Hz: the simulator supports 8000 to 192000 Hz",
                   ausculta_source_get_name (source), config->sample_rate);
      return FALSE;
    }
  for (guint i = 0; i < config->n_channels; i++)
    if (config->channels[i] >= AUSCULTA_SIMULATOR_N_INPUTS)
      {
        g_set_error (error, AUSCULTA_SOURCE_ERROR, AUSCULTA_SOURCE_ERROR_UNSUPPORTED,
                     "%s: no input %u: the simulated bench has 2 inputs, "
                     "0 (microphone, Pa) and 1 (accelerometer, m/s²)",
                     ausculta_source_get_name (source), config->channels[i]);
        return FALSE;
      }
  self->fs = config->sample_rate;
  self->n_outputs = config->n_channels;
  memcpy (self->outputs, config->channels, sizeof self->outputs);
  return TRUE;
}

static guint64
run_seed (AuscultaSimulator *self,
          const char        *run)
{
  return self->seed * G_GUINT64_CONSTANT (6364136223846793005) + g_str_hash (run) + 1;
}

static gboolean
ausculta_simulator_start (AuscultaSource *source,
                          GError        **error)
{
  AuscultaSimulator *self = AUSCULTA_SIMULATOR (source);
  const char *run = ausculta_source_get_run (source);

  if (run == NULL)
    run = "up";
  self->rng = run_seed (self, run);
  self->frame = 0;
  self->theta = uniform (&self->rng);
  self->wander = 0.0;
  self->whistle_phase = 0.0;
  self->nominal_rate = ausculta_simulator_get_shaft_rate (self, run);
  memset (self->lowpass, 0, sizeof self->lowpass);
  for (guint c = 0; c < 2; c++)
    {
      resonator_init (&self->structure[c], self->structure_hz, 180.0, self->fs);
      resonator_init (&self->spark[c], 9000.0, 1500.0, self->fs);
    }
  build_lines (self);
  return TRUE;
}

static const char *
ausculta_simulator_channel_unit (AuscultaSource *source,
                                 guint           channel)
{
  AuscultaSimulator *self = AUSCULTA_SIMULATOR (source);

  g_return_val_if_fail (channel < self->n_outputs, NULL);
  return self->outputs[channel] == MIC ? "Pa" : "m/s²";
}

guint64
ausculta_simulator_get_seed (AuscultaSimulator *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SIMULATOR (self), 0);
  return self->seed;
}

guint
ausculta_simulator_get_faults (AuscultaSimulator *self)
{
  g_return_val_if_fail (AUSCULTA_IS_SIMULATOR (self), 0);
  return self->faults;
}

void
ausculta_simulator_set_faults (AuscultaSimulator *self,
                               guint              faults)
{
  g_return_if_fail (AUSCULTA_IS_SIMULATOR (self));
  self->faults = faults;
}

double
ausculta_simulator_get_shaft_rate (AuscultaSimulator *self,
                                   const char        *run)
{
  g_return_val_if_fail (AUSCULTA_IS_SIMULATOR (self), 0.0);
  return g_strcmp0 (run, "down") == 0 ? self->rate_down : self->rate_up;
}

void
ausculta_simulator_set_disconnect_after (AuscultaSimulator *self,
                                         double             seconds)
{
  g_return_if_fail (AUSCULTA_IS_SIMULATOR (self));
  self->disconnect_after = MAX (seconds, 0.0);
}

static void
ausculta_simulator_class_init (AuscultaSimulatorClass *klass)
{
  AuscultaSourceClass *source_class = AUSCULTA_SOURCE_CLASS (klass);

  source_class->open = ausculta_simulator_open;
  source_class->start = ausculta_simulator_start;
  source_class->generate = ausculta_simulator_generate;
  source_class->channel_unit = ausculta_simulator_channel_unit;
}

static void
ausculta_simulator_init (AuscultaSimulator *self)
{
}
