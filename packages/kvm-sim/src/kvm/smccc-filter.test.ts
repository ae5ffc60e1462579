// Conformance with tools/testing/selftests/kvm/arm64/smccc_filter.c (kvm.md §11.2) through the real VM-fd
// ioctl surface, plus the UAPI rules of kvm.md §9.1–§9.3 the selftest relies on. Each test names the
// selftest case (or the kvm.md rule) it mirrors.
import { describe, expect, it } from 'vitest';
import type { Proc } from '../kernel/objects.js';
import { EBUSY, EEXIST, EINVAL, ENXIO } from './errno.js';
import type { GuestCode, GuestProgram } from './guest.js';
import {
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_PSCI_VERSION,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_VERSION_1_3,
  SMCCC_RET_NOT_SUPPORTED,
  x0ToPsciRet,
} from '@vgicsim/gicv3-regs';
import { makeTestVm, setupVm, type TestVm } from './test-vm.js';
import {
  KVM_ARM_VM_SMCCC_CTRL,
  KVM_ARM_VM_SMCCC_FILTER,
  KVM_EXIT_HYPERCALL,
  KVM_EXIT_SYSTEM_EVENT,
  KVM_HYPERCALL_EXIT_SMC,
  KVM_SMCCC_FILTER_DENY,
  KVM_SMCCC_FILTER_FWD_TO_USER,
  KVM_SYSTEM_EVENT_SHUTDOWN,
  type KvmSmcccFilter,
  coreRegX,
} from './uapi.js';

/** ARM_SMCCC_ARCH_WORKAROUND_1 (include/linux/arm-smccc.h): SMC32 fast call, owner Arch, function 0x8000. */
const ARM_SMCCC_ARCH_WORKAROUND_1 = 0x80008000;
/** ARM_SMCCC_CALL_VAL(FAST_CALL, SMC_64, OWNER_ARCH, 0): function 0 of the SMC64 architecture range. */
const SMC64_ARCH_FN0 = 0xc0000000;
/** NR_SMCCC_FILTER_ACTIONS: the first invalid action. */
const NR_SMCCC_FILTER_ACTIONS = 3;

type Conduit = 'hvc' | 'smc';

/** One vCPU, a vGICv3 (initialised) and KVM_ARM_VCPU_INIT, like the selftest's setup_vm(). */
function vmWithOneVcpu(guest?: GuestProgram): TestVm {
  return makeTestVm(guest === undefined ? {} : { guest });
}

/** Runs `body` as the VMM's main thread and expects the run to end ok. */
function runVmm(t: TestVm, body: () => Proc): void {
  t.sim.spawn('vmm', body);
  const r = t.sim.run();
  expect(r.outcome).toEqual({ kind: 'ok' });
}

function setFilter(t: TestVm, filter: KvmSmcccFilter): Proc<number> {
  return t.kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', {
    group: KVM_ARM_VM_SMCCC_CTRL,
    attr: BigInt(KVM_ARM_VM_SMCCC_FILTER),
    addr: filter,
  });
}

/** The selftest's __set_smccc_filter(vm, base, nr, action): returns 0 or -errno. */
function filterResult(filter: KvmSmcccFilter): number {
  const t = vmWithOneVcpu();
  let ret = 1;
  runVmm(t, function* () {
    yield* setupVm(t, 1);
    ret = yield* setFilter(t, filter);
  });
  return ret;
}

/** A guest that issues PSCI_VERSION on `conduit`, records x0, then SYSTEM_OFF so KVM_RUN returns. */
function psciVersionGuest(conduit: Conduit, seen: bigint[]): GuestProgram {
  return {
    name: `psci-version-${conduit}`,
    *start(): GuestCode {
      const r = yield { op: conduit, x: [BigInt(PSCI_0_2_FN_PSCI_VERSION), 0n, 0n, 0n] };
      seen.push(r ?? -1n);
      yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
    },
  };
}

describe('smccc_filter.c: main() requirement', () => {
  it('KVM_HAS_DEVICE_ATTR(vm fd, SMCCC_CTRL, SMCCC_FILTER) == 0', () => {
    const t = vmWithOneVcpu();
    let ret = 1;
    runVmm(t, function* () {
      ret = yield* t.kvm.ioctl(t.vmFd, 'KVM_HAS_DEVICE_ATTR', {
        group: KVM_ARM_VM_SMCCC_CTRL,
        attr: BigInt(KVM_ARM_VM_SMCCC_FILTER),
        addr: null,
      });
    });
    expect(ret).toBe(0);
  });
});

