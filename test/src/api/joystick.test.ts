import { describe, expect, it } from 'vitest';
import { axesToMotion } from '../../../src/api/joystick.js';

describe('axesToMotion', () => {
  it('all axes inside the dead zone is a stop', () => {
    expect(axesToMotion({ pan: 0.01, tilt: -0.02, zoom: 0 })).toEqual({ kind: 'stop' });
    expect(axesToMotion({})).toEqual({ kind: 'stop' });
  });
  it('sign gives the direction and size the pan/tilt speed', () => {
    expect(axesToMotion({ pan: 1, tilt: -0.5 })).toEqual({ kind: 'move', command: { pan: 'right', tilt: 'down', panSpeed: 63, tiltSpeed: 32 } });
    expect(axesToMotion({ pan: -0.06 })).toEqual({ kind: 'move', command: { pan: 'left', panSpeed: 4, tiltSpeed: 0 } });
  });
  it('zoom, focus and iris are direction only', () => {
    expect(axesToMotion({ zoom: 0.3, focus: -1, iris: 1 })).toEqual({ kind: 'move', command: { zoom: 'tele', focus: 'near', iris: 'open', panSpeed: 0, tiltSpeed: 0 } });
    expect(axesToMotion({ zoom: -0.3 })).toMatchObject({ command: { zoom: 'wide' } });
  });
});
