// A Linux-like guest for the part-2 tests (the full guest programs live in @vgicsim/scenarios): vCPU 0
// boots, brings each secondary online with FN64 CPU_ON and waits for it; every CPU runs the GIC driver
// init; then CPU `churnCpu` goes offline (CPU_OFF from itself) and comes back `cycles` times; then the
// guest powers off with PSCI SYSTEM_OFF, which ends the run.
import { type GuestAction, type GuestCode, type GuestProgram, type GuestResult } from '@vgicsim/kvm-sim';
import { PSCI_0_2_FN_CPU_OFF, PSCI_0_2_FN_SYSTEM_OFF, x0ToPsciRet } from '@vgicsim/gicv3-regs';
import { BOOT_ENTRY, SECONDARY_ENTRY, gicCpuSysRegInit, psciAffinityInfo, psciCall, psciCpuOn } from './guest-kit.js';

export { BOOT_ENTRY, SECONDARY_ENTRY };

export interface LinuxLikeMemory {
  readonly online: boolean[];
  readonly offlineReq: boolean[];
  readonly cpuOnResults: number[];
  readonly failures: string[];
  bootDone: boolean;
  cyclesDone: number;
}

export function linuxLikeGuest(opts: { smp: number; cycles?: number; churnCpu?: number; eoimode?: 0 | 1 }): {
  program: GuestProgram;
  mem: LinuxLikeMemory;
} {
  const cycles = opts.cycles ?? 0;
  const churn = opts.churnCpu ?? 2;
  const eoimode = BigInt(opts.eoimode ?? 0);
  const mem: LinuxLikeMemory = {
    online: Array<boolean>(opts.smp).fill(false),
    offlineReq: Array<boolean>(opts.smp).fill(false),
    cpuOnResults: [],
    failures: [],
    bootDone: false,
    cyclesDone: 0,
  };
  function* waitFor(cond: () => boolean, timeoutNs: number, now: () => number): Generator<GuestAction, boolean, GuestResult> {
    const deadline = now() + timeoutNs;
    while (!cond()) {
      if (now() > deadline) return false;
      yield { op: 'compute', ns: 10_000 };
    }
    return true;
  }

  function* cpuOnAndWait(n: number, now: () => number): Generator<GuestAction, void, GuestResult> {
    const r = yield psciCpuOn(n);
    mem.cpuOnResults.push(x0ToPsciRet(r ?? 0n));
    if (!(yield* waitFor(() => mem.online[n] === true, 5_000_000_000, now))) mem.failures.push(`CPU${n}: failed to come online`);
  }

  const program: GuestProgram = {
    name: 'linux-like',
    *start(cpu, pc, x0): GuestCode {
      if (pc === BOOT_ENTRY) {
        yield* gicCpuSysRegInit(eoimode);
        mem.online[0] = true;
        for (let n = 1; n < opts.smp; n++) yield* cpuOnAndWait(n, cpu.now);
        mem.bootDone = true;
        for (let k = 0; k < cycles; k++) {
          mem.offlineReq[churn] = true;
          yield { op: 'sgi', target: churn };
          const off = yield* waitFor(() => !mem.online[churn], 5_000_000_000, cpu.now);
          if (!off) mem.failures.push(`CPU${churn}: failed to go offline`);
          for (;;) {
            const a = yield psciAffinityInfo(churn);
            if (x0ToPsciRet(a ?? 0n) === 1) break;
            yield { op: 'compute', ns: 10_000 };
          }
          yield* cpuOnAndWait(churn, cpu.now);
          mem.cyclesDone++;
        }
        yield psciCall(PSCI_0_2_FN_SYSTEM_OFF);
        return;
      }
      if (pc === SECONDARY_ENTRY) {
        const n = Number(x0);
        yield* gicCpuSysRegInit(eoimode);
        mem.online[n] = true;
        for (;;) {
          yield { op: 'compute', ns: 20_000 };
          if (mem.offlineReq[n] === true) {
            mem.offlineReq[n] = false;
            mem.online[n] = false;
            yield psciCall(PSCI_0_2_FN_CPU_OFF);
          }
        }
      }
      for (;;) yield { op: 'wfi' };
    },
  };
  return { program, mem };
}
