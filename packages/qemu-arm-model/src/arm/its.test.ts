// The in-kernel ITS: when its reset (KVM_DEV_ARM_ITS_CTRL_RESET with error_abort) can meet -EBUSY during a
// guest reboot, and when it cannot. vgic_its_ctrl trylocks every vCPU, so the question is whether any vCPU
// is back in KVM_RUN (or a kernel context holds a vCPU mutex) when qemu_system_reset reaches the ITS.
import {
  GITS_BASER,
  GITS_CBASER,
  GITS_CTLR,
  KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS,
  kvmDefaultMpidr,
  mpidrHwid,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
} from '@vgicsim/gicv3-regs';
import { ENXIO, type GuestCode, type GuestProgram, type IoctlArgs, type IoctlName, type Proc, spawnForeignHolder } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { qmpCont, qmpStop, scheduleCommand } from '../machine.js';
import { SECONDARY_ENTRY } from '../test-guests.js';
import { buildArmVm } from './build.js';
import { PAUSE_ALWAYS, REALIZE_ONCE, RFC_V6 } from './strategies/index.js';
import type { IccResetStrategy } from './strategy.js';

const ITS_RESET_EBUSY =
  'Unexpected error in kvm_device_access(): KVM_SET_DEVICE_ATTR failed: Group 4 attr 0x0000000000000004: Device or resource busy';

/** Boot, bring CPUs 1..n-1 online, reboot once with SYSTEM_RESET, boot again, power off. */
function rebootOnceGuest(n: number): { program: GuestProgram; boots: () => number } {
  let boots = 0;
  const program: GuestProgram = {
    name: 'reboot-once',
    *start(cpu, pc): GuestCode {
      if (pc === SECONDARY_ENTRY) {
        for (;;) yield { op: 'compute', ns: 20_000 };
      }
      if (cpu.index !== 0 || pc === 0n) {
        for (;;) yield { op: 'wfi' };
      }
      boots++;
      for (let i = 1; i < n; i++) {
        yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), mpidrHwid(kvmDefaultMpidr(i)), SECONDARY_ENTRY, BigInt(i)] };
        // One CPU at a time, so that no two CPU_ON resets overlap (pause-always would strand a pauser).
        yield { op: 'compute', ns: 300_000 };
      }
      yield { op: 'compute', ns: 500_000 };
      const fn = boots === 1 ? PSCI_0_2_FN_SYSTEM_RESET : PSCI_0_2_FN_SYSTEM_OFF;
      yield { op: 'hvc', x: [BigInt(fn), 0n, 0n, 0n] };
      for (;;) yield { op: 'wfi' };
    },
  };
  return { program, boots: () => boots };
}

function reboot(strategy: IccResetStrategy, opts: { its?: boolean; foreignHoldAtReset?: boolean } = {}) {
  const guest = rebootOnceGuest(4);
  const vm = buildArmVm({ strategy, guest: guest.program, smp: 4, sim: { seed: 1, trace: 'full' }, board: { its: opts.its ?? true } });
  if (opts.foreignHoldAtReset === true) {
    // During the reboot's reset of the last CPU (after CPU 0's vCPU ioctls are done), a kernel context —
    // the foreign-holder scenario's — takes vCPU 0's mutex for 2 ms: across the device hold phases.
    let armed = true;
    vm.q.cpuResetHooks.unshift(function* (q, cpu) {
      if (!armed || cpu.index !== 3 || q.sim.self() !== q.mainThread || !q.runstateIsRunning()) return;
      armed = false;
      const cpu0 = q.cpuByIndex(0);
      if (cpu0 !== undefined) spawnForeignHolder(q.sim, q.kvm.vcpuOf(cpu0.vcpuFd), { startNs: 0, holdNs: 2_000_000 });
      yield* q.sim.schedPoint();
    });
  }
  const result = vm.sim.run();
  return { vm, result, boots: guest.boots() };
}

describe('ITS reset during a guest reboot', () => {
  for (const strategy of [REALIZE_ONCE, RFC_V6]) {
    it(`${strategy.name}: cannot fail — the main loop pauses every vCPU before qemu_system_reset and nothing resumes them before the ITS hold`, () => {
      const { vm, result, boots } = reboot(strategy);
      expect(result.outcome.kind).toBe('ok');
      expect(boots).toBe(2);
      const its = vm.board.its;
      if (its === null) throw new Error('virt has an ITS by default');
      // Machine creation's reset and the guest reboot's.
      expect(vm.kvm.itsOf(its.devFd).ctrlDone.reset).toBe(2);
      expect(vm.kvm.count('KVM_SET_DEVICE_ATTR', '-EBUSY')).toBe(0);
    });
  }

  it('pause-always: cannot fail either — main holds the BQL from the last ICC reset’s resume_all_vcpus to the ITS hold, so no resumed vCPU re-enters KVM_RUN (the run hangs later, on a stranded pauser)', () => {
    const { vm, result } = reboot(PAUSE_ALWAYS);
    const its = vm.board.its;
    if (its === null) throw new Error('no ITS');
    expect(vm.kvm.itsOf(its.devFd).ctrlDone.reset).toBe(2);
    expect(vm.kvm.count('KVM_SET_DEVICE_ATTR', '-EBUSY')).toBe(0);
    expect(result.outcome.kind).toBe('deadlock');
    expect(vm.q.hazards.violations.map((v) => v.kind)).toContain('stranded-pauser');
  });

  for (const strategy of [REALIZE_ONCE, RFC_V6]) {
    it(`${strategy.name}: can fail when a kernel context holds a vCPU mutex across the reset — CTRL_RESET gets EBUSY under error_abort`, () => {
      const { vm, result } = reboot(strategy, { foreignHoldAtReset: true });
      expect(result.outcome).toMatchObject({ kind: 'abort', message: ITS_RESET_EBUSY, thread: 'main' });
      expect(vm.q.hazards.violations.map((v) => v.kind)).toContain('device-ioctl-while-vcpu-runs');
    });
  }

  it('-machine its=off: no ITS device is created and the same reboot does no ITS reset', () => {
    const { vm, result, boots } = reboot(REALIZE_ONCE, { its: false });
    expect(result.outcome.kind).toBe('ok');
    expect(boots).toBe(2);
    expect(vm.board.its).toBeNull();
    expect(vm.kvm.count('KVM_CREATE_DEVICE', 'ok')).toBe(1);
  });
});

