// Public face of the schedule-exploration engine; re-exported by the package index.
export type { ExploreMode, Runner, ScheduleAttempt, ScheduleRun, Strategy } from './types.js';
export { RandomStrategy, checkSeedRange } from './random.js';
export type { RandomOptions } from './random.js';
export { PctChoice, PctStrategy, estimatePctSteps } from './pct.js';
export type { PctOptions } from './pct.js';
export { ExhaustiveStrategy, NondeterministicRunnerError } from './exhaustive.js';
export type { ExhaustiveOptions, ExhaustiveStats } from './exhaustive.js';
export { SleepSetBlocked, isSleepSetBlocked } from './sleep-sets.js';
export { INDEPENDENCE_RELATIONS, independent, relationOf } from './step-footprint.js';
export type { Independence, Relation, StepFootprint } from './step-footprint.js';
export { replay } from './replay.js';
export type { ReplayReport } from './replay.js';
export { sameOutcome, shrink, stripTrailingZeros } from './shrink.js';
export type { ShrinkOptions, ShrinkPredicate, ShrinkResult } from './shrink.js';
export { REDUCTIONS, explore, messageClass } from './explore.js';
export type { ExploreOptions, ExploreProgress, ExploreSummary, FailureRecord, Reduction } from './explore.js';
export { REPLAY_FILE_FIELDS, ReplayFileError, formatReplayFile, parseReplayFile } from './replay-file.js';
export type { ReplayFile, ReplayParamValue } from './replay-file.js';
