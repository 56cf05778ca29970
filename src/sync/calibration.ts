/**
 * Zoom calibration: a block's raw zoom position (0–1000 on an SZ-G10) to the optical
 * magnification it gives, and back. Pure: no I/O, no state beyond the table.
 *
 * A table is a list of measured points `[raw, magnification]`, both strictly increasing; between
 * two points the map is the straight line through them. A group zooms "to 4x" by asking each
 * block's table for the raw position that gives 4x, so two different lenses frame alike.
 *
 * Outside the table the map **refuses** (InvalidArgumentError naming the table's range) rather
 * than extrapolating: a line past the last measured point is a guess, and a guessed zoom drives
 * the lens to a frame nobody asked for. A caller that wants the nearest reachable value (a
 * follower whose lens is shorter than its leader's) clamps explicitly with clampRaw /
 * clampMagnification, so the choice is visible where it is made.
 *
 * @example
 * const lens = new ZoomCalibration([[0, 1], [500, 3.2], [1000, 10]]);
 * lens.magnificationAt(250); // 2.1
 * lens.rawFor(2.1);          // 250
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

/** One measured point: the raw zoom position and the magnification seen there (1 = widest, e.g. 10 = 10x). */
export type CalibrationPoint = readonly [raw: number, magnification: number];

/** One thing wrong with a table: which point (index into the table; -1 for the table itself) and what. */
export interface CalibrationTableProblem {
  index: number;
  /** Which half of the point: 0 raw, 1 magnification; undefined for the whole point or table. */
  part: 0 | 1 | undefined;
  message: string;
}

/**
 * Everything wrong with a table, in order; empty when it can be used. The config file's checker
 * and the ZoomCalibration constructor both ask here, so the rules live in one place.
 */
export function calibrationTableProblems(points: readonly CalibrationPoint[]): CalibrationTableProblem[] {
  const problems: CalibrationTableProblem[] = [];
  if (points.length < 2) {
    problems.push({ index: -1, part: undefined, message: `a table needs at least 2 points (got ${points.length}, expected [[raw, magnification], ...] with 2 or more)` });
  }
  points.forEach((point, index) => {
    if (!Array.isArray(point) || point.length !== 2) {
      problems.push({ index, part: undefined, message: `not a point (got ${JSON.stringify(point)}, expected [raw zoom, magnification])` });
      return;
    }
    const [raw, magnification] = point;
    if (!Number.isFinite(raw)) problems.push({ index, part: 0, message: `raw zoom is not a number (got ${String(raw)}, expected a finite number)` });
    if (!Number.isFinite(magnification) || magnification <= 0) {
      problems.push({ index, part: 1, message: `magnification must be positive (got ${String(magnification)}, expected a number above 0, e.g. 1 for the wide end)` });
    }
    const previous = points[index - 1];
    if (!Array.isArray(previous) || previous.length !== 2) return;
    const [previousRaw, previousMagnification] = previous;
    if (!(raw > previousRaw)) {
      problems.push({ index, part: 0, message: `raw zoom must increase from one point to the next (got ${raw} after ${previousRaw}, expected more than ${previousRaw})` });
    }
    if (!(magnification > previousMagnification)) {
      problems.push({
        index,
        part: 1,
        message: `magnification must increase from one point to the next (got ${magnification} after ${previousMagnification}, expected more than ${previousMagnification})`,
      });
    }
  });
  return problems;
}

export class ZoomCalibration {
  readonly points: readonly CalibrationPoint[];
  /** [first raw, last raw] of the table: the raw positions magnificationAt accepts. */
  readonly rawRange: readonly [number, number];
  /** [first magnification, last magnification]: the magnifications rawFor accepts. */
  readonly magnificationRange: readonly [number, number];

  /** Throws InvalidArgumentError naming the first bad point when the table cannot be used. */
  constructor(points: readonly CalibrationPoint[]) {
    if (!Array.isArray(points)) throw new InvalidArgumentError('calibration', points, 'a list of [raw, magnification] points');
    const first = calibrationTableProblems(points)[0];
    if (first) {
      const field = first.index < 0 ? 'calibration' : `calibration[${first.index}]`;
      throw new InvalidArgumentError(field, first.index < 0 ? points : points[first.index], 'points with raw and magnification both strictly increasing', first.message);
    }
    this.points = Object.freeze(points.map(([raw, magnification]) => Object.freeze([raw, magnification] as const)));
    const last = this.points[this.points.length - 1]!;
    this.rawRange = Object.freeze([this.points[0]![0], last[0]] as const);
    this.magnificationRange = Object.freeze([this.points[0]![1], last[1]] as const);
  }

  /** The magnification at a raw zoom position. Refuses a position outside the table. */
  magnificationAt(raw: number): number {
    return interpolate(this.points, 0, 1, raw, 'raw zoom', this.rawRange);
  }

  /** The raw zoom position (not rounded) that gives a magnification. Refuses one outside the table. */
  rawFor(magnification: number): number {
    return interpolate(this.points, 1, 0, magnification, 'magnification', this.magnificationRange);
  }

  /** The nearest raw position the table covers. */
  clampRaw(raw: number): number {
    return clamp(raw, this.rawRange);
  }

  /** The nearest magnification the table covers. */
  clampMagnification(magnification: number): number {
    return clamp(magnification, this.magnificationRange);
  }
}

/** Piecewise-linear lookup along column `from`, answering in column `to`. Both columns increase. */
function interpolate(
  points: readonly CalibrationPoint[],
  from: 0 | 1,
  to: 0 | 1,
  value: number,
  field: string,
  range: readonly [number, number],
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range[0] || value > range[1]) {
    throw new InvalidArgumentError(field, value, `a number ${range[0]}–${range[1]}`, 'the calibration table covers only that range; clamp first to use the nearest end');
  }
  // Binary search for the segment [lo, lo + 1] holding the value; tables are short but a
  // tracking loop asks many times a second.
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![from] <= value) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  // The exact table values come back exactly (no rounding at the measured points).
  if (value === a[from]) return a[to];
  if (value === b[from]) return b[to];
  const t = (value - a[from]) / (b[from] - a[from]);
  return a[to] + t * (b[to] - a[to]);
}

function clamp(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, value));
}
