/**
 * Joystick axes (-1..1, as a gamepad or a slider gives them) -> one PELCO continuous move. Pure.
 * Sign picks the direction, size the speed (pan/tilt 1–63; a standard PELCO frame has no zoom,
 * focus or iris speed, so those are direction only). Inside the dead zone an axis is still;
 * all axes still is a stop.
 */
import type { MoveCommand } from '../../protocols/pelco/commands.js';

export interface Axes {
  pan?: number;
  tilt?: number;
  zoom?: number;
  focus?: number;
  iris?: number;
}

export const DEAD_ZONE = 0.05;
const MAX_SPEED = 63;

export type Motion = { kind: 'stop' } | { kind: 'move'; command: Omit<MoveCommand, 'kind'> };

export function axesToMotion(axes: Axes): Motion {
  const live = (v: number | undefined) => (v !== undefined && Math.abs(v) >= DEAD_ZONE ? v : 0);
  const pan = live(axes.pan);
  const tilt = live(axes.tilt);
  const zoom = live(axes.zoom);
  const focus = live(axes.focus);
  const iris = live(axes.iris);
  if (pan === 0 && tilt === 0 && zoom === 0 && focus === 0 && iris === 0) return { kind: 'stop' };
  const speed = (v: number) => (v === 0 ? 0 : Math.max(1, Math.round(Math.min(1, Math.abs(v)) * MAX_SPEED)));
  return {
    kind: 'move',
    command: {
      panSpeed: speed(pan),
      tiltSpeed: speed(tilt),
      ...(pan !== 0 && { pan: pan > 0 ? 'right' : 'left' }),
      ...(tilt !== 0 && { tilt: tilt > 0 ? 'up' : 'down' }),
      ...(zoom !== 0 && { zoom: zoom > 0 ? 'tele' : 'wide' }),
      ...(focus !== 0 && { focus: focus > 0 ? 'far' : 'near' }),
      ...(iris !== 0 && { iris: iris > 0 ? 'open' : 'close' }),
    },
  };
}
