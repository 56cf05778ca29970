/**
 * ADKEY: several keys on one analog line through a resistor ladder, in the manner of
 * johnny-five's Button: `press`, `hold` (after holdDelayMs, then every repeatMs) and `release`.
 * The voltage goes through the ladder classifier (windows with hysteresis), then a debounce
 * (a key must read the same for debounceMs: a press sweeps the line through other windows),
 * then the hold/repeat timing. All three are pure modules; this class only wires them to the
 * board and to timers.
 *
 * @example
 *   const keys = new AdKey(board, { channel: 0 });   // A0, the default 5-key ladder
 *   keys.on('press', ({ key }) => …);
 *   keys.on('hold', ({ key, count }) => …);          // count 1, 2, 3… while held
 */
import { EventEmitter } from 'node:events';
import { Debouncer, type Settled } from './debounce.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { GpioBoard } from './gpio-board.js';
import { KeyRepeat } from './key-repeat.js';
import { DEFAULT_ADKEY_LADDER, DEFAULT_LADDER_HYSTERESIS_VOLTS, LadderClassifier, type LadderWindow } from './ladder.js';

export interface AdKeyOptions {
  /** Analog channel: 0 for A0. */
  channel: number;
  /** Voltage windows, low to high. Default DEFAULT_ADKEY_LADDER (5 keys under 1.8 V). */
  ladder?: readonly LadderWindow[];
  /** How far inside a window a reading must be to enter it, and outside to leave it, volts. Default 0.015. */
  hysteresisVolts?: number;
  /** How long a key must read steadily to count as pressed (or released), ms. Default 30. */
  debounceMs?: number;
  /** The first hold comes this long after the press, ms. Default 800. */
  holdDelayMs?: number;
  /** Then a hold every repeatMs while the key stays down; 0: only one. Default 200. */
  repeatMs?: number;
}

export interface KeyEvent {
  key: string;
  at: Date;
}

export interface AdKeyEvents {
  press: [KeyEvent];
  /** count: 1 for the first hold, 2 for the first repeat, … */
  hold: [KeyEvent & { count: number }];
  /** lost: true when the board vanished with the key down (the key is not known to be up). */
  release: [KeyEvent & { heldMs: number; lost: boolean }];
  unknown: [{ at: Date }];
}

export class AdKey extends EventEmitter<AdKeyEvents> {
  readonly channel: number;
  private readonly classifier: LadderClassifier;
  private readonly debouncer: Debouncer<string | null>;
  private readonly repeat: KeyRepeat;
  private readonly debounceTimer = new DeadlineTimer((now) => this.report(this.debouncer.settle(now)));
  private readonly holdTimer = new DeadlineTimer((now) => this.tick(now));
  private readonly unwatch: () => void;
  private down: { key: string; since: number } | undefined;

  constructor(board: GpioBoard, options: AdKeyOptions) {
    super();
    this.channel = options.channel;
    this.classifier = new LadderClassifier(options.ladder ?? DEFAULT_ADKEY_LADDER, options.hysteresisVolts ?? DEFAULT_LADDER_HYSTERESIS_VOLTS);
    this.debouncer = new Debouncer<string | null>(options.debounceMs ?? 30);
    this.repeat = new KeyRepeat(options.holdDelayMs ?? 800, options.repeatMs ?? 200);
    this.unwatch = board.watchAnalog(this.channel, (volts) => this.sample(volts));
  }

  /** The key held down now: a key name, null for none, undefined while the board is gone. */
  get key(): string | null | undefined {
    return this.debouncer.value;
  }

  close(): void {
    this.unwatch();
    this.debounceTimer.cancel();
    this.holdTimer.cancel();
  }

  private sample(volts: number | undefined): void {
    if (volts === undefined) return this.lose();
    this.report(this.debouncer.sample(this.classifier.classify(volts), Date.now()));
  }

  private report(settled: Settled<string | null> | undefined): void {
    this.debounceTimer.at(this.debouncer.deadline);
    if (!settled) return;
    this.releaseHeld(settled.since, false);
    if (settled.value === null) return;
    this.down = { key: settled.value, since: settled.since };
    this.repeat.press(settled.value, settled.since);
    this.holdTimer.at(this.repeat.deadline);
    this.emit('press', { key: settled.value, at: new Date(settled.at) });
  }

  private tick(now: number): void {
    const hold = this.repeat.due(now);
    this.holdTimer.at(this.repeat.deadline);
    if (hold) this.emit('hold', { key: hold.key, count: hold.count, at: new Date(now) });
  }

  private releaseHeld(at: number, lost: boolean): void {
    const down = this.down;
    if (!down) return;
    this.down = undefined;
    this.repeat.release();
    this.holdTimer.cancel();
    this.emit('release', { key: down.key, at: new Date(at), heldMs: Math.max(0, at - down.since), lost });
  }

  private lose(): void {
    const wasKnown = this.debouncer.value !== undefined;
    this.releaseHeld(Date.now(), true);
    this.debouncer.reset();
    this.classifier.reset();
    this.debounceTimer.cancel();
    if (wasKnown) this.emit('unknown', { at: new Date() });
  }
}
