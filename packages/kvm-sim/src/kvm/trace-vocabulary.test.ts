import { describe, expect, it } from 'vitest';
import { KERNEL_EVENT_KINDS, defineVocabulary, emitKernelEvent } from '../kernel/trace-vocabulary.js';
import type { TraceData } from '../kernel/trace.js';
import { KVM_EVENT_KINDS, emitKvmEvent } from './trace-vocabulary.js';

class Recorder {
  readonly seen: [string, TraceData | undefined][] = [];
  emit(kind: string, data?: TraceData): void {
    this.seen.push([kind, data]);
  }
}

describe('trace vocabularies of kvm-sim', () => {
  it('typed emits pass kind and payload object through unchanged; a bare event has no payload', () => {
    const r = new Recorder();
    const data = { fd: 3, req: 'KVM_RUN', ret: '-EINTR' } as const;
    emitKvmEvent(r, 'ioctl-end', data);
    emitKernelEvent(r, 'exit');
    expect(r.seen).toEqual([
      ['ioctl-end', data],
      ['exit', undefined],
    ]);
    expect(r.seen[0]?.[1]).toBe(data);
  });

  it('rejects, at compile time, an unknown kind, a wrong field and a missing payload', () => {
    const r = new Recorder();
    // @ts-expect-error -- not a KVM event
    emitKvmEvent(r, 'ioctl-begun', { fd: 1, req: 'KVM_RUN' });
    // @ts-expect-error -- `vcpus` is not a field of foreign-hold
    emitKvmEvent(r, 'foreign-hold', { vcpu: 0, holdNs: 5, vcpus: 1 });
    // @ts-expect-error -- lock needs its mutex
    emitKernelEvent(r, 'lock');
    // @ts-expect-error -- ret is an errno name, not a number
    emitKvmEvent(r, 'ioctl-end', { fd: 1, req: 'KVM_RUN', ret: -4 });
    expect(r.seen).toHaveLength(4);
  });

  it('a name table must name every kind, and only kinds, of its vocabulary', () => {
    type Two = { readonly a: undefined; readonly 'b-c': { readonly n: number } };
    const ok = defineVocabulary<Two>()({ a: 'a', bC: 'b-c' });
    expect([...ok.kinds]).toEqual(['a', 'b-c']);
    expect(ok.has({ seq: 0, t: 0, thread: 0, kind: 'b-c', data: { n: 1 } })).toBe(true);
    expect(ok.has({ seq: 0, t: 0, thread: 0, kind: 'b', data: undefined })).toBe(false);
    // @ts-expect-error -- 'b-c' has no name
    defineVocabulary<Two>()({ a: 'a' });
    // @ts-expect-error -- 'd' is not a kind of Two
    defineVocabulary<Two>()({ a: 'a', bC: 'b-c', d: 'd' });
  });

  it('kernel and KVM kinds are disjoint', () => {
    expect([...KVM_EVENT_KINDS].filter((k) => KERNEL_EVENT_KINDS.has(k))).toEqual([]);
    expect(KERNEL_EVENT_KINDS.size).toBe(19);
    expect(KVM_EVENT_KINDS.size).toBe(13);
  });
});
