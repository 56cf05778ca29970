/**
 * Validation of client options, one field at a time: a value that makes no sense (a negative
 * timeout, eleven retries, NaN) is an InvalidArgumentError naming the option, thrown by the
 * constructor that received it rather than surfacing later as a strange hang.
 */
import { InvalidArgumentError } from '../../../protocols/errors.js';

/** The longest delay Node's timers honour (a larger one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive, finite number of milliseconds a timer can wait. */
export function positiveMs(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(`option ${option}`, value, `a positive number of milliseconds up to ${MAX_TIMER_MS}`);
  }
  return value;
}

/** Zero or a positive, finite number of milliseconds. */
export function nonNegativeMs(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(`option ${option}`, value, `0 to ${MAX_TIMER_MS} milliseconds`);
  }
  return value;
}

/** An integer in [min, max]. */
export function integerIn(option: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`option ${option}`, value, `an integer ${min}–${max}`);
  }
  return value;
}
