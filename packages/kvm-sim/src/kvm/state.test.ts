// kvm_mpidr_to_vcpu through VmState's index: it must answer what a scan of the vCPUs in order would, as
// vCPUs are added and MPIDRs rewritten (KVM_SET_ONE_REG before the first run).
import { kvmDefaultMpidr, mpidrHwid } from '@vgicsim/gicv3-regs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDLE_GUEST } from './guest.js';
import { VcpuState, VmState } from './state.js';

function scan(vm: VmState, mpidr: bigint): VcpuState | undefined {
  return vm.vcpus.find((v) => mpidrHwid(v.mpidr) === mpidrHwid(mpidr));
}

describe('VmState.vcpuByMpidr', () => {
  it('finds each vCPU by its MPIDR, and follows a rewritten MPIDR', () => {
    const vm = new VmState();
    for (let i = 0; i < 20; i++) vm.vcpus.push(new VcpuState(i, kvmDefaultMpidr(i), IDLE_GUEST));
    expect(vm.vcpuByMpidr(kvmDefaultMpidr(17))?.index).toBe(17);
    const v = vm.vcpus[3] as VcpuState;
    v.mpidr = kvmDefaultMpidr(40);
    expect(vm.vcpuByMpidr(kvmDefaultMpidr(3))).toBeUndefined();
    expect(vm.vcpuByMpidr(kvmDefaultMpidr(40))?.index).toBe(3);
    vm.vcpus.push(new VcpuState(20, kvmDefaultMpidr(3), IDLE_GUEST));
    expect(vm.vcpuByMpidr(kvmDefaultMpidr(3))?.index).toBe(20);
  });

  it('answers as the in-order scan after any sequence of additions and rewrites (first match wins)', () => {
    const op = fc.oneof(
      fc.record({ add: fc.nat(7) }),
      fc.record({ set: fc.nat(15), to: fc.nat(7) }),
      fc.record({ find: fc.nat(7) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const vm = new VmState();
        for (const o of ops) {
          if ('add' in o) vm.vcpus.push(new VcpuState(vm.vcpus.length, kvmDefaultMpidr(o.add), IDLE_GUEST));
          else if ('set' in o) {
            const v = vm.vcpus[o.set % Math.max(1, vm.vcpus.length)];
            if (v !== undefined) v.mpidr = kvmDefaultMpidr(o.to);
          } else expect(vm.vcpuByMpidr(kvmDefaultMpidr(o.find))).toBe(scan(vm, kvmDefaultMpidr(o.find)));
        }
      }),
    );
  });
});
