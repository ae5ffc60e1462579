import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WaiterList } from './waiter-list.js';

type Cmd = { op: 'push'; x: number } | { op: 'removeAt'; k: number } | { op: 'shift' } | { op: 'remove'; x: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), x: fc.nat(50) }),
  fc.record({ op: fc.constant('push' as const), x: fc.nat(50) }),
  fc.record({ op: fc.constant('removeAt' as const), k: fc.nat() }),
  fc.record({ op: fc.constant('shift' as const) }),
  fc.record({ op: fc.constant('remove' as const), x: fc.nat(50) }),
);

describe('WaiterList', () => {
  it('behaves as an array with push, splice(k, 1), shift and indexOf-splice', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 300 }), fc.integer({ min: 1, max: 9 }), (cmds, cap) => {
        const w = new WaiterList<number>(cap);
        const a: number[] = [];
        for (const c of cmds) {
          if (c.op === 'push') {
            w.push(c.x);
            a.push(c.x);
          } else if (c.op === 'removeAt') {
            if (a.length === 0) continue;
            const k = c.k % a.length;
            expect(w.removeAt(k)).toBe(a.splice(k, 1)[0]);
          } else if (c.op === 'shift') {
            expect(w.shift()).toBe(a.shift());
          } else {
            const i = a.indexOf(c.x);
            expect(w.remove(c.x)).toBe(i >= 0);
            if (i >= 0) a.splice(i, 1);
          }
          expect(w.length).toBe(a.length);
        }
        expect(w.toArray()).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });
  it('removes by position from a long list in arrival order', () => {
    const w = new WaiterList<number>();
    for (let i = 0; i < 600; i++) w.push(i);
    expect(w.removeAt(599)).toBe(599);
    expect(w.removeAt(0)).toBe(0);
    expect(w.removeAt(300)).toBe(301);
    expect(w.length).toBe(597);
    expect(w.toArray().slice(298, 301)).toEqual([299, 300, 302]);
  });
});
