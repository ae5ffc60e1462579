// "Another privileged KVM context" holding a vCPU mutex (fault injection): the case the RFC's retry loop
// claims to survive. A kernel-side thread takes vcpu->mutex with a blocking lock, so it gets it the
// moment the vCPU thread leaves its ioctl, and keeps it for a while.
import type { Simulator } from '../kernel/sim.js';
import type { SimThread } from '../kernel/objects.js';
import type { VcpuState } from './state.js';
import { emitKvmEvent } from './trace-vocabulary.js';

export interface ForeignHolderOptions {
  /** When the context starts trying (virtual ns from now). */
  readonly startNs: number;
  /** How long it keeps the mutex once it has it. */
  readonly holdNs: number;
  /** How many times it repeats (take, hold, release, wait `gapNs`). Default 1. */
  readonly repeat?: number;
  readonly gapNs?: number;
  readonly name?: string;
}

export function spawnForeignHolder(sim: Simulator, vcpu: VcpuState, options: ForeignHolderOptions): SimThread {
  const repeat = options.repeat ?? 1;
  const gap = options.gapNs ?? 0;
  return sim.spawn(
    options.name ?? `foreign-vcpu${vcpu.index}`,
    function* () {
      yield* sim.sleep(options.startNs, 'foreign-wait');
      for (let i = 0; i < repeat; i++) {
        sim.enterKernel();
        yield* sim.lock(vcpu.mutex);
        emitKvmEvent(sim, 'foreign-hold', { vcpu: vcpu.index, holdNs: options.holdNs });
        yield* sim.sleep(options.holdNs, 'foreign-hold');
        sim.unlock(vcpu.mutex);
        sim.leaveKernel();
        if (i + 1 < repeat) yield* sim.sleep(gap, 'foreign-gap');
      }
    },
    { daemon: true, delayNs: 0 },
  );
}
