// system/runstate.c runstate_transitions_def: the only runstate changes QEMU allows. runstate_set() of any
// other pair is error_report("invalid runstate transition: '%s' -> '%s'") followed by abort().

/** QAPI RunState names (qapi/run-state.json). */
export type RunState =
  | 'debug'
  | 'inmigrate'
  | 'internal-error'
  | 'io-error'
  | 'paused'
  | 'postmigrate'
  | 'prelaunch'
  | 'finish-migrate'
  | 'restore-vm'
  | 'running'
  | 'save-vm'
  | 'shutdown'
  | 'suspended'
  | 'watchdog'
  | 'guest-panicked'
  | 'colo';

/** Every RunState QAPI name, in runstate.json order. */
export const RUN_STATES: readonly RunState[] = [
  'debug',
  'inmigrate',
  'internal-error',
  'io-error',
  'paused',
  'postmigrate',
  'prelaunch',
  'finish-migrate',
  'restore-vm',
  'running',
  'save-vm',
  'shutdown',
  'suspended',
  'watchdog',
  'guest-panicked',
  'colo',
];

// Transcribed pair by pair from runstate_transitions_def (QEMU master, Aug 2025), grouped by source state.
const TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  debug: ['running', 'finish-migrate', 'prelaunch', 'suspended'],
  inmigrate: [
    'internal-error',
    'io-error',
    'paused',
    'running',
    'shutdown',
    'suspended',
    'watchdog',
    'guest-panicked',
    'finish-migrate',
    'prelaunch',
    'postmigrate',
    'colo',
  ],
  'internal-error': ['paused', 'finish-migrate', 'prelaunch'],
  'io-error': ['running', 'finish-migrate', 'prelaunch'],
  paused: ['running', 'finish-migrate', 'postmigrate', 'prelaunch', 'colo', 'suspended'],
  postmigrate: ['running', 'finish-migrate', 'prelaunch'],
  prelaunch: ['running', 'finish-migrate', 'inmigrate', 'suspended'],
  'finish-migrate': [
    'running',
    'paused',
    'postmigrate',
    'prelaunch',
    'colo',
    'internal-error',
    'io-error',
    'shutdown',
    'suspended',
    'watchdog',
    'guest-panicked',
  ],
  'restore-vm': ['running', 'prelaunch', 'suspended'],
  colo: ['running', 'prelaunch', 'shutdown'],
  running: [
    'debug',
    'internal-error',
    'io-error',
    'paused',
    'finish-migrate',
    'restore-vm',
    'save-vm',
    'shutdown',
    'watchdog',
    'guest-panicked',
    'colo',
    'suspended',
  ],
  'save-vm': ['running', 'suspended'],
  shutdown: ['paused', 'finish-migrate', 'prelaunch', 'colo'],
  suspended: ['running', 'finish-migrate', 'prelaunch', 'colo', 'paused', 'save-vm', 'restore-vm', 'shutdown'],
  watchdog: ['running', 'finish-migrate', 'prelaunch', 'colo'],
  'guest-panicked': ['running', 'finish-migrate', 'prelaunch'],
};

/** runstate_valid_transitions[from][to]; a state to itself is no transition (runstate_set returns early). */
export function runstateTransitionValid(from: RunState, to: RunState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** The message QEMU prints before abort() on an invalid transition. */
export function invalidRunstateTransitionMessage(from: RunState, to: RunState): string {
  return `invalid runstate transition: '${from}' -> '${to}'`;
}

/** Every allowed (from, to) pair, for tests and documentation. */
export function runstateTransitions(): readonly (readonly [RunState, RunState])[] {
  return RUN_STATES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const));
}
