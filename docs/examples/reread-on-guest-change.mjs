// A worked example of a strategy module (vgicsim --strategy ./docs/examples/reread-on-guest-change.mjs).
// It is a design of its own, not one from the review: seed a per-vCPU cache at realize, as upstream
// 59ad421d66 does, but notice when QEMU's copy of ICC_CTLR_EL1 carries guest-written bits (EOImode, CBPR,
// PMHE — which happens after a migration stream or a pre_save brought the live value in) and then re-read
// KVM once for the read-only fields of the host it now runs on, under pause_all_vcpus if a vCPU is in
// KVM_RUN. Everything it calls comes in ctx.api; it imports nothing.

/** ICC_CTLR_EL1 bits a guest may write: CBPR (0), EOImode (1), PMHE (6). */
const GUEST_BITS = (1n << 0n) | (1n << 1n) | (1n << 6n);
/** icc_ctlr_el1[NS] in QEMU's GICv3CPUState. */
const NS = 1;

/** @type {import('@vgicsim/qemu-arm-model').StrategyDefinition} */
export default {
  name: 'reread-on-guest-change',
  description:
    'Seed each vCPU’s reset value at realize (vCPUs not yet running: no EBUSY); a reset copies the seed unless ' +
    'QEMU’s own icc_ctlr_el1 differs from it in EOImode/CBPR/PMHE, in which case it re-reads KVM (pausing all ' +
    'vCPUs on EBUSY), keeps the host’s read-only fields, puts the seed’s guest bits back and re-seeds.',
  source: 'docs/examples/reread-on-guest-change.mjs (the README’s worked example of a strategy module)',
  blockerEarlyReturn: true,

  *onRealize({ api, gic }) {
    if (gic.migrationBlocker !== null) return;
    for (const c of gic.cpus) {
      const { value } = yield* api.readIccCtlr(c, 'error_abort');
      c.strategyData.seed = value;
    }
  },

  *resetIccCtlr({ api }, c) {
    const seed = typeof c.strategyData.seed === 'bigint' ? c.strategyData.seed : 0n;
    if (((c.iccCtlrEl1[NS] ^ seed) & GUEST_BITS) === 0n) {
      api.setResetValue(c, seed);
      return;
    }
    api.note('reread', { cpu: c.index });
    let r = yield* api.readIccCtlr(c, null);
    if (r.ret === -api.EBUSY || r.ret === -api.EAGAIN) {
      yield* api.pauseAllVcpus();
      r = yield* api.readIccCtlr(c, 'error_abort');
      yield* api.resumeAllVcpus();
    } else if (r.ret !== 0) {
      api.abort(`reread-on-guest-change: KVM_GET_DEVICE_ATTR ICC_CTLR_EL1 failed: ${r.ret}`);
    }
    const fresh = (r.value & ~GUEST_BITS) | (seed & GUEST_BITS);
    c.strategyData.seed = fresh;
    api.setResetValue(c, fresh);
  },
};
