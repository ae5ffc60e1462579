import { describe, expect, it } from 'vitest';
import { requestQuit, scheduleCommand } from './machine.js';
import type { RunState } from './qemu.js';
import { RUN_STATES, runstateTransitionValid, runstateTransitions } from './runstate-transitions.js';
import { makeHarness } from './test-harness.js';

describe('runstate_transitions_def', () => {
  it('holds upstream’s 85 pairs over 16 states (replay’s extra shutdown -> running excluded)', () => {
    expect(RUN_STATES).toHaveLength(16);
    expect(runstateTransitions()).toHaveLength(85);
  });

  it.each([
    ['prelaunch', 'postmigrate', false],
    ['finish-migrate', 'prelaunch', true],
    ['finish-migrate', 'postmigrate', true],
    ['postmigrate', 'running', true],
    ['running', 'prelaunch', false],
    ['running', 'postmigrate', false],
    ['inmigrate', 'running', true],
    ['paused', 'inmigrate', false],
    ['prelaunch', 'inmigrate', true],
    ['shutdown', 'running', false],
  ] as const)('%s -> %s allowed: %s', (from: RunState, to: RunState, ok: boolean) => {
    expect(runstateTransitionValid(from, to)).toBe(ok);
  });

  it('a state to itself is no transition', () => {
    for (const s of RUN_STATES) expect(runstateTransitionValid(s, s)).toBe(true);
  });

  it('runstate_set of an invalid pair aborts QEMU with upstream’s message', () => {
    const h = makeHarness();
    scheduleCommand(h.q, 1_000_000, 'bad', function* (q) {
      q.runstateSet('prelaunch'); // running -> prelaunch is not in the table
    });
    const r = h.sim.run();
    expect(r.outcome).toMatchObject({ kind: 'abort', message: "invalid runstate transition: 'running' -> 'prelaunch'" });
  });

  it('a valid pair changes the runstate and the run goes on', () => {
    const h = makeHarness();
    const seen: string[] = [];
    scheduleCommand(h.q, 1_000_000, 'ok', function* (q) {
      q.runstateSet('paused');
      seen.push(q.runstate);
      q.runstateSet('running');
      requestQuit(q);
    });
    expect(h.sim.run().outcome.kind).toBe('ok');
    expect(seen).toEqual(['paused']);
  });
});
