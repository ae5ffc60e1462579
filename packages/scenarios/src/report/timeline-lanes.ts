// The bookkeeping half of the timeline: per-thread lanes with their flags, open slices, state intervals
// and the markers, emitted to the listener as soon as each piece is decided. timeline.ts decides what each
// trace event means; this module only records it. README.md documents the derivation rules.
import type { Lane, LaneState, Marker, MarkerKind, Slice, SliceArgs, SliceKind, StateInterval, TimelineListener } from './model.js';
import { ThreadDirectory, vcpuIndexOf } from './threads.js';

interface OpenSlice {
  readonly key: number;
  readonly kind: SliceKind;
  readonly name: string;
  readonly startNs: number;
  readonly args: SliceArgs;
}

interface Blocked {
  readonly on: string;
  /** Blocked on its vCPU's wait queue (`vcpuN.wait`): WFI or powered off. */
  readonly vcpuWait: boolean;
}

export interface LaneBuild {
  readonly thread: number;
  readonly name: string;
  readonly startNs: number;
  endNs: number | null;
  inKvmRun: boolean;
  holdsBql: boolean;
  stopped: boolean;
  blocked: Blocked | null;
  state: LaneState;
  detail: string | undefined;
  since: number;
  /** The last closed interval, held back so back-to-back equal states merge before they are emitted. */
  pending: StateInterval | null;
  /** Open slices in opening order. */
  readonly open: Map<number, OpenSlice>;
  ioctl: OpenSlice | null;
  bql: number | null;
  wait: number | null;
  readonly pauses: number[];
  readonly works: { readonly key: number; readonly work: string }[];
  reset: { readonly key: number; sawInit: boolean } | null;
  readonly intervals: StateInterval[];
  readonly slices: Slice[];
}

export class LaneBook {
  readonly dir = new ThreadDirectory();
  readonly markers: Marker[] = [];
  /** A failure marker was placed (one per run: QEMU's abort and the kernel's abort are one failure). */
  failed = false;
  private readonly lanes = new Map<number, LaneBuild>();
  private spawned = 0;
  private nextKey = 1;

  constructor(
    private readonly listener: TimelineListener | undefined,
    private readonly collect: boolean,
    private readonly names: readonly string[],
  ) {}

  /** A spawn event: the next thread id gets a lane. */
  spawn(name: string, t: number): void {
    this.openLane(this.spawned++, name, t);
  }

  /** The lane of a thread; one missing its spawn event (a cut trace) starts at its first event. */
  lane(thread: number, t: number): LaneBuild {
    const lane = this.lanes.get(thread);
    if (lane !== undefined) return lane;
    this.spawned = Math.max(this.spawned, thread + 1);
    return this.openLane(thread, this.names[thread] ?? `#${thread}`, t);
  }

  /** The live lane of the thread named `name` (the newest thread of that name). */
  named(name: string): LaneBuild | undefined {
    return this.live(this.dir.idOf(name));
  }

  /** The live lane of vCPU `cpu` in the process of the emitting lane. */
  vcpuOf(emitter: LaneBuild, cpu: number): LaneBuild | undefined {
    return this.live(this.dir.vcpuThread(emitter.thread, cpu));
  }

  private live(id: number | undefined): LaneBuild | undefined {
    const lane = id === undefined ? undefined : this.lanes.get(id);
    return lane?.endNs === null ? lane : undefined;
  }

  private openLane(thread: number, name: string, t: number): LaneBuild {
    this.dir.add(thread, name);
    const lane: LaneBuild = {
      thread,
      name,
      startNs: t,
      endNs: null,
      inKvmRun: false,
      holdsBql: false,
      stopped: false,
      blocked: null,
      state: 'qemu',
      detail: undefined,
      since: t,
      pending: null,
      open: new Map(),
      ioctl: null,
      bql: null,
      wait: null,
      pauses: [],
      works: [],
      reset: null,
      intervals: [],
      slices: [],
    };
    this.lanes.set(thread, lane);
    this.listener?.lane?.(thread, name, t);
    return lane;
  }

  closeLane(lane: LaneBuild, t: number): void {
    // Innermost first, so a nesting consumer never has to split anything.
    for (const key of [...lane.open.keys()].reverse()) this.closeSlice(lane, key, t);
    lane.ioctl = null;
    lane.bql = null;
    lane.wait = null;
    lane.reset = null;
    lane.pauses.length = 0;
    lane.works.length = 0;
    this.closeInterval(lane, t);
    this.flushInterval(lane);
    lane.endNs = t;
    this.listener?.laneEnd?.(lane.thread, t);
  }

