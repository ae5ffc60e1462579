// The correctness oracle: for every ICC reset, the ICC_CTLR_EL1 value the strategy installed, the value
// KVM holds after the next put, and the reference value a freshly initialised vCPU reports on this host
// (RO fields from ICH_VTR_EL2, CBPR = EOImode = 0). RO fields that differ are a violation; writable fields
// that differ (a previous boot's guest configuration carried over) are recorded, not flagged.
import { freshIccCtlr } from '@vgicsim/gicv3-regs';
import type { ResetTrigger } from '../kinds.js';
import type { Qemu } from '../qemu.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

export type { ResetTrigger };

/** CBPR, EOImode and PMHE may legitimately differ (PMHE reads 0 from KVM anyway). */
const WRITABLE_MASK = 0x43n;

export interface OracleRecord {
  readonly cpu: number;
  readonly trigger: ResetTrigger;
  readonly time: number;
  readonly installed: bigint;
  readonly reference: bigint;
  /** What KVM holds right after the next kvm_arm_gicv3_put of this CPU (null: no put followed yet). */
  kvmAfterPut: bigint | null;
  readonly roMismatch: boolean;
  /** Writable fields (CBPR/EOImode) differ from the reference: a guest's configuration carried over. */
  readonly carriesGuestConfig: boolean;
}

export class Oracle {
  readonly records: OracleRecord[] = [];
  readonly reference: bigint;

  constructor(private readonly q: Qemu) {
    this.reference = freshIccCtlr(q.kvm.host.ichVtr);
  }

  /**
   * A migration load is recorded like a reset, but an RO mismatch there is the source host's value
   * arriving on another host (KVM's write checks decide), not a strategy's mistake: no violation.
   */
  recordReset(cpu: number, trigger: ResetTrigger, installed: bigint): void {
    const ro = (installed & ~WRITABLE_MASK) !== (this.reference & ~WRITABLE_MASK);
    const rec: OracleRecord = {
      cpu,
      trigger,
      time: this.q.sim.now,
      installed,
      reference: this.reference,
      kvmAfterPut: null,
      roMismatch: ro,
      carriesGuestConfig: (installed & WRITABLE_MASK) !== (this.reference & WRITABLE_MASK),
    };
    this.records.push(rec);
    emitQemuEvent(this.q.sim, 'oracle-reset', { cpu, trigger, installed, reference: this.reference });
    if (ro && trigger !== 'migration') {
      this.q.hazards.report(
        'icc-ctlr-ro-mismatch',
        `reset (${trigger}) of CPU ${cpu} installs ICC_CTLR_EL1 0x${installed.toString(16)} whose RO fields differ from the host's 0x${this.reference.toString(16)}`,
      );
    }
  }

  recordPut(cpu: number, kvmValue: bigint): void {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i];
      if (r === undefined || r.cpu !== cpu) continue;
      if (r.kvmAfterPut === null) r.kvmAfterPut = kvmValue;
      return;
    }
  }

  /** Every reset installed exactly the reference value. */
  allInstalledReference(): boolean {
    return this.records.every((r) => r.installed === r.reference);
  }
}
