import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotSupportedError } from '../../../protocols/errors.js';
import { fanOut } from '../../../src/sync/fan-out.js';
import { calibrationOf, followerRaw, type MemberShape, planZoom, skewOf } from '../../../src/sync/plan.js';

const linear: MemberShape = { name: 'a', zoomRange: [0, 1000], calibration: [[0, 1], [1000, 10]] };
const bent: MemberShape = { name: 'b', zoomRange: [0, 1000], calibration: [[0, 1], [400, 3], [1000, 20]] };
const short: MemberShape = { name: 'c', zoomRange: [0, 1000], calibration: [[0, 1], [1000, 5]] };
const bare: MemberShape = { name: 'd', zoomRange: [100, 900], calibration: undefined };

describe('calibrationOf', () => {
  it('is the one ZoomCalibration of a table, built once, and refuses outside it', () => {
    const lens = calibrationOf(bent.calibration!);
    expect(calibrationOf(bent.calibration!)).toBe(lens);
    expect(lens.rawFor(3)).toBe(400);
    expect(() => calibrationOf(short.calibration!).rawFor(6)).toThrow(InvalidArgumentError);
  });
});

describe('planZoom', () => {
  it('sends the same raw value to every member for a raw target', () => {
    expect(planZoom([linear, bent, bare], { raw: 500 }).map((s) => s.raw)).toEqual([500, 500, 500]);
  });

  it('sends each member the raw position of the same magnification through its own table', () => {
    const steps = planZoom([linear, bent], { magnification: 4 });
    expect(steps.map((s) => s.block)).toEqual(['a', 'b']);
    expect(steps[0]!.raw).toBe(333);
    expect(steps[1]!.raw).toBe(435); // 400 + (1/17) * 600
  });

  it('refuses the whole command naming the member whose table does not reach, and its range', () => {
    const error = (() => {
      try {
        planZoom([linear, short], { magnification: 8 });
      } catch (e) {
        return e as InvalidArgumentError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error!.code).toBe('ZS_INVALID_ARGUMENT');
    expect(error!.field).toContain('block c');
    expect(error!.range).toContain('1–5x');
  });

  it('refuses a magnification for a member without a table, naming it', () => {
    expect(() => planZoom([linear, bare], { magnification: 2 })).toThrow(NotSupportedError);
    expect(() => planZoom([linear, bare], { magnification: 2 })).toThrow(/block d/);
  });

  it('refuses a raw target that is not a number and a magnification that is not positive', () => {
    expect(() => planZoom([linear], { raw: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => planZoom([linear], { magnification: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('followerRaw', () => {
  it('maps leader raw -> magnification -> follower raw', () => {
    expect(followerRaw(linear, bent, 333)).toBe(435);
    expect(calibrationOf(bent.calibration!).magnificationAt(followerRaw(linear, bent, 777))).toBeCloseTo(calibrationOf(linear.calibration!).magnificationAt(777), 1);
  });

  it('clamps to the end of a shorter follower lens instead of refusing', () => {
    expect(followerRaw(linear, short, 1000)).toBe(1000);
  });

  it('passes raw through, clamped to the follower range, when a side has no table', () => {
    expect(followerRaw(linear, bare, 50)).toBe(100);
    expect(followerRaw(bare, linear, 512)).toBe(512);
  });
});

describe('skewOf', () => {
  it('is max - min of the timed reports and ignores untimed (http) ones', () => {
    expect(skewOf([{ sentAt: 10 }, { sentAt: 12.5 }, { sentAt: undefined }, { sentAt: 11 }])).toBe(2.5);
    expect(skewOf([{ sentAt: undefined }])).toBeUndefined();
    expect(skewOf([{ sentAt: 3 }])).toBe(0);
  });
});

describe('fanOut', () => {
  it('calls every member before any of their promises settles, and a throwing member does not stop the rest', async () => {
    const called: string[] = [];
    let settledBeforeLoopEnded = false;
    const members = ['m1', 'm2', 'm3'].map((name) => ({ name }));
    const result = await fanOut(members, (m) => {
      called.push(m.name);
      if (m.name === 'm2') throw new Error('refused');
      const p = Promise.resolve({ block: m.name, path: 'serial' as const, sentAt: called.length });
      void p.then(() => {
        if (called.length < 3) settledBeforeLoopEnded = true;
      });
      return p;
    });
    expect(called).toEqual(['m1', 'm2', 'm3']);
    expect(settledBeforeLoopEnded).toBe(false);
    expect(result.reports.map((r) => r.block)).toEqual(['m1', 'm3']);
    expect(result.failures.map((f) => f.block)).toEqual(['m2']);
    expect(result.skewMs).toBe(2);
  });
});
