// Turns a run's trace into per-thread lanes: state intervals, slices and markers. Incremental: events are
// pushed one at a time and only each thread's open state is kept, so a listener can stream the pieces of a
// run of any length (the Chrome trace writer does). This module decides what each event means, switching
// on the emitting layers' vocabularies (typed payloads, no string parsing); timeline-lanes.ts records it.
// README.md documents every derivation rule.
import { KERNEL_EVENT, KVM_EVENT, type KvmEventPayloads, type TraceEvent, formatValue, isVcpuWaitQueue } from '@vgicsim/kvm-sim';
import { CPU_ON_WORK, QEMU_EVENT } from '@vgicsim/qemu-arm-model';
import type { SliceArgValue, Timeline, TimelineListener } from './model.js';
import { LaneBook, type LaneBuild } from './timeline-lanes.js';
import { isBql } from './threads.js';
import { modelEvent } from './trace-events.js';

export interface TimelineBuilderOptions {
  /** Thread names by id, for traces without spawn events (spawn events win). */
  readonly names?: readonly string[];
  /** Receives every piece as soon as it is decided. */
  readonly listener?: TimelineListener;
  /** Keep intervals, slices and markers for finish()'s Timeline (default true; false to stream only). */
  readonly collect?: boolean;
}

/** The CPU_ON work item QEMU queues on the target (arm_set_cpu_on → async_run_on_cpu). */
export { CPU_ON_WORK };

export class TimelineBuilder {
  private readonly book: LaneBook;
  private startNs: number | null = null;
  private lastNs = 0;
  private outcome: string | undefined;
  private finished: Timeline | null = null;

  constructor(options: TimelineBuilderOptions = {}) {
    this.book = new LaneBook(options.listener, options.collect ?? true, options.names ?? []);
  }

  push(ev: TraceEvent): void {
    if (this.finished !== null) throw new Error('TimelineBuilder: push after finish');
    this.startNs ??= ev.t;
    this.lastNs = Math.max(this.lastNs, ev.t);
    const t = ev.t;
    const book = this.book;
    const e = modelEvent(ev);
    if (e?.kind === KERNEL_EVENT.spawn) {
      book.spawn(e.data.name, t);
      return;
    }
    if (e?.kind === KERNEL_EVENT.end) {
      const outcome = e.data.outcome;
      this.outcome = outcome;
      if (outcome !== 'ok' && !book.failed) book.mark('failure', t, -1, `run ended: ${outcome}`, { outcome });
      return;
    }
    if (ev.thread < 0) return;
    const self = book.lane(ev.thread, t);
    if (self.endNs !== null) return;
    // A thread that emits is running again, whatever woke it (a timeout, a wake-up the trace does not
    // name). Signal handlers are the exception: they run on a thread that stays blocked in user space.
    if (self.blocked !== null && ev.kind !== KERNEL_EVENT.signalHandler) book.unblock(self, t);
    let target: LaneBuild | undefined;
    switch (e?.kind) {
      case KERNEL_EVENT.exit:
        book.closeLane(self, t);
        return;
      case KERNEL_EVENT.lock:
        if (isBql(e.data.mutex)) book.takeBql(self, t);
        break;
      case KERNEL_EVENT.unlock:
        if (isBql(e.data.mutex)) book.dropBql(self, t);
        break;
      case KERNEL_EVENT.lockWait:
        book.block(self, e.data.mutex, false, t);
        break;
      case KERNEL_EVENT.condWait:
        book.block(self, e.data.cond, false, t);
        break;
      case KERNEL_EVENT.block:
        book.block(self, e.data.queue, isVcpuWaitQueue(e.data.queue), t);
        break;
      case KERNEL_EVENT.handoff:
        target = book.named(e.data.to);
        if (target !== undefined) {
          book.unblock(target, t);
          if (isBql(e.data.mutex)) book.takeBql(target, t);
        }
        break;
      case KERNEL_EVENT.lockWake:
      case KERNEL_EVENT.condWake:
      case KERNEL_EVENT.wake:
      case KERNEL_EVENT.interrupt:
        target = book.named(e.data.target);
        if (target !== undefined && target.blocked !== null) book.unblock(target, t);
        break;
      case KERNEL_EVENT.signal: {
        target = book.named(e.data.target);
        const signal = String(e.data.signal);
        book.mark('kick', t, target?.thread ?? -1, `kick (signal ${signal})`, { signal, from: self.name });
        break;
      }
      case KVM_EVENT.ioctlBegin:
        this.ioctlBegin(self, e.data, t);
        break;
      case KVM_EVENT.ioctlEnd:
        this.ioctlEnd(self, e.data, t);
        break;
      case QEMU_EVENT.pauseAllBegin:
        self.pauses.push(book.openSlice(self, 'pause-all', 'pause_all_vcpus', t, { vmWide: e.data.vmWide }));
        break;
      case QEMU_EVENT.pauseAllEnd: {
        const key = self.pauses.pop();
        if (key !== undefined) book.closeSlice(self, key, t, { latencyNs: e.data.latencyNs });
        break;
      }
      case QEMU_EVENT.workBegin:
        if (e.data.work === CPU_ON_WORK) {
          const key = book.openSlice(self, 'cpu-on-work', 'CPU_ON work', t, { cpu: e.data.cpu, work: CPU_ON_WORK });
          self.works.push({ key, work: CPU_ON_WORK });
        }
        break;
      case QEMU_EVENT.workEnd: {
        book.closeReset(self, t);
        const work = e.data.work;
        const i = self.works.findLastIndex((w) => w.work === work);
        const w = self.works[i];
        if (w !== undefined) {
          self.works.splice(i, 1);
          book.closeSlice(self, w.key, t);
        }
        break;
      }
      case QEMU_EVENT.cpuReset:
        book.closeReset(self, t);
        self.reset = { key: book.openSlice(self, 'cpu-reset', 'cpu_reset', t, { cpu: e.data.cpu }), sawInit: false };
        break;
      case QEMU_EVENT.systemResetEnd:
        book.closeReset(self, t);
        break;
      case QEMU_EVENT.cpuStopped:
      case QEMU_EVENT.cpuResume:
        target = book.vcpuOf(self, e.data.cpu);
        if (target !== undefined) target.stopped = e.kind === QEMU_EVENT.cpuStopped;
        break;
      case QEMU_EVENT.violation:
        book.mark('violation', t, self.thread, `violation: ${e.data.kind}`, { kind: e.data.kind, message: e.data.message });
        break;
      case QEMU_EVENT.qemuAbort:
      case KERNEL_EVENT.abort:
        // q.abort() emits qemu-abort and then the kernel's abort: one failure point.
        if (!book.failed) book.mark('failure', t, self.thread, `${e.kind}: ${e.data.message}`, { message: e.data.message });
        break;
    }
    book.restate(self, t);
    if (target !== undefined && target !== self) book.restate(target, t);
  }

