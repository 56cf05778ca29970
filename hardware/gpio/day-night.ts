/**
 * Day/night from a light level, pure: two thresholds give hysteresis (day past one, night past
 * the other, in between the last decision holds) and a minimum dwell keeps a passing shadow or
 * headlight from switching (the new side must hold for `dwellMs`).
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import { Debouncer, type Settled } from './debounce.js';

export type DayNight = 'day' | 'night';

export interface DayNightOptions {
  /**
   * The reading (volts at the ADC) at which it becomes day. Above nightVolts for a sensor that
   * reads higher when brighter; below it for one that reads lower when brighter.
   */
  dayVolts: number;
  /** The reading at which it becomes night. The gap to dayVolts is the hysteresis. */
  nightVolts: number;
  /** How long the new side must hold before it is reported, ms. Default 10000. */
  dwellMs?: number;
}

export const DEFAULT_DAY_NIGHT_DWELL_MS = 10_000;

/** Which side a reading is on, given the side we are on (hysteresis); undefined while undecided. */
export function lightSide(volts: number, current: DayNight | undefined, dayVolts: number, nightVolts: number): DayNight | undefined {
  const brightIsHigh = dayVolts > nightVolts;
  if (brightIsHigh ? volts >= dayVolts : volts <= dayVolts) return 'day';
  if (brightIsHigh ? volts <= nightVolts : volts >= nightVolts) return 'night';
  return current;
}

export class DayNightDetector {
  readonly dayVolts: number;
  readonly nightVolts: number;
  private readonly dwell: Debouncer<DayNight>;

  constructor(options: DayNightOptions) {
    const { dayVolts, nightVolts } = options;
    if (!Number.isFinite(dayVolts) || dayVolts < 0) throw new InvalidArgumentError('dayVolts', dayVolts, 'a voltage ≥ 0');
    if (!Number.isFinite(nightVolts) || nightVolts < 0 || nightVolts === dayVolts) {
      throw new InvalidArgumentError('nightVolts', nightVolts, `a voltage ≥ 0 that differs from dayVolts (${dayVolts} V); the gap is the hysteresis`);
    }
    this.dayVolts = dayVolts;
    this.nightVolts = nightVolts;
    this.dwell = new Debouncer<DayNight>(options.dwellMs ?? DEFAULT_DAY_NIGHT_DWELL_MS);
  }

  get state(): DayNight | 'unknown' {
    return this.dwell.value ?? 'unknown';
  }

  /** When settle() may report a pending side. */
  get deadline(): number | undefined {
    return this.dwell.deadline;
  }

  /** Feeds one reading; returns the side when it has just been decided. */
  sample(volts: number, now: number): Settled<DayNight> | undefined {
    const side = lightSide(volts, this.dwell.value, this.dayVolts, this.nightVolts);
    return side === undefined ? this.dwell.settle(now) : this.dwell.sample(side, now);
  }

  settle(now: number): Settled<DayNight> | undefined {
    return this.dwell.settle(now);
  }

  /** Unknown again (a lost board). */
  reset(): void {
    this.dwell.reset();
  }
}
