// The command table as data: names, arguments and typed flags. Kept apart from the loaders
// (command-table.ts) so command modules can import their argument types without an import cycle.
import type { CommandSpec, FlagTable, ParsedArgs } from './flags.js';

const REGISTER_ARG = {
  name: 'REGISTER',
  description: 'register name (case-insensitive), e.g. ICC_CTLR_EL1, or generic form, e.g. S3_0_C12_C12_4',
  required: true,
} as const;

const JSON_FLAG = { type: 'boolean', description: 'print JSON instead of text' } as const;

function spec<const F extends FlagTable>(s: CommandSpec<F>): CommandSpec<F> {
  return s;
}

export const DECODE = spec({
  name: 'decode',
  summary: 'decode a register value into its fields',
  description: 'Prints a bit diagram and a field table; --json prints the field values and any validation warnings.',
  positionals: [REGISTER_ARG, { name: 'VALUE', description: '0x-prefixed hex or decimal, 0..2^64-1', required: true }],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim decode ICC_CTLR_EL1 0x8400', 'vgicsim decode s3_4_c12_c11_1 0x90280003 --json'],
});

export const ENCODE = spec({
  name: 'encode',
  summary: 'build a register value from FIELD=VALUE assignments',
  description: 'Fields not given are 0 (RES1 bits are set). Field names are case-insensitive; values are hex or decimal.',
  positionals: [REGISTER_ARG, { name: 'FIELD=VALUE', description: 'field assignment, e.g. PRIbits=4', required: false, variadic: true }],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim encode ICC_CTLR_EL1 PRIbits=4 A3V=1', 'vgicsim encode MPIDR_EL1 aff1=1 aff0=3 --json'],
});

export const ATTR = spec({
  name: 'attr',
  summary: 'compute the KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS attr for a register and vCPU',
  description: 'Select the vCPU with exactly one of --mpidr, --affinity or --vcpu (KVM default MPIDR for that index).',
  positionals: [REGISTER_ARG],
  flags: {
    mpidr: { type: 'string', description: 'the vCPU MPIDR_EL1 value (hex or decimal)', valueName: 'VALUE' },
    affinity: { type: 'string', description: 'the vCPU affinity', valueName: 'A3.A2.A1.A0' },
    vcpu: { type: 'number', description: "vCPU index; uses KVM's default MPIDR (reset_mpidr)", valueName: 'N', integer: true, min: 0, max: 0xffffffff },
    json: JSON_FLAG,
  },
  examples: ['vgicsim attr ICC_CTLR_EL1 --vcpu 19', 'vgicsim attr ICC_PMR_EL1 --affinity 0.0.1.3 --json'],
});

export const REGISTERS_CMD = spec({
  name: 'registers',
  summary: 'list the registers with their encodings',
  description: 'Name, generic S-form, op0/op1/CRn/CRm/op2, sysreg id, ONE_REG id (or MMIO offset) and width.',
  positionals: [],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim registers', 'vgicsim registers --json'],
});

const FAIL_ON_FLAG = {
  type: 'string',
  description: 'exit 1 when any row counts one of these columns: abort, hang, timeout, other, violations, oracle (default: exit 0, the matrix is a report)',
  valueName: 'a,b,…',
} as const;

export const START = spec({
  name: 'start',
  summary: 'the default comparison of every design (what `npm start` runs)',
  description: 'The same as `vgicsim compare` with no arguments: every suite × every built-in strategy under all-vcpus, 3 seeds.',
  positionals: [],
  flags: { 'fail-on': FAIL_ON_FLAG },
  examples: ['vgicsim start'],
});

export type DecodeArgs = ParsedArgs<typeof DECODE.flags>;
export type EncodeArgs = ParsedArgs<typeof ENCODE.flags>;
export type AttrArgs = ParsedArgs<typeof ATTR.flags>;
export type RegistersArgs = ParsedArgs<typeof REGISTERS_CMD.flags>;
export type StartArgs = ParsedArgs<typeof START.flags>;

