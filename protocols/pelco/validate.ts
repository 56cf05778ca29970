import { InvalidArgumentError } from '../errors.js';

/**
 * The problem with `value` as an integer in [min, max], or undefined when it is fine.
 * Returned rather than thrown so the decoder can report it without paying for exceptions.
 */
export function rangeProblem(field: string, value: unknown, min: number, max: number): InvalidArgumentError | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return new InvalidArgumentError(field, value, `an integer ${min}–${max}`);
}

export function oneOfProblem<T>(field: string, value: unknown, allowed: readonly T[], context = ''): InvalidArgumentError | undefined {
  if (allowed.includes(value as T)) return undefined;
  return new InvalidArgumentError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${context}`);
}
