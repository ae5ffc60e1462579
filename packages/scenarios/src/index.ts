// Public face of @vgicsim/scenarios: guest programs, scenario suites, results, the matrix, exploration.
export { BOOT_ENTRY, SECONDARY_ENTRY, createLinuxGuest } from './guests/linux-guest.js';
export type { LinuxGuestOptions } from './guests/linux-guest.js';
export { GuestMemory } from './guests/memory.js';
export type { CpuOnResult, GuestTask } from './guests/memory.js';
export { COMMON_PARAMS, ScenarioInputError, resolveParams } from './scenario/params.js';
export type { ParamSpec, ParamTable, ParamValue, ResolvedParams } from './scenario/params.js';
export { SCENARIO_OUTCOMES } from './scenario/types.js';
export type {
  OracleSummary,
  RunSpec,
  ScenarioMetrics,
  ScenarioOutcome,
  ScenarioResult,
  Stat,
  Suite,
  SuiteContext,
  SuiteRun,
} from './scenario/types.js';
export { classify } from './scenario/classify.js';
export { collectMetrics, stat, summarizeOracle } from './scenario/metrics.js';
export { runScenario } from './scenario/run.js';
export { resolveHost, resolveLockPolicy, resolveStrategy } from './scenario/resolve.js';
export {
  BOOT,
  DEVICE_SET,
  FOREIGN_HOLDER,
  HOTPLUG_CHURN,
  MIGRATION,
  PARALLEL_CPU_ON,
  REBOOT_LOOP,
  STOP_CONT,
  SUITES,
  findSuite,
} from './suites/index.js';
export { DEFAULT_MATRIX, runMatrix, summarizeRow } from './matrix.js';
export type { Matrix, MatrixOptions, MatrixRow } from './matrix.js';
export { loadReplayStrategy, makeReplayFile, replayScenario, scenarioRunner, specFromReplayFile } from './scenario/runner.js';
export { StrategyModuleError, hashFile, isStrategyPath, loadStrategyModule, moduleOf } from './scenario/strategy-module.js';
export type { ModuleStrategy, StrategyModuleRef } from './scenario/strategy-module.js';
export type { ExplorableSpec } from './scenario/runner.js';
export {
  ExhaustiveStrategy,
  INDEPENDENCE_RELATIONS,
  NondeterministicRunnerError,
  PctChoice,
  PctStrategy,
  REDUCTIONS,
  REPLAY_FILE_FIELDS,
  RandomStrategy,
  ReplayFileError,
  SleepSetBlocked,
  checkSeedRange,
  estimatePctSteps,
  explore,
  formatReplayFile,
  independent,
  isSleepSetBlocked,
  messageClass,
  parseReplayFile,
  relationOf,
  replay,
  sameOutcome,
  shrink,
  stripTrailingZeros,
} from './explore/index.js';
export { AtomicWriteError, openOutputFile, outputKind, pendingTempFiles, removePendingTempFiles, writeFileAtomic, writeOutput } from './io/output-file.js';
export type { OpenOutputOptions, OutputFile, OutputKind } from './io/output-file.js';
export type {
  ExhaustiveOptions,
  ExhaustiveStats,
  Independence,
  Relation,
  ExploreMode,
  ExploreOptions,
  ExploreProgress,
  ExploreSummary,
  FailureRecord,
  PctOptions,
  RandomOptions,
  Reduction,
  ReplayFile,
  ReplayParamValue,
  ReplayReport,
  Runner,
  ScheduleAttempt,
  ScheduleRun,
  ShrinkOptions,
  ShrinkPredicate,
  ShrinkResult,
  StepFootprint,
  Strategy,
} from './explore/index.js';
export { toRunJson } from './scenario/json.js';
export type { RunJson } from './scenario/json.js';
export { parseShard, shardSeeds } from './scenario/shard.js';
export type { Shard } from './scenario/shard.js';
export { DEFAULT_REDUCTION, exploreScenario } from './scenario/explore-report.js';
export type { ExploreReport, ExploreRequest, ReportedFailure } from './scenario/explore-report.js';
export { isComplete, mergeReports } from './scenario/merge-reports.js';
export { parseExploreReport } from './scenario/report-schema.js';
export { stopRequested } from './scenario/explore-report.js';
export { CHUNK_SCHEDULES, SCHEDULES_PER_WORKER, autoWorkers, exploreParallel } from './scenario/explore-parallel.js';
export type { ParallelOptions, WorkerInit, WorkerMessage, WorkerTask } from './scenario/explore-parallel.js';
export { LANE_STATES, LANE_STATE_LABELS } from './report/model.js';
export type {
  Lane,
  LaneState,
  Marker,
  MarkerKind,
  Slice,
  SliceArgValue,
  SliceArgs,
  SliceKind,
  StateInterval,
  Timeline,
  TimelineListener,
} from './report/model.js';
export { CPU_ON_WORK, TimelineBuilder, buildTimeline } from './report/timeline.js';
export type { TimelineBuilderOptions } from './report/timeline.js';
export { CHROME_PID, ChromeTraceStream, chromeTraceFromEvents, tidOf } from './report/chrome-trace.js';
export type { ChromeTrace, ChromeTraceEvent, ChromeTraceOptions } from './report/chrome-trace.js';
export { STATE_COLORS, laneRects, renderSvgTimeline } from './report/svg.js';
export type { LaneRect, SvgOptions, SvgTitle } from './report/svg.js';
export { renderMatrixHtml } from './report/html.js';
export type { MatrixHtmlMeta } from './report/html.js';
export { cropTimeline } from './report/crop.js';
export { historyCases, runHistory, runHistoryCase } from './history/history.js';
export type { HistoryCase, HistoryExpectation, HistoryFinding, HistoryRow } from './history/history.js';
