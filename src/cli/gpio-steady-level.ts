/**
 * Finds a steady level in a stream of analog readings, pure: the last `count` samples all within
 * `toleranceVolts` of each other. A key press sweeps the line through other levels on its way, so
 * only a level that holds still is taken as the key's.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export class SteadyLevel {
  private readonly recent: number[] = [];

  constructor(
    readonly count: number,
    readonly toleranceVolts: number,
  ) {
    if (!Number.isInteger(count) || count < 2) throw new InvalidArgumentError('count', count, 'an integer ≥ 2 (samples that must agree)');
    if (!Number.isFinite(toleranceVolts) || toleranceVolts <= 0) throw new InvalidArgumentError('toleranceVolts', toleranceVolts, 'a voltage > 0');
  }

  /** Adds a reading; returns the last `count` readings once they agree, else undefined. */
  push(volts: number): number[] | undefined {
    this.recent.push(volts);
    if (this.recent.length > this.count) this.recent.shift();
    if (this.recent.length < this.count) return undefined;
    return Math.max(...this.recent) - Math.min(...this.recent) <= this.toleranceVolts ? [...this.recent] : undefined;
  }

  reset(): void {
    this.recent.length = 0;
  }
}
