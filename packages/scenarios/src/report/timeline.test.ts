import type { TraceData, TraceEvent } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import type { Lane, Slice, StateInterval, Timeline } from './model.js';
import { CPU_ON_WORK, TimelineBuilder, buildTimeline } from './timeline.js';
import { recordRun } from './test-support.js';

function lane(tl: Timeline, name: string): Lane {
  const l = tl.lanes.find((x) => x.name === name);
  if (l === undefined) throw new Error(`no lane ${name} in ${tl.lanes.map((x) => x.name).join(', ')}`);
  return l;
}

function slices(l: Lane, kind: Slice['kind']): Slice[] {
  return l.slices.filter((s) => s.kind === kind);
}

function within(inner: { startNs: number; endNs: number }, outer: { startNs: number; endNs: number }): boolean {
  return inner.startNs >= outer.startNs && inner.endNs <= outer.endNs;
}

/** A tiny trace writer for the rule tests: events in order, ids assigned as the kernel would. */
class Script {
  readonly events: TraceEvent[] = [];
  private seq = 0;
  at(t: number, thread: number, kind: string, data?: TraceData): this {
    this.events.push({ seq: this.seq++, t, thread, kind, data });
    return this;
  }
}

describe('timeline of a real run: boot, 2 vCPUs, rfc-v6', () => {
  const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
  const tl = buildTimeline(run.events);
  const cpu1 = lane(tl, 'CPU 1/KVM');
  const cpu0 = lane(tl, 'CPU 0/KVM');
  const cpuOn = slices(cpu1, 'cpu-on-work');
  const pauses = slices(cpu1, 'pause-all');

  it('has one lane per spawned thread, in thread-id order, and the run outcome', () => {
    expect(run.result.outcome).toBe('ok');
    expect(tl.lanes.map((l) => l.name)).toEqual(['main', 'CPU 0/KVM', 'CPU 1/KVM']);
    expect(tl.lanes.map((l) => l.thread)).toEqual([0, 1, 2]);
    expect(tl.outcome).toBe('ok');
    expect(tl.endNs).toBe(run.result.virtualTimeNs);
  });

  it('covers every lane from spawn to end with non-empty, contiguous, changing intervals', () => {
    expect(tl.lanes.map((l) => l.intervals.length)).toEqual([28, 42, 30]);
    for (const l of tl.lanes) {
      expect(l.intervals[0]?.startNs).toBe(l.startNs);
      expect(l.intervals.at(-1)?.endNs).toBe(l.endNs);
      l.intervals.forEach((iv, i) => {
        expect(iv.endNs).toBeGreaterThan(iv.startNs);
        const prev: StateInterval | undefined = l.intervals[i - 1];
        if (prev === undefined) return;
        expect(iv.startNs).toBe(prev.endNs);
        expect(prev.state !== iv.state || prev.detail !== iv.detail).toBe(true);
      });
    }
  });

  it('CPU 1/KVM sleeps in KVM (powered off, on vcpu1.wait) before its CPU_ON work runs', () => {
    expect(cpuOn).toHaveLength(1);
    const work = cpuOn[0] as Slice;
    expect(work.args['work']).toBe(CPU_ON_WORK);
    const sleep = cpu1.intervals.find((iv) => iv.state === 'kvm-sleep' && iv.endNs <= work.startNs);
    expect(sleep?.detail).toBe('vcpu1.wait');
    // …inside a KVM_RUN that the kick ends.
    const run1 = slices(cpu1, 'kvm-run').find((s) => within(sleep as StateInterval, s));
    expect(run1?.args['result']).toBe('-EINTR');
  });

  it('the CPU_ON work resets the CPU, which pauses the VM once: pause_all_vcpus on the pausing thread, nested', () => {
    expect(pauses).toHaveLength(1);
    const pause = pauses[0] as Slice;
    expect(pause.args['vmWide']).toBe(true);
    // QEMU's latency ends when every vCPU is paused; the slice also covers the BQL drop-and-retake after it.
    expect(pause.endNs - pause.startNs).toBeGreaterThanOrEqual(pause.args['latencyNs'] as number);
    expect(pause.args['latencyNs']).toBe(10_240);
    const reset = slices(cpu1, 'cpu-reset').find((r) => within(pause, r));
    expect(reset === undefined ? null : [reset.startNs, reset.endNs, reset.args['cpu']]).toEqual([157_540, 173_320, 1]);
    expect(within(reset as Slice, cpuOn[0] as Slice)).toBe(true);
    // No other thread pauses in this run.
    expect(tl.lanes.flatMap((l) => slices(l, 'pause-all'))).toHaveLength(1);
  });

  it('both vCPUs are stopped during the pause and not before it', () => {
    const pause = pauses[0] as Slice;
    for (const l of [cpu0, cpu1]) {
      const stopped = l.intervals.filter((iv) => iv.state === 'stopped' && iv.startNs < pause.endNs && iv.endNs > pause.startNs);
      expect(stopped.map((iv) => [iv.startNs, iv.endNs]), l.name).toEqual([[l === cpu0 ? 163_440 : 158_500, 169_000]]);
      expect(l.intervals.some((iv) => iv.state === 'stopped' && iv.endNs <= pause.startNs), l.name).toBe(false);
    }
    expect(lane(tl, 'main').intervals.some((iv) => iv.state === 'stopped')).toBe(false);
  });

  it('marks the -EBUSY that made rfc-v6 pause, on the thread that got it, just before the pause', () => {
    const ebusy = tl.markers.filter((m) => m.kind === 'ebusy');
    expect(ebusy).toHaveLength(run.result.metrics.ebusy);
    expect(ebusy[0]?.thread).toBe(cpu1.thread);
    expect(ebusy[0]?.args['req']).toBe('KVM_GET_DEVICE_ATTR');
    expect(ebusy[0]?.t).toBe((pauses[0] as Slice).startNs);
    expect(tl.markers.some((m) => m.kind === 'failure')).toBe(false);
  });

  it('guest and kvm-sleep only inside KVM_RUN; qemu-bql only inside a BQL-held slice', () => {
    for (const l of tl.lanes) {
      const runs = slices(l, 'kvm-run');
      const bql = slices(l, 'bql');
      for (const iv of l.intervals) {
        if (iv.state === 'guest' || iv.state === 'kvm-sleep') expect(runs.some((s) => within(iv, s)), `${l.name} ${iv.startNs}`).toBe(true);
        if (iv.state === 'qemu-bql') expect(bql.some((s) => within(iv, s)), `${l.name} ${iv.startNs}`).toBe(true);
      }
    }
    expect(cpu0.intervals.some((iv) => iv.state === 'guest')).toBe(true);
  });

  it('kicks land on the target lane', () => {
    const kicks = tl.markers.filter((m) => m.kind === 'kick');
    expect(kicks.length).toBe(12);
    expect(kicks.every((k) => k.thread === cpu0.thread || k.thread === cpu1.thread)).toBe(true);
  });
});

