/**
 * Measuring a block's calibration table: step the zoom through raw positions, wait at each until
 * the read-back settles, and note the magnification there. PELCO cannot see the picture, so the
 * magnification comes from, in order: the value the user read off a test chart for that position
 * (`given`), the block's HTTP side when its dialect reports one, or the block's own answer to
 * PELCO's magnification query (0x61 -> 0x63).
 */
import { CancelledError, InvalidArgumentError, isZoomsyncError, NotSupportedError } from '../../protocols/errors.js';
import { calibrationTableProblems, type CalibrationPoint } from '../sync/calibration.js';
import type { Rig } from './open-rig.js';
import { waitSettled } from './settle.js';

export type MagnificationSource = 'given' | 'http' | 'pelco';

export interface MeasuredPoint {
  /** The position asked for (after the block's soft limits). */
  requested: number;
  /** Where the zoom came to rest, read back: the table's raw column. */
  raw: number;
  magnification: number;
  source: MagnificationSource;
}

export interface MeasureOptions {
  /** Raw positions to visit (sorted and deduplicated here). */
  raws: readonly number[];
  /** Magnifications the user measured, by raw position; these positions are visited too. */
  given?: ReadonlyMap<number, number>;
  settle?: { pollMs?: number; timeoutMs?: number };
  signal?: AbortSignal;
  /** Called after each point, for progress output. */
  onPoint?: (point: MeasuredPoint) => void;
}

/** `steps` raw positions evenly across [lo, hi], both ends included (rounded to whole steps). */
export function evenSteps([lo, hi]: readonly [number, number], steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 2) throw new InvalidArgumentError('steps', steps, 'an integer of 2 or more (the ends and the points between)');
  if (steps > hi - lo + 1) throw new InvalidArgumentError('steps', steps, `at most ${hi - lo + 1} (the positions from ${lo} to ${hi})`);
  return Array.from({ length: steps }, (_, i) => Math.round(lo + ((hi - lo) * i) / (steps - 1)));
}

/**
 * Visits every position and returns the measured points in raw order. Throws when a position
 * cannot be reached or read, when no source gives a magnification (the error says to give
 * --magnification-at), and when the points do not make a usable table (say two steps too close
 * for the magnification's resolution).
 */
export async function measureCalibration(rig: Rig, name: string, options: MeasureOptions): Promise<MeasuredPoint[]> {
  const block = rig.block(name);
  const given = options.given ?? new Map<number, number>();
  const [lo, hi] = block.zoomRange;
  const raws = [...new Set([...options.raws, ...given.keys()])].sort((a, b) => a - b);
  for (const raw of raws) {
    if (!Number.isInteger(raw) || raw < lo || raw > hi) throw new InvalidArgumentError(`calibration position of block ${name}`, raw, `an integer ${lo}–${hi} (the block's zoom range after its limits)`);
  }
  const points: MeasuredPoint[] = [];
  for (const requested of raws) {
    if (options.signal?.aborted) throw new CancelledError(`calibration of block ${name} was interrupted; nothing was written`);
    await block.zoomTo(requested);
    const rest = await waitSettled(() => block.readZoom(), { target: requested, signal: options.signal, ...options.settle });
    if (options.signal?.aborted) throw new CancelledError(`calibration of block ${name} was interrupted; nothing was written`);
    if (!rest.settled || rest.position === undefined) {
      // (no error class says "did not come to rest"; the calibration is withdrawn)
      throw new CancelledError(`calibration of block ${name} stopped at raw ${requested}: the zoom did not come to rest (${rest.problem}); nothing was written`);
    }
    const user = given.get(requested);
    if (user !== undefined && rest.position !== requested) {
      throw new InvalidArgumentError(`--magnification-at ${requested}`, rest.position, `the zoom at ${requested}`, `block ${name} stopped at ${rest.position}, so ${user}x cannot be placed`);
    }
    const measured = user !== undefined ? { magnification: user, source: 'given' as const } : await readMagnification(rig, name, requested);
    const point: MeasuredPoint = { requested, raw: rest.position, ...measured };
    points.push(point);
    options.onPoint?.(point);
  }
  const table = points.map((p): CalibrationPoint => [p.raw, p.magnification]);
  const problem = calibrationTableProblems(table)[0];
  if (problem) {
    throw new InvalidArgumentError(`measured calibration of block ${name}`, table, 'raw and magnification both strictly increasing', `${problem.message}; use fewer --steps, or give the magnifications with --magnification-at`);
  }
  return points;
}

/** The magnification at the current position from the HTTP side if its dialect reports one, else over PELCO. */
async function readMagnification(rig: Rig, name: string, raw: number): Promise<{ magnification: number; source: MagnificationSource }> {
  const http = rig.block(name).config;
  if (http?.supports('lens')) {
    // A dialect whose lens state carries a magnification reports it here; SZ-G10's does not.
    const state = (await http.lens()) as { magnification?: unknown };
    if (typeof state.magnification === 'number' && state.magnification > 0) return { magnification: state.magnification, source: 'http' };
  }
  try {
    return { magnification: await rig.readMagnification(name), source: 'pelco' };
  } catch (error) {
    if (!isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')) throw error;
    throw new NotSupportedError(
      'reading the magnification',
      `block ${name} (no answer to PELCO query-magnification at raw ${raw}, and no HTTP side that reports it)`,
      `read it off a test chart and give it: --magnification-at ${raw}=X for each position`,
    );
  }
}

/** The table as the rig file writes it: `[[raw, magnification], ...]`. */
export function tableOf(points: readonly MeasuredPoint[]): CalibrationPoint[] {
  return points.map((p) => [p.raw, p.magnification]);
}
