/**
 * A debouncer that is pure: it holds no timers and reads no clock. The caller feeds samples with
 * the time they were taken, and asks for `deadline` to know when to call `settle()` again.
 * A value is accepted only after it has been sampled unchanged for `stableMs`.
 *
 * @example
 *   const d = new Debouncer<0 | 1>(30);
 *   d.sample(0, 1000);          // undefined: not stable yet
 *   d.settle(1030);             // { value: 0, since: 1000, at: 1030 }
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export interface Settled<T> {
  value: T;
  /** When the input first took this value (ms since the epoch, or whatever clock the caller uses). */
  since: number;
  /** When the value was accepted (since + stableMs at the earliest). */
  at: number;
}

export class Debouncer<T> {
  private stableValue: T | undefined;
  private candidate: T | undefined;
  private candidateSince = 0;
  private hasCandidate = false;

  constructor(readonly stableMs: number) {
    if (!Number.isFinite(stableMs) || stableMs < 0) throw new InvalidArgumentError('debounceMs', stableMs, 'a number of milliseconds ≥ 0');
  }

  /** The accepted value; undefined until one has been stable for stableMs (and after reset()). */
  get value(): T | undefined {
    return this.stableValue;
  }

  /** When settle() may accept the pending value, or undefined when nothing is pending. */
  get deadline(): number | undefined {
    return this.pending ? this.candidateSince + this.stableMs : undefined;
  }

  /** Records a sample; returns the newly accepted value when this sample completes one. */
  sample(value: T, now: number): Settled<T> | undefined {
    if (!this.hasCandidate || value !== this.candidate) {
      this.candidate = value;
      this.candidateSince = now;
      this.hasCandidate = true;
    }
    return this.settle(now);
  }

  /** Accepts the pending value if it has been stable long enough by `now`. */
  settle(now: number): Settled<T> | undefined {
    if (!this.pending || now - this.candidateSince < this.stableMs) return undefined;
    this.stableValue = this.candidate;
    return { value: this.candidate as T, since: this.candidateSince, at: now };
  }

  /** Forgets everything: the input is unknown again (a lost board). */
  reset(): void {
    this.stableValue = undefined;
    this.candidate = undefined;
    this.hasCandidate = false;
  }

  private get pending(): boolean {
    return this.hasCandidate && this.candidate !== this.stableValue;
  }
}
