// The round trip the design requires in CI: a failure found by exploration is written as a replay file,
// read back, parsed and replayed, and the replay ends the same way with the same trace.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { type ReplayFile, formatReplayFile, parseReplayFile } from './replay-file.js';
import { writeFileAtomic } from '../io/output-file.js';
import { replay } from './replay.js';
import { toyRunner } from './test-toy.js';

describe('fail → replay file → parse → replay', () => {
  for (const mode of ['random', 'pct', 'exhaustive'] as const) {
    it(`reproduces the outcome and the trace hash of a ${mode} failure`, () => {
      const runner = toyRunner('lock-order');
      const summary = explore({ runner, mode, budget: 300, stopOnFirstFailure: true });
      const failure = summary.failures[0];
      if (failure === undefined) throw new Error(`${mode} exploration found no failure`);

      const file: ReplayFile = {
        version: 3,
        scenario: 'toy/lock-order',
        params: { windowNs: 60, threads: 3 },
        strategy: 'toy',
        lockPolicy: 'barging',
        host: 'none',
        scenarioSeed: 1,
        scheduleSeed: failure.seed,
        qemuOptions: {},
        qemuRevert: [],
        choices: [...failure.shrunkChoices],
        outcome: failure.outcome,
        traceFormat: 2,
        traceHash: failure.traceHash,
      };
      const dir = mkdtempSync(join(tmpdir(), 'vgicsim-replay-'));
      try {
        const path = join(dir, 'failure.replay.json');
        writeFileAtomic(path, formatReplayFile(file));
        const parsed = parseReplayFile(readFileSync(path, 'utf8'));
        expect(parsed).toEqual(file);

        const r = replay(runner, parsed.choices);
        expect(r.faithful).toBe(true);
        expect(r.run.failed).toBe(true);
        expect(r.run.outcome).toBe(parsed.outcome);
        expect(r.run.traceHash).toBe(parsed.traceHash);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      // The unshrunk recording replays to the original failure as well.
      const original = replay(runner, failure.choices);
      expect(original.run.outcome).toBe(failure.outcome);
      expect(original.run.message).toBe(failure.message);
    });
  }
});
