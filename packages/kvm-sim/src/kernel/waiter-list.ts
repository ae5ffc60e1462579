// A mutex's waiters, in arrival order, with removal at any position in O(log n). A barging unlock wakes a
// waiter chosen by position (the choice source's answer); with hundreds of vCPU threads queued on the BQL,
// removing it from a plain array moved every later waiter (one pointer store each, with its write barrier),
// which was the largest single cost of a 512-vCPU rfc-v6 boot after trace hashing. Here a waiter keeps its
// slot until it leaves; a Fenwick tree over the slots counts the live ones, so "the k-th waiter" is a
// descent of the tree. The order, and so every choice and trace, is that of the array it replaces.

export class WaiterList<T> {
  /** Slots in arrival order; null once their waiter left. Only [0, end) is in use. */
  private slots: (T | null)[];
  /** Fenwick tree (1-based) of live slots: tree[i] counts the live slots of (i - lowbit(i), i]. */
  private tree: Int32Array;
  /** Capacity: slots.length, a power of two. */
  private cap: number;
  private end = 0;
  private live = 0;

  constructor(capacity = 8) {
    let cap = 1;
    while (cap < capacity) cap *= 2;
    this.cap = cap;
    this.slots = new Array<T | null>(cap).fill(null);
    this.tree = new Int32Array(cap + 1);
  }

  get length(): number {
    return this.live;
  }

  push(x: T): void {
    if (this.end === this.cap) this.repack();
    const s = this.end++;
    this.slots[s] = x;
    this.live++;
    const tree = this.tree;
    for (let i = s + 1; i <= this.cap; i += i & -i) tree[i] = (tree[i] as number) + 1;
  }

  /** Removes and returns the waiter at position k (0 ≤ k < length), as `splice(k, 1)[0]` would. */
  removeAt(k: number): T {
    // Descend the tree to the slot with exactly k live slots before it.
    const tree = this.tree;
    let pos = 0;
    let rem = k + 1;
    for (let step = this.cap; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.cap && (tree[next] as number) < rem) {
        pos = next;
        rem -= tree[next] as number;
      }
    }
    return this.take(pos);
  }

  /** Removes and returns the oldest waiter, or undefined when there is none. */
  shift(): T | undefined {
    return this.live === 0 ? undefined : this.removeAt(0);
  }

  /** Removes `x` (an interrupted waiter leaves from anywhere); returns whether it was there. */
  remove(x: T): boolean {
    const slots = this.slots;
    for (let s = 0; s < this.end; s++) {
      if (slots[s] === x) {
        this.take(s);
        return true;
      }
    }
    return false;
  }

  /** The waiters, oldest first (a copy). */
  toArray(): T[] {
    const out: T[] = [];
    for (let s = 0; s < this.end; s++) {
      const x = this.slots[s] as T | null;
      if (x !== null) out.push(x);
    }
    return out;
  }

  private take(s: number): T {
    const x = this.slots[s] as T;
    this.slots[s] = null;
    const tree = this.tree;
    for (let i = s + 1; i <= this.cap; i += i & -i) tree[i] = (tree[i] as number) - 1;
    // Empty again: start over at slot 0 (the tree is all zeros, every slot null).
    if (--this.live === 0) this.end = 0;
    return x;
  }

  /** All slots used: compact the live waiters to the front, doubling the capacity if they fill half. */
  private repack(): void {
    const live = this.toArray();
    if (live.length * 2 > this.cap) this.cap *= 2;
    const slots = new Array<T | null>(this.cap).fill(null);
    const tree = new Int32Array(this.cap + 1);
    for (let s = 0; s < live.length; s++) {
      slots[s] = live[s] as T;
      tree[s + 1] = 1;
    }
    // Linear-time Fenwick build: each node passes its count to its parent.
    for (let i = 1; i <= this.cap; i++) {
      const j = i + (i & -i);
      if (j <= this.cap) tree[j] = (tree[j] as number) + (tree[i] as number);
    }
    this.slots = slots;
    this.tree = tree;
    this.end = live.length;
  }
}