describe('smccc_filter.c: argument validation (kvm.md §9.2 steps 2–3)', () => {
  it('test_pad_must_be_zero: a non-zero pad byte → EINVAL', () => {
    const pad = new Array<number>(15).fill(0);
    pad[14] = 0xff;
    expect(filterResult({ base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY, pad })).toBe(-EINVAL);
    // Control: the same filter with an all-zero pad is accepted.
    expect(
      filterResult({ base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY, pad: new Array<number>(15).fill(0) }),
    ).toBe(0);
  });

  it('test_invalid_nr_functions: nr_functions 0 at PSCI_0_2_FN64_CPU_ON → EINVAL', () => {
    expect(filterResult({ base: PSCI_0_2_FN64_CPU_ON, nr_functions: 0, action: KVM_SMCCC_FILTER_DENY })).toBe(-EINVAL);
  });

  it('test_invalid_nr_functions, 2026 addition: base 0 / nr_functions 0 → EINVAL (no longer EEXIST)', () => {
    expect(filterResult({ base: 0, nr_functions: 0, action: KVM_SMCCC_FILTER_DENY })).toBe(-EINVAL);
  });

  it('test_overflow_nr_functions: base ~0, nr_functions ~0 → EINVAL', () => {
    expect(filterResult({ base: 0xffffffff, nr_functions: 0xffffffff, action: KVM_SMCCC_FILTER_DENY })).toBe(-EINVAL);
  });

  it('test_reserved_action: action NR_SMCCC_FILTER_ACTIONS and 0xff → EINVAL', () => {
    expect(filterResult({ base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: NR_SMCCC_FILTER_ACTIONS })).toBe(-EINVAL);
    expect(filterResult({ base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: 0xff })).toBe(-EINVAL);
  });
});

describe('smccc_filter.c: range insertion (kvm.md §9.2 steps 6–7)', () => {
  it('test_filter_reserved_range: ARM_SMCCC_ARCH_WORKAROUND_1 → EEXIST', () => {
    expect(filterResult({ base: ARM_SMCCC_ARCH_WORKAROUND_1, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY })).toBe(-EEXIST);
  });

  it('test_filter_reserved_range: SMC64 function 0 of the arch range (0xC0000000) → EEXIST', () => {
    expect(filterResult({ base: SMC64_ARCH_FN0, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY })).toBe(-EEXIST);
  });

  it('test_filter_overlap: the same range twice → 0 then EEXIST', () => {
    const t = vmWithOneVcpu();
    const out: number[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 1);
      const f = { base: PSCI_0_2_FN64_CPU_ON, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY };
      out.push(yield* setFilter(t, f));
      out.push(yield* setFilter(t, f));
    });
    expect(out).toEqual([0, -EEXIST]);
  });
});

describe('VM-fd attribute routing (kvm.md §9.1)', () => {
  it('unknown group or attr → ENXIO on SET and HAS', () => {
    const t = vmWithOneVcpu();
    const out: number[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 1);
      const f = { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY };
      out.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', { group: 1, attr: BigInt(KVM_ARM_VM_SMCCC_FILTER), addr: f }));
      out.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_SET_DEVICE_ATTR', { group: KVM_ARM_VM_SMCCC_CTRL, attr: 1n, addr: f }));
      out.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_HAS_DEVICE_ATTR', { group: 1, attr: BigInt(KVM_ARM_VM_SMCCC_FILTER), addr: null }));
      out.push(yield* t.kvm.ioctl(t.vmFd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_ARM_VM_SMCCC_CTRL, attr: 1n, addr: null }));
    });
    expect(out).toEqual([-ENXIO, -ENXIO, -ENXIO, -ENXIO]);
  });

  it('KVM_GET_DEVICE_ATTR on the VM fd → EINVAL (not implemented there)', () => {
    const t = vmWithOneVcpu();
    let ret = 1;
    runVmm(t, function* () {
      yield* setupVm(t, 1);
      ret = yield* t.kvm.ioctl(t.vmFd, 'KVM_GET_DEVICE_ATTR', {
        group: KVM_ARM_VM_SMCCC_CTRL,
        attr: BigInt(KVM_ARM_VM_SMCCC_FILTER),
        addr: { value: 0n },
      });
    });
    expect(ret).toBe(-EINVAL);
  });
});