describe('timeline of an aborting run: parallel-cpu-on under upstream-2025', () => {
  const run = recordRun('parallel-cpu-on', 'upstream-2025');
  const tl = buildTimeline(run.events);

  it('has exactly one failure marker, on the aborting thread, at the abort time', () => {
    expect(run.result.outcome).toBe('abort');
    const failures = tl.markers.filter((m) => m.kind === 'failure');
    expect(failures).toHaveLength(1);
    const abort = run.events.find((e) => e.kind === 'abort');
    expect(failures[0]?.t).toBe(abort?.t);
    expect(failures[0]?.thread).toBe(abort?.thread);
    expect(failures[0]?.label).toContain('KVM_GET_DEVICE_ATTR failed');
    expect(tl.outcome).toBe('abort');
  });

  it('marks the violations and closes every open slice at the end', () => {
    expect(tl.markers.filter((m) => m.kind === 'violation')).toHaveLength(run.result.violations.length);
    for (const l of tl.lanes) for (const s of l.slices) expect(s.endNs).toBeLessThanOrEqual(tl.endNs);
  });
});

describe('derivation rules on hand-written traces', () => {
  const spawn = (s: Script, t: number, name: string, parent = -1): Script => s.at(t, parent, 'spawn', { name, daemon: false });

  it('a BQL handoff gives the waiter the BQL; a signal handler on a blocked thread does not wake it', () => {
    const s = new Script();
    spawn(s, 0, 'main');
    spawn(s, 0, 'CPU 0/KVM');
    s.at(10, 0, 'lock', { mutex: 'BQL' })
      .at(20, 1, 'lock-wait', { mutex: 'BQL', owner: 'main' })
      .at(25, 1, 'signal-handler', { signal: 10 })
      .at(30, 0, 'unlock', { mutex: 'BQL', heldNs: 20 })
      .at(30, 0, 'handoff', { mutex: 'BQL', to: 'CPU 0/KVM' })
      .at(50, 1, 'unlock', { mutex: 'BQL', heldNs: 20 });
    const tl = buildTimeline(s.events, { endNs: 60 });
    const cpu = tl.lanes[1] as Lane;
    expect(cpu.intervals.map((iv) => [iv.state, iv.startNs, iv.endNs])).toEqual([
      ['qemu', 0, 20],
      ['waiting', 20, 30],
      ['qemu-bql', 30, 50],
      ['qemu', 50, 60],
    ]);
    expect(slices(cpu, 'bql').map((b) => [b.startNs, b.endNs])).toEqual([[30, 50]]);
    expect(slices(cpu, 'wait').map((w) => [w.name, w.startNs, w.endNs])).toEqual([['wait BQL', 20, 30]]);
  });

  it('resolves cpu-resume {cpu} to the vCPU of the emitter’s process (src:/dst: prefixes)', () => {
    const s = new Script();
    for (const n of ['src:main', 'dst:main', 'src:CPU 1/KVM', 'dst:CPU 1/KVM']) spawn(s, 0, n);
    s.at(10, 2, 'cpu-stopped', { cpu: 1 }).at(10, 3, 'cpu-stopped', { cpu: 1 }).at(40, 1, 'cpu-resume', { cpu: 1 });
    const tl = buildTimeline(s.events, { endNs: 100 });
    const stoppedUntil = (name: string): number | undefined => lane(tl, name).intervals.find((iv) => iv.state === 'stopped')?.endNs;
    expect(stoppedUntil('src:CPU 1/KVM')).toBe(100);
    expect(stoppedUntil('dst:CPU 1/KVM')).toBe(40);
  });

  it('a vCPU blocked on its wait queue inside KVM_RUN sleeps until the waker’s interrupt; outside KVM_RUN it is guest-free', () => {
    const s = new Script();
    spawn(s, 0, 'main');
    spawn(s, 0, 'CPU 0/KVM');
    s.at(10, 1, 'ioctl-begin', { fd: 11, req: 'KVM_RUN' })
      .at(15, 1, 'block', { queue: 'vcpu0.wait' })
      .at(40, 0, 'signal', { target: 'CPU 0/KVM', signal: 10 })
      .at(40, 0, 'interrupt', { target: 'CPU 0/KVM', queue: 'vcpu0.wait' })
      .at(45, 1, 'ioctl-end', { fd: 11, req: 'KVM_RUN', ret: '-EINTR' })
      .at(50, 1, 'exit');
    const tl = buildTimeline(s.events);
    const cpu = tl.lanes[1] as Lane;
    expect(cpu.intervals.map((iv) => [iv.state, iv.startNs, iv.endNs])).toEqual([
      ['qemu', 0, 10],
      ['guest', 10, 15],
      ['kvm-sleep', 15, 40],
      ['guest', 40, 45],
      ['qemu', 45, 50],
    ]);
    expect(cpu.endNs).toBe(50);
    expect(tl.markers.map((m) => [m.kind, m.thread, m.t])).toEqual([['kick', 1, 40]]);
  });

  it('streams the same pieces to a listener without keeping them (collect: false)', () => {
    const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
    const seen: { thread: number; iv: StateInterval }[] = [];
    const streamed: Slice[] = [];
    const b = new TimelineBuilder({ collect: false, listener: { interval: (thread, iv) => seen.push({ thread, iv }), sliceClose: (_t, _k, sl) => streamed.push(sl) } });
    for (const e of run.events) b.push(e);
    const empty = b.finish();
    expect(empty.lanes.every((l) => l.intervals.length === 0 && l.slices.length === 0)).toBe(true);
    const full = buildTimeline(run.events);
    for (const l of full.lanes) expect(seen.filter((x) => x.thread === l.thread).map((x) => x.iv)).toEqual(l.intervals);
    expect(streamed.length).toBe(full.lanes.reduce((n, l) => n + l.slices.length, 0));
  });

  it('names lanes from the names option when the trace has no spawn events', () => {
    const s = new Script().at(5, 1, 'lock', { mutex: 'BQL' });
    const tl = buildTimeline(s.events, { names: ['main', 'CPU 0/KVM'] });
    expect(tl.lanes.map((l) => [l.thread, l.name])).toEqual([[1, 'CPU 0/KVM']]);
    expect(() => {
      const b = new TimelineBuilder();
      b.finish();
      b.push(s.events[0] as TraceEvent);
    }).toThrow(/after finish/);
  });
});
