/**
 * The read-back after an absolute lens move, shared by every dialect that moves the lens to a
 * position: a position is reported only once read from a lens that stopped.
 */
import type { LensMoveResult, LensState } from '../../../protocols/http/common/capabilities.js';

export interface SettleOptions {
  pollMs: number;
  timeoutMs: number;
}

/**
 * Reads the lens until it stops: the same reading twice in a row at the target, or three
 * times short of it (a lens that has not started yet must not pass for one that stopped).
 * Bounded by timeoutMs; a read-back that fails or a lens still moving at the end leaves the
 * position unknown rather than reporting a reading taken in flight.
 */
export async function settleLens(read: () => Promise<LensState>, axis: 'zoom' | 'focus', target: number, options: SettleOptions): Promise<LensMoveResult> {
  const deadline = Date.now() + options.timeoutMs;
  let previous: LensState | undefined;
  let unchanged = 0;
  for (;;) {
    let now: LensState;
    try {
      now = await read();
    } catch (error) {
      return { requested: target, reached: undefined, settled: false, lens: undefined, problem: `the position could not be read back (${(error as Error).message})` };
    }
    unchanged = previous && previous.zoom === now.zoom && previous.focus === now.focus ? unchanged + 1 : 0;
    if (unchanged >= (now[axis] === target ? 1 : 2)) return { requested: target, reached: now[axis], settled: true, lens: now };
    if (Date.now() + options.pollMs > deadline) {
      return { requested: target, reached: undefined, settled: false, lens: undefined, problem: `the lens was still moving after ${options.timeoutMs} ms` };
    }
    previous = now;
    await new Promise((r) => setTimeout(r, options.pollMs));
  }
}
