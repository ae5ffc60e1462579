// What an ICC_CTLR_EL1 reset design may call, bound to one QEMU process and its GIC. A design module needs
// no import: every hook receives this object as `ctx.api`. Each call mirrors a QEMU function with its
// locking and error semantics, so a design written against it costs what the same C code would.
import { EAGAIN, EBUSY, type Proc } from '@vgicsim/kvm-sim';
import { gUsleep, pauseAllVcpus, resumeAllVcpus } from '../cpus.js';
import type { Qemu } from '../qemu.js';
import { ICC_CTLR_EL1, kvmGiccAccess } from './gic-access.js';
import { GICV3_NS, GICV3_S, type GicCpuState, type GicState } from './gic-state.js';
import { emitStrategyNote } from '../trace-vocabulary.js';

/**
 * The error policy of a KVM access, as QEMU's `Error **errp`: `'error_abort'` aborts QEMU on any failure
 * (the message is kvm_device_access's); `null` ignores it and the caller gets the negative errno.
 */
export type StrategyErrp = 'error_abort' | null;

export interface KvmReadResult {
  /** 0 or a negative errno (-EBUSY when some vCPU mutex could not be taken: a vCPU is in KVM_RUN). */
  readonly ret: number;
  /** The register value (0 on failure). */
  readonly value: bigint;
}

export interface StrategyContext {
  /** The QEMU process (built-ins use it directly; a module should go through `api`). */
  readonly q: Qemu;
  /** GICv3State: `cpus` (one GicCpuState per possible CPU), `migrationBlocker`, `strategyData`. */
  readonly gic: GicState;
  /** What a design may call: KVM access, pause/resume, g_usleep, abort, trace notes. */
  readonly api: StrategyApi;
}

export interface StrategyApi {
  /**
   * kvm_gicc_access(c, ICC_CTLR_EL1, &val, false, errp): KVM_GET_DEVICE_ATTR of this CPU's ICC_CTLR_EL1.
   * KVM takes every vCPU mutex with trylock (lock policy all-vcpus), so it fails with -EBUSY while any
   * vCPU runs. Called with the BQL held, as every hook is.
   */
  readIccCtlr(c: GicCpuState, errp: StrategyErrp): Proc<KvmReadResult>;
  /** kvm_gicc_access(..., true, errp): KVM_SET_DEVICE_ATTR of ICC_CTLR_EL1 (KVM checks the RO fields). */
  writeIccCtlr(c: GicCpuState, value: bigint, errp: StrategyErrp): Proc<number>;
  /** pause_all_vcpus(): stop every vCPU and wait (dropping the BQL) until all are stopped. */
  pauseAllVcpus(): Proc;
  /** resume_all_vcpus(): a no-op unless the runstate is RUNNING; else restart every vCPU. */
  resumeAllVcpus(): Proc;
  /** g_usleep(us): sleeps without dropping the BQL. */
  gUsleep(us: number): Proc;
  /** error_setg(&error_abort, …): QEMU aborts with this message (the run's outcome is `abort`). */
  abort(message: string): never;
  /** Leaves `icc_ctlr_el1[NS]` and `[S]` at `value`: what resetIccCtlr must do before it returns. */
  setResetValue(c: GicCpuState, value: bigint): void;
  /** A trace event `strategy:<event>` (visible in --trace and the timeline; no effect on the run). */
  note(event: string, data?: Readonly<Record<string, string | number | boolean | bigint>>): void;
  /** Virtual time, ns. */
  now(): number;
  /** Whether the VM's runstate is RUNNING (vCPUs may be in KVM_RUN). */
  isRunning(): boolean;
  /** The errno values a design compares `ret` with (positive, as in C: ret === -api.EBUSY). */
  readonly EBUSY: number;
  readonly EAGAIN: number;
}

const apis = new WeakMap<GicState, StrategyApi>();

/** The api of one QEMU process's GIC (created once per GIC, so hooks may compare it by identity). */
export function strategyApi(q: Qemu, gic: GicState): StrategyApi {
  let api = apis.get(gic);
  if (api !== undefined) return api;
  api = {
    *readIccCtlr(c, errp) {
      const val = { value: 0n };
      const ret = yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, val, false, errp);
      return { ret, value: ret === 0 ? val.value : 0n };
    },
    *writeIccCtlr(c, value, errp) {
      return yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, { value }, true, errp);
    },
    pauseAllVcpus: () => pauseAllVcpus(q),
    resumeAllVcpus: () => resumeAllVcpus(q),
    gUsleep: (us) => gUsleep(q, us),
    abort: (message) => q.abort(message),
    setResetValue(c, value) {
      c.iccCtlrEl1[GICV3_NS] = value;
      c.iccCtlrEl1[GICV3_S] = value;
    },
    note(event, data) {
      emitStrategyNote(q.sim, event, data);
    },
    now: () => q.sim.now,
    isRunning: () => q.runstateIsRunning(),
    EBUSY,
    EAGAIN,
  };
  apis.set(gic, api);
  return api;
}

/** The context every strategy hook receives. */
export function strategyContext(q: Qemu, gic: GicState): StrategyContext {
  return { q, gic, api: strategyApi(q, gic) };
}
