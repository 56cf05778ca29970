/**
 * The reply waitress: who is waiting for which reply, and for how long. In the manner of
 * zigbee-herdsman's Waitress: waiters are registered under a key, incoming frames are matched
 * against the keys, each attempt has a timeout, and waiters can be cancelled.
 *
 * A waiter is keyed by (address, reply kind): a PELCO reply names only its sender and what it
 * carries, so that is all a frame can be matched on. Concurrent waits for the same key share one
 * waiter (one frame on the wire, one reply answers them all).
 *
 * The waitress knows nothing of the wire: the scheduler tells it when an attempt's frame has
 * left (attemptSent) and decides, when an attempt times out, whether to send it again.
 */
import { CancelledError, ReplyTimeoutError, type ZoomsyncError } from '../../protocols/errors.js';
import { type QueryKind, REPLY_FOR_QUERY, type ReplyCommand, type ReplyKind, replyValue } from '../../protocols/pelco/index.js';
import { numberIn } from './option-checks.js';

/** Timers the waitress uses; BusScheduler passes its clock. */
export interface WaitressTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReplyWaiter {
  readonly address: number;
  readonly query: QueryKind;
  /** Attempts whose frame has left so far. */
  readonly attempts: number;
}

export interface ReplyWaitressOptions {
  /** The line's name, for errors. */
  line: string;
  /** How long one attempt waits for its reply after its frame has left, ms (1–600000). */
  timeoutMs: number;
  timers: WaitressTimers;
  /**
   * Called when an attempt timed out. Return true if the query is being sent again (the waiter
   * keeps waiting for the next attemptSent), false to fail it with ReplyTimeoutError.
   */
  onTimeout: (waiter: ReplyWaiter) => boolean;
  /** Appended to the timeout message: what to check. */
  hint?: string;
}

/** One caller waiting; `detach` removes its abort listener once it is settled. */
interface Waiting {
  resolve(value: number): void;
  reject(error: ZoomsyncError): void;
  detach?: () => void;
}

interface Waiter extends ReplyWaiter {
  attempts: number;
  timer: unknown;
  waiting: Waiting[];
}

const QUERY_FOR_REPLY = new Map<ReplyKind, QueryKind>(
  Object.entries(REPLY_FOR_QUERY).map(([query, reply]) => [reply, query as QueryKind]),
);

export class ReplyWaitress {
  readonly timeoutMs: number;
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly options: ReplyWaitressOptions) {
    this.timeoutMs = numberIn('timeoutMs', options.timeoutMs, 1, 600_000);
  }

  /** Waiters registered and not yet answered, timed out or cancelled. */
  get size(): number {
    return this.waiters.size;
  }

  /**
   * Waits for the reply to `query` from `address`. `created` is false when an identical wait
   * was already registered: it shares that waiter, and the caller need not send another frame.
   * Aborting `signal` withdraws this caller only (CancelledError); when no caller is left, the
   * waiter goes too (so a frame still queued for it is not worth sending: see isWaiting).
   */
  waitFor(address: number, query: QueryKind, signal?: AbortSignal): { promise: Promise<number>; waiter: ReplyWaiter; created: boolean } {
    const key = keyOf(address, query);
    let waiter = this.waiters.get(key);
    const created = waiter === undefined;
    if (!waiter) {
      waiter = { address, query, attempts: 0, timer: undefined, waiting: [] };
      this.waiters.set(key, waiter);
    }
    const w = waiter;
    const promise = new Promise<number>((resolve, reject) => {
      const entry: Waiting = { resolve, reject };
      w.waiting.push(entry);
      if (!signal) return;
      const onAbort = (): void => this.withdraw(w, entry, new CancelledError(`the ${query} query to device ${address} on ${this.options.line} was aborted`, { cause: signal.reason }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      entry.detach = () => signal.removeEventListener('abort', onAbort);
    });
    return { promise, waiter, created };
  }

  /** Whether the waiter is still registered (not answered, timed out or cancelled). */
  isWaiting(waiter: ReplyWaiter): boolean {
    return this.waiters.get(keyOf(waiter.address, waiter.query)) === waiter;
  }

  /**
   * An attempt's frame was handed to the line; its reply is due within `untilSentMs` (the frame's
   * and the reply's wire time) plus timeoutMs. Restarts the waiter's timer.
   */
  attemptSent(waiter: ReplyWaiter, untilSentMs: number): void {
    const w = this.own(waiter);
    if (!w) return;
    w.attempts++;
    if (w.timer !== undefined) this.options.timers.clearTimeout(w.timer);
    w.timer = this.options.timers.setTimeout(() => this.timedOut(w), untilSentMs + this.timeoutMs);
  }

  /** Offers a received reply. Returns true when it answered a waiter (which is then settled). */
  resolve(address: number, reply: ReplyCommand): boolean {
    const query = QUERY_FOR_REPLY.get(reply.kind);
    const waiter = query && this.waiters.get(keyOf(address, query));
    if (!waiter) return false;
    this.remove(waiter);
    const value = replyValue(reply);
    for (const w of waiter.waiting) {
      w.detach?.();
      w.resolve(value);
    }
    return true;
  }

  /** Fails one waiter (default: CancelledError). Returns false if it was no longer waiting. */
  cancel(waiter: ReplyWaiter, error?: ZoomsyncError): boolean {
    const w = this.own(waiter);
    if (!w) return false;
    this.remove(w);
    const reason = error ?? new CancelledError(`the ${w.query} query to device ${w.address} on ${this.options.line} was cancelled`);
    for (const x of w.waiting) {
      x.detach?.();
      x.reject(reason);
    }
    return true;
  }

  /** Fails every waiter with `error` (line closed, scheduler closed). */
  cancelAll(error: ZoomsyncError): void {
    for (const waiter of [...this.waiters.values()]) this.cancel(waiter, error);
  }

  private timedOut(waiter: Waiter): void {
    if (!this.isWaiting(waiter)) return;
    waiter.timer = undefined;
    if (this.options.onTimeout(waiter)) return;
    const { line, hint } = this.options;
    const attempts = waiter.attempts;
    this.cancel(
      waiter,
      new ReplyTimeoutError(
        line,
        waiter.address,
        waiter.query,
        attempts,
        this.timeoutMs,
        `device ${waiter.address} on ${line} did not answer ${waiter.query} within ${this.timeoutMs} ms ` +
          `(${attempts} attempt${attempts === 1 ? '' : 's'})` + (hint ? `; ${hint}` : ''),
      ),
    );
  }

  /** One caller gives up; the waiter stays for the others, or goes with the last one. */
  private withdraw(waiter: Waiter, entry: Waiting, error: ZoomsyncError): void {
    const i = waiter.waiting.indexOf(entry);
    if (i < 0) return; // settled already
    waiter.waiting.splice(i, 1);
    entry.detach?.();
    entry.reject(error);
    if (waiter.waiting.length === 0 && this.isWaiting(waiter)) this.remove(waiter);
  }

  private own(waiter: ReplyWaiter): Waiter | undefined {
    return this.isWaiting(waiter) ? (waiter as Waiter) : undefined;
  }

  private remove(waiter: Waiter): void {
    this.waiters.delete(keyOf(waiter.address, waiter.query));
    if (waiter.timer !== undefined) this.options.timers.clearTimeout(waiter.timer);
    waiter.timer = undefined;
  }
}

function keyOf(address: number, query: QueryKind): string {
  return `${address}:${query}`;
}
