// target/arm/arm-powerctl.c (qemu.md §3): CPU_ON/OFF/reset requests queue work on the target's thread;
// the work runs there with the BQL held. Return codes are QEMU_ARM_POWERCTL_* (= PSCI codes).
import {
  PSCI_RET_ALREADY_ON,
  PSCI_RET_DENIED,
  PSCI_RET_INVALID_PARAMS,
  PSCI_RET_ON_PENDING,
  PSCI_RET_SUCCESS,
} from '@vgicsim/gicv3-regs';
import { type Proc } from '@vgicsim/kvm-sim';
import { type CpuState, PSCI_OFF, PSCI_ON, PSCI_ON_PENDING } from '../cpu-state.js';
import { asyncRunOnCpu } from '../cpu-work.js';
import type { Qemu } from '../qemu.js';
import { cpuReset } from '../reset.js';
import type { ArmBoard } from './board.js';
import { CPU_ON_WORK, emitQemuEvent } from '../trace-vocabulary.js';

export interface CpuOnInfo {
  readonly entry: bigint;
  readonly contextId: bigint;
  readonly targetEl: number;
  readonly targetAa64: boolean;
}

/**
 * arm_get_cpu_by_id: the CPU whose mp_affinity equals `id` exactly (no masking: an MPIDR with RES1 bit 31
 * or MT/U set matches nothing); patch 18 walks the possible CPUs (CPU_FOREACH_POSSIBLE), as the model does.
 */
export function armGetCpuById(q: Qemu, id: bigint): CpuState | undefined {
  const cpu = q.allCpus.find((c) => c.mpAffinity === id);
  if (cpu === undefined) emitQemuEvent(q.sim, 'guest-error', { message: `arm_get_cpu_by_id: unknown cpu 0x${id.toString(16)}` });
  return cpu;
}

/** arm_set_cpu_on: checks in upstream order; power_state is not changed here. */
export function* armSetCpuOn(q: Qemu, board: ArmBoard, cpuid: bigint, info: CpuOnInfo): Proc<number> {
  q.assertBql('arm_set_cpu_on');
  emitQemuEvent(q.sim, 'arm-set-cpu-on', { cpuid: cpuid });
  if (info.targetAa64 && (info.entry & 3n) !== 0n) return PSCI_RET_INVALID_PARAMS;
  const target = armGetCpuById(q, cpuid);
  // Patch 18 replaces upstream's `!target → INVALID_PARAM` with `!target || !qdev_check_enabled(target)` →
  // QEMU_ARM_POWERCTL_IS_OFF: an unknown MPIDR is DENIED, like an admin-disabled (_STA.Ena=0) CPU.
  if (target === undefined || board.isAdminDisabled(target)) return PSCI_RET_DENIED;
  if (target.powerState === PSCI_ON) return PSCI_RET_ALREADY_ON;
  // Dead code upstream: PSCI_ON_PENDING is never assigned, so two CPU_ONs both reach the queue.
  if (target.powerState === PSCI_ON_PENDING) return PSCI_RET_ON_PENDING;
  yield* asyncRunOnCpu(q, target, CPU_ON_WORK, (cpu) => armSetCpuOnAsyncWork(q, board, cpu, info));
  return PSCI_RET_SUCCESS;
}

/** arm_set_cpu_on_async_work: on the target's thread with the BQL. */
export function* armSetCpuOnAsyncWork(q: Qemu, board: ArmBoard, target: CpuState, info: CpuOnInfo): Proc {
  // RFC V6 21/24 adds `first_psci_on_request_seen = true` as the first statement (strategy hook).
  board.strategy.beforeCpuOnReset?.(target);
  yield* board.withResetTrigger('psci-cpu-on', () => cpuReset(q, target));
  // arm_emulate_firmware_reset: a no-op when the target EL is the highest implemented (EL1 here).
  target.halted = false;
  target.env.xregs[0] = info.contextId;
  target.env.pc = info.entry;
  q.assertBql('arm_set_cpu_on_async_work');
  target.powerState = PSCI_ON;
  emitQemuEvent(q.sim, 'cpu-on-done', { cpu: target.index });
}

/** arm_set_cpu_off. */
export function* armSetCpuOff(q: Qemu, cpuid: bigint): Proc<number> {
  q.assertBql('arm_set_cpu_off');
  const target = armGetCpuById(q, cpuid);
  if (target === undefined) return PSCI_RET_INVALID_PARAMS;
  if (target.powerState === PSCI_OFF) return PSCI_RET_DENIED;
  yield* asyncRunOnCpu(q, target, 'arm_set_cpu_off_async_work', function* (cpu) {
    q.assertBql('arm_set_cpu_off_async_work');
    cpu.powerState = PSCI_OFF;
    // Patch 20/24: push the new MP state to KVM on the next kvm_cpu_exec.
    if (q.options.resetMarksDirty) cpu.vcpuDirty = true;
    cpu.halted = true;
    cpu.exceptionIndex = 0x10001; // EXCP_HLT
  });
  return PSCI_RET_SUCCESS;
}

/** arm_reset_cpu (emits the set_cpu_off trace, an upstream quirk). */
export function* armResetCpu(q: Qemu, board: ArmBoard, cpuid: bigint): Proc<number> {
  q.assertBql('arm_reset_cpu');
  emitQemuEvent(q.sim, 'arm-set-cpu-off', { cpuid, quirk: 'arm_reset_cpu' });
  const target = armGetCpuById(q, cpuid);
  if (target === undefined) return PSCI_RET_INVALID_PARAMS;
  if (target.powerState === PSCI_OFF) return PSCI_RET_DENIED;
  yield* asyncRunOnCpu(q, target, 'arm_reset_cpu_async_work', (cpu) =>
    board.withResetTrigger('arm-reset-cpu', () => cpuReset(q, cpu)),
  );
  return PSCI_RET_SUCCESS;
}
