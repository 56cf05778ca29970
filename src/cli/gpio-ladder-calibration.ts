/**
 * Building an ADKEY ladder table from measured levels, pure: the samples read while each key was
 * held (and while none was) in, windows or a list of problems out. The interactive part
 * (`zoomsync gpio calibrate-keys`) only gathers the samples.
 *
 * Each boundary sits at the midpoint between two neighbouring levels' readings (the idle level
 * counts as a neighbour, but gets no window). The windows stop `hysteresisVolts` short of the
 * midpoint on each side (the dead band keeps them apart), and every sample of a key must lie a
 * further 2 x hysteresis inside its window (one hysteresis to enter it, one more as a guard for
 * drift): neighbouring levels are told apart only when their readings are 6 x hysteresis apart.
 */
import { validateLadder, type LadderWindow } from '../../hardware/gpio/ladder.js';

export interface MeasuredLevel {
  mean: number;
  min: number;
  max: number;
  /** max - min */
  spread: number;
  count: number;
}

export interface CalibrationInput {
  /** Samples with no key pressed (the pull-up's level). */
  idle: readonly number[];
  /** Samples per key, in the order the keys were pressed. */
  keys: readonly { key: string; samples: readonly number[] }[];
  hysteresisVolts: number;
  /** The highest voltage a window may reach (the ADC reference). */
  maxVolts: number;
}

export type CalibrationResult =
  | { ok: true; ladder: LadderWindow[] }
  | { ok: false; problems: string[] };

/** Levels are rounded to the millivolt in tables: finer is below any ADC's noise. */
const MILLIVOLT = 0.001;

export function measureLevel(samples: readonly number[]): MeasuredLevel {
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const mean = samples.reduce((sum, v) => sum + v, 0) / samples.length;
  return { mean, min, max, spread: max - min, count: samples.length };
}

/** How far apart two neighbouring levels' readings must be: each needs 3 x hysteresis on its side of the midpoint. */
export function requiredGapVolts(hysteresisVolts: number): number {
  return 6 * Math.max(hysteresisVolts, MILLIVOLT);
}

const volts = (v: number) => `${v.toFixed(2)} V`;

/** Where one level's window ends and the next one's begins: half way between their readings. */
const boundary = (low: MeasuredLevel, high: MeasuredLevel) => (low.max + high.min) / 2;

/** The ladder table for the measured keys, or every reason it cannot be made. */
export function buildLadder(input: CalibrationInput): CalibrationResult {
  const h = Math.max(input.hysteresisVolts, MILLIVOLT);
  const problems: string[] = [];
  if (input.idle.length === 0) problems.push('no samples of the idle level (no key pressed)');
  if (input.keys.length === 0) problems.push('no keys to calibrate');
  const seen = new Set<string>();
  for (const { key, samples } of input.keys) {
    if (seen.has(key)) problems.push(`key "${key}" is listed twice; name each key once`);
    seen.add(key);
    if (samples.length === 0) problems.push(`no samples for key "${key}"`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const idle = measureLevel(input.idle);
  const levels = new Map(input.keys.map(({ key, samples }) => [key, measureLevel(samples)]));
  // A level that wanders this much cannot sit inside one window with its guard bands.
  for (const [key, level] of levels) {
    if (level.spread > 2 * h) {
      problems.push(`${key} read unsteadily (${volts(level.min)} to ${volts(level.max)}, spread ${volts(level.spread)}; at most ${volts(2 * h)} fits a window): check for a loose wire or a dirty key contact, then calibrate again`);
    }
  }
  type Level = { key: string | null } & MeasuredLevel;
  const sorted: Level[] = [{ key: null, ...idle }, ...[...levels].map(([key, level]) => ({ key, ...level }))].sort((a, b) => a.mean - b.mean);
  const gap = requiredGapVolts(h);
  for (let i = 1; i < sorted.length; i++) {
    const low = sorted[i - 1]!;
    const high = sorted[i]!;
    if (high.min - low.max >= gap) continue;
    const name = (level: Level) => (level.key === null ? `no key (idle, ${volts(level.mean)})` : `${level.key} (${volts(level.mean)})`);
    const check = low.key === null || high.key === null ? 'a key resistor too close to the pull-up’s level, or a key not pressed at all' : 'two keys with near-equal resistors, the same key pressed twice, or a resistor in the wrong place';
    problems.push(`${name(low)} and ${name(high)} are too close to tell apart (${volts(high.min - low.max)} between their readings, ${volts(gap)} needed): check the resistor values and the wiring (${check})`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const ladder: LadderWindow[] = [];
  sorted.forEach((level, i) => {
    if (level.key === null) return;
    const below = sorted[i - 1];
    const above = sorted[i + 1];
    const upperEdge = above ? boundary(level, above) - h : undefined;
    const lowerEdge = below ? boundary(below, level) + h : undefined;
    // An outer window reaches as far beyond its readings as its inner side does (a line shorted or open reads as no key).
    const top = upperEdge ?? level.max + (level.min - lowerEdge!);
    const bottom = lowerEdge ?? level.min - (upperEdge! - level.max);
    ladder.push({
      key: level.key,
      minVolts: bottom - 2 * h <= 0 ? 0 : ceilMillivolt(bottom),
      maxVolts: Math.min(floorMillivolt(top), floorMillivolt(input.maxVolts)),
    });
  });
  validateLadder(ladder, input.hysteresisVolts); // holds by construction; a slip here is a bug, not bad input
  return { ok: true, ladder };
}

// n / 1000 prints as the short decimal (0.3, not 0.30000000000000004); the epsilon absorbs float noise.
const floorMillivolt = (v: number) => Math.floor(v / MILLIVOLT + 1e-6) / 1000;
const ceilMillivolt = (v: number) => Math.ceil(v / MILLIVOLT - 1e-6) / 1000;
