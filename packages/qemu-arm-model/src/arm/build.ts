// One call to build a simulated Arm virt VM: simulator, KVM, QEMU process, board, strategy, guest.
import type { HostProfile } from '@vgicsim/gicv3-regs';
import { type GuestProgram, Kvm, type KernelVersion, type LockPolicy, Simulator, type SimOptions, type CostModel } from '@vgicsim/kvm-sim';
import { spawnQemuMain } from '../machine.js';
import type { QemuOptions } from '../options.js';
import { Qemu } from '../qemu.js';
import type { IccResetStrategy } from './strategy.js';
import { ArmVirt, type ArmVirtOptions } from './virt.js';

export interface ArmVmOptions {
  readonly strategy: IccResetStrategy;
  readonly guest: GuestProgram;
  readonly smp: number;
  readonly lockPolicy?: LockPolicy;
  readonly kernel?: KernelVersion;
  readonly host?: HostProfile;
  readonly sim?: SimOptions;
  /** Run in an existing simulation (a migration destination beside its source) instead of a new one. */
  readonly simulator?: Simulator;
  /** Possible vCPUs beyond `smp` start admin-disabled (RFC V6 `-smp disabledcpus=`). */
  readonly possibleCpus?: number;
  /** `-incoming`: wait for a migration stream instead of starting the VM. */
  readonly incoming?: boolean;
  /** When QEMU's main thread starts (virtual ns from now). */
  readonly startDelayNs?: number;
  readonly costs?: Partial<CostModel>;
  readonly qemu?: Partial<QemuOptions>;
  readonly board?: Partial<Omit<ArmVirtOptions, 'strategy'>>;
  /** Which CPUs start powered off; default every secondary (virt with PSCI). */
  readonly startPoweredOff?: (index: number) => boolean;
}

export interface ArmVm {
  readonly sim: Simulator;
  readonly kvm: Kvm;
  readonly q: Qemu;
  readonly board: ArmVirt;
}

/** Builds the VM and spawns QEMU's main thread; call `sim.run()` to run it. */
export function buildArmVm(options: ArmVmOptions): ArmVm {
  const sim = options.simulator ?? new Simulator(options.sim);
  const kernelKeys = new Set(Object.keys(sim.costs));
  const kvmCosts = Object.fromEntries(Object.entries(options.costs ?? {}).filter(([k]) => !kernelKeys.has(k)));
  const kvm = new Kvm(sim, {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.lockPolicy === undefined ? {} : { lockPolicy: options.lockPolicy }),
    ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
    costs: kvmCosts,
  });
  kvm.setGuestProgram(options.guest);
  const board = new ArmVirt({ ...options.board, strategy: options.strategy });
  const q = new Qemu(sim, kvm, options.qemu, board);
  board.attach(q);
  spawnQemuMain(
    q,
    {
      smp: options.smp,
      ...(options.possibleCpus === undefined ? {} : { possibleCpus: options.possibleCpus }),
      ...(options.incoming === undefined ? {} : { incoming: options.incoming }),
      ...(options.startPoweredOff === undefined ? {} : { startPoweredOff: options.startPoweredOff }),
    },
    options.startDelayNs === undefined ? {} : { delayNs: options.startDelayNs },
  );
  return { sim, kvm, q, board };
}
