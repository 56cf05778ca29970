import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shapeAxis } from '../../../protocols/input/axis.js';
import { axesToMotion, panTiltSpeed, SERVICE_AXIS_SHAPE } from '../../../src/api/joystick.js';
import { DEFAULT_MAPPING, readGamepad } from '../../../src/console/web/mapping.js';

const EDGE = SERVICE_AXIS_SHAPE.deadZone;
const panSpeedOf = (pan: number) => {
  const motion = axesToMotion({ pan });
  return motion.kind === 'stop' ? 0 : Number(motion.command.panSpeed);
};

describe('axesToMotion', () => {
  it('all axes inside the dead zone is a stop', () => {
    expect(axesToMotion({ pan: 0.01, tilt: -0.02, zoom: 0 })).toEqual({ kind: 'stop' });
    expect(axesToMotion({ pan: EDGE, tilt: -EDGE, zoom: EDGE / 2, focus: -EDGE, iris: EDGE })).toEqual({ kind: 'stop' });
    expect(axesToMotion({})).toEqual({ kind: 'stop' });
  });
  it('a value just outside the dead zone is speed 1, not a jump', () => {
    expect(axesToMotion({ pan: EDGE + 0.001 })).toEqual({ kind: 'move', command: { pan: 'right', panSpeed: 1, tiltSpeed: 0 } });
    expect(axesToMotion({ tilt: -(EDGE + 0.001) })).toEqual({ kind: 'move', command: { tilt: 'down', panSpeed: 0, tiltSpeed: 1 } });
  });
  it('sweeping an axis from rest to full travel raises the speed one step at a time, from 0 to 63', () => {
    let before = 0;
    for (let i = 0; i <= 1000; i++) {
      const speed = panSpeedOf(i / 1000);
      expect(speed - before).toBeLessThanOrEqual(1);
      expect(speed).toBeGreaterThanOrEqual(before);
      before = speed;
    }
    expect(before).toBe(63);
  });
  it('sign gives the direction and size the pan/tilt speed', () => {
    expect(axesToMotion({ pan: 1, tilt: -0.5 })).toEqual({ kind: 'move', command: { pan: 'right', tilt: 'down', panSpeed: 63, tiltSpeed: 31 } });
    expect(axesToMotion({ pan: -0.06 })).toEqual({ kind: 'move', command: { pan: 'left', panSpeed: 3, tiltSpeed: 0 } });
  });
  it('zoom, focus and iris are direction only', () => {
    expect(axesToMotion({ zoom: 0.3, focus: -1, iris: 1 })).toEqual({ kind: 'move', command: { zoom: 'tele', focus: 'near', iris: 'open', panSpeed: 0, tiltSpeed: 0 } });
    expect(axesToMotion({ zoom: -0.3 })).toMatchObject({ command: { zoom: 'wide' } });
  });
  it('the pan speed is the service shape of protocols/input/axis.ts scaled to 1–63', () => {
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (pan) => {
      expect(panSpeedOf(pan)).toBe(panTiltSpeed(shapeAxis(pan, SERVICE_AXIS_SHAPE)));
    }));
  });
});

describe('console -> service: one dead zone and curve implementation', () => {
  it('a gamepad stick swept from rest to full travel through the console mapping and the service starts at speed 1 and never skips a speed', () => {
    let before = 0;
    let first: number | undefined;
    for (let i = 0; i <= 2000; i++) {
      const { axes } = readGamepad(DEFAULT_MAPPING, { axes: [i / 2000, 0, 0, 0], buttons: [] });
      const speed = panSpeedOf(axes.pan ?? 0);
      if (first === undefined && speed > 0) first = speed;
      expect(speed - before).toBeLessThanOrEqual(1);
      before = speed;
    }
    expect(first).toBe(1);
    expect(before).toBe(63);
  });
  it('a gamepad resting inside the console dead zone is a stop at the service', () => {
    const { axes } = readGamepad(DEFAULT_MAPPING, { axes: [DEFAULT_MAPPING.deadZone, -DEFAULT_MAPPING.deadZone / 2, 0.05, 0], buttons: [] });
    expect(axesToMotion(axes)).toEqual({ kind: 'stop' });
  });
  it('the service joystick and the console gamepad and stick code take their dead zone from protocols/input/axis.ts', () => {
    for (const file of ['src/api/joystick.ts', 'src/console/web/mapping.ts', 'src/console/web/stick.ts']) {
      expect(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8'), file).toMatch(/from '(\.\.\/)+protocols\/input\/axis\.js'/);
    }
  });
});
