/**
 * Soft limits of one block: a zoom position outside [low, high] is clamped to the nearer end or
 * refused, as the block is configured, before any frame or request is built. Pure.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export type LimitMode = 'clamp' | 'refuse';

/**
 * A position refused by a block's soft limits (limitMode 'refuse'). Its code is
 * ZS_INVALID_ARGUMENT (errors.ts has no dedicated code); `block` and `limits` say which.
 */
export class SoftLimitError extends InvalidArgumentError {
  constructor(
    readonly block: string,
    readonly axis: 'zoom',
    value: number,
    readonly limits: readonly [number, number],
  ) {
    super(`${axis} of block ${block}`, value, `${limits[0]}–${limits[1]} (its soft limits)`, 'widen limits.zoom in the rig file, or ask for a position inside them');
    this.name = 'SoftLimitError';
  }
}

export interface LimitedValue {
  value: number;
  /** Says what the limit did, when it changed the value. */
  limited?: string;
}

/** The value to send for `value` under `limits`; throws SoftLimitError when refused. */
export function applyZoomLimit(block: string, value: number, limits: readonly [number, number], mode: LimitMode): LimitedValue {
  const [low, high] = limits;
  if (value >= low && value <= high) return { value };
  if (mode === 'refuse') throw new SoftLimitError(block, 'zoom', value, limits);
  const clamped = value < low ? low : high;
  return { value: clamped, limited: `zoom ${value} clamped to ${clamped} (soft limits ${low}–${high})` };
}

/** Checks a [low, high] pair against the profile's range; returns it frozen. */
export function zoomLimits(block: string, given: readonly [number, number] | undefined, zoomMax: number): readonly [number, number] {
  if (given === undefined) return Object.freeze([0, zoomMax] as const);
  const [low, high] = given;
  const ok = (v: number) => Number.isInteger(v) && v >= 0 && v <= zoomMax;
  if (!Array.isArray(given) || given.length !== 2 || !ok(low) || !ok(high) || low >= high) {
    throw new InvalidArgumentError(`limits.zoom of block ${block}`, given, `[low, high] integers with 0 <= low < high <= ${zoomMax}`);
  }
  return Object.freeze([low, high] as const);
}
