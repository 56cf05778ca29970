/**
 * Checks for constructor options of the serial layer: each one throws an InvalidArgumentError
 * naming the option, the value given and what is allowed, and returns the value it accepted.
 * Callers resolve every field on its own (`options.x ?? default`) and pass it through one of these.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

/** An integer from min to max (max may be Infinity). */
export function integerIn(field: string, value: unknown, min: number, max: number, hint?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, value, max === Infinity ? `an integer >= ${min}` : `an integer ${min}–${max}`, hint);
  }
  return value;
}

/** A finite number from min to max (max may be Infinity, which is then not itself allowed). */
export function numberIn(field: string, value: unknown, min: number, max: number, hint?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, value, max === Infinity ? `a number >= ${min}` : `a number ${min}–${max}`, hint);
  }
  return value;
}

export function oneOf<T>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidArgumentError(field, value, allowed.map((v) => JSON.stringify(v)).join(' or '));
  }
  return value as T;
}
