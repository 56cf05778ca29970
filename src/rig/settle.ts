/**
 * Waiting for a lens (or pan/tilt axis) to come to rest, by reading its position back: PELCO
 * has no "arrived" message, so arrival is two readings in a row that agree.
 *
 * A block may take a moment to start moving after the frame: while the target is known and the
 * axis has not moved yet, two equal readings away from the target are not taken as rest.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import type { PositionReading } from '../devices/block-api.js';

export interface SettleOptions {
  /** Where the axis is headed, when known (the report's value). */
  target?: number;
  /** Time between readings, ms. Default 100. */
  pollMs?: number;
  /** Give up after this long, ms. Default 30000. */
  timeoutMs?: number;
  /** Ends the wait early (the result then says settled: false). */
  signal?: AbortSignal;
}

export interface SettleResult {
  settled: boolean;
  /** The last reading (undefined when none came back). */
  position: number | undefined;
  /** Why it did not settle. */
  problem?: string;
}

export async function waitSettled(read: () => Promise<PositionReading>, options: SettleOptions = {}): Promise<SettleResult> {
  const pollMs = options.pollMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(Number.isFinite(pollMs) && pollMs > 0)) throw new InvalidArgumentError('settle pollMs', pollMs, 'milliseconds, more than 0');
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new InvalidArgumentError('settle timeoutMs', timeoutMs, 'milliseconds, more than 0');
  const deadline = performance.now() + timeoutMs;
  let first: number | undefined;
  let previous: number | undefined;
  let moved = false;
  for (;;) {
    if (options.signal?.aborted) return { settled: false, position: previous, problem: 'interrupted' };
    const reading = await read();
    const value = reading.value;
    first ??= value;
    if (value !== first) moved = true;
    const resting = previous === value && (options.target === undefined || value === options.target || moved);
    previous = value;
    if (resting) return { settled: true, position: value };
    if (performance.now() >= deadline) return { settled: false, position: value, problem: `still moving after ${timeoutMs} ms (last at ${value})` };
    await pause(Math.min(pollMs, Math.max(0, deadline - performance.now())), options.signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
