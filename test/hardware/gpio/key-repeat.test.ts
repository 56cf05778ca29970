import { describe, expect, it } from 'vitest';
import { KeyRepeat } from '../../../hardware/gpio/key-repeat.js';

describe('KeyRepeat', () => {
  it('first hold after holdDelayMs, then one every repeatMs, counting up', () => {
    const r = new KeyRepeat(500, 100);
    r.press('K1', 1000);
    expect(r.due(1499)).toBeUndefined();
    expect(r.due(1500)).toEqual({ key: 'K1', count: 1, pressedAt: 1000 });
    expect(r.deadline).toBe(1600);
    expect(r.due(1600)?.count).toBe(2);
    expect(r.due(1700)?.count).toBe(3);
  });

  it('a late caller gets the missed holds one per call, not a burst lost', () => {
    const r = new KeyRepeat(100, 10);
    r.press('K2', 0);
    expect([r.due(135)?.count, r.due(135)?.count, r.due(135)?.count, r.due(135)?.count, r.due(135)]).toEqual([1, 2, 3, 4, undefined]);
  });

  it('release stops the holds; repeatMs 0 gives a single hold', () => {
    const r = new KeyRepeat(100, 0);
    r.press('K3', 0);
    expect(r.due(100)?.count).toBe(1);
    expect(r.due(10_000)).toBeUndefined();
    r.press('K3', 20_000);
    r.release();
    expect(r.deadline).toBeUndefined();
    expect(r.due(30_000)).toBeUndefined();
  });

  it('rejects a hold delay of 0 and a negative repeat', () => {
    expect(() => new KeyRepeat(0, 100)).toThrow(/holdDelayMs/);
    expect(() => new KeyRepeat(100, -1)).toThrow(/repeatMs/);
  });
});