  /** Closes every live lane at `end` and returns the lanes in thread-id order. */
  finish(end: number): Lane[] {
    const sorted = [...this.lanes.values()].sort((a, b) => a.thread - b.thread);
    for (const lane of sorted) if (lane.endNs === null) this.closeLane(lane, end);
    return sorted.map((l) => ({
      thread: l.thread,
      name: l.name,
      startNs: l.startNs,
      endNs: l.endNs ?? end,
      intervals: l.intervals,
      slices: l.slices,
    }));
  }

  takeBql(lane: LaneBuild, t: number): void {
    lane.holdsBql = true;
    lane.bql ??= this.openSlice(lane, 'bql', 'BQL held', t, {});
  }

  dropBql(lane: LaneBuild, t: number): void {
    if (lane.bql === null) return;
    lane.holdsBql = false;
    this.closeSlice(lane, lane.bql, t);
    lane.bql = null;
  }

  block(lane: LaneBuild, on: string, vcpuWait: boolean, t: number): void {
    lane.blocked = { on, vcpuWait };
    lane.wait = this.openSlice(lane, 'wait', vcpuWait ? `sleep ${on}` : `wait ${on}`, t, { on });
  }

  unblock(lane: LaneBuild, t: number): void {
    lane.blocked = null;
    if (lane.wait !== null) this.closeSlice(lane, lane.wait, t);
    lane.wait = null;
  }

  closeReset(lane: LaneBuild, t: number): void {
    if (lane.reset === null) return;
    this.closeSlice(lane, lane.reset.key, t);
    lane.reset = null;
  }

  openSlice(lane: LaneBuild, kind: SliceKind, name: string, t: number, args: SliceArgs): number {
    const key = this.nextKey++;
    lane.open.set(key, { key, kind, name, startNs: t, args });
    this.listener?.sliceOpen?.(lane.thread, key, kind, name, t, args);
    return key;
  }

  closeSlice(lane: LaneBuild, key: number, t: number, extra: SliceArgs = {}): void {
    const open = lane.open.get(key);
    if (open === undefined) return;
    lane.open.delete(key);
    const slice: Slice = { kind: open.kind, name: open.name, startNs: open.startNs, endNs: t, args: { ...open.args, ...extra } };
    if (this.collect) lane.slices.push(slice);
    this.listener?.sliceClose?.(lane.thread, key, slice);
  }

  mark(kind: MarkerKind, t: number, thread: number, label: string, args: SliceArgs): void {
    if (kind === 'failure') this.failed = true;
    const m: Marker = { kind, t, thread, label, args };
    if (this.collect) this.markers.push(m);
    this.listener?.marker?.(m);
  }

  /** Recomputes a lane's state from its flags; a change closes the running interval. */
  restate(lane: LaneBuild, t: number): void {
    if (lane.endNs !== null) return;
    const [state, detail] = stateOf(lane);
    if (state === lane.state && detail === lane.detail) return;
    this.closeInterval(lane, t);
    lane.state = state;
    lane.detail = detail;
    lane.since = t;
  }

  private closeInterval(lane: LaneBuild, t: number): void {
    if (t <= lane.since) return;
    const iv: StateInterval = { startNs: lane.since, endNs: t, state: lane.state, ...(lane.detail === undefined ? {} : { detail: lane.detail }) };
    const p = lane.pending;
    if (p !== null && p.endNs === iv.startNs && p.state === iv.state && p.detail === iv.detail) {
      lane.pending = { ...p, endNs: iv.endNs };
      return;
    }
    this.flushInterval(lane);
    lane.pending = iv;
  }

  private flushInterval(lane: LaneBuild): void {
    const p = lane.pending;
    if (p === null) return;
    lane.pending = null;
    if (this.collect) lane.intervals.push(p);
    this.listener?.interval?.(lane.thread, p);
  }
}

/**
 * The state rules, in priority order: inside KVM_RUN (guest, or kvm-sleep when blocked on its vcpuN.wait,
 * or waiting on a kernel mutex); then a set `stopped` flag; then blocked; then BQL held or not.
 */
function stateOf(lane: LaneBuild): [LaneState, string | undefined] {
  const b = lane.blocked;
  if (lane.inKvmRun) {
    if (b === null) return ['guest', undefined];
    return b.vcpuWait ? ['kvm-sleep', b.on] : ['waiting', b.on];
  }
  if (lane.stopped && vcpuIndexOf(lane.name) !== null) return ['stopped', undefined];
  if (b !== null) return [b.vcpuWait ? 'kvm-sleep' : 'waiting', b.on];
  return [lane.holdsBql ? 'qemu-bql' : 'qemu', undefined];
}
