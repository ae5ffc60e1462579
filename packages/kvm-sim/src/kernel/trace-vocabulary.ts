// The kernel's trace events: every kind the simulation kernel emits, with its payload type, and the
// generic machinery each layer uses to declare its own vocabulary and emit against it. A trace stays a
// flat list of `{kind, data}` records (that is what is hashed and streamed); the vocabulary is the
// contract readers (the report layer) switch on instead of bare strings.
import type { Outcome } from './outcome.js';
import type { TraceData, TraceEvent } from './trace.js';

/** A layer's vocabulary as a type: each event kind to its payload, or `undefined` for a bare event. */
export type EventPayloads = { readonly [kind: string]: TraceData | undefined };

/** One trace event of a vocabulary, its payload typed by its kind (switching on `kind` narrows `data`). */
export type VocabularyEvent<P extends EventPayloads> = {
  readonly [K in keyof P & string]: Omit<TraceEvent, 'kind' | 'data'> & { readonly kind: K; readonly data: P[K] };
}[keyof P & string];

/** The data argument that emitting `K` takes: none for a bare event. */
export type PayloadArg<P extends EventPayloads, K extends keyof P> = P[K] extends undefined ? [] : [data: P[K]];

/** Where a typed emitter sends events (the Simulator). */
export interface TraceTarget {
  emit(kind: string, data?: TraceData): void;
}

/** A typed emit for vocabulary `P`: an unknown kind, a missing or extra payload field is a type error. */
export type TypedEmit<P extends EventPayloads> = <K extends keyof P & string>(sim: TraceTarget, kind: K, ...data: PayloadArg<P, K>) => void;

function typedEmit<P extends EventPayloads>(): TypedEmit<P> {
  // The payload object goes through untouched: its field order is what the trace hash sees. A plain
  // optional parameter, not a rest one: a rest parameter builds an array on every event.
  const emit = (sim: TraceTarget, kind: string, data?: TraceData): void => {
    sim.emit(kind, data);
  };
  return emit;
}

/** A layer's vocabulary at run time: kind names for switches, the set of kinds, the typed emit and test. */
export interface Vocabulary<P extends EventPayloads, N> {
  /** Kind by name (`{ lockWait: 'lock-wait', … }`), for `case NAMES.lockWait:`. */
  readonly names: N;
  readonly kinds: ReadonlySet<string>;
  /** Emits an event of this vocabulary: an unknown kind, a missing or extra payload field is a type error. */
  readonly emit: TypedEmit<P>;
  /** Whether a trace event is of this vocabulary, typed as one. */
  readonly has: (event: TraceEvent) => event is VocabularyEvent<P>;
}

type Missing<P extends EventPayloads, N> = Exclude<keyof P & string, N[keyof N]>;

/**
 * Declares vocabulary `P` with a table of names, checked at compile time: a value that is not a kind of
 * `P`, or a kind of `P` without a name, is a type error.
 */
export function defineVocabulary<P extends EventPayloads>(): <const N extends { readonly [name: string]: keyof P & string }>(
  names: N & ([Missing<P, N>] extends [never] ? unknown : { readonly missingKinds: Missing<P, N> }),
) => Vocabulary<P, N> {
  return (names) => {
    const kinds: ReadonlySet<string> = new Set<string>(Object.values(names));
    return { names, kinds, emit: typedEmit<P>(), has: (event): event is VocabularyEvent<P> => kinds.has(event.kind) };
  };
}

// -------------------------------------------------------------------------------------------------------
// The kernel's own events (emitted by Simulator; names and fields as they appear in the trace)

type Thread = string;

/** The kernel's events, kind to payload. */
export type KernelEventPayloads = {
  /** A thread was created (its id is its spawn order). Emitted by the spawner, or -1 before the run. */
  readonly spawn: { readonly name: Thread; readonly daemon: boolean };
  /** The run ended (emitted once, by the kernel itself, thread -1). */
  readonly end: { readonly outcome: Outcome['kind'] };
  /** The emitting thread's body returned. */
  readonly exit: undefined;
  readonly lock: { readonly mutex: string };
  readonly unlock: { readonly mutex: string; readonly heldNs: number };
  readonly 'trylock-fail': { readonly mutex: string; readonly owner: Thread };
  /** The emitting thread blocks on a held mutex. */
  readonly 'lock-wait': { readonly mutex: string; readonly owner: Thread };
  /** The emitting thread releases `mutex` and waits on `cond`. */
  readonly 'cond-wait': { readonly cond: string; readonly mutex: string };
  readonly 'cond-broadcast': { readonly cond: string; readonly waiters: number };
  /** The emitting thread blocks on a wait queue (`vcpuN.wait` is a vCPU's WFI / powered-off wait). */
  readonly block: { readonly queue: string };
  /** A timed block ran out. */
  readonly timeout: { readonly queue: string };
  /** The unlocking thread passes `mutex` straight to the waiter `to`. */
  readonly handoff: { readonly mutex: string; readonly to: Thread };
  readonly 'lock-wake': { readonly mutex: string; readonly target: Thread };
  readonly 'cond-wake': { readonly cond: string; readonly target: Thread };
  readonly wake: { readonly queue: string; readonly target: Thread };
  /** A signal or kick cut `target`'s wait short: an interruptible sleep, queue wait or mutex wait. */
  readonly interrupt:
    | { readonly target: Thread; readonly remainingNs: number }
    | { readonly target: Thread; readonly queue: string }
    | { readonly target: Thread; readonly mutex: string };
  readonly signal: { readonly target: Thread; readonly signal: number };
  /** A handler runs on the emitting thread, which may stay blocked in user space. */
  readonly 'signal-handler': { readonly signal: number };
  /** The emitting thread aborted the run (SimAbort). */
  readonly abort: { readonly message: string };
};

export type KernelEventKind = keyof KernelEventPayloads;
export type KernelTraceEvent = VocabularyEvent<KernelEventPayloads>;

/** The kernel's vocabulary; `KERNEL_EVENT.lockWait` etc. name its kinds for switches. */
export const KERNEL_VOCABULARY = defineVocabulary<KernelEventPayloads>()({
  spawn: 'spawn',
  end: 'end',
  exit: 'exit',
  lock: 'lock',
  unlock: 'unlock',
  trylockFail: 'trylock-fail',
  lockWait: 'lock-wait',
  condWait: 'cond-wait',
  condBroadcast: 'cond-broadcast',
  block: 'block',
  timeout: 'timeout',
  handoff: 'handoff',
  lockWake: 'lock-wake',
  condWake: 'cond-wake',
  wake: 'wake',
  interrupt: 'interrupt',
  signal: 'signal',
  signalHandler: 'signal-handler',
  abort: 'abort',
});

export const { names: KERNEL_EVENT, kinds: KERNEL_EVENT_KINDS, emit: emitKernelEvent, has: isKernelEvent } = KERNEL_VOCABULARY;