// ------------------------------------------------------------------------------------------------------
// Simulation commands

const SCENARIO_ARG = { name: 'SCENARIO', description: 'a scenario suite (see `vgicsim scenarios`)', required: true } as const;

const RUN_FLAGS = {
  strategy: { type: 'string', description: 'ICC reset strategy: a built-in (see `vgicsim strategies`) or a module path, ./design.mjs', valueName: 'S', default: 'rfc-v6' },
  'lock-policy': { type: 'string', description: 'KVM CPU_SYSREGS lock policy: all-vcpus, target-vcpu, lockless-shadow-idealised, lockless-shadow-as-posted', valueName: 'P', default: 'all-vcpus' },
  host: { type: 'string', description: 'host profile: cortex-a76, cortex-a53, synthetic-7bit, synthetic-seis-id24', valueName: 'PROFILE', default: 'cortex-a76' },
  vcpus: { type: 'number', description: 'shorthand for --param vcpus=N', valueName: 'N', integer: true, min: 1, max: 512 },
  cycles: { type: 'number', description: 'shorthand for --param cycles=H', valueName: 'H', integer: true, min: 0, max: 1_000_000 },
  seed: { type: 'number', description: 'seed of the schedule and of the scenario’s own choices', valueName: 'S', integer: true, min: 0, max: 0xffffffff, default: 1 },
  param: { type: 'string[]', description: 'a scenario parameter, repeatable (see `vgicsim scenarios`)', valueName: 'k=v' },
  qemu: {
    type: 'string[]',
    description: 'a QEMU model option, repeatable: halt-in-kernel, loop-order, bql-policy, bql-sleep-bound-ns, hang-verdict, stranded-pauser-verdict, reset-marks-dirty, sync-register-count',
    valueName: 'k=v',
  },
  'qemu-revert': {
    type: 'string[]',
    description: 'revert an upstream QEMU fix, repeatable: f962cac4c2, 0ec7e6779f, 96bce6831b, 1bd71dce4b, ddad81bd28 (see `vgicsim history`)',
    valueName: 'COMMIT',
  },
} as const;

export const RUN = spec({
  name: 'run',
  summary: 'run one scenario and print its outcome, metrics and oracle findings',
  description:
    'Exit 0 when the run is ok with no violation, 1 when it found a failure (abort, hang, guest timeout), an invariant violation or a wrong restored value (oracle), 2 on bad input. --json prints the stable object documented in the README.',
  positionals: [SCENARIO_ARG],
  flags: {
    ...RUN_FLAGS,
    json: JSON_FLAG,
    trace: { type: 'string', description: 'write a Chrome Trace Event JSON file (Perfetto, chrome://tracing; - for stdout)', valueName: 'FILE' },
    svg: { type: 'string', description: 'write a self-contained SVG timeline (- for stdout)', valueName: 'FILE' },
    'svg-window': { type: 'string', description: 'draw only this span of virtual time in the SVG (µs)', valueName: 'FROM-TO' },
  },
  examples: ['vgicsim run boot --strategy rfc-v6 --vcpus 8', 'vgicsim run hotplug-churn --strategy pause-always --cycles 50 --json', 'vgicsim run reboot-loop --strategy pause-always --svg hang.svg', 'vgicsim run migration --strategy ./docs/examples/reread-on-guest-change.mjs'],
});

