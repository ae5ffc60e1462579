import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimThread } from './objects.js';
import { RunQueue } from './run-queue.js';

type Cmd = { op: 'add'; th: number; time: number } | { op: 'remove'; th: number } | { op: 'take'; c: number; window: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('add' as const), th: fc.nat(79), time: fc.oneof(fc.nat(8), fc.nat(300)) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), th: fc.nat(79) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('take' as const), c: fc.nat(), window: fc.constantFrom(0, 0, 3, 20) }), weight: 1 },
);

describe('RunQueue', () => {
  it('offers candidates in (time, scheduling) order through adds, removals and takes, as a sorted list would', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 600, size: 'max' }), fc.constantFrom(0, 2, 32), (cmds, gapsMin) => {
        const threads = Array.from({ length: 80 }, (_, i) => new SimThread(i, `t${i}`, false, (function* () {})()));
        const q = new RunQueue(gapsMin);
        // The model: queued threads with their time and the order they were queued in.
        let model: { id: number; time: number; seq: number }[] = [];
        let seq = 0;
        let now = 0;
        for (const c of cmds) {
          if (c.op === 'add') {
            const t = threads[c.th] as SimThread;
            if (t.queued) q.remove(t);
            model = model.filter((e) => e.id !== c.th);
            q.add(t, now + c.time);
            model.push({ id: c.th, time: now + c.time, seq: seq++ });
          } else if (c.op === 'remove') {
            q.remove(threads[c.th] as SimThread);
            model = model.filter((e) => e.id !== c.th);
          } else {
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const first = model[0];
            const cands = first === undefined ? [] : model.filter((e) => e.time <= first.time + c.window);
            expect(q.countCandidates(c.window)).toBe(cands.length);
            expect(q.candidateIds()).toEqual(cands.map((e) => e.id));
            if (cands.length > 0) {
              const k = c.c % cands.length;
              const picked = cands[k] as { id: number; time: number };
              expect(q.takeCandidate(k).id).toBe(picked.id);
              model = model.filter((e) => e.id !== picked.id);
              now = Math.max(now, picked.time);
            }
          }
          expect(q.size).toBe(model.length);
          expect(q.earliestTime()).toBe(model.length === 0 ? undefined : Math.min(...model.map((e) => e.time)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
