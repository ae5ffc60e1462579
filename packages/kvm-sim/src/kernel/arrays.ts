// In-place array edits for the kernel's hot lists (run-queue buckets and times, waiter lists). Array
// splice allocates an array of the removed elements on every call, even when nobody reads it; when only a
// few elements move, moving them by hand costs less than that allocation and the builtin call. Longer
// moves still go to splice, whose native memmove beats a loop of checked stores.
const SHORT_MOVE = 16;

/** Removes a[i] (0 ≤ i < a.length), keeping the order of the rest, and returns it. */
export function removeAt<T>(a: T[], i: number): T {
  const x = a[i] as T;
  const last = a.length - 1;
  if (last - i > SHORT_MOVE) {
    a.splice(i, 1);
    return x;
  }
  for (let j = i; j < last; j++) a[j] = a[j + 1] as T;
  a.pop();
  return x;
}

/** Inserts x at index i (0 ≤ i ≤ a.length), moving the rest up by one. */
export function insertAt<T>(a: T[], i: number, x: T): void {
  let j = a.length;
  if (j - i > SHORT_MOVE) {
    a.splice(i, 0, x);
    return;
  }
  a.push(x);
  for (; j > i; j--) a[j] = a[j - 1] as T;
  a[i] = x;
}
