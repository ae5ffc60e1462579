// The kernel's run queue: every thread with a scheduled next step, grouped by virtual time. The distinct
// times are kept in one ascending array (from `head` on), each with its threads in the order they were
// scheduled, which is sequence order, so ties are offered deterministically. A thread is in the queue at
// most once: rescheduling it moves it, so no stale entries are ever skipped, and nothing is allocated per
// step (buckets are pooled, candidates are counted and picked in place, never copied out).
//
// Times are inserted by binary search; a new earliest time reuses the slot before `head`, and times near
// the end (sleeps, the common case) move few elements. With N threads there are at most N distinct times.
// A bucket emptied in the middle (a thread kicked out of a long sleep) stays in place as a gap, its time
// kept, instead of moving every later time and bucket down: times stay strictly ascending over gaps too,
// so a new time that falls next to a gap takes it over without moving anything, and the gaps are dropped
// in one pass once they are half the queue. Gaps hold no thread, so the order of candidates is unchanged.
import { insertAt, removeAt } from './arrays.js';
import type { SimThread } from './objects.js';

export class RunQueue {
  private times: number[] = [];
  private buckets: SimThread[][] = [];
  private head = 0;
  private readonly pool: SimThread[][] = [];
  /** Empty buckets (gaps) in the live part; the bucket at `head` is never one. */
  private holes = 0;
  /** End (exclusive bucket index) of the last counted candidates. */
  private candEnd = 0;

  /** `gapsMin`: gaps are dropped once there are more than this many and they are half the queue. */
  constructor(private readonly gapsMin = 32) {}

  /** Schedules `t` at `time` (t must not be queued). */
  add(t: SimThread, time: number): void {
    t.queuedAt = time;
    t.queued = true;
    const times = this.times;
    const n = times.length;
    // Fast paths: after the last time, or equal to it (a run of sleeps and wake-ups ends the array).
    if (n > this.head) {
      const last = times[n - 1] as number;
      if (time === last) {
        this.fill(n - 1, t);
        return;
      }
      if (time > last) {
        times.push(time);
        this.buckets.push(this.bucket(t));
        return;
      }
    } else {
      // Empty: start over at the front only now and then (setting an array's length is a runtime call).
      if (this.head > 1024) this.reset();
      this.times.push(time);
      this.buckets.push(this.bucket(t));
      return;
    }
    const i = this.search(time);
    if (i < n && times[i] === time) {
      this.fill(i, t);
      return;
    }
    // times[i - 1] < time < times[i]: a gap on either side can take the new time, order kept.
    if (i > this.head && (this.buckets[i - 1] as SimThread[]).length === 0) {
      times[i - 1] = time;
      this.fill(i - 1, t);
      return;
    }
    if (i < n && (this.buckets[i] as SimThread[]).length === 0) {
      times[i] = time;
      this.fill(i, t);
      return;
    }
    if (i === this.head && this.head > 0) {
      this.head--;
      times[this.head] = time;
      this.buckets[this.head] = this.bucket(t);
      return;
    }
    insertAt(times, i, time);
    insertAt(this.buckets, i, this.bucket(t));
  }

  /** Takes `t` out of the queue (a thread whose step is superseded). */
  remove(t: SimThread): void {
    if (!t.queued) return;
    const i = this.times[this.head] === t.queuedAt ? this.head : this.search(t.queuedAt);
    const b = this.buckets[i] as SimThread[];
    this.removeFrom(i, b[0] === t ? 0 : b.indexOf(t));
  }

  /** Takes the thread at position j of bucket i out of the queue and returns it. */
  private removeFrom(i: number, j: number): SimThread {
    const b = this.buckets[i] as SimThread[];
    const t = j === 0 ? (b.shift() as SimThread) : removeAt(b, j);
    t.queued = false;
    if (b.length > 0) return t;
    const times = this.times;
    const buckets = this.buckets;
    if (i === this.head) {
      // The head moves past this bucket and any gaps after it: the next bucket at `head` holds a thread.
      this.pool.push(b);
      let h = i + 1;
      for (; h < times.length && (buckets[h] as SimThread[]).length === 0; h++) {
        this.pool.push(buckets[h] as SimThread[]);
        this.holes--;
      }
      this.head = h;
      if (h > 1024 && h * 2 > times.length && h < times.length) {
        times.splice(0, h);
        buckets.splice(0, h);
        this.head = 0;
      }
      return t;
    }
    if (i === times.length - 1) {
      // The last bucket goes, with the gaps before it: the queue never ends in a gap.
      times.pop();
      this.pool.push(buckets.pop() as SimThread[]);
      while ((buckets[times.length - 1] as SimThread[]).length === 0) {
        times.pop();
        this.pool.push(buckets.pop() as SimThread[]);
        this.holes--;
      }
      return t;
    }
    if (++this.holes > this.gapsMin && this.holes * 2 > times.length - this.head) this.dropGaps();
    return t;
  }

  /** Adds t to bucket i (a gap becomes a bucket again). */
  private fill(i: number, t: SimThread): void {
    const b = this.buckets[i] as SimThread[];
    if (b.length === 0) this.holes--;
    b.push(t);
  }

  /** Moves the live part to the front without its gaps. */
  private dropGaps(): void {
    const times = this.times;
    const buckets = this.buckets;
    let w = 0;
    for (let r = this.head; r < times.length; r++) {
      const b = buckets[r] as SimThread[];
      if (b.length === 0) {
        this.pool.push(b);
        continue;
      }
      times[w] = times[r] as number;
      buckets[w] = b;
      w++;
    }
    times.length = w;
    buckets.length = w;
    this.head = 0;
    this.holes = 0;
  }

  /** Time of the earliest queued step, if any. */
  earliestTime(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined;
  }

  /**
   * The number of candidates: threads whose step is within `window` of the earliest. They are not copied
   * out (a broadcast can put hundreds at one time, and this runs every step): `takeCandidate` and
   * `candidateIds` walk the same buckets, valid until the queue next changes.
   */
  countCandidates(window: number): number {
    const times = this.times;
    const n = times.length;
    let count = 0;
    let i = this.head;
    if (i < n) {
      const bound = (times[i] as number) + window;
      for (; i < n && (times[i] as number) <= bound; i++) count += (this.buckets[i] as SimThread[]).length;
    }
    this.candEnd = i;
    return count;
  }

  /** Takes candidate c (0-based, in (time, scheduling) order) of the last count out of the queue. */
  takeCandidate(c: number): SimThread {
    let i = this.head;
    let b = this.buckets[i] as SimThread[];
    while (c >= b.length) {
      c -= b.length;
      b = this.buckets[++i] as SimThread[];
    }
    return this.removeFrom(i, c);
  }

  /** Thread ids of the last candidates, in order. */
  candidateIds(): number[] {
    const ids: number[] = [];
    for (let i = this.head; i < this.candEnd; i++) for (const t of this.buckets[i] as SimThread[]) ids.push(t.id);
    return ids;
  }

  get size(): number {
    let s = 0;
    for (let i = this.head; i < this.times.length; i++) s += (this.buckets[i] as SimThread[]).length;
    return s;
  }

  /** Index of `time` in the live part, or where it would be inserted. */
  private search(time: number): number {
    const times = this.times;
    let lo = this.head;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] as number) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private bucket(t: SimThread): SimThread[] {
    const b = this.pool.pop() ?? [];
    b.push(t);
    return b;
  }

  private reset(): void {
    this.times.length = 0;
    this.buckets.length = 0;
    this.head = 0;
  }
}