  /** Closes every open interval and slice at `endNs` (default: the last event's time) and returns the timeline. */
  finish(endNs?: number): Timeline {
    if (this.finished !== null) return this.finished;
    const end = Math.max(endNs ?? this.lastNs, this.lastNs);
    const lanes = this.book.finish(end);
    this.finished = { lanes, startNs: this.startNs ?? 0, endNs: end, markers: this.book.markers, outcome: this.outcome };
    return this.finished;
  }

  private ioctlBegin(lane: LaneBuild, d: KvmEventPayloads['ioctl-begin'], t: number): void {
    const req = d.req;
    const args: Record<string, SliceArgValue> = { req, fd: d.fd };
    if ('group' in d) {
      args['group'] = d.group;
      args['attr'] = formatValue(d.attr);
    }
    if ('sysreg' in d) args['sysreg'] = d.sysreg;
    if (lane.ioctl !== null) this.book.closeSlice(lane, lane.ioctl.key, t);
    const key = this.book.openSlice(lane, req === 'KVM_RUN' ? 'kvm-run' : 'ioctl', req, t, args);
    lane.ioctl = lane.open.get(key) ?? null;
    if (req === 'KVM_RUN') lane.inKvmRun = true;
    if (req === 'KVM_ARM_VCPU_INIT' && lane.reset !== null) lane.reset.sawInit = true;
  }

  private ioctlEnd(lane: LaneBuild, d: KvmEventPayloads['ioctl-end'], t: number): void {
    const { req, ret } = d;
    const open = lane.ioctl;
    if (open !== null) this.book.closeSlice(lane, open.key, t, { result: ret });
    lane.ioctl = null;
    if (req === 'KVM_RUN') lane.inKvmRun = false;
    if (ret === '-EBUSY') this.book.mark('ebusy', t, lane.thread, `${req} -EBUSY`, { ...(open?.args ?? {}), req, result: ret });
    // kvm_arm_reset_vcpu ends with the KVM_GET_MP_STATE that follows its KVM_ARM_VCPU_INIT.
    if (req === 'KVM_GET_MP_STATE' && lane.reset?.sawInit === true) this.book.closeReset(lane, t);
  }
}

/** Whole-trace convenience: pushes every event and finishes at `endNs` (default: the last event). */
export function buildTimeline(events: Iterable<TraceEvent>, options: TimelineBuilderOptions & { readonly endNs?: number } = {}): Timeline {
  const b = new TimelineBuilder(options);
  for (const ev of events) b.push(ev);
  return b.finish(options.endNs);
}
