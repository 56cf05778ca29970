import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, parseMapping, readGamepad } from '../../../src/console/web/mapping.js';

const pad = (axes: number[], pressed: number[] = []) => ({ axes, buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: pressed.includes(i) })) });

describe('gamepad mapping', () => {
  it('the default mapping survives a round trip through JSON (what localStorage keeps)', () => {
    expect(parseMapping(JSON.parse(JSON.stringify(DEFAULT_MAPPING)))).toEqual(DEFAULT_MAPPING);
  });

  it('names the bad field of a mapping typed by the operator', () => {
    expect(() => parseMapping({ ...DEFAULT_MAPPING, deadZone: 2 })).toThrow(/deadZone/);
    expect(() => parseMapping({ ...DEFAULT_MAPPING, axes: { roll: { index: 0 } } })).toThrow(/mapping\.axes\.roll: unknown axis/);
    expect(() => parseMapping({ ...DEFAULT_MAPPING, axes: { pan: { index: 99 } } })).toThrow(/mapping\.axes\.pan\.index/);
    expect(() => parseMapping({ ...DEFAULT_MAPPING, buttons: { '3': 'preset:0' } })).toThrow(/mapping\.buttons\.3/);
    expect(() => parseMapping({ ...DEFAULT_MAPPING, buttons: { '3': 'jump' } })).toThrow(/"stop" or "preset:N"/);
    expect(() => parseMapping(null)).toThrow(/expected an object/);
  });

  it('reads a standard pad: stick up is tilt up, rest noise inside the dead zone is still, buttons are listed', () => {
    expect(readGamepad(DEFAULT_MAPPING, pad([0, -1, 0, 0])).axes).toMatchObject({ pan: 0, tilt: 1, zoom: 0 });
    expect(readGamepad(DEFAULT_MAPPING, pad([0.05, -0.04, 0, 0.08])).axes).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    expect(readGamepad(DEFAULT_MAPPING, pad([0, 0, 0, -1])).axes.zoom).toBeCloseTo(1, 12);
    expect(readGamepad(DEFAULT_MAPPING, pad([0, 0, 0, 0], [0, 9])).pressed).toEqual([0, 9]);
  });

  it('an inverted binding flips the sign; an unmapped axis is left out', () => {
    const mapping = parseMapping({ ...DEFAULT_MAPPING, axes: { pan: { index: 2, invert: true } } });
    const { axes } = readGamepad(mapping, pad([0, 0, 1, 0]));
    expect(axes.pan).toBeCloseTo(-1, 12);
    expect(axes).not.toHaveProperty('tilt');
  });
});
