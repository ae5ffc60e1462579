// Binary min-heap of scheduled entries ordered by (time, priority, sequence): ties in time are broken by
// priority and then by insertion order, so equal-time events are ordered deterministically.

export interface HeapEntry {
  time: number;
  priority: number;
  seq: number;
}

function less(a: HeapEntry, b: HeapEntry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class MinHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const li = items[l] as T;
      let child = l;
      let c = li;
      if (r < n) {
        const ri = items[r] as T;
        if (less(ri, li)) {
          child = r;
          c = ri;
        }
      }
      if (!less(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
