/**
 * An alarm contact on a digital input, in the manner of johnny-five's Button: `active` and
 * `inactive` events (with timestamps), debounce, active level and pull-up as options. While the
 * board is gone the input is `unknown` (an 'unknown' event), never its last level.
 *
 * @example
 *   const door = new AlarmInput(board, { name: 'door', pin: 2 });   // contact to GND, pull-up on
 *   door.on('active', ({ at }) => log(`door opened at ${at.toISOString()}`));
 */
import { EventEmitter } from 'node:events';
import { InvalidArgumentError } from '../../protocols/errors.js';
import { Debouncer, type Settled } from './debounce.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { GpioBoard } from './gpio-board.js';

export type ActiveLevel = 'low' | 'high';

export interface AlarmInputOptions {
  /** Names the input in events and logs. */
  name: string;
  pin: number;
  /** The level that means "alarm". Default 'low' (a contact closing to GND against the pull-up). */
  activeLevel?: ActiveLevel;
  /** Turn the board's pull-up on. Default true. */
  pullUp?: boolean;
  /** How long a level must hold before it counts, ms. Default 50. */
  debounceMs?: number;
}

export interface AlarmEvent {
  name: string;
  /** When the level was accepted. */
  at: Date;
  /** When the input first took the level (at minus the debounce time, at the latest). */
  since: Date;
}

export interface AlarmInputEvents {
  active: [AlarmEvent];
  inactive: [AlarmEvent];
  /** The board is gone: the level cannot be known. */
  unknown: [{ name: string; at: Date }];
}

export class AlarmInput extends EventEmitter<AlarmInputEvents> {
  readonly name: string;
  readonly pin: number;
  readonly activeLevel: ActiveLevel;
  readonly pullUp: boolean;
  private readonly debouncer: Debouncer<boolean>;
  private readonly timer = new DeadlineTimer((now) => this.report(this.debouncer.settle(now)));
  private readonly unwatch: () => void;

  constructor(board: GpioBoard, options: AlarmInputOptions) {
    super();
    if (typeof options?.name !== 'string' || options.name === '') throw new InvalidArgumentError('name', options?.name, 'a non-empty name for the alarm input');
    this.name = options.name;
    this.pin = options.pin;
    this.activeLevel = options.activeLevel ?? 'low';
    if (this.activeLevel !== 'low' && this.activeLevel !== 'high') throw new InvalidArgumentError(`${this.name}.activeLevel`, this.activeLevel, "'low' or 'high'");
    this.pullUp = options.pullUp ?? true;
    this.debouncer = new Debouncer<boolean>(options.debounceMs ?? 50);
    this.unwatch = board.watchDigital(this.pin, { pullUp: this.pullUp }, (level) => this.sample(level));
  }

  get state(): 'active' | 'inactive' | 'unknown' {
    const value = this.debouncer.value;
    return value === undefined ? 'unknown' : value ? 'active' : 'inactive';
  }

  close(): void {
    this.unwatch();
    this.timer.cancel();
  }

  private sample(level: 0 | 1 | undefined): void {
    if (level === undefined) {
      const wasKnown = this.debouncer.value !== undefined;
      this.debouncer.reset();
      this.timer.cancel();
      if (wasKnown) this.emit('unknown', { name: this.name, at: new Date() });
      return;
    }
    const active = (level === 1) === (this.activeLevel === 'high');
    this.report(this.debouncer.sample(active, Date.now()));
  }

  private report(settled: Settled<boolean> | undefined): void {
    this.timer.at(this.debouncer.deadline);
    if (!settled) return;
    this.emit(settled.value ? 'active' : 'inactive', { name: this.name, at: new Date(settled.at), since: new Date(settled.since) });
  }
}
