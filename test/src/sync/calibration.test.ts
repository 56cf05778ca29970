import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { calibrationTableProblems, type CalibrationPoint, ZoomCalibration } from '../../../src/sync/calibration.js';

/** Tables as people measure them: integer raw positions 0–1000, magnifications 1–100 at least 0.01 apart. */
const tables = fc
  .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 12 })
  .chain((raws) =>
    fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: raws.length, maxLength: raws.length }).map((steps) => {
      const sorted = [...raws].sort((a, b) => a - b);
      let magnification = 1;
      return sorted.map((raw, i): CalibrationPoint => {
        if (i > 0) magnification += steps[i]! / 100;
        return [raw, magnification];
      });
    }),
  );

const SZ_G10_EXAMPLE: CalibrationPoint[] = [
  [0, 1.0],
  [500, 3.2],
  [1000, 10.0],
];

describe('ZoomCalibration', () => {
  it('interpolates on the straight line between two measured points, both ways', () => {
    const lens = new ZoomCalibration(SZ_G10_EXAMPLE);
    expect(lens.magnificationAt(250)).toBeCloseTo(2.1, 12);
    expect(lens.magnificationAt(750)).toBeCloseTo(6.6, 12);
    expect(lens.rawFor(2.1)).toBeCloseTo(250, 9);
    expect(lens.rawFor(6.6)).toBeCloseTo(750, 9);
  });

  it('gives the measured points back exactly', () => {
    const lens = new ZoomCalibration(SZ_G10_EXAMPLE);
    for (const [raw, magnification] of SZ_G10_EXAMPLE) {
      expect(lens.magnificationAt(raw)).toBe(magnification);
      expect(lens.rawFor(magnification)).toBe(raw);
    }
  });

  it('refuses a raw position or magnification outside the table instead of extrapolating', () => {
    const lens = new ZoomCalibration([
      [100, 1.5],
      [900, 8],
    ]);
    for (const call of [() => lens.magnificationAt(99), () => lens.magnificationAt(901), () => lens.rawFor(1.4), () => lens.rawFor(8.01), () => lens.rawFor(Number.NaN)]) {
      expect(call).toThrow(InvalidArgumentError);
    }
    expect(() => lens.rawFor(12)).toThrow(/magnification 12 .*expected a number 1.5–8/);
  });

  it('clamps only when asked, to the ends of the table', () => {
    const lens = new ZoomCalibration([
      [100, 1.5],
      [900, 8],
    ]);
    expect(lens.clampMagnification(12)).toBe(8);
    expect(lens.clampMagnification(1)).toBe(1.5);
    expect(lens.clampRaw(0)).toBe(100);
    expect(lens.rawFor(lens.clampMagnification(12))).toBe(900);
  });

  it('rejects a table whose raw or magnification does not strictly increase, naming the point', () => {
    expect(() => new ZoomCalibration([[0, 1]])).toThrow(InvalidArgumentError);
    const flat = () =>
      new ZoomCalibration([
        [0, 1],
        [500, 3],
        [500, 4],
      ]);
    expect(flat).toThrow(/calibration\[2\].*raw zoom must increase/);
    const falling = () =>
      new ZoomCalibration([
        [0, 1],
        [500, 3],
        [800, 2],
      ]);
    expect(falling).toThrow(/calibration\[2\].*magnification must increase/);
  });

  it('refuses points that are not [raw, magnification] pairs with an InvalidArgumentError, not a crash', () => {
    expect(() => new ZoomCalibration([[0, 1], 5 as unknown as CalibrationPoint])).toThrow(/calibration\[1\].*not a point/);
    expect(() => new ZoomCalibration([[0, 1], [1, 2, 3] as unknown as CalibrationPoint])).toThrow(InvalidArgumentError);
    expect(() => new ZoomCalibration('0 1 2 3' as unknown as CalibrationPoint[])).toThrow(InvalidArgumentError);
  });

  it('lists every problem of a table, not only the first', () => {
    const problems = calibrationTableProblems([
      [0, 0],
      [0, 2],
      [100, 1],
    ]);
    expect(problems.map((p) => [p.index, p.part])).toEqual([
      [0, 1], // magnification 0 is not positive
      [1, 0], // raw 0 after 0
      [2, 1], // magnification 1 after 2
    ]);
  });

  it('inverse(forward(raw)) is raw again for every integer raw position, within rounding', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 0, max: 1000 }), (table, x) => {
        const lens = new ZoomCalibration(table);
        const raw = lens.clampRaw(x);
        const back = lens.rawFor(lens.magnificationAt(raw));
        expect(Math.abs(back - raw)).toBeLessThan(1e-9 * Math.max(1, raw));
        expect(Math.round(back)).toBe(raw);
      }),
    );
  });

  it('forward(inverse(magnification)) is the magnification again', () => {
    fc.assert(
      fc.property(tables, fc.double({ min: 0, max: 1, noNaN: true }), (table, t) => {
        const lens = new ZoomCalibration(table);
        const [low, high] = lens.magnificationRange;
        const magnification = low + t * (high - low);
        expect(lens.magnificationAt(lens.rawFor(magnification))).toBeCloseTo(magnification, 9);
      }),
    );
  });

  it('is strictly increasing both ways: a longer zoom never gives less magnification', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (table, x, y) => {
        const lens = new ZoomCalibration(table);
        const [a, b] = [lens.clampRaw(Math.min(x, y)), lens.clampRaw(Math.max(x, y))];
        fc.pre(a < b);
        const [ma, mb] = [lens.magnificationAt(a), lens.magnificationAt(b)];
        expect(ma).toBeLessThan(mb);
        expect(lens.rawFor(ma)).toBeLessThan(lens.rawFor(mb));
      }),
    );
  });
});
