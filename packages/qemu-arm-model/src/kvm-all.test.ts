// kvm_device_access's hazard check: an error_abort GIC access while any vCPU mutex is held is reported, by
// the first such vCPU in CPU-list order, with the holder's name; the check skips its scan when the KVM's
// count of held vCPU mutexes is 0, which must not change a single report.
import { describe, expect, it } from 'vitest';
import { buildArmVm } from './arm/build.js';
import { REALIZE_ONCE, UPSTREAM_2025 } from './arm/strategies/index.js';
import type { IccResetStrategy } from './arm/strategy.js';
import { linuxLikeGuest } from './test-guests.js';

const DEVICE_IOCTL = 'device-ioctl-while-vcpu-runs';

function boot(strategy: IccResetStrategy) {
  const guest = linuxLikeGuest({ smp: 4, cycles: 0, churnCpu: 2 });
  const vm = buildArmVm({ strategy, guest: guest.program, smp: 4, sim: { seed: 1, trace: 'hash' } });
  return vm;
}

describe('kvm_device_access hazard check', () => {
  it('upstream-2025: the aborting access is reported once, naming CPU 0/KVM in vcpu0.mutex', () => {
    const vm = boot(UPSTREAM_2025);
    const r = vm.sim.run();
    expect(r.outcome.kind).toBe('abort');
    expect(vm.q.hazards.violations.filter((v) => v.kind === DEVICE_IOCTL).map((v) => `${v.thread}: ${v.message}`)).toEqual([
      'CPU 1/KVM: KVM_GET_DEVICE_ATTR group 6 attr 0x000000010000c664 with error_abort while CPU 0/KVM holds vcpu0.mutex',
    ]);
  });

  it('realize-once: never reported; the KVM counts exactly the vCPU mutexes that have an owner', () => {
    const vm = boot(REALIZE_ONCE);
    const r = vm.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(vm.q.hazards.violations.filter((v) => v.kind === DEVICE_IOCTL)).toEqual([]);
    const owned = vm.q.allCpus.filter((c) => vm.q.kvm.vcpuOf(c.vcpuFd).mutex.owner !== null).length;
    expect(owned).toBe(4); // the vCPUs idle inside KVM_RUN
    expect(vm.q.kvm.vcpuMutexesHeld).toBe(owned);
  });
});