describe('ITS tables on stop and migration', () => {
  it('QMP stop saves the tables from the VM state change handler (vCPUs already paused: no error); cont does not', () => {
    const guest = rebootOnceGuest(2);
    const vm = buildArmVm({ strategy: REALIZE_ONCE, guest: guest.program, smp: 2, sim: { seed: 1, trace: 'hash' } });
    scheduleCommand(vm.q, 300_000, 'stop', (q) => qmpStop(q));
    scheduleCommand(vm.q, 400_000, 'cont', (q) => qmpCont(q));
    const result = vm.sim.run();
    expect(result.outcome.kind).toBe('ok');
    const its = vm.board.its;
    if (its === null) throw new Error('no ITS');
    expect(vm.kvm.itsOf(its.devFd).ctrlDone.saveTables).toBe(1);
    expect(its.reportedErrors).toEqual([]);
  });
});

describe('kvm_arm_its_reset_hold on a host kernel without KVM_DEV_ARM_ITS_CTRL_RESET', () => {
  /**
   * Machine creation's reset on a kernel that answers -ENXIO to KVM_HAS_DEVICE_ATTR(CTRL_RESET) — and, with
   * `regs: false`, to the GITS_CTLR register attribute too. Two resets run: machine creation's and the
   * guest reboot's. Returns the ITS register writes they made.
   */
  function resetWithout(regs: boolean): { writes: bigint[]; warnings: number; ctrlResets: number } {
    const guest = rebootOnceGuest(2);
    const warnings: string[] = [];
    const vm = buildArmVm({
      strategy: REALIZE_ONCE,
      guest: guest.program,
      smp: 2,
      sim: { seed: 1, trace: 'full', sink: { write: (e) => { if (e.kind === 'qemu-warning') warnings.push(String(e.data?.['message'])); } } },
    });
    const writes: bigint[] = [];
    const kvm = vm.kvm;
    const real = kvm.ioctl.bind(kvm);
    const hidden = (req: IoctlName, arg: unknown): boolean => {
      if (req !== 'KVM_HAS_DEVICE_ATTR' || arg === null || typeof arg !== 'object') return false;
      const a = arg as { group: number; attr: bigint };
      if (a.group === KVM_DEV_ARM_VGIC_GRP_CTRL && a.attr === BigInt(KVM_DEV_ARM_ITS_CTRL_RESET)) return true;
      return !regs && a.group === KVM_DEV_ARM_VGIC_GRP_ITS_REGS;
    };
    kvm.ioctl = function* <R extends IoctlName>(fd: number, req: R, arg: IoctlArgs[R]): Proc<number> {
      if (hidden(req, arg)) return -ENXIO;
      if (req === 'KVM_SET_DEVICE_ATTR' && arg !== null && (arg as { group: number }).group === KVM_DEV_ARM_VGIC_GRP_ITS_REGS) {
        writes.push((arg as { attr: bigint }).attr);
      }
      return yield* real(fd, req, arg);
    };
    expect(vm.sim.run().outcome.kind).toBe('ok');
    const its = vm.board.its;
    if (its === null) throw new Error('no ITS');
    return { writes, warnings: warnings.filter((w) => w === 'ITS KVM: full reset is not supported by the host kernel').length, ctrlResets: kvm.itsOf(its.devFd).ctrlDone.reset };
  }

  it('warns, then writes back GITS_CTLR, GITS_CBASER and the 8 GITS_BASERs, each reset', () => {
    const r = resetWithout(true);
    expect(r.ctrlResets).toBe(0);
    expect(r.warnings).toBe(2);
    const once = [GITS_CTLR, GITS_CBASER, ...Array.from({ length: 8 }, (_, i) => GITS_BASER + BigInt(i * 8))];
    expect(r.writes).toEqual([...once, ...once]);
  });

  it('warns and writes nothing when the kernel has no ITS register access either (the GITS_CTLR check)', () => {
    const r = resetWithout(false);
    expect(r.ctrlResets).toBe(0);
    expect(r.warnings).toBe(2);
    expect(r.writes).toEqual([]);
  });
});
