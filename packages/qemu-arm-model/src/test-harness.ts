// Test helpers (not built): a QEMU process on a simulated KVM with a simple guest.
import { type GuestCode, type GuestProgram, Kvm, type KvmOptions, Simulator, type SimOptions } from '@vgicsim/kvm-sim';
import { type MachineConfig, spawnQemuMain } from './machine.js';
import type { QemuOptions } from './options.js';
import { type ArchHooks, Qemu } from './qemu.js';

/** vCPU 0 computes forever in 50 µs slices; others idle (they start powered off anyway). */
export const BOOT_CPU_BUSY: GuestProgram = {
  name: 'boot-cpu-busy',
  *start(cpu): GuestCode {
    if (cpu.index !== 0) {
      for (;;) yield { op: 'wfi' };
    }
    for (;;) yield { op: 'compute', ns: 50_000 };
  },
};

export interface Harness {
  readonly sim: Simulator;
  readonly kvm: Kvm;
  readonly q: Qemu;
}

export function makeHarness(
  options: {
    sim?: SimOptions;
    kvm?: KvmOptions;
    qemu?: Partial<QemuOptions>;
    arch?: ArchHooks;
    guest?: GuestProgram;
    machine?: Partial<MachineConfig>;
  } = {},
): Harness {
  const sim = new Simulator({ trace: 'full', seed: 1, ...options.sim });
  const kvm = new Kvm(sim, options.kvm);
  kvm.setGuestProgram(options.guest ?? BOOT_CPU_BUSY);
  const q = new Qemu(sim, kvm, options.qemu, options.arch);
  spawnQemuMain(q, { smp: 4, ...options.machine });
  return { sim, kvm, q };
}

/** Is this vCPU's thread inside KVM_RUN right now (holding its mutex as the runner)? */
export function inKvmRun(h: Harness, index: number): boolean {
  const cpu = h.q.cpuByIndex(index);
  if (cpu === undefined || cpu.vcpuFd < 0) return false;
  const v = h.kvm.vcpuOf(cpu.vcpuFd);
  return v.runner !== null && v.runner === cpu.thread && v.mutex.owner === cpu.thread;
}
