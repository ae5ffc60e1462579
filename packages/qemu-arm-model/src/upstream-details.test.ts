// Smaller upstream details that decide outcomes: shutdown requests stop no CPU, vm_prepare_start consumes a
// pending vmstop request, do_kvm_cpu_synchronize_state re-checks vcpu_dirty and stops the VM on error,
// arm_get_cpu_by_id compares the MPIDR exactly, patch 18 DENIES an unknown target, and the GIC's reset hold
// runs its parent's hold first.
import {
  kvmDefaultMpidr,
  mpidrHwid,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_RET_DENIED,
  PSCI_RET_SUCCESS,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { EIO, type GuestCode, type GuestProgram, type IoctlArgs, type IoctlName, type Proc } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { buildArmVm } from './arm/build.js';
import { REALIZE_ONCE } from './arm/strategies/index.js';
import { requestQuit, scheduleCommand } from './machine.js';
import type { Qemu } from './qemu.js';
import { qemuSystemResetRequest, qemuSystemVmstopRequest, vmStart } from './runstate.js';
import { SECONDARY_ENTRY } from './test-guests.js';
import { makeHarness } from './test-harness.js';
import { kvmCpuSynchronizeState } from './vcpu-thread.js';

const ALL_BUSY: GuestProgram = {
  name: 'all-busy',
  *start(): GuestCode {
    for (;;) yield { op: 'compute', ns: 50_000 };
  },
};

describe('qemu_system_shutdown_request', () => {
  it('a guest SYSTEM_OFF (a KVM system event) requests the shutdown without asking the calling vCPU to stop', () => {
    const guest: GuestProgram = {
      name: 'off',
      *start(cpu): GuestCode {
        if (cpu.index === 0) {
          yield { op: 'compute', ns: 300_000 };
          yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
        }
        for (;;) yield { op: 'compute', ns: 50_000 };
      },
    };
    const h = makeHarness({ guest, machine: { smp: 2, startPoweredOff: () => false } });
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(h.q.shutdownRequested).toBe('guest-shutdown');
    // A cpu_stop_current would make CPU 0's thread stop itself on its way back to the loop.
    const request = r.events.findIndex((e) => e.kind === 'shutdown-request');
    expect(request).toBe(472);
    expect(r.events.slice(request).filter((e) => e.kind === 'cpu-stopped')).toEqual([]);
    expect(h.q.cpuByIndex(0)?.stopped).toBe(false);
  });
});

describe('vm_prepare_start', () => {
  it('consumes a pending vmstop request: vm_start on a running VM emits STOP then RESUME and the VM keeps running', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false } });
    let ret: string[] = [];
    scheduleCommand(h.q, 1_000_000, 'vmstop-request-then-cont', function* (q) {
      qemuSystemVmstopRequest(q, 'paused');
      yield* vmStart(q);
      ret = [q.runstate, String(q.vmstopRequested)];
    });
    scheduleCommand(h.q, 1_500_000, 'quit', function* (q) {
      requestQuit(q);
    });
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(ret).toEqual(['running', 'null']);
    expect(h.q.runstate).toBe('running');
    const events = r.events.filter((e) => e.kind === 'qmp-event' && e.t >= 1_000_000).map((e) => e.data?.['event']);
    expect(events).toEqual(['STOP', 'RESUME']);
  });
});

