// A small seeded PRNG (sfc32 seeded through splitmix32) so that runs are reproducible across Node versions:
// Math.random is neither seedable nor stable.

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed | 0;
    let v: number;
    [s, v] = splitmix32(s);
    this.a = v;
    [s, v] = splitmix32(s);
    this.b = v;
    [s, v] = splitmix32(s);
    this.c = v;
    [, v] = splitmix32(s);
    this.d = v;
    // Discard the first outputs: sfc32 mixes slowly from low-entropy seeds.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); n in [1, 2^32]. */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    if (n > 0xffffffff) return this.nextIntWide(n);
    // Both operands typed uint32 (`>>> 0`), so V8 divides integers: `2 ** 32 % n` on a double is a call to
    // fmod, twice per choice. 2^32 mod m = (2^32 - m) mod m, and 2^32 - m is `-m >>> 0`. Same answers.
    const m = n >>> 0;
    const limit = 0x100000000 - ((-m >>> 0) % m);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % m;
    }
  }

  /** nextInt for n = 2^32 (and above, out of contract), in doubles. */
  private nextIntWide(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }
}
