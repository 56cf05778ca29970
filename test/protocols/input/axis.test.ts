import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisShape, expoCurve, shapeAxis, shapeStick } from '../../../protocols/input/axis.js';

const shapes = fc.record({ deadZone: fc.double({ min: 0, max: 0.9, noNaN: true }), expo: fc.double({ min: 0, max: 1, noNaN: true }) }).map((s) => axisShape(s));
const raw = fc.double({ min: -1, max: 1, noNaN: true });

describe('axis shaping (dead zone + expo)', () => {
  it('is 0 anywhere inside the dead zone', () => {
    fc.assert(fc.property(shapes, fc.double({ min: 0, max: 1, noNaN: true }), (shape, f) => {
      const v = f * shape.deadZone;
      expect(shapeAxis(v, shape)).toBe(0);
      expect(shapeAxis(-v, shape)).toBe(0);
    }));
  });

  it('is full scale (±1) at full travel, and beyond it', () => {
    fc.assert(fc.property(shapes, (shape) => {
      expect(shapeAxis(1, shape)).toBeCloseTo(1, 12);
      expect(shapeAxis(-1, shape)).toBeCloseTo(-1, 12);
      expect(shapeAxis(1.5, shape)).toBeCloseTo(1, 12);
    }));
  });

  it('is continuous at the dead-zone edge: just outside it the output is as small as the step', () => {
    fc.assert(fc.property(shapes, fc.double({ min: 1e-9, max: 1e-3, noNaN: true }), (shape, step) => {
      const out = shapeAxis(shape.deadZone + step, shape);
      expect(out).toBeGreaterThanOrEqual(0);
      // the slope is at most 1/(1-deadZone) (linear part) and the cubic is flatter near 0
      expect(out).toBeLessThanOrEqual(step / (1 - shape.deadZone) + 1e-12);
    }));
  });

  it('is monotonic (non-decreasing) over the whole travel, and odd', () => {
    fc.assert(fc.property(shapes, raw, raw, (shape, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(shapeAxis(lo, shape)).toBeLessThanOrEqual(shapeAxis(hi, shape) + 1e-15);
      expect(shapeAxis(-a, shape)).toBeCloseTo(-shapeAxis(a, shape), 12);
    }));
  });

  it('stays within -1..1 and treats NaN as rest', () => {
    fc.assert(fc.property(shapes, fc.double({ noNaN: false }), (shape, v) => {
      const out = shapeAxis(v, shape);
      expect(Math.abs(out)).toBeLessThanOrEqual(1);
      if (Number.isNaN(v)) expect(out).toBe(0);
    }));
  });

  it('expo bends the curve below linear in the middle, linear at 0', () => {
    expect(expoCurve(0.5, 0)).toBe(0.5);
    expect(expoCurve(0.5, 1)).toBe(0.125);
    expect(expoCurve(0, 0.7)).toBe(0);
    expect(expoCurve(1, 0.7)).toBeCloseTo(1, 12);
  });

  it('refuses a dead zone or expo out of range with ZS_INVALID_ARGUMENT', () => {
    expect(() => axisShape({ deadZone: 0.95 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'deadZone' }));
    expect(() => axisShape({ deadZone: -0.1 })).toThrow(expect.objectContaining({ field: 'deadZone' }));
    expect(() => axisShape({ expo: 1.2 })).toThrow(expect.objectContaining({ field: 'expo' }));
    expect(() => axisShape({ expo: Number.NaN })).toThrow(expect.objectContaining({ field: 'expo' }));
    expect(axisShape({ deadZone: undefined, expo: 0 })).toEqual({ deadZone: 0.1, expo: 0 });
  });
});

describe('stick shaping (round dead zone)', () => {
  it('is still inside the round dead zone and keeps the direction outside it', () => {
    fc.assert(fc.property(shapes, raw, raw, (shape, x, y) => {
      const out = shapeStick(x, y, shape);
      if (Math.hypot(x, y) <= shape.deadZone) expect(out).toEqual({ x: 0, y: 0 });
      else {
        // never the opposite way (a tiny component may underflow to 0)
        expect(out.x * x).toBeGreaterThanOrEqual(0);
        expect(out.y * y).toBeGreaterThanOrEqual(0);
        expect(Math.hypot(out.x, out.y)).toBeLessThanOrEqual(Math.SQRT2);
      }
    }));
  });

  it('gives full scale along an axis at full travel', () => {
    const shape = axisShape({ deadZone: 0.2, expo: 0.5 });
    expect(shapeStick(1, 0, shape).x).toBeCloseTo(1, 12);
    expect(shapeStick(0, -1, shape).y).toBeCloseTo(-1, 12);
  });
});
