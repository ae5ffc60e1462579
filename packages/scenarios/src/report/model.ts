// The output model of the timeline: what a run looked like per thread, in virtual time. Everything here is
// plain data (no classes) so the SVG/HTML renderers and the CLI can serialise or test it directly.

/** What a thread was doing; one value at a time per lane (see README.md for how each is derived). */
export type LaneState = 'guest' | 'kvm-sleep' | 'qemu-bql' | 'qemu' | 'stopped' | 'waiting';

/** In legend order: the in-KVM states first, then the QEMU-side ones. */
export const LANE_STATES: readonly LaneState[] = ['guest', 'kvm-sleep', 'qemu-bql', 'qemu', 'stopped', 'waiting'];

export const LANE_STATE_LABELS: Readonly<Record<LaneState, string>> = {
  guest: 'in guest (KVM_RUN)',
  'kvm-sleep': 'in KVM, sleeping (WFI / powered off)',
  'qemu-bql': 'in QEMU, holding the BQL',
  qemu: 'in QEMU (no BQL)',
  stopped: 'vCPU stopped',
  waiting: 'waiting (mutex / condvar / queue)',
};

/** A half-open span [startNs, endNs) of one state; never empty. */
export interface StateInterval {
  readonly startNs: number;
  readonly endNs: number;
  readonly state: LaneState;
  /** For `waiting` / `kvm-sleep`: what the thread waits on (mutex, condvar or queue name). */
  readonly detail?: string;
}

/**
 * Slice kinds. `wait` is a blocked span (mutex, condvar or wait queue, `vcpuN.wait` included): the SVG
 * draws it through the states, the Chrome trace shows it as a nested slice.
 */
export type SliceKind = 'kvm-run' | 'ioctl' | 'bql' | 'pause-all' | 'cpu-on-work' | 'cpu-reset' | 'wait';

export type SliceArgValue = string | number | boolean;
export type SliceArgs = Readonly<Record<string, SliceArgValue>>;

export interface Slice {
  readonly kind: SliceKind;
  /** Display name: `KVM_RUN`, the ioctl request, `BQL held`, `pause_all_vcpus`, … */
  readonly name: string;
  readonly startNs: number;
  readonly endNs: number;
  readonly args: SliceArgs;
}

export type MarkerKind = 'kick' | 'ebusy' | 'violation' | 'failure';

export interface Marker {
  readonly kind: MarkerKind;
  readonly t: number;
  /** Thread id of the lane it belongs to; -1 for a run-wide marker (the `end` of a failed run). */
  readonly thread: number;
  /** Short text (tooltip / instant-event name). */
  readonly label: string;
  readonly args: SliceArgs;
}

export interface Lane {
  /** Simulator thread id (lanes are in thread-id order). */
  readonly thread: number;
  readonly name: string;
  /** Spawn time and exit time (or the end of the timeline for threads alive at the end). */
  readonly startNs: number;
  readonly endNs: number;
  readonly intervals: readonly StateInterval[];
  /** Closed slices in closing order. */
  readonly slices: readonly Slice[];
}

export interface Timeline {
  readonly lanes: readonly Lane[];
  readonly startNs: number;
  readonly endNs: number;
  /** Every marker, in trace order. */
  readonly markers: readonly Marker[];
  /** The simulator's outcome from the `end` event, when the trace has one (`ok`, `abort`, `deadlock`, …). */
  readonly outcome: string | undefined;
}

/** Receives pieces as they are decided; used to stream (the Chrome trace writer) without keeping them. */
export interface TimelineListener {
  lane?(thread: number, name: string, t: number): void;
  laneEnd?(thread: number, t: number): void;
  interval?(thread: number, interval: StateInterval): void;
  /** A slice begins; `key` identifies it until sliceClose. */
  sliceOpen?(thread: number, key: number, kind: SliceKind, name: string, t: number, args: SliceArgs): void;
  sliceClose?(thread: number, key: number, slice: Slice): void;
  marker?(marker: Marker): void;
}
