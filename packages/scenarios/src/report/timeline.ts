// Turns a run's trace into per-thread lanes: state intervals, slices and markers. Incremental: events are
// pushed one at a time and only each thread's open state is kept, so a listener can stream the pieces of a
// run of any length (the Chrome trace writer does). README.md documents every derivation rule.
import { type TraceData, type TraceEvent, formatValue } from '@vgicsim/kvm-sim';
import type {
  Lane,
  LaneState,
  Marker,
  MarkerKind,
  Slice,
  SliceArgs,
  SliceKind,
  StateInterval,
  Timeline,
  TimelineListener,
} from './model.js';
import { ThreadDirectory, isBql, vcpuIndexOf } from './threads.js';

export interface TimelineBuilderOptions {
  /** Thread names by id, for traces without spawn events (spawn events win). */
  readonly names?: readonly string[];
  /** Receives every piece as soon as it is decided. */
  readonly listener?: TimelineListener;
  /** Keep intervals, slices and markers for finish()'s Timeline (default true; false to stream only). */
  readonly collect?: boolean;
}

/** The CPU_ON work item QEMU queues on the target (arm_set_cpu_on → async_run_on_cpu). */
export const CPU_ON_WORK = 'arm_set_cpu_on_async_work';

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

interface LaneBuild {
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

export class TimelineBuilder {
  private readonly dir = new ThreadDirectory();
  private readonly lanes = new Map<number, LaneBuild>();
  private readonly markers: Marker[] = [];
  private readonly listener: TimelineListener | undefined;
  private readonly collect: boolean;
  private readonly names: readonly string[];
  private spawned = 0;
  private startNs: number | null = null;
  private lastNs = 0;
  private nextKey = 1;
  private outcome: string | undefined;
  private failed = false;
  private finished: Timeline | null = null;

  constructor(options: TimelineBuilderOptions = {}) {
    this.listener = options.listener;
    this.collect = options.collect ?? true;
    this.names = options.names ?? [];
  }