describe('do_kvm_cpu_synchronize_state', () => {
  it('re-checks vcpu_dirty on the vCPU thread: two concurrent synchronisations of one CPU read its registers once', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false }, qemu: { bqlPolicy: 'fifo' } });
    let reads = -1;
    let before = 0;
    scheduleCommand(h.q, 1_000_000, 'sync', function* (q) {
      before = h.kvm.count('KVM_GET_ONE_REG', 'ok');
      const cpu1 = q.cpuByIndex(1);
      if (cpu1 === undefined) throw new Error('no cpu1');
      yield* kvmCpuSynchronizeState(q, cpu1);
    });
    // A second caller (with the BQL) that also saw vcpu_dirty == false, while main waits for its work item.
    h.sim.spawn('second-sync', function* () {
      yield* h.sim.sleep(1_000_000);
      const main = h.q.mainThread;
      while (!(main !== null && h.q.qemuWorkCond.waiters.includes(main))) yield* h.sim.sleep(100);
      yield* h.sim.lock(h.q.bql);
      const cpu1 = h.q.cpuByIndex(1);
      if (cpu1 !== undefined) yield* kvmCpuSynchronizeState(h.q, cpu1);
      reads = h.kvm.count('KVM_GET_ONE_REG', 'ok') - before;
      h.sim.unlock(h.q.bql);
    });
    scheduleCommand(h.q, 2_000_000, 'quit', function* (q) {
      requestQuit(q);
    });
    expect(h.sim.run().outcome.kind).toBe('ok');
    // syncRegisterCount (5) core registers, once.
    expect(reads).toBe(5);
  });

  it('a failed register read stops the VM (RUN_STATE_INTERNAL_ERROR) instead of aborting', () => {
    const h = makeHarness({ guest: ALL_BUSY, machine: { startPoweredOff: () => false } });
    const cpu1Thread = (): string | undefined => h.q.cpuByIndex(1)?.thread?.name;
    let failing = false;
    const real = h.kvm.ioctl.bind(h.kvm);
    h.kvm.ioctl = function* <R extends IoctlName>(fd: number, req: R, arg: IoctlArgs[R]): Proc<number> {
      if (failing && req === 'KVM_GET_ONE_REG' && h.sim.self().name === cpu1Thread()) return -EIO;
      return yield* real(fd, req, arg);
    };
    scheduleCommand(h.q, 1_000_000, 'sync', function* (q) {
      failing = true;
      const cpu1 = q.cpuByIndex(1);
      if (cpu1 !== undefined) yield* kvmCpuSynchronizeState(q, cpu1);
      failing = false;
    });
    scheduleCommand(h.q, 2_000_000, 'quit', function* (q) {
      requestQuit(q);
    });
    const r = h.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(h.q.runstate).toBe('internal-error');
    expect(h.q.cpuByIndex(1)?.vcpuDirty).toBe(true);
  });
});

describe('arm_set_cpu_on target lookup (arm_get_cpu_by_id, RFC patch 18)', () => {
  it('the MPIDR is compared exactly and an unknown target is DENIED', () => {
    const results: number[] = [];
    const hwid = (n: number): bigint => mpidrHwid(kvmDefaultMpidr(n));
    const guest: GuestProgram = {
      name: 'cpu-on-targets',
      *start(cpu, pc): GuestCode {
        if (pc === SECONDARY_ENTRY) {
          for (;;) yield { op: 'compute', ns: 20_000 };
        }
        if (cpu.index !== 0 || pc === 0n) {
          for (;;) yield { op: 'wfi' };
        }
        for (const target of [hwid(1) | 0x80000000n, hwid(7), hwid(1)]) {
          results.push(x0ToPsciRet((yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN64_CPU_ON), target, SECONDARY_ENTRY, 1n] }) ?? 0n));
          yield { op: 'compute', ns: 100_000 };
        }
        yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
      },
    };
    const vm = buildArmVm({ strategy: REALIZE_ONCE, guest, smp: 2, sim: { seed: 1, trace: 'hash' } });
    expect(vm.sim.run().outcome.kind).toBe('ok');
    expect(results).toEqual([PSCI_RET_DENIED, PSCI_RET_DENIED, PSCI_RET_SUCCESS]);
  });
});

describe('kvm_arm_gicv3_reset_hold calls the parent hold (arm_gicv3_common_reset_hold) first', () => {
  function resetBoard(its: boolean) {
    const vm = buildArmVm({ strategy: REALIZE_ONCE, guest: ALL_BUSY, smp: 2, sim: { seed: 1, trace: 'hash' }, board: { its } });
    scheduleCommand(vm.q, 500_000, 'scribble', function* () {
      vm.board.gic.gicdCtlr = 0x1234n;
      for (const c of vm.board.gic.cpus) c.gicrWaker = 0n;
    });
    scheduleCommand(vm.q, 600_000, 'system_reset', (q: Qemu) => qemuSystemResetRequest(q, 'host-qmp-system-reset'));
    scheduleCommand(vm.q, 1_500_000, 'quit', function* (q) {
      requestQuit(q);
    });
    expect(vm.sim.run().outcome.kind).toBe('ok');
    return vm.board.gic;
  }

  it('GICD_CTLR back to DS|ARE, GICR_WAKER to ProcessorSleep|ChildrenAsleep, GICR_CTLR with CES when LPIs (an ITS) are on', () => {
    const withIts = resetBoard(true);
    expect(withIts.gicdCtlr).toBe(0x50n);
    expect(withIts.cpus.map((c) => [c.gicrWaker, c.gicrCtlr])).toEqual([
      [6n, 2n],
      [6n, 2n],
    ]);
    const noIts = resetBoard(false);
    expect(noIts.cpus.map((c) => c.gicrCtlr)).toEqual([0n, 0n]);
  });
});
