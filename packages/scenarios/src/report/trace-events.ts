// The trace as the report layer reads it: the union of the vocabularies of the layers that emit events
// (kernel and KVM from @vgicsim/kvm-sim, QEMU from @vgicsim/qemu-arm-model, the suites' own), so a reader
// switches on exported kind names and gets typed payloads.
import { type KernelTraceEvent, type KvmTraceEvent, type TraceEvent, isKernelEvent, isKvmEvent } from '@vgicsim/kvm-sim';
import { type QemuTraceEvent, isQemuEvent, isStrategyNote } from '@vgicsim/qemu-arm-model';
import { SCENARIO_EVENT_KINDS } from '../suites/trace-vocabulary.js';

/** An event of the kernel, KVM or QEMU vocabulary, its payload typed by its kind. */
export type ModelTraceEvent = KernelTraceEvent | KvmTraceEvent | QemuTraceEvent;

/** The event as a typed model event, or undefined for a kind outside the three vocabularies. */
export function modelEvent(event: TraceEvent): ModelTraceEvent | undefined {
  return isKernelEvent(event) || isKvmEvent(event) || isQemuEvent(event) ? event : undefined;
}

/** Whether an event's kind is declared by some layer: a model event, a suite's event or a strategy note. */
export function isDeclaredEvent(event: TraceEvent): boolean {
  return modelEvent(event) !== undefined || SCENARIO_EVENT_KINDS.has(event.kind) || isStrategyNote(event);
}
