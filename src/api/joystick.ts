/**
 * Joystick axes (-1..1) -> one PELCO continuous move. Pure.
 * Sign picks the direction, size the speed (pan/tilt 1–63; a standard PELCO frame has no zoom,
 * focus or iris speed, so those are direction only). All axes still is a stop.
 *
 * Who shapes: the client. Axes arrive as speed demands already through a dead zone and response
 * curve (the web console shapes gamepads and its virtual stick with protocols/input/axis.ts; a
 * host-side joystick should use the same module). Shaping again here would stack a second dead
 * zone and curve on top. The service only applies SERVICE_AXIS_SHAPE, through the same module: a
 * tiny linear dead zone so float noise and rounding (an unshaped stick resting at 0.01) stay
 * still, ramping from 0 at its edge so the speed climbs 1, 2, 3 … with no jump.
 */
import { type AxisShape, axisShape, shapeAxis } from '../../protocols/input/axis.js';
import type { MoveCommand } from '../../protocols/pelco/commands.js';

export interface Axes {
  pan?: number;
  tilt?: number;
  zoom?: number;
  focus?: number;
  iris?: number;
}

/** Noise only: the operator's dead zone and curve are the client's (see the module comment). */
export const SERVICE_AXIS_SHAPE: AxisShape = axisShape({ deadZone: 0.02, expo: 0 });
const MAX_SPEED = 63;

export type Motion = { kind: 'stop' } | { kind: 'move'; command: Omit<MoveCommand, 'kind'> };

/** PELCO pan/tilt speed for a shaped demand: 0 still, else 1–63 (the slowest move is speed 1). */
export function panTiltSpeed(demand: number): number {
  return demand === 0 ? 0 : Math.max(1, Math.round(Math.min(1, Math.abs(demand)) * MAX_SPEED));
}

export function axesToMotion(axes: Axes): Motion {
  const live = (v: number | undefined) => (v === undefined ? 0 : shapeAxis(v, SERVICE_AXIS_SHAPE));
  const pan = live(axes.pan);
  const tilt = live(axes.tilt);
  const zoom = live(axes.zoom);
  const focus = live(axes.focus);
  const iris = live(axes.iris);
  if (pan === 0 && tilt === 0 && zoom === 0 && focus === 0 && iris === 0) return { kind: 'stop' };
  return {
    kind: 'move',
    command: {
      panSpeed: panTiltSpeed(pan),
      tiltSpeed: panTiltSpeed(tilt),
      ...(pan !== 0 && { pan: pan > 0 ? 'right' : 'left' }),
      ...(tilt !== 0 && { tilt: tilt > 0 ? 'up' : 'down' }),
      ...(zoom !== 0 && { zoom: zoom > 0 ? 'tele' : 'wide' }),
      ...(focus !== 0 && { focus: focus > 0 ? 'far' : 'near' }),
      ...(iris !== 0 && { iris: iris > 0 ? 'open' : 'close' }),
    },
  };
}
