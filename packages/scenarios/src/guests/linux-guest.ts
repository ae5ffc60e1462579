// Linux-like guest programs. Their state lives in a GuestMemory object — the model's RAM — so it survives
// vCPU resets, system resets and migration the way RAM does, and a CPU restarted at an entry point can tell
// a fresh boot from a reboot or a resumed (migrated) one.
import { type GuestAction, type GuestCode, type GuestCpu, type GuestProgram, type GuestResult } from '@vgicsim/kvm-sim';
import {
  PSCI_0_2_FN_CPU_OFF,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
  PSCI_RET_SUCCESS,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { BOOT_ENTRY, SECONDARY_ENTRY, gicCpuSysRegInit, psciAffinityInfo, psciCall, psciCpuOn } from '@vgicsim/qemu-arm-model';
import { GuestMemory, type GuestTask } from './memory.js';

export { BOOT_ENTRY, SECONDARY_ENTRY };

type Code<T = void> = Generator<GuestAction, T, GuestResult>;

export interface LinuxGuestOptions {
  readonly smp: number;
  /** Bring secondaries up one at a time (Linux) or issue every CPU_ON first and then wait (parallel-bringup). */
  readonly bringup: 'sequential' | 'parallel';
  /** EOImode each boot's GIC driver writes: 0 for a plain guest, 1 for a guest with EL2 ('hypervisor'). */
  readonly eoimodeForBoot: (boot: number) => 0 | 1;
  /** Guest-side wait for a CPU to come online (default 5 s of virtual time). */
  readonly onlineTimeoutNs: number;
  /** Timer tick: computing CPUs run in slices of this length (default 1 ms). */
  readonly tickNs: number;
  /** CPUs left for later hotplug (device_set): not brought up at boot. */
  readonly bootCpus: number;
}

export function createLinuxGuest(options: Partial<LinuxGuestOptions> & { smp: number }, name = 'linux'): {
  program: GuestProgram;
  mem: GuestMemory;
} {
  const o: LinuxGuestOptions = {
    bringup: 'sequential',
    eoimodeForBoot: () => 0,
    onlineTimeoutNs: 5_000_000_000,
    tickNs: 1_000_000,
    bootCpus: options.smp,
    ...options,
  };
  const mem = new GuestMemory(o.smp);

  function* gicInit(cpu: number): Code {
    yield* gicCpuSysRegInit(BigInt(o.eoimodeForBoot(mem.boot)));
    mem.gicInits[cpu] = (mem.gicInits[cpu] ?? 0) + 1;
  }

  /** wait_for_completion_timeout: WFI until `cond`, woken by an IPI, or the deadline. */
  function* waitUntil(cpu: GuestCpu, cond: () => boolean, timeoutNs: number): Code<boolean> {
    const deadline = cpu.now() + timeoutNs;
    while (!cond()) {
      const left = deadline - cpu.now();
      if (left <= 0) return false;
      yield { op: 'wfi', timeoutNs: left };
    }
    return true;
  }

  function* cpuOn(cpu: GuestCpu, n: number): Code<number> {
    mem.cpuOnIssuedAt[n] = cpu.now();
    const r = yield psciCpuOn(n);
    const ret = x0ToPsciRet(r ?? 0n);
    mem.cpuOnResults.push({ cpu: n, ret, time: cpu.now() });
    return ret;
  }

  function* waitOnline(cpu: GuestCpu, n: number): Code {
    if (!(yield* waitUntil(cpu, () => mem.online[n] === true, o.onlineTimeoutNs))) {
      mem.failures.push(`CPU${n}: failed to come online`);
    }
  }

  /** cpu_down from the boot CPU: ask CPU n to die, wait for it, then poll AFFINITY_INFO like psci_cpu_kill. */
  function* cpuDown(cpu: GuestCpu, n: number): Code {
    mem.offlineReq[n] = true;
    yield { op: 'sgi', target: n };
    if (!(yield* waitUntil(cpu, () => mem.online[n] !== true, o.onlineTimeoutNs))) {
      mem.failures.push(`CPU${n}: failed to go offline`);
      return;
    }
    for (let i = 0; i < 100; i++) {
      const a = yield psciAffinityInfo(n);
      if (x0ToPsciRet(a ?? 0n) === 1) return;
      yield { op: 'compute', ns: 100_000 };
    }
    mem.failures.push(`CPU${n}: did not power off`);
  }

  function* runTask(cpu: GuestCpu, task: GuestTask): Code<'continue' | 'stop'> {
    switch (task.kind) {
      case 'cycle':
        yield* cpuDown(cpu, task.cpu);
        if ((yield* cpuOn(cpu, task.cpu)) === PSCI_RET_SUCCESS) yield* waitOnline(cpu, task.cpu);
        mem.cyclesDone++;
        return 'continue';
      case 'online':
        if ((yield* cpuOn(cpu, task.cpu)) === PSCI_RET_SUCCESS) yield* waitOnline(cpu, task.cpu);
        return 'continue';
      case 'offline':
        yield* cpuDown(cpu, task.cpu);
        mem.ejected[task.cpu] = true;
        return 'continue';
      case 'compute':
        yield { op: 'compute', ns: task.ns };
        return 'continue';
      case 'reboot':
        mem.rebootRequested = true;
        yield psciCall(PSCI_0_2_FN_SYSTEM_RESET);
        return 'stop';
      case 'poweroff':
        mem.poweredOff = true;
        yield psciCall(PSCI_0_2_FN_SYSTEM_OFF);
        return 'stop';
    }
  }

  function* bootCpu(cpu: GuestCpu): GuestCode {
    if (mem.rebootRequested || !mem.bootDone) {
      if (mem.rebootRequested) mem.newBoot();
      yield* gicInit(0);
      mem.online[0] = true;
      const secondaries = Array.from({ length: o.bootCpus - 1 }, (_, i) => i + 1);
      if (o.bringup === 'sequential') {
        for (const n of secondaries) if ((yield* cpuOn(cpu, n)) === PSCI_RET_SUCCESS) yield* waitOnline(cpu, n);
      } else {
        const started: number[] = [];
        for (const n of secondaries) if ((yield* cpuOn(cpu, n)) === PSCI_RET_SUCCESS) started.push(n);
        for (const n of started) yield* waitOnline(cpu, n);
      }
      mem.bootDone = true;
      mem.bootsCompleted++;
    } else {
      mem.resumes++;
    }
    // The boot CPU then works through the scenario's tasks, computing between them.
    for (;;) {
      const task = mem.tasks.shift();
      if (task === undefined) {
        yield* waitUntil(cpu, () => mem.tasks.length > 0, o.tickNs);
        continue;
      }
      if ((yield* runTask(cpu, task)) === 'stop') return;
    }
  }

  function* secondary(cpu: GuestCpu, n: number): GuestCode {
    const issued = mem.cpuOnIssuedAt[n];
    if (issued !== undefined) mem.cpuOnLatenciesNs.push(cpu.now() - issued);
    mem.cpuOnIssuedAt[n] = undefined;
    yield* gicInit(n);
    mem.online[n] = true;
    yield { op: 'sgi', target: 0 };
    for (;;) {
      yield { op: 'compute', ns: o.tickNs };
      if (mem.offlineReq[n] === true) {
        mem.offlineReq[n] = false;
        mem.online[n] = false;
        yield { op: 'sgi', target: 0 };
        yield psciCall(PSCI_0_2_FN_CPU_OFF);
      }
    }
  }

  const program: GuestProgram = {
    name,
    *start(cpu, pc, x0): GuestCode {
      if (pc === BOOT_ENTRY && cpu.index === 0) {
        yield* bootCpu(cpu);
        return;
      }
      if (pc === SECONDARY_ENTRY) {
        // After a migration the CPU resumes at its entry point: it was online, so it keeps computing.
        yield* secondary(cpu, Number(x0));
        return;
      }
      // Powered off or in firmware: wait for interrupts.
      for (;;) yield { op: 'wfi' };
    },
  };
  return { program, mem };
}
