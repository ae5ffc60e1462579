import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertAt, removeAt } from './arrays.js';

describe('in-place array edits', () => {
  it('removeAt removes and returns the element as splice(i, 1) does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), fc.nat(), (xs, k) => {
        const i = k % xs.length;
        const a = [...xs];
        const b = [...xs];
        expect(removeAt(a, i)).toBe(b.splice(i, 1)[0]);
        expect(a).toEqual(b);
      }),
    );
  });
  it('insertAt inserts as splice(i, 0, x) does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.nat(), fc.integer(), (xs, k, x) => {
        const i = k % (xs.length + 1);
        const a = [...xs];
        const b = [...xs];
        insertAt(a, i, x);
        b.splice(i, 0, x);
        expect(a).toEqual(b);
      }),
    );
  });
});
