// The scenario layer's own trace events (the suites emit one), declared like the lower layers' so every
// kind in a run's trace belongs to some vocabulary.
import { type TypedEmit, type VocabularyEvent, eventNames, typedEmit } from '@vgicsim/kvm-sim';

export type ScenarioEventPayloads = {
  /** An overlap suite chose when to inject its event: `offsetUs` into the window. */
  readonly 'overlap-inject': { readonly offsetUs: number };
};

export type ScenarioTraceEvent = VocabularyEvent<ScenarioEventPayloads>;

export const SCENARIO_EVENT = eventNames<ScenarioEventPayloads>()({
  overlapInject: 'overlap-inject',
});

export const SCENARIO_EVENT_KINDS: ReadonlySet<string> = new Set<string>(Object.values(SCENARIO_EVENT));

export const emitScenarioEvent: TypedEmit<ScenarioEventPayloads> = typedEmit<ScenarioEventPayloads>();
