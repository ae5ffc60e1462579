// What every part of the simulated KVM needs: the simulator, the cost model, the host and the options
// that select kernel behaviour.
import type { Simulator } from '../kernel/sim.js';
import type { CostModel } from './cost-model.js';
import type { KernelVersion, LockPolicy } from './state.js';

export interface KvmContext {
  readonly sim: Simulator;
  readonly costs: CostModel;
  /** Host ICH_VTR_EL2 as KVM keeps it. */
  readonly ichVtr: bigint;
  readonly lockPolicy: LockPolicy;
  readonly kernel: KernelVersion;
  /** The host can emulate a GICv2 for guests (KVM_DEV_TYPE_ARM_VGIC_V2 creatable). */
  readonly gicv2Compat: boolean;
}
