import { KERNEL_EVENT_KINDS, KVM_EVENT_KINDS, type TraceEvent } from '@vgicsim/kvm-sim';
import { BUILTIN_STRATEGIES, QEMU_EVENT_KINDS, STRATEGY_NOTE_PREFIX } from '@vgicsim/qemu-arm-model';
import { describe, expect, it } from 'vitest';
import { SUITES } from '../suites/index.js';
import { SCENARIO_EVENT_KINDS } from '../suites/trace-vocabulary.js';
import { recordRun } from './test-support.js';
import { isDeclaredEvent, modelEvent } from './trace-events.js';

const ev = (kind: string): TraceEvent => ({ seq: 0, t: 0, thread: 0, kind, data: undefined });

describe('every emitted event kind belongs to a vocabulary', () => {
  // Every suite under every built-in design, full trace: the kinds a run can emit.
  const seen = new Map<string, number>();
  for (const suite of SUITES) {
    for (const strategy of BUILTIN_STRATEGIES) {
      for (const e of recordRun(suite.name, strategy.name).events) seen.set(e.kind, (seen.get(e.kind) ?? 0) + 1);
    }
  }

  it('no run emits a kind outside the kernel, KVM, QEMU and scenario vocabularies', () => {
    const undeclared = [...seen.keys()].filter((k) => !isDeclaredEvent(ev(k)));
    expect(undeclared).toEqual([]);
  });

  it('the runs exercise all but a known handful of the declared kinds', () => {
    const declared = [...KERNEL_EVENT_KINDS, ...KVM_EVENT_KINDS, ...QEMU_EVENT_KINDS, ...SCENARIO_EVENT_KINDS];
    expect(new Set(declared).size).toBe(declared.length);
    const unseen = declared.filter((k) => !seen.has(k)).sort();
    expect(unseen).toEqual(UNSEEN);
    expect([...seen.keys()].filter((k) => k.startsWith(STRATEGY_NOTE_PREFIX))).toEqual([]);
  });

  it('modelEvent accepts model kinds only', () => {
    expect(modelEvent(ev('lock-wait'))?.kind).toBe('lock-wait');
    expect(modelEvent(ev('ioctl-end'))?.kind).toBe('ioctl-end');
    expect(modelEvent(ev('pause-all-begin'))?.kind).toBe('pause-all-begin');
    expect(modelEvent(ev('overlap-inject'))).toBeUndefined();
    expect(modelEvent(ev('lockwait'))).toBeUndefined();
    expect(isDeclaredEvent(ev('overlap-inject'))).toBe(true);
    expect(isDeclaredEvent(ev('strategy:reread'))).toBe(true);
    expect(isDeclaredEvent(ev('lockwait'))).toBe(false);
  });
});

/**
 * Declared kinds no default suite run emits: error paths (QEMU errors and warnings, a refused QMP command,
 * guest errors and panics, exits QEMU does not handle), arm_reset_cpu, the BQL handoff policy and the
 * lockless-shadow lock policy. Their emit sites are checked by type (emitQemuEvent / emitKvmEvent) or, for
 * the kernel's `handoff`, by the hand-written traces of timeline.test.ts.
 */
const UNSEEN: readonly string[] = [
  'arm-set-cpu-off',
  'guest-error',
  'guest-panicked',
  'handoff',
  'qemu-error',
  'qemu-warning',
  'qmp-error',
  'unhandled-exit',
  'vgic-shadow-read',
];
