import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

/** nextInt as it was first written, in doubles: the integer-division version must answer the same. */
function referenceNextInt(p: Prng, n: number): number {
  if (n <= 1) return 0;
  const limit = 0x100000000 - (0x100000000 % n);
  for (;;) {
    const x = p.nextU32();
    if (x < limit) return x % n;
  }
}

describe('Prng', () => {
  it('pins the first answers of seed 1 (every recorded run depends on them)', () => {
    const q = new Prng(1);
    const got = [q.nextInt(2), q.nextInt(3), q.nextInt(512), q.nextInt(1000), q.nextInt(0xffffffff), q.nextInt(0x100000000)];
    expect(got).toEqual([1, 0, 198, 104, 4148684523, 4055680838]);
  });

  it('nextInt answers what the double-precision rejection sampler answers, for any seed and n in [1, 2^32]', () => {
    const n = fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 0xffffffff }), fc.constantFrom(0x80000000, 0x80000001, 0xffffffff, 0x100000000));
    fc.assert(
      fc.property(fc.integer(), fc.array(n, { minLength: 1, maxLength: 40 }), (seed, ns) => {
        const a = new Prng(seed);
        const b = new Prng(seed);
        for (const k of ns) {
          const c = a.nextInt(k);
          expect(c).toBe(referenceNextInt(b, k));
          expect(c >= 0 && c < k).toBe(true);
        }
      }),
    );
  });
});
