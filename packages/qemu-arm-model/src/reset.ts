// Reset: cpu_reset (hw/core/cpu-common.c → target/arm/cpu.c arm_cpu_reset_hold), kvm_arm_reset_vcpu
// (target/arm/kvm.c) and qemu_system_reset (system/runstate.c) in upstream order (qemu.md §1.4–§1.5, §5.10).
import { type Proc, errnoName } from '@vgicsim/kvm-sim';
import { type CpuState, PSCI_OFF, PSCI_ON } from './cpu-state.js';
import type { Qemu, ShutdownCause } from './qemu.js';
import { kvmCpuSynchronizePost, kvmCpuSynchronizeState, readCoreRegisters } from './vcpu-thread.js';
import { emitQemuEvent } from './trace-vocabulary.js';

/**
 * cpu_reset: the Resettable hold phase of an Arm CPU. Order: cpu_common_reset_hold (halted =
 * start_powered_off), env cleared, the cpreg resetfns (arm_gicv3_icc_reset among them), power_state from
 * start_powered_off, then kvm_arm_reset_vcpu — vCPU ioctls that block while that vCPU is in KVM_RUN.
 */
export function* cpuReset(q: Qemu, cpu: CpuState): Proc {
  emitQemuEvent(q.sim, 'cpu-reset', { cpu: cpu.index });
  cpu.halted = cpu.startPoweredOff;
  cpu.exceptionIndex = -1;
  cpu.env.pc = 0n;
  cpu.env.xregs = [0n, 0n, 0n, 0n];
  for (const hook of q.cpuResetHooks) yield* hook(q, cpu);
  cpu.powerState = cpu.startPoweredOff ? PSCI_OFF : PSCI_ON;
  if (cpu.vcpuFd >= 0) yield* kvmArmResetVcpu(q, cpu);
}

/** kvm_arm_reset_vcpu: KVM_ARM_VCPU_INIT (+POWER_OFF), then read the reset state back; failures abort. */
export function* kvmArmResetVcpu(q: Qemu, cpu: CpuState): Proc {
  const r = yield* q.kvm.ioctl(cpu.vcpuFd, 'KVM_ARM_VCPU_INIT', { powerOff: cpu.startPoweredOff });
  if (r < 0) q.abort(`kvm_arm_reset_vcpu: KVM_ARM_VCPU_INIT failed: ${errnoName(r)}`);
  const g = yield* readCoreRegisters(q, cpu);
  if (g < 0) q.abort(`write_kvmstate_to_list failed: ${errnoName(g)}`);
  // Patch 20/24: the reset state is pushed to KVM by the next kvm_cpu_exec.
  if (q.options.resetMarksDirty) cpu.vcpuDirty = true;
}

/** do_cpu_reset (hw/arm/boot.c): cpu_reset, then the boot CPU's entry point. */
export function* doCpuReset(q: Qemu, cpu: CpuState): Proc {
  yield* cpuReset(q, cpu);
  q.arch.bootCpuSetup?.(q, cpu);
}

/**
 * qemu_system_reset: synchronise every CPU's state (run_on_cpu), reset the CPUs (legacy handlers, in
 * registration order) and then the devices' hold phases (the GIC after every CPU), then push the reset
 * state back to KVM through each vCPU's own thread.
 */
export function* qemuSystemReset(q: Qemu, reason: ShutdownCause): Proc {
  q.assertBql('qemu_system_reset');
  emitQemuEvent(q.sim, 'system-reset-begin', { reason });
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizeState(q, cpu);
  for (const cpu of [...q.resetCpus]) yield* doCpuReset(q, cpu);
  for (const dev of q.resetDevices) yield* dev.resetHold(q);
  if (reason !== 'none') emitQemuEvent(q.sim, 'qmp-event', { event: 'RESET', reason });
  for (const cpu of [...q.cpus]) yield* kvmCpuSynchronizePost(q, cpu, 'post_reset');
  emitQemuEvent(q.sim, 'system-reset-end', { reason });
}