export const COMPARE = spec({
  name: 'compare',
  summary: 'the matrix: scenarios × strategies × lock policies over K seeds',
  description:
    'With no arguments: every suite with every built-in strategy under all-vcpus, 3 seeds (what `npm start` prints). One row per scenario × strategy × lock policy: outcome counts over the seeds, VM-wide pauses, CPU_ON latency, vCPU time stopped, oracle findings. Exit 0 (the matrix is a report) unless --fail-on names a column that is not 0.',
  positionals: [{ name: 'SCENARIO', description: 'scenarios to include (default: all)', required: false, variadic: true }],
  flags: {
    strategies: { type: 'string', description: 'comma-separated strategies, built-in names or module paths (default: all built-in)', valueName: 'a,b,…' },
    'lock-policies': { type: 'string', description: 'comma-separated lock policies (default: all-vcpus)', valueName: 'a,b,…' },
    seeds: { type: 'number', description: 'seeds per row (1..K)', valueName: 'K', integer: true, min: 1, max: 10_000, default: 3 },
    host: RUN_FLAGS.host,
    param: { type: 'string[]', description: 'a parameter for every scenario that has it, repeatable', valueName: 'k=v' },
    json: JSON_FLAG,
    html: { type: 'string', description: 'write a self-contained HTML report with the matrix and bar charts (- for stdout)', valueName: 'FILE' },
    'fail-on': FAIL_ON_FLAG,
  },
  examples: ['vgicsim compare', 'vgicsim compare boot hotplug-churn --strategies rfc-v6,realize-once --seeds 5', 'vgicsim compare --html report.html', 'vgicsim compare boot --strategies rfc-v6,./mine.mjs --html report.html'],
});

export const EXPLORE = spec({
  name: 'explore',
  summary: 'search thread interleavings for hangs and aborts; write replay files',
  description:
    'Runs up to --budget schedules of one scenario (random seeds, PCT, or bounded exhaustive search), shrinks each distinct failure and writes it as DIR/<outcome>-<n>.json for `vgicsim replay`. Exit 1 when a failure was found, 0 when none.',
  positionals: [SCENARIO_ARG],
  flags: {
    strategy: { type: 'string', description: 'ICC reset strategy (required): a built-in or a module path, ./design.mjs', valueName: 'S' },
    'lock-policy': RUN_FLAGS['lock-policy'],
    host: RUN_FLAGS.host,
    vcpus: RUN_FLAGS.vcpus,
    cycles: RUN_FLAGS.cycles,
    seed: { ...RUN_FLAGS.seed, description: 'first schedule seed, and the scenario’s own seed' },
    'scenario-seeds': {
      type: 'string',
      description: 'sweep the scenario’s own seed too: each of these gets the whole --budget (e.g. 1-20 or 1,4,9)',
      valueName: 'A-B',
    },
    param: RUN_FLAGS.param,
    qemu: RUN_FLAGS.qemu,
    'qemu-revert': RUN_FLAGS['qemu-revert'],
    mode: { type: 'string', description: 'pct (finds ordering bugs fastest), random or exhaustive', valueName: 'MODE', default: 'pct' },
    budget: { type: 'number', description: 'maximum number of schedules (per scenario seed)', valueName: 'N', integer: true, min: 1, max: 100_000_000, default: 1000 },
    depth: { type: 'number', description: 'PCT depth d', valueName: 'D', integer: true, min: 1, max: 100, default: 3 },
    reduction: {
      type: 'string',
      description:
        'exhaustive search only: sleep-sets+state-hash (sleep sets, a sound partial-order reduction, on state-hash pruning, a heuristic), sleep-sets, state-hash or none',
      valueName: 'R',
      default: 'sleep-sets+state-hash',
    },
    out: { type: 'string', description: 'directory for replay files (created if missing)', valueName: 'DIR', default: 'vgicsim-failures' },
    'stop-on-first': { type: 'boolean', description: 'stop at the first failure (not with --shard or --workers)' },
    shard: { type: 'string', description: 'run only shard K of N of the seed range, or auto (JOB_COMPLETION_INDEX, VGICSIM_SHARDS)', valueName: 'K/N' },
    workers: {
      type: 'string',
      description: 'worker threads: a count (0 = one per core) or auto (one per core, as many as the budget keeps busy: 2000 schedules each)',
      valueName: 'W|auto',
      default: '1',
    },
    json: JSON_FLAG,
  },
  examples: [
    'vgicsim explore parallel-cpu-on --strategy rfc-v6 --budget 2000',
    'vgicsim explore parallel-cpu-on --strategy realize-once --budget 500 --json',
    'vgicsim explore parallel-cpu-on --strategy rfc-v6 --budget 8000 --shard 3/8 --workers 0 --json > shard-3.json',
    'vgicsim explore migration --strategy realize-once --mode random --budget 20 --scenario-seeds 1-8 --qemu-revert ddad81bd28 --param qmpDuringMigration=system-reset',
  ],
});