  push(ev: TraceEvent): void {
    if (this.finished !== null) throw new Error('TimelineBuilder: push after finish');
    this.startNs ??= ev.t;
    this.lastNs = Math.max(this.lastNs, ev.t);
    const t = ev.t;
    const d: TraceData = ev.data ?? {};
    if (ev.kind === 'spawn') {
      this.openLane(this.spawned++, str(d, 'name'), t);
      return;
    }
    if (ev.kind === 'end') {
      this.outcome = str(d, 'outcome');
      if (this.outcome !== 'ok' && !this.failed) this.mark('failure', t, -1, `run ended: ${this.outcome}`, { outcome: this.outcome });
      return;
    }
    if (ev.thread < 0) return;
    const self = this.lane(ev.thread, t);
    if (self.endNs !== null) return;
    // A thread that emits is running again, whatever woke it (a timeout, a wake-up the trace does not
    // name). Signal handlers are the exception: they run on a thread that stays blocked in user space.
    if (self.blocked !== null && ev.kind !== 'signal-handler') this.unblock(self, t);
    let target: LaneBuild | undefined;
    switch (ev.kind) {
      case 'exit':
        this.closeLane(self, t);
        return;
      case 'lock':
        if (isBql(str(d, 'mutex'))) this.takeBql(self, t);
        break;
      case 'unlock':
        if (isBql(str(d, 'mutex')) && self.bql !== null) {
          self.holdsBql = false;
          this.closeSlice(self, self.bql, t);
          self.bql = null;
        }
        break;
      case 'lock-wait':
        this.block(self, str(d, 'mutex'), false, t);
        break;
      case 'cond-wait':
        this.block(self, str(d, 'cond'), false, t);
        break;
      case 'block': {
        const queue = str(d, 'queue');
        this.block(self, queue, /^vcpu\d+\.wait$/.test(queue), t);
        break;
      }
      case 'handoff':
        target = this.named(str(d, 'to'));
        if (target !== undefined) {
          this.unblock(target, t);
          if (isBql(str(d, 'mutex'))) this.takeBql(target, t);
        }
        break;
      case 'lock-wake':
      case 'cond-wake':
      case 'wake':
      case 'interrupt':
        target = this.named(str(d, 'target'));
        if (target !== undefined && target.blocked !== null) this.unblock(target, t);
        break;
      case 'signal':
        target = this.named(str(d, 'target'));
        this.mark('kick', t, target?.thread ?? -1, `kick (signal ${str(d, 'signal')})`, { signal: str(d, 'signal'), from: self.name });
        break;
      case 'ioctl-begin':
        this.ioctlBegin(self, d, t);
        break;
      case 'ioctl-end':
        this.ioctlEnd(self, d, t);
        break;
      case 'pause-all-begin':
        self.pauses.push(this.openSlice(self, 'pause-all', 'pause_all_vcpus', t, { vmWide: d['vmWide'] === true }));
        break;
      case 'pause-all-end': {
        const key = self.pauses.pop();
        if (key !== undefined) this.closeSlice(self, key, t, { latencyNs: num(d, 'latencyNs') });
        break;
      }
      case 'work-begin':
        if (str(d, 'work') === CPU_ON_WORK) {
          const key = this.openSlice(self, 'cpu-on-work', 'CPU_ON work', t, { cpu: num(d, 'cpu'), work: CPU_ON_WORK });
          self.works.push({ key, work: CPU_ON_WORK });
        }
        break;
      case 'work-end': {
        this.closeReset(self, t);
        const i = self.works.findLastIndex((w) => w.work === str(d, 'work'));
        const w = self.works[i];
        if (w !== undefined) {
          self.works.splice(i, 1);
          this.closeSlice(self, w.key, t);
        }
        break;
      }
      case 'cpu-reset':
        this.closeReset(self, t);
        self.reset = { key: this.openSlice(self, 'cpu-reset', 'cpu_reset', t, { cpu: num(d, 'cpu') }), sawInit: false };
        break;
      case 'system-reset-end':
        this.closeReset(self, t);
        break;
      case 'cpu-stopped':
      case 'cpu-resume': {
        const id = this.dir.vcpuThread(self.thread, num(d, 'cpu'));
        target = id === undefined ? undefined : this.lanes.get(id);
        if (target !== undefined) target.stopped = ev.kind === 'cpu-stopped';
        break;
      }
      case 'violation':
        this.mark('violation', t, self.thread, `violation: ${str(d, 'kind')}`, { kind: str(d, 'kind'), message: str(d, 'message') });
        break;
      case 'qemu-abort':
      case 'abort':
        // q.abort() emits qemu-abort and then the kernel's abort: one failure point.
        if (!this.failed) this.mark('failure', t, self.thread, `${ev.kind}: ${str(d, 'message')}`, { message: str(d, 'message') });
        break;
    }
    this.restate(self, t);
    if (target !== undefined && target !== self) this.restate(target, t);
  }

  /** Closes every open interval and slice at `endNs` (default: the last event's time) and returns the timeline. */
  finish(endNs?: number): Timeline {
    if (this.finished !== null) return this.finished;
    const end = Math.max(endNs ?? this.lastNs, this.lastNs);
    const sorted = [...this.lanes.values()].sort((a, b) => a.thread - b.thread);
    for (const lane of sorted) if (lane.endNs === null) this.closeLane(lane, end);
    const lanes: Lane[] = sorted.map((l) => ({
      thread: l.thread,
      name: l.name,
      startNs: l.startNs,
      endNs: l.endNs ?? end,
      intervals: l.intervals,
      slices: l.slices,
    }));
    this.finished = { lanes, startNs: this.startNs ?? 0, endNs: end, markers: this.markers, outcome: this.outcome };
    return this.finished;
  }

  // -------------------------------------------------------------------------------------------------------

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

  /** The lane of a thread; one missing its spawn event (a cut trace) starts at its first event. */
  private lane(thread: number, t: number): LaneBuild {
    const lane = this.lanes.get(thread);
    if (lane !== undefined) return lane;
    this.spawned = Math.max(this.spawned, thread + 1);
    return this.openLane(thread, this.names[thread] ?? `#${thread}`, t);
  }

  private named(name: string): LaneBuild | undefined {
    const id = this.dir.idOf(name);
    const lane = id === undefined ? undefined : this.lanes.get(id);
    return lane?.endNs === null ? lane : undefined;
  }

