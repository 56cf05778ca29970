/**
 * The bridge's outputs: ALARM OUT (on, off, pulse), a PWM output in percent (the IR
 * illuminator), the FACTORY RESET line (a guarded, logged pulse) and an RS-485 direction pin for
 * SerialLine's 'gpio' mode. Each keeps its wanted state in the GpioBoard, which re-applies it
 * when a lost board returns.
 */
import { InvalidArgumentError, LineClosedError } from '../../protocols/errors.js';
import type { DirectionControl } from '../serial/line-options.js';
import type { ActiveLevel } from './alarm-input.js';
import type { GpioBoard, OutputDrive } from './gpio-board.js';

export interface DigitalOutputOptions {
  pin: number;
  /** The level that means "on". Default 'high'. */
  activeLevel?: ActiveLevel;
}

function levelFor(on: boolean, activeLevel: ActiveLevel): 0 | 1 {
  return on === (activeLevel === 'high') ? 1 : 0;
}

function checkActiveLevel(field: string, level: unknown): ActiveLevel {
  if (level !== 'low' && level !== 'high') throw new InvalidArgumentError(field, level, "'low' or 'high'");
  return level;
}

/** Listeners told that an output's wanted state changed (read isOn / percent). Not an EventEmitter: ALARM OUT's on()/off() are its verbs. */
class ChangeListeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(): void {
    for (const listener of this.listeners) listener();
  }
}

/** An on/off output (ALARM OUT): off from the start, on(), off(), pulse(ms). */
export class DigitalOutput {
  readonly pin: number;
  readonly activeLevel: ActiveLevel;
  private cancelPulse: (() => void) | undefined;
  private on_ = false;
  private readonly changes = new ChangeListeners();

  constructor(
    private readonly board: GpioBoard,
    options: DigitalOutputOptions,
  ) {
    this.pin = options.pin;
    this.activeLevel = checkActiveLevel('activeLevel', options.activeLevel ?? 'high');
    this.set(false).catch(() => {}); // kept and applied once the board is there
  }

  get isOn(): boolean {
    return this.on_;
  }

  /** Calls `listener` whenever on/off changes (a pulse's start and end included); returns the unsubscriber. */
  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  on(): Promise<void> {
    return this.set(true);
  }

  off(): Promise<void> {
    return this.set(false);
  }

  /** On for `ms`, then off. Resolves when the pulse has ended. A later on()/off() ends it early (and wins). */
  async pulse(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0 || ms > 3_600_000) throw new InvalidArgumentError('pulse', ms, '1 ms – 1 hour');
    await this.set(true);
    const ended = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), ms);
      this.cancelPulse = () => {
        clearTimeout(timer);
        resolve(false);
      };
    });
    this.cancelPulse = undefined;
    if (ended) {
      await this.board.drive(this.pin, this.drive(false)).finally(() => {
        this.on_ = false;
        this.changes.tell();
      });
    }
  }

  private set(on: boolean): Promise<void> {
    this.cancelPulse?.();
    this.cancelPulse = undefined;
    const changed = this.on_ !== on;
    this.on_ = on;
    const driven = this.board.drive(this.pin, this.drive(on));
    if (changed) this.changes.tell();
    return driven;
  }

  private drive(on: boolean): OutputDrive {
    return { kind: 'digital', level: levelFor(on, this.activeLevel) };
  }
}

/** A PWM output in percent (the IR illuminator's LED_PWM): 0 is off. */
export class PwmOutput {
  readonly pin: number;
  private percent_ = 0;
  private readonly changes = new ChangeListeners();

  constructor(
    private readonly board: GpioBoard,
    options: { pin: number },
  ) {
    this.pin = options.pin;
    this.set(0).catch(() => {});
  }

  get percent(): number {
    return this.percent_;
  }

  /** Calls `listener` whenever the percentage changes; returns the unsubscriber. */
  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  set(percent: number): Promise<void> {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      return Promise.reject(new InvalidArgumentError('percent', percent, '0–100'));
    }
    const changed = this.percent_ !== percent;
    this.percent_ = percent;
    const driven = this.board.drive(this.pin, { kind: 'pwm', duty: percent / 100 });
    if (changed) this.changes.tell();
    return driven;
  }
}

