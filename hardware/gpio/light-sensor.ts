/**
 * Day/night from an analog light sensor (the block's IR_ADC ext-in, or a photodiode): `day` and
 * `night` events after the reading has crossed its threshold and stayed past it for the dwell.
 * The thresholds, hysteresis and dwell live in the pure DayNightDetector.
 */
import { EventEmitter } from 'node:events';
import { DayNightDetector, type DayNight, type DayNightOptions } from './day-night.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { Settled } from './debounce.js';
import type { GpioBoard } from './gpio-board.js';

export interface LightSensorOptions extends DayNightOptions {
  /** Analog channel: 0 for A0. */
  channel: number;
}

export interface LightSensorEvents {
  day: [{ at: Date; volts: number }];
  night: [{ at: Date; volts: number }];
  unknown: [{ at: Date }];
}

export class LightSensor extends EventEmitter<LightSensorEvents> {
  readonly channel: number;
  private readonly detector: DayNightDetector;
  private readonly timer = new DeadlineTimer((now) => this.report(this.detector.settle(now)));
  private readonly unwatch: () => void;
  private lastVolts: number | undefined;

  constructor(board: GpioBoard, options: LightSensorOptions) {
    super();
    this.channel = options.channel;
    this.detector = new DayNightDetector(options);
    this.unwatch = board.watchAnalog(this.channel, (volts) => this.sample(volts));
  }

  get state(): DayNight | 'unknown' {
    return this.detector.state;
  }

  /** The last reading, volts (undefined while the board is gone). */
  get volts(): number | undefined {
    return this.lastVolts;
  }

  close(): void {
    this.unwatch();
    this.timer.cancel();
  }

  private sample(volts: number | undefined): void {
    this.lastVolts = volts;
    if (volts === undefined) {
      const wasKnown = this.detector.state !== 'unknown';
      this.detector.reset();
      this.timer.cancel();
      if (wasKnown) this.emit('unknown', { at: new Date() });
      return;
    }
    this.report(this.detector.sample(volts, Date.now()));
  }

  private report(settled: Settled<DayNight> | undefined): void {
    this.timer.at(this.detector.deadline);
    if (settled) this.emit(settled.value, { at: new Date(settled.at), volts: this.lastVolts ?? Number.NaN });
  }
}