export const HISTORY = spec({
  name: 'history',
  summary: 'each modelled upstream QEMU fix, reverted and applied: is its bug found, and only without it?',
  description:
    'For every fix (f962cac4c2, 0ec7e6779f, 96bce6831b, 1bd71dce4b, ddad81bd28, and 59ad421d66 as the strategies upstream-2025 vs realize-once) an exploration with the fix reverted must find the bug its commit message describes, and the same exploration with the fix must find nothing. One line per fix. Exit 0 when every row agrees, 1 when any disagrees.',
  positionals: [],
  flags: {
    json: JSON_FLAG,
    'replay-dir': { type: 'string', description: 'write the replay file of each bug found as DIR/<commit>.replay.json', valueName: 'DIR' },
  },
  examples: ['vgicsim history', 'vgicsim history --replay-dir docs/history --json'],
});

export const MERGE = spec({
  name: 'merge',
  summary: 'combine the JSON reports of exploration shards into one',
  description:
    'Reads reports written by `vgicsim explore --json` (one per shard, from any machine) and prints the merged report: outcome counts summed, each distinct failure with its lowest seed — equal to the unsharded exploration when every shard is present. Exit 1 when the merged report has failures, 2 on bad or incompatible input.',
  positionals: [{ name: 'FILE', description: 'exploration reports (JSON)', required: true, variadic: true }],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim merge shard-*.json --json > merged.json'],
});

export const REPLAY = spec({
  name: 'replay',
  summary: 'reproduce a failure from a replay file and show how it happens',
  description:
    'Re-runs the schedule in FILE (written by `vgicsim explore`) and checks that the outcome and trace hash match. --json prints the same object as `run --json`; --trace/--svg draw the run. Exit 1 when the failure reproduced, 3 when the run no longer matches the file (the model or the file changed), 0 for a matching run without failure.',
  positionals: [{ name: 'FILE', description: 'a replay file (JSON)', required: true }],
  flags: {
    json: JSON_FLAG,
    trace: RUN.flags.trace,
    svg: RUN.flags.svg,
    'svg-window': RUN.flags['svg-window'],
    strategy: { type: 'string', description: 'where the recorded strategy module is now (it must have the recorded content hash)', valueName: 'FILE' },
  },
  examples: ['vgicsim replay vgicsim-failures/stranded-pauser-1.json --svg hang.svg'],
});

export const SCENARIOS_CMD = spec({
  name: 'scenarios',
  summary: 'list the scenario suites and their parameters',
  description: 'Each suite with a one-line description; --json adds the parameters with types, defaults and ranges.',
  positionals: [],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim scenarios', 'vgicsim scenarios --json'],
});

export const STRATEGIES_CMD = spec({
  name: 'strategies',
  summary: 'list the ICC_CTLR_EL1 reset strategies',
  description: 'Each built-in strategy with its description and source.',
  positionals: [],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim strategies'],
});

export type RunArgs = ParsedArgs<typeof RUN.flags>;
export type CompareArgs = ParsedArgs<typeof COMPARE.flags>;
export type ExploreArgs = ParsedArgs<typeof EXPLORE.flags>;
export type ReplayArgs = ParsedArgs<typeof REPLAY.flags>;
export type ScenariosArgs = ParsedArgs<typeof SCENARIOS_CMD.flags>;
export type StrategiesArgs = ParsedArgs<typeof STRATEGIES_CMD.flags>;
export type MergeArgs = ParsedArgs<typeof MERGE.flags>;
export type HistoryArgs = ParsedArgs<typeof HISTORY.flags>;
