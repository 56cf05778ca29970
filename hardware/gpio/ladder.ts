/**
 * ADKEY ladder classification, pure: several keys share one analog line through a resistor
 * ladder, so each key pulls the line into its own voltage window. A table of windows maps a
 * voltage to a key; hysteresis keeps noise at a window's edge from making a key flicker:
 * a window is entered only `hysteresisVolts` inside its edges and left only `hysteresisVolts`
 * outside them, so noise smaller than 2 x hysteresis peak to peak never changes the answer.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export interface LadderWindow {
  key: string;
  /** Lowest voltage of the window, volts (inclusive). */
  minVolts: number;
  /** Highest voltage of the window, volts (inclusive). */
  maxVolts: number;
}

/**
 * A common 5-key ladder under the ADKEY line's 1.8 V: the block's 10 kΩ pull-up to 1.8 V against
 * a key resistor to ground, V = 1.8 × R / (R + 10 kΩ). Keys: 0 Ω, 1 kΩ, 2.7 kΩ, 6.2 kΩ, 15 kΩ
 * (0.00, 0.16, 0.38, 0.69, 1.08 V); no key reads 1.8 V. Each window reaches half way to its
 * neighbour's nominal voltage, less a guard band.
 */
export const DEFAULT_ADKEY_LADDER: readonly LadderWindow[] = Object.freeze([
  { key: 'K1', minVolts: 0, maxVolts: 0.07 },
  { key: 'K2', minVolts: 0.1, maxVolts: 0.25 },
  { key: 'K3', minVolts: 0.3, maxVolts: 0.5 },
  { key: 'K4', minVolts: 0.57, maxVolts: 0.83 },
  { key: 'K5', minVolts: 0.93, maxVolts: 1.3 },
]);

export const DEFAULT_LADDER_HYSTERESIS_VOLTS = 0.015;

/** Checks a ladder table: windows ordered, not overlapping, keys unique, each wider than 2 x hysteresis. */
export function validateLadder(ladder: readonly LadderWindow[], hysteresisVolts: number): void {
  if (!Number.isFinite(hysteresisVolts) || hysteresisVolts < 0) throw new InvalidArgumentError('hysteresisVolts', hysteresisVolts, 'a voltage ≥ 0');
  if (!Array.isArray(ladder) || ladder.length === 0) throw new InvalidArgumentError('ladder', ladder, 'a non-empty list of { key, minVolts, maxVolts } windows');
  const keys = new Set<string>();
  ladder.forEach((w, i) => {
    const at = `ladder[${i}]`;
    if (typeof w.key !== 'string' || w.key === '') throw new InvalidArgumentError(`${at}.key`, w.key, 'a non-empty key name');
    if (keys.has(w.key)) throw new InvalidArgumentError(`${at}.key`, w.key, 'a key name used once in the ladder');
    keys.add(w.key);
    if (!Number.isFinite(w.minVolts) || !Number.isFinite(w.maxVolts) || w.minVolts < 0 || w.maxVolts < w.minVolts) {
      throw new InvalidArgumentError(`${at}`, { minVolts: w.minVolts, maxVolts: w.maxVolts }, '0 ≤ minVolts ≤ maxVolts');
    }
    // Enter-zone must exist; the K1 window at 0 V cannot be entered "from below", so its floor is exempt.
    const enterLow = w.minVolts === 0 ? 0 : w.minVolts + hysteresisVolts;
    if (w.maxVolts - hysteresisVolts < enterLow) {
      throw new InvalidArgumentError(`${at}`, { minVolts: w.minVolts, maxVolts: w.maxVolts }, `a window wider than 2 × hysteresis (${2 * hysteresisVolts} V)`);
    }
    const previous = ladder[i - 1];
    if (previous && w.minVolts <= previous.maxVolts) {
      throw new InvalidArgumentError(`${at}.minVolts`, w.minVolts, `above ladder[${i - 1}].maxVolts (${previous.maxVolts} V): windows are listed from low to high and do not overlap`);
    }
  });
}

/** Maps voltages to keys with hysteresis. Stateful (it remembers the key it is in) but timeless. */
export class LadderClassifier {
  private current: string | null = null;

  constructor(
    readonly ladder: readonly LadderWindow[] = DEFAULT_ADKEY_LADDER,
    readonly hysteresisVolts: number = DEFAULT_LADDER_HYSTERESIS_VOLTS,
  ) {
    validateLadder(ladder, hysteresisVolts);
  }

  /** The key the voltage selects (null: no key pressed). */
  classify(volts: number): string | null {
    const h = this.hysteresisVolts;
    const held = this.current === null ? undefined : this.ladder.find((w) => w.key === this.current);
    if (held && volts >= held.minVolts - h && volts <= held.maxVolts + h) return this.current;
    const entered = this.ladder.find((w) => volts >= (w.minVolts === 0 ? -Infinity : w.minVolts + h) && volts <= w.maxVolts - h);
    // Between windows (or in an edge band we have not entered): no key.
    this.current = entered?.key ?? null;
    return this.current;
  }

  /** Forgets the current key (a lost board). */
  reset(): void {
    this.current = null;
  }
}

/** The centre voltage of a key's window (what a simulated press sets). */
export function windowCentre(ladder: readonly LadderWindow[], key: string): number {
  const w = ladder.find((entry) => entry.key === key);
  if (!w) throw new InvalidArgumentError('key', key, `one of ${ladder.map((entry) => entry.key).join(', ')}`);
  return (w.minVolts + w.maxVolts) / 2;
}
