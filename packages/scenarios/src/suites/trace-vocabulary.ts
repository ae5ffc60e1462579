// The scenario layer's own trace events (the suites emit one), declared like the lower layers' so every
// kind in a run's trace belongs to some vocabulary.
import { type VocabularyEvent, defineVocabulary } from '@vgicsim/kvm-sim';

export type ScenarioEventPayloads = {
  /** An overlap suite chose when to inject its event: `offsetUs` into the window. */
  readonly 'overlap-inject': { readonly offsetUs: number };
};

export type ScenarioTraceEvent = VocabularyEvent<ScenarioEventPayloads>;

export const SCENARIO_VOCABULARY = defineVocabulary<ScenarioEventPayloads>()({
  overlapInject: 'overlap-inject',
});

export const { names: SCENARIO_EVENT, kinds: SCENARIO_EVENT_KINDS, emit: emitScenarioEvent } = SCENARIO_VOCABULARY;