describe('smccc_filter.c: runtime actions (kvm.md §9.3)', () => {
  for (const conduit of ['hvc', 'smc'] as const) {
    it(`test_filter_denied (${conduit.toUpperCase()}): DENY PSCI_VERSION → the guest sees SMCCC_RET_NOT_SUPPORTED`, () => {
      const seen: bigint[] = [];
      const t = vmWithOneVcpu(psciVersionGuest(conduit, seen));
      const exits: number[] = [];
      runVmm(t, function* () {
        yield* setupVm(t, 1);
        expect(yield* setFilter(t, { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY })).toBe(0);
        const fd = t.vcpuFds[0] as number;
        exits.push(yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined));
        const run = t.kvm.vcpuOf(fd).run;
        exits.push(run.exit_reason, run.system_event.type);
      });
      expect(seen.map(x0ToPsciRet)).toEqual([SMCCC_RET_NOT_SUPPORTED]);
      // The denied call never left the kernel: the only exit is the guest's SYSTEM_OFF.
      expect(exits).toEqual([0, KVM_EXIT_SYSTEM_EVENT, KVM_SYSTEM_EVENT_SHUTDOWN]);
    });

    it(`control (${conduit.toUpperCase()}): without a filter KVM answers PSCI_VERSION itself (1.3 on v6.16)`, () => {
      const seen: bigint[] = [];
      const t = vmWithOneVcpu(psciVersionGuest(conduit, seen));
      runVmm(t, function* () {
        yield* setupVm(t, 1);
        yield* t.kvm.ioctl(t.vcpuFds[0] as number, 'KVM_RUN', undefined);
      });
      expect(seen).toEqual([BigInt(PSCI_VERSION_1_3)]);
    });

    it(`test_filter_fwd_to_user (${conduit.toUpperCase()}): KVM_RUN returns 0 with KVM_EXIT_HYPERCALL, nr = PSCI_VERSION, SMC flag iff SMC`, () => {
      const seen: bigint[] = [];
      const t = vmWithOneVcpu(psciVersionGuest(conduit, seen));
      const out: number[] = [];
      runVmm(t, function* () {
        yield* setupVm(t, 1);
        out.push(yield* setFilter(t, { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_FWD_TO_USER }));
        const fd = t.vcpuFds[0] as number;
        const run = t.kvm.vcpuOf(fd).run;
        out.push(yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined));
        out.push(run.exit_reason, run.hypercall.nr, run.hypercall.flags);
        // The VMM answers through x0 (KVM_SET_ONE_REG) and re-enters; the guest sees that value.
        out.push(yield* t.kvm.ioctl(fd, 'KVM_SET_ONE_REG', { id: coreRegX(0), addr: { value: 0x20000n } }));
        out.push(yield* t.kvm.ioctl(fd, 'KVM_RUN', undefined));
        out.push(run.exit_reason);
      });
      const smcFlag = conduit === 'smc' ? KVM_HYPERCALL_EXIT_SMC : 0;
      expect(out).toEqual([0, 0, KVM_EXIT_HYPERCALL, PSCI_0_2_FN_PSCI_VERSION, smcFlag, 0, 0, KVM_EXIT_SYSTEM_EVENT]);
      expect(seen).toEqual([0x20000n]);
    });
  }
});

describe('kvm.md §9.2 step 5 / §13.3: no filter writes once the VM has run', () => {
  it('a filter write after any vCPU has run → EBUSY; argument errors still come first (EINVAL)', () => {
    const t = vmWithOneVcpu({
      name: 'off',
      *start(): GuestCode {
        yield { op: 'hvc', x: [BigInt(PSCI_0_2_FN_SYSTEM_OFF), 0n, 0n, 0n] };
      },
    });
    const out: number[] = [];
    runVmm(t, function* () {
      yield* setupVm(t, 2);
      const f = { base: PSCI_0_2_FN_PSCI_VERSION, nr_functions: 1, action: KVM_SMCCC_FILTER_DENY };
      out.push(yield* setFilter(t, { ...f, base: PSCI_0_2_FN64_CPU_ON }));
      // Only vCPU 1 runs; the flag is per VM (KVM_ARCH_FLAG_HAS_RAN_ONCE).
      out.push(yield* t.kvm.ioctl(t.vcpuFds[1] as number, 'KVM_RUN', undefined));
      out.push(yield* setFilter(t, f));
      out.push(yield* setFilter(t, { ...f, action: 0xff }));
      out.push(yield* setFilter(t, { ...f, base: 0, nr_functions: 0 }));
    });
    expect(out).toEqual([0, 0, -EBUSY, -EINVAL, -EINVAL]);
  });
});
