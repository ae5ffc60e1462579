import { KERNEL_EVENT_KINDS, KVM_EVENT_KINDS, type TraceData } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { QEMU_EVENT_KINDS, STRATEGY_NOTE_PREFIX, emitQemuEvent, emitStrategyNote, isStrategyNote } from './trace-vocabulary.js';

class Recorder {
  readonly seen: { kind: string; data: TraceData | undefined }[] = [];
  emit(kind: string, data?: TraceData): void {
    this.seen.push({ kind, data });
  }
}

describe('the QEMU trace vocabulary', () => {
  it('names 37 kinds, none shared with the kernel or KVM vocabularies, none a strategy note', () => {
    expect(QEMU_EVENT_KINDS.size).toBe(37);
    for (const k of QEMU_EVENT_KINDS) {
      expect(KERNEL_EVENT_KINDS.has(k) || KVM_EVENT_KINDS.has(k), k).toBe(false);
      expect(k.startsWith(STRATEGY_NOTE_PREFIX), k).toBe(false);
    }
  });

  it('types payloads: a wrong field or value is a compile error', () => {
    const r = new Recorder();
    emitQemuEvent(r, 'qmp-event', { event: 'RESET', reason: 'guest-reset' });
    // @ts-expect-error -- RESET needs its reason
    emitQemuEvent(r, 'qmp-event', { event: 'RESET' });
    // @ts-expect-error -- pause-all-end carries latencyNs, not latency
    emitQemuEvent(r, 'pause-all-end', { latency: 3 });
    // @ts-expect-error -- not a hazard kind
    emitQemuEvent(r, 'violation', { kind: 'stranded', message: 'x' });
    emitQemuEvent(r, 'resume-all');
    expect(r.seen.map((e) => e.kind)).toEqual(['qmp-event', 'qmp-event', 'pause-all-end', 'violation', 'resume-all']);
    expect(r.seen[4]?.data).toBeUndefined();
  });

  it('strategy notes are `strategy:<event>` with a copy of the data ({} without data)', () => {
    const r = new Recorder();
    const data = { cpu: 1, value: 5n };
    emitStrategyNote(r, 'reread', data);
    emitStrategyNote(r, 'skip', undefined);
    expect(r.seen).toEqual([
      { kind: 'strategy:reread', data: { cpu: 1, value: 5n } },
      { kind: 'strategy:skip', data: {} },
    ]);
    expect(r.seen[0]?.data).not.toBe(data);
    expect(isStrategyNote({ seq: 0, t: 0, thread: 0, kind: 'strategy:skip', data: {} })).toBe(true);
    expect(isStrategyNote({ seq: 0, t: 0, thread: 0, kind: 'cpu-reset', data: { cpu: 0 } })).toBe(false);
  });
});
