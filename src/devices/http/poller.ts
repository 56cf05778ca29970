/**
 * Polls a state until it says done or failed, or a deadline passes: firmware upgrades, PTZ
 * self-checks. Errors the caller tolerates (a camera restarting drops the connection, or its
 * web server answers before the API is up) are ridden out until the deadline: giving up there
 * would invite a power cycle in the middle of an upgrade.
 */
import { ZoomsyncError, type ZoomsyncErrorCode } from '../../../protocols/errors.js';

export type PollVerdict<R> = { done: true; value: R } | { done: false };

export interface PollOptions<S, R> {
  /** Reads the state once. */
  read: () => Promise<S>;
  /** What a state means: done (with the result), not yet, or a failure (throw it). */
  judge: (state: S) => PollVerdict<R>;
  intervalMs: number;
  timeoutMs: number;
  /** Errors of `read` to ride out (default: those of a restarting camera, RESTART_CODES). */
  tolerate?: (error: unknown) => boolean;
  /** The error when the deadline passes; `lastError` is the last tolerated one. */
  onTimeout: (lastError: unknown) => Error;
}

/** What a camera in the middle of a restart answers with. */
export const RESTART_CODES: ReadonlySet<ZoomsyncErrorCode> = new Set(['ZS_HTTP_CONNECT', 'ZS_HTTP_TIMEOUT', 'ZS_HTTP_STATUS', 'ZS_HTTP_BAD_RESPONSE']);

export function isRestartError(error: unknown): boolean {
  return error instanceof ZoomsyncError && RESTART_CODES.has(error.code);
}

export async function pollUntil<S, R>(options: PollOptions<S, R>): Promise<R> {
  const tolerate = options.tolerate ?? isRestartError;
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (Date.now() > deadline) throw options.onTimeout(lastError);
    await new Promise((r) => setTimeout(r, options.intervalMs));
    let state: S;
    try {
      state = await options.read();
    } catch (error) {
      if (!tolerate(error)) throw error;
      lastError = error;
      continue;
    }
    const verdict = options.judge(state);
    if (verdict.done) return verdict.value;
  }
}
