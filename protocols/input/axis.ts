/**
 * Joystick axis shaping, pure: a raw axis (-1..1, as a gamepad or a drag gives it) -> a speed
 * demand (-1..1). One module for every input (the web console's gamepads and virtual stick, a
 * host-side joystick), so all of them feel the same.
 *
 * - Dead zone: inside it the output is 0 (a stick at rest never drifts). Outside it the output
 *   ramps up from 0 at the edge, so there is no jump in speed when the stick leaves the zone.
 * - Expo: the response curve, `(1 - expo)·t + expo·t³` over the live range t ∈ [0, 1]: fine
 *   control near the centre, full scale at the end. expo 0 is linear.
 *
 * @example
 *   const shape = axisShape({ deadZone: 0.1, expo: 0.4 });
 *   shapeAxis(0.05, shape);   // 0
 *   shapeAxis(1, shape);      // 1
 *   shapeStick(0.6, -0.3, shape); // { x, y } with a round dead zone
 */
import { InvalidArgumentError } from '../errors.js';

export interface AxisShape {
  /** Fraction of the travel around the centre that gives 0: 0 ≤ deadZone ≤ 0.9. */
  readonly deadZone: number;
  /** Response curve: 0 linear .. 1 cubic. */
  readonly expo: number;
}

export const DEFAULT_AXIS_SHAPE: AxisShape = Object.freeze({ deadZone: 0.1, expo: 0.3 });
export const MAX_DEAD_ZONE = 0.9;

/** Checks each field (defaults per field) and returns a frozen shape. */
export function axisShape(options: { deadZone?: number; expo?: number } = {}): AxisShape {
  const deadZone = options.deadZone ?? DEFAULT_AXIS_SHAPE.deadZone;
  const expo = options.expo ?? DEFAULT_AXIS_SHAPE.expo;
  if (typeof deadZone !== 'number' || !(deadZone >= 0 && deadZone <= MAX_DEAD_ZONE)) throw new InvalidArgumentError('deadZone', deadZone, `a number 0–${MAX_DEAD_ZONE}`);
  if (typeof expo !== 'number' || !(expo >= 0 && expo <= 1)) throw new InvalidArgumentError('expo', expo, 'a number 0–1');
  return Object.freeze({ deadZone, expo });
}

/** The curve over the live range: t ∈ [0, 1] -> [0, 1], 0 at 0, 1 at 1, increasing. */
export function expoCurve(t: number, expo: number): number {
  return (1 - expo) * t + expo * t * t * t;
}

/** One axis: sign kept, 0 inside the dead zone, ramping from 0 at its edge to ±1 at full travel. NaN counts as rest. */
export function shapeAxis(raw: number, shape: AxisShape): number {
  if (!Number.isFinite(raw)) return 0;
  const size = Math.min(1, Math.abs(raw));
  if (size <= shape.deadZone) return 0;
  const live = (size - shape.deadZone) / (1 - shape.deadZone);
  return Math.sign(raw) * expoCurve(live, shape.expo);
}

/**
 * A two-axis stick with a round dead zone: the deflection's length is shaped like one axis and
 * its direction kept, so a diagonal is not slowed or squared off by per-axis zones.
 */
export function shapeStick(x: number, y: number, shape: AxisShape): { x: number; y: number } {
  const fx = Number.isFinite(x) ? x : 0;
  const fy = Number.isFinite(y) ? y : 0;
  const length = Math.hypot(fx, fy);
  if (length <= shape.deadZone) return { x: 0, y: 0 };
  const scale = shapeAxis(Math.min(1, length), shape) / length;
  return { x: clamp(fx * scale), y: clamp(fy * scale) };
}

function clamp(v: number): number {
  return Math.max(-1, Math.min(1, v));
}
