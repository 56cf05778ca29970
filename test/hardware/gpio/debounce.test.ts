import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../../hardware/gpio/debounce.js';

describe('Debouncer', () => {
  it('accepts a level only after it has held for stableMs', () => {
    const d = new Debouncer<number>(30);
    expect(d.sample(1, 1000)).toBeUndefined();
    expect(d.deadline).toBe(1030);
    expect(d.settle(1029)).toBeUndefined();
    expect(d.settle(1030)).toEqual({ value: 1, since: 1000, at: 1030 });
    expect(d.value).toBe(1);
    expect(d.deadline).toBeUndefined();
  });

  it('a bouncing input that flips faster than stableMs is never accepted mid-bounce', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        const d = new Debouncer<0 | 1>(30);
        d.sample(1, 0);
        d.settle(30);
        let t = 30;
        let level: 0 | 1 = 0;
        const changes = [];
        for (const gap of gaps) {
          const settled = d.sample(level, t);
          if (settled) changes.push(settled);
          t += gap;
          const late = d.settle(t);
          if (late) changes.push(late);
          level = level === 1 ? 0 : 1;
        }
        expect(changes).toEqual([]);
        expect(d.value).toBe(1);
      }),
    );
  });

  it('reset() makes the value unknown and the next level must hold again', () => {
    const d = new Debouncer<number>(10);
    d.sample(1, 0);
    d.settle(10);
    d.reset();
    expect(d.value).toBeUndefined();
    expect(d.sample(1, 20)).toBeUndefined();
    expect(d.settle(30)?.value).toBe(1);
  });

  it('with stableMs 0 a sample is accepted at once', () => {
    expect(new Debouncer<number>(0).sample(5, 7)).toEqual({ value: 5, since: 7, at: 7 });
  });

  it('rejects a negative debounce time', () => {
    expect(() => new Debouncer(-1)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
