// The kernel's run queue: entries grouped by virtual time. A min-heap holds the distinct times; each time
// holds its entries in insertion order (which is sequence order, so ties are offered deterministically).
// Ties are common (a broadcast wakes many threads at once): offering k tied candidates costs O(k) here
// instead of k heap pops and pushes.

class TimeHeap {
  readonly a: number[] = [];
  peek(): number | undefined {
    return this.a[0];
  }
  /** Whether some time other than the minimum is ≤ bound (the second smallest is a child of the root). */
  hasSecondWithin(bound: number): boolean {
    const a = this.a;
    return (a.length > 1 && (a[1] as number) <= bound) || (a.length > 2 && (a[2] as number) <= bound);
  }
  /** Every time ≤ bound, ascending. */
  timesWithin(bound: number): number[] {
    const a = this.a;
    const out: number[] = [];
    const stack: number[] = [0];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const v = a[i];
      if (v === undefined || v > bound) continue;
      out.push(v);
      stack.push(2 * i + 1, 2 * i + 2);
    }
    return out.sort((x, y) => x - y);
  }
  push(t: number): void {
    const a = this.a;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = a[p] as number;
      if (pv <= t) break;
      a[i] = pv;
      i = p;
    }
    a[i] = t;
  }
  pop(): number | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let cv = a[l] as number;
      if (r < n && (a[r] as number) < cv) {
        c = r;
        cv = a[r] as number;
      }
      if (cv >= last) break;
      a[i] = cv;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

const EMPTY: readonly never[] = [];

export class TimeBuckets<T extends { readonly time: number }> {
  private readonly times = new TimeHeap();
  private readonly buckets = new Map<number, T[]>();

  constructor(private readonly isLive: (entry: T) => boolean) {}

  add(entry: T): void {
    const time = entry.time;
    let b = this.buckets.get(time);
    if (b === undefined) {
      b = [];
      this.buckets.set(time, b);
      this.times.push(time);
    }
    b.push(entry);
  }

  /** Earliest live time, dropping emptied buckets and stale entries at their fronts. */
  private firstBucket(): T[] | undefined {
    for (;;) {
      const t = this.times.peek();
      if (t === undefined) return undefined;
      const b = this.buckets.get(t);
      if (b !== undefined) {
        let i = 0;
        while (i < b.length && !this.isLive(b[i] as T)) i++;
        if (i > 0) b.splice(0, i);
        if (b.length > 0) return b;
        this.buckets.delete(t);
      }
      this.times.pop();
    }
  }

  /** Time of the earliest live entry, if any. */
  earliestTime(): number | undefined {
    const b = this.firstBucket();
    return b === undefined ? undefined : (b[0] as T).time;
  }

  /**
   * The live entries whose time is within `window` of the earliest, in (time, insertion) order. The
   * returned array may be the queue's own bucket: read it, pick, then call take(); do not keep it.
   */
  candidates(window: number): readonly T[] {
    const first = this.firstBucket();
    if (first === undefined) return EMPTY;
    const t0 = (first[0] as T).time;
    if (window === 0 || !this.times.hasSecondWithin(t0 + window)) {
      for (const e of first) if (!this.isLive(e)) return first.filter(this.isLive);
      return first;
    }
    // Several times fall in the window: collect them from the heap array without mutating it (a child is
    // never smaller than its parent, so subtrees beyond the bound are skipped), then visit them in order.
    const times = this.times.timesWithin(t0 + window);
    const out: T[] = [];
    for (const t of times) {
      const b = this.buckets.get(t);
      if (b !== undefined) for (const e of b) if (this.isLive(e)) out.push(e);
    }
    return out;
  }

  /** Removes a chosen candidate from its bucket (emptied buckets are cleaned up lazily). */
  take(e: T): void {
    const b = this.buckets.get(e.time);
    if (b === undefined) return;
    if (b[0] === e) {
      b.shift();
      return;
    }
    const i = b.indexOf(e);
    if (i > 0) b.splice(i, 1);
  }
}
