// The vGICv3 device's lifecycle (arch/arm64/kvm/vgic/vgic-init.c): kvm_vgic_create and vgic_init, the only
// place the CPU-interface state is (re)set. Destruction is not modelled: the VM's state lives as long as
// the simulation.
import { kvmGetIccCtlr, vgicV3ResetState } from '@vgicsim/gicv3-regs';
import type { Proc } from '../kernel/objects.js';
import type { KvmContext } from './context.js';
import { EBUSY, EEXIST, ENXIO } from './errno.js';
import type { VcpuState, VmState } from './state.js';
import { kvmTrylockAllVcpus, kvmUnlockAllVcpus } from './vgic-lock-all-vcpus.js';
import { vgicLockPolicy } from './vgic-lock-policy.js';
import { emitKvmEvent } from './trace-vocabulary.js';

/** kvm_vgic_create; the caller (KVM_CREATE_DEVICE) holds kvm->lock. */
export function* kvmVgicCreate(ctx: KvmContext, vm: VmState): Proc<number> {
  const { sim } = ctx;
  const locked = yield* kvmTrylockAllVcpus(ctx, vm.vcpus);
  if (locked === null) return -EBUSY;
  yield* sim.lock(vm.configLock);
  let ret = 0;
  if (vm.vgic !== null) ret = -EEXIST;
  else if (vm.vcpus.some((v) => v.hasRunOnce)) ret = -EBUSY;
  else vm.vgic = { model: 'v3', initialized: false, nrSpis: 0, distBase: null, redistBase: null, miIntid: 0 };
  sim.unlock(vm.configLock);
  kvmUnlockAllVcpus(ctx, locked);
  return ret;
}

/**
 * vgic_init: the only place the CPU-interface state (VMCR, SRE, bit counts) is (re)set, via
 * vgic_v3_enable for every vCPU. Caller holds config_lock.
 */
export function vgicInit(ctx: KvmContext, vm: VmState): number {
  const vgic = vm.vgic;
  if (vgic === null) return -ENXIO;
  if (vgic.initialized) return 0;
  if (vgic.nrSpis === 0) vgic.nrSpis = 256 - 32;
  for (const v of vm.vcpus) vgicV3Enable(ctx, v);
  vgic.initialized = true;
  emitKvmEvent(ctx.sim, 'vgic-init', { vcpus: vm.vcpus.length, nrIrqs: vgic.nrSpis + 32 });
  return 0;
}

/** vgic_v3_enable: the host's reset values of the CPU interface. */
function vgicV3Enable(ctx: KvmContext, v: VcpuState): void {
  const r = vgicV3ResetState(ctx.ichVtr);
  v.vgic = {
    vmcr: r.vmcr,
    sre: r.sre,
    ap0r: [0, 0, 0, 0],
    ap1r: [0, 0, 0, 0],
    numPriBits: r.numPriBits,
    numIdBits: r.numIdBits,
    iccCtlrShadow: 0n,
  };
  // Only a policy that seeds its shadow at init (the idealised RFC) does; otherwise set_gic_ctlr writes it.
  if (vgicLockPolicy(ctx.lockPolicy).seedsShadowAtInit) v.vgic.iccCtlrShadow = kvmGetIccCtlr(v.vgic, ctx.ichVtr);
}
