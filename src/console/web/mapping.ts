/**
 * Gamepad mapping for the console: which axis drives pan/tilt/zoom/focus, which button does a
 * preset or a stop, and the axis shape (dead zone, expo). Pure (no DOM): read from a Gamepad-like
 * `{ axes, buttons }`, checked when loaded from storage or typed by the operator.
 */
import { type AxisShape, axisShape, shapeAxis, shapeStick } from '../../../protocols/input/axis.js';

export type MoveAxis = 'pan' | 'tilt' | 'zoom' | 'focus';
export const MOVE_AXES: readonly MoveAxis[] = ['pan', 'tilt', 'zoom', 'focus'];

export interface AxisBinding {
  /** Index into gamepad.axes. */
  index: number;
  /** Flip the sign (a stick's "up" is -1 in the standard layout). */
  invert: boolean;
}

/** What a button does: `stop`, or `preset:N` (recall camera preset N on the selected target). */
export type ButtonAction = 'stop' | `preset:${number}`;

export interface GamepadMapping {
  axes: Partial<Record<MoveAxis, AxisBinding>>;
  buttons: Record<string, ButtonAction>;
  deadZone: number;
  expo: number;
}

/** The standard layout: left stick pan/tilt, right stick up/down zoom, A B X Y presets 1–4, Start stop. */
export const DEFAULT_MAPPING: GamepadMapping = {
  axes: { pan: { index: 0, invert: false }, tilt: { index: 1, invert: true }, zoom: { index: 3, invert: true } },
  buttons: { '0': 'preset:1', '1': 'preset:2', '2': 'preset:3', '3': 'preset:4', '9': 'stop' },
  deadZone: 0.12,
  expo: 0.3,
};

/** Checks a mapping (from storage or the settings box); throws an Error naming the bad field. */
export function parseMapping(value: unknown): GamepadMapping {
  if (typeof value !== 'object' || value === null) throw new Error('mapping: expected an object with axes, buttons, deadZone, expo');
  const v = value as Record<string, unknown>;
  const shape = (() => {
    try {
      return axisShape({ deadZone: v.deadZone as number | undefined, expo: v.expo as number | undefined });
    } catch (error) {
      throw new Error(`mapping: ${(error as Error).message}`);
    }
  })();
  const axes: GamepadMapping['axes'] = {};
  const rawAxes = (v.axes ?? {}) as Record<string, unknown>;
  if (typeof rawAxes !== 'object') throw new Error('mapping.axes: expected an object like {"pan": {"index": 0, "invert": false}}');
  for (const [name, binding] of Object.entries(rawAxes)) {
    if (!MOVE_AXES.includes(name as MoveAxis)) throw new Error(`mapping.axes.${name}: unknown axis (expected one of ${MOVE_AXES.join(', ')})`);
    const b = binding as Record<string, unknown> | null;
    if (b === null) continue;
    if (typeof b !== 'object' || !Number.isInteger(b.index) || (b.index as number) < 0 || (b.index as number) > 15) throw new Error(`mapping.axes.${name}.index: expected an integer 0–15`);
    axes[name as MoveAxis] = { index: b.index as number, invert: b.invert === true };
  }
  const buttons: Record<string, ButtonAction> = {};
  const rawButtons = (v.buttons ?? {}) as Record<string, unknown>;
  for (const [index, action] of Object.entries(rawButtons)) {
    if (!/^\d{1,2}$/.test(index)) throw new Error(`mapping.buttons.${index}: expected a button number 0–99`);
    if (action !== 'stop' && !(typeof action === 'string' && /^preset:([1-9]\d?|1\d\d|2[0-4]\d|25[0-5])$/.test(action))) {
      throw new Error(`mapping.buttons.${index}: ${JSON.stringify(action)} is not "stop" or "preset:N" (N 1–255)`);
    }
    buttons[index] = action as ButtonAction;
  }
  return { axes, buttons, deadZone: shape.deadZone, expo: shape.expo };
}

export interface GamepadLike {
  readonly axes: readonly number[];
  readonly buttons: readonly { readonly pressed: boolean }[];
}

export type Axes = Partial<Record<MoveAxis, number>>;

/**
 * The move a gamepad asks for now: pan and tilt shaped together (round dead zone) when both are
 * mapped, the others each on its own; and the buttons that are down.
 */
export function readGamepad(mapping: GamepadMapping, pad: GamepadLike): { axes: Axes; pressed: number[] } {
  const shape: AxisShape = { deadZone: mapping.deadZone, expo: mapping.expo };
  const raw = (axis: MoveAxis): number | undefined => {
    const b = mapping.axes[axis];
    if (!b) return undefined;
    const value = pad.axes[b.index] ?? 0;
    return b.invert ? -value : value;
  };
  const axes: Axes = {};
  const pan = raw('pan');
  const tilt = raw('tilt');
  if (pan !== undefined && tilt !== undefined) {
    const s = shapeStick(pan, tilt, shape);
    axes.pan = s.x;
    axes.tilt = s.y;
  } else {
    if (pan !== undefined) axes.pan = shapeAxis(pan, shape);
    if (tilt !== undefined) axes.tilt = shapeAxis(tilt, shape);
  }
  for (const axis of ['zoom', 'focus'] as const) {
    const value = raw(axis);
    if (value !== undefined) axes[axis] = shapeAxis(value, shape);
  }
  const pressed = pad.buttons.flatMap((b, i) => (b.pressed ? [i] : []));
  return { axes, pressed };
}
