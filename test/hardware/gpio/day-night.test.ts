import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DayNightDetector, lightSide } from '../../../hardware/gpio/day-night.js';

describe('day/night detection', () => {
  it('between the thresholds the last side holds (hysteresis), for both sensor polarities', () => {
    expect(lightSide(1.0, 'day', 1.2, 0.8)).toBe('day');
    expect(lightSide(1.0, 'night', 1.2, 0.8)).toBe('night');
    expect(lightSide(1.0, undefined, 1.2, 0.8)).toBeUndefined();
    expect(lightSide(1.3, 'night', 1.2, 0.8)).toBe('day');
    // A sensor that reads lower when brighter: day at or below 0.8 V, night at or above 1.2 V.
    expect(lightSide(0.7, 'night', 0.8, 1.2)).toBe('day');
    expect(lightSide(1.0, 'day', 0.8, 1.2)).toBe('day');
    expect(lightSide(1.3, 'day', 0.8, 1.2)).toBe('night');
  });

  it('a side is reported only after it has held for the dwell', () => {
    const d = new DayNightDetector({ dayVolts: 1.2, nightVolts: 0.8, dwellMs: 1000 });
    expect(d.sample(2, 0)).toBeUndefined();
    expect(d.state).toBe('unknown');
    expect(d.sample(2, 999)).toBeUndefined();
    expect(d.sample(2, 1000)?.value).toBe('day');
    expect(d.state).toBe('day');
  });

  it('readings wandering between the thresholds never switch day to night, however long', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.81, max: 1.19, noNaN: true }), { minLength: 1, maxLength: 100 }), (levels) => {
        const d = new DayNightDetector({ dayVolts: 1.2, nightVolts: 0.8, dwellMs: 100 });
        d.sample(2, 0);
        d.settle(100);
        levels.forEach((v, i) => expect(d.sample(v, 200 + i * 1000)).toBeUndefined());
        expect(d.state).toBe('day');
      }),
    );
  });

  it('a shadow shorter than the dwell does not make it night', () => {
    const d = new DayNightDetector({ dayVolts: 1.2, nightVolts: 0.8, dwellMs: 1000 });
    d.sample(2, 0);
    d.settle(1000);
    expect(d.sample(0.1, 2000)).toBeUndefined();
    expect(d.sample(0.1, 2999)).toBeUndefined();
    expect(d.sample(2, 3000)).toBeUndefined();
    expect(d.settle(10_000)).toBeUndefined();
    expect(d.state).toBe('day');
  });

  it('rejects equal thresholds', () => {
    expect(() => new DayNightDetector({ dayVolts: 1, nightVolts: 1 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
