// "[PATCH RFC V6 21/24] hw/intc/arm-gicv3-kvm: Pause all vCPUs & cache ICC_CTLR_EL1 for userspace PSCI
// CPU_ON" (Salil Mehta, 1 Oct 2025), exactly as posted (qemu.md §2; the patch text in shared/reference).
import { EAGAIN, EBUSY, type Proc } from '@vgicsim/kvm-sim';
import { KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, kvmVgicAttr } from '@vgicsim/gicv3-regs';
import { gUsleep, pauseAllVcpus, resumeAllVcpus } from '../../cpus.js';
import { errorSetgErrno, hex64 } from '../../kvm-all.js';
import { ICC_CTLR_EL1, kvmGiccAccess } from '../gic-access.js';
import { GICV3_NS, GICV3_S, type GicCpuState } from '../gic-state.js';
import type { IccCtlrCacheKind as CacheKind } from '../../kinds.js';
import type { IccResetStrategy, StrategyContext } from '../strategy.js';
import { emitQemuEvent } from '../../trace-vocabulary.js';

/**
 * kvm_gicc_get_cached_icc_ctlr_el1 ("Caller must hold the iothread (BQL)", not asserted): fast path on a
 * valid cache; else a first read with errors ignored; on -EBUSY/-EAGAIN pause_all_vcpus, up to 5 tries with
 * g_usleep(50) between them holding the BQL (the 5th with error_abort), resume_all_vcpus; then publish and
 * seed the cache — also after a swallowed non-EBUSY error, when `val` is still 0.
 */
export function* kvmGiccGetCachedIccCtlrEl1({ q, gic }: StrategyContext, c: GicCpuState, which: CacheKind): Proc {
  const attr = kvmVgicAttr(ICC_CTLR_EL1, c.gicrTyper);
  const group = KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
  const regval = which === 'configured' ? c.iccCtlrConfigured : c.iccCtlrArchDef;
  const valid = which === 'configured' ? c.iccCtlrConfiguredValid : c.iccCtlrArchDefValid;
  const val = { value: 0n };
  if (valid) {
    c.iccCtlrEl1[GICV3_NS] = regval[GICV3_NS];
    c.iccCtlrEl1[GICV3_S] = regval[GICV3_S];
    emitQemuEvent(q.sim, 'rfc-v6-cache-hit', { cpu: c.index, cache: which });
    return;
  }
  let ret = yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, null);
  if (ret === -EBUSY || ret === -EAGAIN) {
    // One-time heavy path: pause every vCPU, then retry.
    yield* pauseAllVcpus(q);
    for (let tries = 0; tries < 5; tries++) {
      const errp = tries === 4 ? 'error_abort' : null;
      ret = yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, errp);
      if (ret === 0) break;
      if (ret !== -EBUSY && ret !== -EAGAIN) {
        errorSetgErrno(q, 'error_abort', -ret, `KVM_GET_DEVICE_ATTR failed: Group ${group} attr ${hex64(attr)}`, 'kvm_gicc_get_cached_icc_ctlr_el1');
      }
      yield* gUsleep(q, 50);
    }
    yield* resumeAllVcpus(q);
  }
  c.iccCtlrEl1[GICV3_NS] = val.value;
  c.iccCtlrEl1[GICV3_S] = val.value;
  regval[GICV3_NS] = c.iccCtlrEl1[GICV3_NS];
  regval[GICV3_S] = c.iccCtlrEl1[GICV3_S];
  if (which === 'configured') c.iccCtlrConfiguredValid = true;
  else c.iccCtlrArchDefValid = true;
  emitQemuEvent(q.sim, 'rfc-v6-cache-fill', { cpu: c.index, cache: which, value: val.value, firstRet: ret });
}

export const RFC_V6: IccResetStrategy = {
  name: 'rfc-v6',
  description:
    'Two per-vCPU caches (architectural default and guest-configured). Before any CPU_ON the arch-default ' +
    'cache is filled by a plain read; from the first reset after a PSCI CPU_ON on (guest_gicc_initialized, ' +
    'never cleared) the configured cache is used, filled on a miss by a read that falls back to ' +
    'pause_all_vcpus with 5 tries and 50 µs sleeps under the BQL, aborting on the 5th failure. A first-try ' +
    'error other than EBUSY/EAGAIN is swallowed and 0 is cached as valid. Nothing is migrated or reset.',
  source: 'RFC V6 21/24 <20251001010127.3092631-22-salil.mehta@opnsrc.net> (qemu.md §2)',
  blockerEarlyReturn: true,
  *resetIccCtlr(ctx: StrategyContext, c: GicCpuState): Proc {
    const { gic } = ctx;
    if (c.cpu.firstPsciOnRequestSeen || gic.guestGiccInitialized) {
      if (!gic.guestGiccInitialized) gic.guestGiccInitialized = true;
      yield* kvmGiccGetCachedIccCtlrEl1(ctx, c, 'configured');
    } else {
      yield* kvmGiccGetCachedIccCtlrEl1(ctx, c, 'arch-def');
    }
  },
  beforeCpuOnReset(cpu) {
    cpu.firstPsciOnRequestSeen = true;
  },
};
