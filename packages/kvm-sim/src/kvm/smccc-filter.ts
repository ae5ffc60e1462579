// The per-VM SMCCC filter (arch/arm64/kvm/hypercalls.c, kvm.md §9): validation order, reserved ranges and
// the run-time action lookup. Pure data structure; locking and the has-run check live with the VM.
import { EEXIST, EINVAL } from './errno.js';
import { KVM_SMCCC_FILTER_HANDLE, type KvmSmcccFilter } from './uapi.js';

interface Range {
  readonly base: number;
  readonly end: number;
  readonly action: number;
}

/** The Arm Architecture Calls ranges KVM inserts on the first filter write; they can never be filtered. */
const RESERVED: readonly Range[] = [
  { base: 0x80000000, end: 0x8000ffff, action: KVM_SMCCC_FILTER_HANDLE },
  { base: 0xc0000000, end: 0xc000ffff, action: KVM_SMCCC_FILTER_HANDLE },
];

export class SmcccFilter {
  private readonly ranges: Range[] = [];
  private configured = false;

  /** Checks done before any lock (kvm_smccc_set_filter steps 2–3); 0 or a negative errno. */
  static validate(f: KvmSmcccFilter): number {
    if ((f.pad ?? []).some((b) => b !== 0)) return -EINVAL;
    const end = (f.base + f.nr_functions - 1) >>> 0;
    // u32 arithmetic: an empty range or an overflow makes end < base.
    if (end < f.base >>> 0 || f.action >= 3 || f.action < 0) return -EINVAL;
    // 2026 fix: base 0 with nr 0 wraps to [0, U32_MAX]; now -EINVAL instead of -EEXIST (kvm.md §9.2).
    if (f.nr_functions === 0) return -EINVAL;
    return 0;
  }

  /** Inserts a validated range (steps 6–7); -EEXIST on any overlap, including the reserved ranges. */
  insert(f: KvmSmcccFilter): number {
    if (!this.configured) {
      this.ranges.push(...RESERVED);
      this.configured = true;
    }
    const base = f.base >>> 0;
    const end = (f.base + f.nr_functions - 1) >>> 0;
    if (this.ranges.some((r) => base <= r.end && end >= r.base)) return -EEXIST;
    this.ranges.push({ base, end, action: f.action });
    return 0;
  }

  /** The action for a function ID; HANDLE when no filter or no range matches. */
  lookup(functionId: number): number {
    const id = functionId >>> 0;
    for (const r of this.ranges) if (id >= r.base && id <= r.end) return r.action;
    return KVM_SMCCC_FILTER_HANDLE;
  }
}
