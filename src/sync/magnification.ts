/**
 * Stand-in for src/sync/calibration.ts (written in parallel by another helper): the two lookups
 * sync groups need from a calibration table, with the same semantics — piecewise linear between
 * measured `[raw, magnification]` points, both strictly increasing, and a value outside the
 * table REFUSED (InvalidArgumentError naming the table's range), never extrapolated.
 * The coordinator replaces these calls with ZoomCalibration.magnificationAt / rawFor / clamp*.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export type CalibrationTable = readonly (readonly [number, number])[];

/** [first, last] of one column: 0 raw, 1 magnification. */
export function tableRange(table: CalibrationTable, column: 0 | 1): readonly [number, number] {
  return [table[0]![column], table[table.length - 1]![column]];
}

/** The magnification at a raw zoom position; refuses a position outside the table. */
export function magnificationAt(table: CalibrationTable, raw: number): number {
  return interpolate(table, 0, raw, 'raw zoom');
}

/** The raw zoom position (not rounded) that gives a magnification; refuses one outside the table. */
export function rawForMagnification(table: CalibrationTable, magnification: number): number {
  return interpolate(table, 1, magnification, 'magnification');
}

export function clampTo(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, value));
}

function interpolate(table: CalibrationTable, from: 0 | 1, value: number, field: string): number {
  const to = from === 0 ? 1 : 0;
  const range = tableRange(table, from);
  if (!Number.isFinite(value) || value < range[0] || value > range[1]) {
    throw new InvalidArgumentError(field, value, `a number ${range[0]}–${range[1]}`, 'the calibration table covers only that range');
  }
  let i = 1;
  while (i < table.length - 1 && table[i]![from] < value) i++;
  const a = table[i - 1]!;
  const b = table[i]!;
  if (value === b[from]) return b[to];
  return a[to] + ((value - a[from]) / (b[from] - a[from])) * (b[to] - a[to]);
}
