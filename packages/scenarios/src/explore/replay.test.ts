import { SeededChoice } from '@vgicsim/kvm-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from './replay.js';
import { toyRunner } from './test-toy.js';

describe('replay', () => {
  it('replays a seeded run faithfully', () => {
    const runner = toyRunner('lock-order');
    const original = runner(new SeededChoice(3));
    const r = replay(runner, original.choices);
    expect(r.faithful).toBe(true);
    expect(r.divergences).toBe(0);
    expect(r.consumed).toBe(original.choices.length);
    expect(r.run.traceHash).toBe(original.traceHash);
    expect(r.run.choices).toEqual(original.choices);
  });

  it('reports out-of-range entries and unused entries', () => {
    const runner = toyRunner('lost-update');
    const original = runner(new SeededChoice(2));
    const tooBig = replay(runner, original.choices.map(() => 99));
    expect(tooBig.divergences).toBe(4);
    expect(tooBig.faithful).toBe(false);
    const tooLong = replay(runner, [...original.choices, ...Array.from({ length: 200 }, () => 0)]);
    expect(tooLong.allConsumed).toBe(false);
    expect(tooLong.faithful).toBe(false);
  });

  it('property: replaying the recorded choices of any seeded run reproduces its trace hash', () => {
    const programs = ['lock-order', 'lost-update', 'race-free'] as const;
    fc.assert(
      fc.property(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), fc.constantFrom(...programs), (seed, program) => {
        const runner = toyRunner(program);
        const original = runner(new SeededChoice(seed));
        const r = replay(runner, original.choices);
        expect(r.run.traceHash).toBe(original.traceHash);
        expect(r.run.outcome).toBe(original.outcome);
        expect(r.faithful).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