  private closeLane(lane: LaneBuild, t: number): void {
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

  private takeBql(lane: LaneBuild, t: number): void {
    lane.holdsBql = true;
    lane.bql ??= this.openSlice(lane, 'bql', 'BQL held', t, {});
  }

  private block(lane: LaneBuild, on: string, vcpuWait: boolean, t: number): void {
    lane.blocked = { on, vcpuWait };
    lane.wait = this.openSlice(lane, 'wait', vcpuWait ? `sleep ${on}` : `wait ${on}`, t, { on });
  }

  private unblock(lane: LaneBuild, t: number): void {
    lane.blocked = null;
    if (lane.wait !== null) this.closeSlice(lane, lane.wait, t);
    lane.wait = null;
  }

  private ioctlBegin(lane: LaneBuild, d: TraceData, t: number): void {
    const req = str(d, 'req');
    const args: Record<string, string | number> = { req };
    for (const k of ['fd', 'group', 'attr', 'sysreg']) {
      const v = d[k];
      if (v !== undefined) args[k] = typeof v === 'number' ? v : formatValue(v);
    }
    if (lane.ioctl !== null) this.closeSlice(lane, lane.ioctl.key, t);
    const key = this.openSlice(lane, req === 'KVM_RUN' ? 'kvm-run' : 'ioctl', req, t, args);
    lane.ioctl = lane.open.get(key) ?? null;
    if (req === 'KVM_RUN') lane.inKvmRun = true;
    if (req === 'KVM_ARM_VCPU_INIT' && lane.reset !== null) lane.reset.sawInit = true;
  }

  private ioctlEnd(lane: LaneBuild, d: TraceData, t: number): void {
    const req = str(d, 'req');
    const ret = str(d, 'ret');
    const open = lane.ioctl;
    if (open !== null) this.closeSlice(lane, open.key, t, { result: ret });
    lane.ioctl = null;
    if (req === 'KVM_RUN') lane.inKvmRun = false;
    if (ret === '-EBUSY') this.mark('ebusy', t, lane.thread, `${req} -EBUSY`, { ...(open?.args ?? {}), req, result: ret });
    // kvm_arm_reset_vcpu ends with the KVM_GET_MP_STATE that follows its KVM_ARM_VCPU_INIT.
    if (req === 'KVM_GET_MP_STATE' && lane.reset?.sawInit === true) this.closeReset(lane, t);
  }

  private closeReset(lane: LaneBuild, t: number): void {
    if (lane.reset === null) return;
    this.closeSlice(lane, lane.reset.key, t);
    lane.reset = null;
  }

  private openSlice(lane: LaneBuild, kind: SliceKind, name: string, t: number, args: SliceArgs): number {
    const key = this.nextKey++;
    lane.open.set(key, { key, kind, name, startNs: t, args });
    this.listener?.sliceOpen?.(lane.thread, key, kind, name, t, args);
    return key;
  }

  private closeSlice(lane: LaneBuild, key: number, t: number, extra: SliceArgs = {}): void {
    const open = lane.open.get(key);
    if (open === undefined) return;
    lane.open.delete(key);
    const slice: Slice = { kind: open.kind, name: open.name, startNs: open.startNs, endNs: t, args: { ...open.args, ...extra } };
    if (this.collect) lane.slices.push(slice);
    this.listener?.sliceClose?.(lane.thread, key, slice);
  }

  private mark(kind: MarkerKind, t: number, thread: number, label: string, args: SliceArgs): void {
    if (kind === 'failure') this.failed = true;
    const m: Marker = { kind, t, thread, label, args };
    if (this.collect) this.markers.push(m);
    this.listener?.marker?.(m);
  }

  /** Recomputes a lane's state from its flags; a change closes the running interval. */
  private restate(lane: LaneBuild, t: number): void {
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

function str(d: TraceData, key: string): string {
  const v = d[key];
  return v === undefined ? '' : formatValue(v);
}

function num(d: TraceData, key: string): number {
  const v = d[key];
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** Whole-trace convenience: pushes every event and finishes at `endNs` (default: the last event). */
export function buildTimeline(events: Iterable<TraceEvent>, options: TimelineBuilderOptions & { readonly endNs?: number } = {}): Timeline {
  const b = new TimelineBuilder(options);
  for (const ev of events) b.push(ev);
  return b.finish(options.endNs);
}
