// Determinism of a whole KVM program (not just the kernel): one seed → one trace, the recorded choices
// replay it exactly, and a scheduling window makes different seeds explore different interleavings.
import { KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, kvmVcpuAffinity, packSysregAttr } from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import { type ChoiceSource, ReplayChoice } from '../kernel/choice.js';
import { type RunResult, Simulator } from '../kernel/sim.js';
import { EINTR } from './errno.js';
import { spawnForeignHolder } from './foreign-holder.js';
import type { GuestCode, GuestProgram } from './guest.js';
import { Kvm, type IoctlCounts } from './kvm.js';
import { PSCI_0_2_FN_PSCI_VERSION } from '@vgicsim/gicv3-regs';
import { setupVm, type TestVm } from './test-vm.js';
import { KVM_ARM_VM_SMCCC_CTRL, KVM_ARM_VM_SMCCC_FILTER, KVM_SMCCC_FILTER_FWD_TO_USER } from './uapi.js';

const SIG_IPI = 10;

/** vCPU 0 and 2 compute, 1 and 3 idle in WFI with a timer; everyone forwards PSCI_VERSION now and then. */
const MIXED: GuestProgram = {
  name: 'mixed',
  *start(cpu): GuestCode {
    for (;;) {
      if (cpu.index % 2 === 0) yield { op: 'compute', ns: 30_000 + 7_000 * cpu.index };
      else yield { op: 'wfi', timeoutNs: 25_000 + 5_000 * cpu.index };
      yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_PSCI_VERSION), 0n, 0n, 0n] };
    }
  },
};

interface Outcome {
  readonly result: RunResult;
  readonly counts: IoctlCounts;
  readonly gets: readonly number[];
}

/**
 * 4 vCPU threads in KVM_RUN loops, a foreign holder on vCPU 2, a VMM that probes ICC_CTLR_EL1 and kicks
 * vCPU 3 with SIG_IPI: a racy program once the window is non-zero.
 */
function program(source: { seed: number } | { choice: ChoiceSource }, windowNs: number): Outcome {
  const sim = new Simulator({ ...source, windowNs, trace: 'hash' });
  const kvm = new Kvm(sim);
  kvm.setGuestProgram(MIXED);
  const t: TestVm = { sim, kvm, vmFd: kvm.createVm(), vcpuFds: [], devFd: -1 };
  const gets: number[] = [];
  sim.spawn('vmm', function* () {
    yield* setupVm(t, 4);
    const fwd = { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_FWD_TO_USER };
    yield* kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', { group: KVM_ARM_VM_SMCCC_CTRL, attr: BigInt(KVM_ARM_VM_SMCCC_FILTER), addr: fwd });
    const threads = t.vcpuFds.map((fd, i) =>
      sim.spawn(
        `vcpu${i}`,
        function* () {
          const vcpu = kvm.vcpuOf(fd);
          sim.setSignalHandler(sim.self(), SIG_IPI, () => {
            vcpu.run.immediate_exit = 1;
          });
          for (let r = 0; r < 8; r++) {
            const ret = yield* kvm.ioctl(fd, 'KVM_RUN', undefined);
            vcpu.run.immediate_exit = 0;
            yield* sim.sleep(ret === -EINTR ? 20_000 : 800);
          }
        },
        { daemon: true },
      ),
    );
    spawnForeignHolder(sim, kvm.vcpuOf(t.vcpuFds[2] as number), { startNs: 40_000, holdNs: 15_000, repeat: 3, gapNs: 30_000 });
    for (let i = 0; i < 12; i++) {
      yield* sim.sleep(9_000);
      if (i === 5) sim.kill(threads[3] ?? sim.self(), SIG_IPI);
      gets.push(
        yield* kvm.ioctl(t.devFd, 'KVM_GET_DEVICE_ATTR', {
          group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
          attr: packSysregAttr(kvmVcpuAffinity(i % 4), 0xc664),
          addr: { value: 0n },
        }),
      );
    }
  });
  const result = sim.run();
  return { result, counts: kvm.ioctlCounts(), gets };
}

describe('determinism of a KVM program', () => {
  it('the same seed twice gives the same trace hash, ioctl counts and results', () => {
    const a = program({ seed: 1234 }, 2_000);
    const b = program({ seed: 1234 }, 2_000);
    expect(a.result.outcome).toEqual({ kind: 'ok' });
    expect(b.result.traceHash).toBe(a.result.traceHash);
    expect(b.result.now).toBe(a.result.now);
    expect(b.result.steps).toBe(a.result.steps);
    expect(b.counts).toEqual(a.counts);
    expect(b.gets).toEqual(a.gets);
    // The program is not trivial: it did run the guests, KVM refused reads with -EBUSY, and choices were made.
    expect(a.counts['KVM_RUN']).toEqual({ ok: 10, '-EINTR': 1 });
    expect(a.counts['KVM_GET_DEVICE_ATTR']).toEqual({ '-EBUSY': 12 });
    expect(a.result.choices).toHaveLength(60);
  });

  it('different seeds on the racy program give more than one distinct trace hash', () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) hashes.add(program({ seed }, 2_000).result.traceHash);
    expect(hashes.size).toBe(10); // every seed its own interleaving
  });

  it('replaying the recorded choices reproduces the trace hash and counts exactly', () => {
    for (const seed of [5, 6, 7]) {
      const first = program({ seed }, 3_000);
      const replay = new ReplayChoice(first.result.choices);
      const again = program({ choice: replay }, 3_000);
      expect(again.result.traceHash).toBe(first.result.traceHash);
      expect(again.counts).toEqual(first.counts);
      expect(again.result.choices).toEqual(first.result.choices);
      expect(replay.divergences).toBe(0);
      expect(replay.consumed).toBe(first.result.choices.length);
    }
  });
});
