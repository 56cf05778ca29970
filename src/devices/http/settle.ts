/**
 * The read-back after an absolute lens move, shared by every dialect that moves the lens to a
 * position: a position is reported only once read from a lens that stopped. Also the halt of
 * a lens that only takes positions (no stop call): re-target it where it is.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from '../../../protocols/errors.js';
import type { LensMoveResult, LensState } from '../../../protocols/http/common/capabilities.js';
import type { LensHalt } from './dialect.js';

export interface SettleOptions {
  pollMs: number;
  timeoutMs: number;
  /** Aborted (a stop overtook the move): ends the read-back at once, position unknown. */
  signal?: AbortSignal | undefined;
}

/**
 * Reads the lens until it stops: the same reading twice in a row at the target, or three
 * times short of it (a lens that has not started yet must not pass for one that stopped).
 * Bounded by timeoutMs; a read-back that fails or a lens still moving at the end leaves the
 * position unknown rather than reporting a reading taken in flight. An aborted signal ends it
 * before the next read (or wakes the wait between reads).
 */
export async function settleLens(read: () => Promise<LensState>, axis: 'zoom' | 'focus', target: number, options: SettleOptions): Promise<LensMoveResult> {
  const deadline = Date.now() + options.timeoutMs;
  const { signal } = options;
  const unknown = (problem: string): LensMoveResult => ({ requested: target, reached: undefined, settled: false, lens: undefined, problem });
  const overtaken = () => unknown('a stop overtook the move');
  let previous: LensState | undefined;
  let unchanged = 0;
  for (;;) {
    if (signal?.aborted) return overtaken();
    let now: LensState;
    try {
      now = await read();
    } catch (error) {
      return unknown(`the position could not be read back (${(error as Error).message})`);
    }
    if (signal?.aborted) return overtaken();
    unchanged = previous && previous.zoom === now.zoom && previous.focus === now.focus ? unchanged + 1 : 0;
    if (unchanged >= (now[axis] === target ? 1 : 2)) return { requested: target, reached: now[axis], settled: true, lens: now };
    if (Date.now() + options.pollMs > deadline) return unknown(`the lens was still moving after ${options.timeoutMs} ms`);
    previous = now;
    await delay(options.pollMs, undefined, { signal }).catch(() => {}); // a stop ends the wait early
  }
}

/**
 * The halt of a lens whose API only takes positions: read where the zoom is and send it there,
 * so it stops where it is. `sendZoom` sends the position request alone (no read-back).
 */
export async function haltAtReading(read: () => Promise<LensState>, sendZoom: (position: number) => Promise<unknown>): Promise<LensHalt> {
  const { zoom } = await read();
  await sendZoom(zoom);
  return { how: 'retarget', zoom };
}

/** What a move request a stop overtook before it was sent throws instead of going out (`what` names the call). */
export function overtakenBeforeSent(what: string): CancelledError {
  return new CancelledError(`${what}: a stop overtook this move before it was sent; nothing was sent`);
}
