/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ausculta-source.h"

G_BEGIN_DECLS

/* The historical defect classes of the bench, plus bearing faults. */
typedef enum {
  AUSCULTA_MOTOR_FAULT_NONE          = 0,
  AUSCULTA_MOTOR_FAULT_COMMUTATOR    = 1 << 0,
  AUSCULTA_MOTOR_FAULT_SCREW_IMPACTS = 1 << 1,
  AUSCULTA_MOTOR_FAULT_WHISTLING     = 1 << 2,
  AUSCULTA_MOTOR_FAULT_SLACK_WIRE    = 1 << 3,
  AUSCULTA_MOTOR_FAULT_UNBALANCE     = 1 << 4,
  AUSCULTA_MOTOR_FAULT_BENT_SHAFT    = 1 << 5,
  AUSCULTA_MOTOR_FAULT_BEARING       = 1 << 6,
} AuscultaMotorFault;

/* The simulated bench's inputs. */
enum {
  AUSCULTA_SIMULATOR_MICROPHONE    = 0,   /* Pa */
  AUSCULTA_SIMULATOR_ACCELEROMETER = 1,   /* m/s² */
  AUSCULTA_SIMULATOR_N_INPUTS      = 2,
};

/* Orders of the simulated motor's lines, relative to the shaft rate. */
/* 8 armature slots and commutator segments, 2 brushes: lines at orders 8,
 * 16, 24... as in the historical exports. */
#define AUSCULTA_SIMULATOR_SLOT_ORDER        8.0
#define AUSCULTA_SIMULATOR_MESH_ORDER        11.0
#define AUSCULTA_SIMULATOR_COMMUTATOR_ORDER  16.0
#define AUSCULTA_SIMULATOR_BPFO_ORDER        3.07

#define AUSCULTA_TYPE_SIMULATOR (ausculta_simulator_get_type ())
G_DECLARE_FINAL_TYPE (AuscultaSimulator, ausculta_simulator, AUSCULTA, SIMULATOR, AuscultaSource)

AuscultaSource *ausculta_simulator_new                  (guint64             seed,
                                                         guint               faults);
guint64         ausculta_simulator_get_seed             (AuscultaSimulator  *self);
guint           ausculta_simulator_get_faults           (AuscultaSimulator  *self);
void            ausculta_simulator_set_faults           (AuscultaSimulator  *self,
                                                         guint               faults);
/* The steady shaft rate of this unit for a run ("up" or "down"), in Hz. */
double          ausculta_simulator_get_shaft_rate       (AuscultaSimulator  *self,
                                                         const char         *run);
/* Simulates a cable pulled out this many seconds into every run (0: never). */
void            ausculta_simulator_set_disconnect_after (AuscultaSimulator  *self,
                                                         double              seconds);

gboolean        ausculta_motor_fault_from_string        (const char         *name,
                                                         AuscultaMotorFault *fault);
const char     *ausculta_motor_fault_to_string          (AuscultaMotorFault  fault);
/* "commutator, screw-impacts, …": every name the parser accepts. */
char           *ausculta_motor_fault_list_names         (void);

G_END_DECLS
