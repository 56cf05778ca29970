/**
 * Hold and repeat timing for a pressed key, pure: no timers, the caller passes the time.
 * After a press, the first `hold` is due `holdDelayMs` later, then one every `repeatMs`
 * (repeatMs 0: a single hold, no repeat). The caller sleeps until `deadline` and calls `due(now)`.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export interface HoldTick {
  key: string;
  /** 1 for the first hold, 2 for the first repeat, … */
  count: number;
  /** When the key was pressed. */
  pressedAt: number;
}

export class KeyRepeat {
  private key: string | null = null;
  private pressedAt = 0;
  private next: number | undefined;
  private count = 0;

  constructor(
    readonly holdDelayMs: number,
    readonly repeatMs: number,
  ) {
    if (!Number.isFinite(holdDelayMs) || holdDelayMs <= 0) throw new InvalidArgumentError('holdDelayMs', holdDelayMs, 'a number of milliseconds > 0');
    if (!Number.isFinite(repeatMs) || repeatMs < 0) throw new InvalidArgumentError('repeatMs', repeatMs, 'a number of milliseconds ≥ 0 (0: hold once, no repeat)');
  }

  get deadline(): number | undefined {
    return this.next;
  }

  press(key: string, now: number): void {
    this.key = key;
    this.pressedAt = now;
    this.count = 0;
    this.next = now + this.holdDelayMs;
  }

  release(): void {
    this.key = null;
    this.next = undefined;
  }

  /** The hold that is due by `now`, if any. One per call: a late caller gets the ticks one by one. */
  due(now: number): HoldTick | undefined {
    if (this.key === null || this.next === undefined || now < this.next) return undefined;
    this.count++;
    this.next = this.repeatMs > 0 ? this.next + this.repeatMs : undefined;
    return { key: this.key, count: this.count, pressedAt: this.pressedAt };
  }
}
