// The kernel's run queue: every thread with a scheduled next step, grouped by virtual time. The distinct
// times are kept in one ascending array (from `head` on), each with its threads in the order they were
// scheduled, which is sequence order, so ties are offered deterministically. A thread is in the queue at
// most once: rescheduling it moves it, so no stale entries are ever skipped, and nothing is allocated per
// step (buckets are pooled, candidates are written into one reused buffer).
//
// Times are inserted by binary search; a new earliest time reuses the slot before `head`, and times near
// the end (sleeps, the common case) move few elements. With N threads there are at most N distinct times.
import { insertAt, removeAt } from './arrays.js';
import type { SimThread } from './objects.js';

export class RunQueue {
  private times: number[] = [];
  private buckets: SimThread[][] = [];
  private head = 0;
  private readonly pool: SimThread[][] = [];
  /** Candidates of the last `candidates()` call (the first `candidates()` entries); valid until the queue changes. */
  readonly cand: SimThread[] = [];
  private candCount = 0;

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
        (this.buckets[n - 1] as SimThread[]).push(t);
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
      (this.buckets[i] as SimThread[]).push(t);
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

  /** Takes `t` out of the queue (a chosen candidate, or a thread whose step is superseded). */
  remove(t: SimThread): void {
    if (!t.queued) return;
    t.queued = false;
    // A chosen candidate is nearly always in the earliest bucket: skip the binary search then.
    const i = this.times[this.head] === t.queuedAt ? this.head : this.search(t.queuedAt);
    const b = this.buckets[i] as SimThread[];
    if (b[0] === t) b.shift();
    else removeAt(b, b.indexOf(t));
    if (b.length > 0) return;
    this.pool.push(b);
    if (i === this.head) {
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.times.length && this.head < this.times.length) {
        this.times.splice(0, this.head);
        this.buckets.splice(0, this.head);
        this.head = 0;
      }
      return;
    }
    removeAt(this.times, i);
    removeAt(this.buckets, i);
  }

  /** Time of the earliest queued step, if any. */
  earliestTime(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined;
  }

  /**
   * Fills `cand` with the threads whose step is within `window` of the earliest, in (time, scheduling)
   * order, and returns how many there are.
   */
  candidates(window: number): number {
    const out = this.cand;
    const times = this.times;
    const n = times.length;
    let k = 0;
    if (this.head < n) {
      const bound = (times[this.head] as number) + window;
      for (let i = this.head; i < n && (times[i] as number) <= bound; i++) {
        const b = this.buckets[i] as SimThread[];
        for (let j = 0; j < b.length; j++) out[k++] = b[j] as SimThread;
      }
    }
    this.candCount = k;
    return k;
  }

  /** Thread ids of the last candidates, in order. */
  candidateIds(): number[] {
    const ids: number[] = [];
    for (let i = 0; i < this.candCount; i++) ids.push((this.cand[i] as SimThread).id);
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