export interface FactoryResetOptions {
  pin: number;
  /**
   * The board level that resets the block. 'high' (default): the pin drives a transistor that
   * pulls FACTORY RESET to GND, so a board that boots with its pins low (StandardFirmata does)
   * cannot reset the block. 'low': the pin is wired to FACTORY RESET directly (a 3.3 V board
   * only) and is left undriven (to the block's pull-up) between resets.
   */
  activeLevel?: ActiveLevel;
  /** How long the line is held, ms. Default 5000. */
  pulseMs?: number;
  /** Told of every reset asked for, refused or done. Default: a line on stderr. */
  log?: (message: string) => void;
}

/** Confirmation a caller must pass to reset: a factory reset erases the block's settings. */
export interface ResetConfirmation {
  confirm: true;
  /** Who or what asked (logged). */
  by?: string;
}

/** The FACTORY RESET line: a pulse, refused without an explicit confirmation, and logged. */
export class FactoryResetLine {
  readonly pin: number;
  readonly activeLevel: ActiveLevel;
  readonly pulseMs: number;
  private readonly log: (message: string) => void;
  private busy = false;

  constructor(
    private readonly board: GpioBoard,
    options: FactoryResetOptions,
  ) {
    this.pin = options.pin;
    this.activeLevel = checkActiveLevel('activeLevel', options.activeLevel ?? 'high');
    this.pulseMs = options.pulseMs ?? 5000;
    if (!Number.isFinite(this.pulseMs) || this.pulseMs < 100 || this.pulseMs > 60_000) throw new InvalidArgumentError('pulseMs', this.pulseMs, '100–60000 ms');
    this.log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    this.board.drive(this.pin, this.idle()).catch(() => {});
    // A pulse cut short by a lost board must not resume when the board returns.
    this.board.on('lost', () => this.board.drive(this.pin, this.idle()).catch(() => {}));
  }

  /**
   * Holds the reset line for pulseMs, then releases it. Throws ZS_INVALID_ARGUMENT unless called
   * with { confirm: true }, and ZS_LINE_CLOSED while the board is gone (a reset is never queued).
   */
  async reset(confirmation?: ResetConfirmation): Promise<void> {
    const by = confirmation?.by ?? 'unnamed caller';
    if (confirmation?.confirm !== true) {
      this.log(`${new Date().toISOString()} factory reset REFUSED (pin ${this.pin}, by ${by}): no confirmation`);
      throw new InvalidArgumentError('confirm', confirmation?.confirm, 'true: a factory reset erases every setting of the block; pass { confirm: true } to mean it');
    }
    if (this.busy) throw new InvalidArgumentError('reset', 'in progress', 'one reset at a time');
    if (!this.board.isReady) {
      this.log(`${new Date().toISOString()} factory reset REFUSED (pin ${this.pin}, by ${by}): the GPIO board is not connected`);
      throw new LineClosedError(this.board.path, `GPIO board ${this.board.path} is not connected; the factory reset was not sent`);
    }
    this.busy = true;
    this.log(`${new Date().toISOString()} factory reset START (pin ${this.pin}, ${this.pulseMs} ms, by ${by})`);
    try {
      await this.board.drive(this.pin, { kind: 'digital', level: this.activeLevel === 'high' ? 1 : 0 });
      await new Promise((resolve) => setTimeout(resolve, this.pulseMs));
    } finally {
      await this.board.drive(this.pin, this.idle()).catch(() => {});
      this.busy = false;
      this.log(`${new Date().toISOString()} factory reset END (pin ${this.pin})`);
    }
  }

  private idle(): OutputDrive {
    return this.activeLevel === 'high' ? { kind: 'digital', level: 0 } : { kind: 'release' };
  }
}

/** A DE/RE pin for an RS-485 transceiver, usable as SerialLine's { mode: 'gpio' } direction control. */
export class DirectionPin {
  readonly pin: number;
  readonly activeLevel: ActiveLevel;

  constructor(
    private readonly board: GpioBoard,
    options: DigitalOutputOptions,
  ) {
    this.pin = options.pin;
    this.activeLevel = checkActiveLevel('activeLevel', options.activeLevel ?? 'high');
    this.setTransmit(false).catch(() => {});
  }

  /** Transmit (true) or receive (false); resolves once the command has gone out to the board. */
  setTransmit(on: boolean): Promise<void> {
    return this.board.drive(this.pin, { kind: 'digital', level: levelFor(on, this.activeLevel) });
  }

  /** The direction option for SerialLine: `new SerialLine({ path, direction: dirPin.control() })`. */
  control(turnaroundMs?: number): DirectionControl {
    return { mode: 'gpio', setTransmit: (on) => this.setTransmit(on), ...(turnaroundMs === undefined ? {} : { turnaroundMs }) };
  }
}
