/**
 * Pure planning for group commands: what raw zoom each member gets, and how far apart in time
 * the members' frames left. No I/O: SyncGroup asks here first and sends only a complete plan,
 * so a target one member cannot reach refuses the whole command before anything moves.
 */
import { InvalidArgumentError, NotSupportedError } from '../../protocols/errors.js';
import type { BlockControl, CommandReport } from '../devices/block-api.js';
import { type CalibrationPoint, ZoomCalibration } from './calibration.js';

/** What planning needs to know about a member. */
export type MemberShape = Pick<BlockControl, 'name' | 'zoomRange' | 'calibration'>;

/** An absolute zoom for the whole group: the same raw value everywhere, or one picture scale. */
export type ZoomTarget = { raw: number } | { magnification: number };

export interface ZoomStep {
  block: string;
  raw: number;
  /** The magnification this raw value gives on that member, when the target was one. */
  magnification?: number;
}

/**
 * One raw position per member. `{ raw }` goes to everyone unchanged (a member's soft limits are
 * its own business and show up as CommandReport.limited); `{ magnification }` goes through each
 * member's table and is refused — naming the member and its range — if any member cannot
 * reach it or has no table.
 */
export function planZoom(members: readonly MemberShape[], target: ZoomTarget): ZoomStep[] {
  if ('raw' in target) {
    if (typeof target.raw !== 'number' || !Number.isFinite(target.raw)) {
      throw new InvalidArgumentError('raw zoom', target.raw, 'a finite number on the blocks\' user scale (sz-g10: 0–1000)');
    }
    return members.map((m) => ({ block: m.name, raw: Math.round(target.raw) }));
  }
  const wanted = target.magnification;
  if (typeof wanted !== 'number' || !Number.isFinite(wanted) || wanted <= 0) {
    throw new InvalidArgumentError('magnification', wanted, 'a positive number, e.g. 4 for 4.0x');
  }
  return members.map((m) => {
    if (!m.calibration) throw new NotSupportedError(`zooming to a magnification (${wanted}x)`, `block ${m.name}`, 'it has no calibration table; add one, or zoom by raw value');
    const lens = calibrationOf(m.calibration);
    const [min, max] = lens.magnificationRange;
    if (wanted < min || wanted > max) {
      throw new InvalidArgumentError(`magnification for block ${m.name}`, wanted, `${min}–${max}x (its calibration table)`, 'nothing was sent to any member');
    }
    return { block: m.name, raw: Math.round(lens.rawFor(wanted)), magnification: wanted };
  });
}

/**
 * The raw position a follower takes to show the leader's picture scale: leader raw ->
 * magnification (leader's table) -> follower raw (follower's table). A magnification past the
 * follower's table is clamped to its nearest end (a follower with a shorter lens goes as far as
 * it can). Without a table on both sides the raw value is passed through. Always clamped to
 * the follower's zoomRange and rounded.
 */
export function followerRaw(leader: MemberShape, follower: MemberShape, leaderRaw: number): number {
  const raw = leader.calibration && follower.calibration ? mapThroughTables(calibrationOf(leader.calibration), calibrationOf(follower.calibration), leaderRaw) : leaderRaw;
  const [min, max] = follower.zoomRange;
  return Math.round(Math.min(max, Math.max(min, raw)));
}

/** Leader raw -> magnification -> follower raw, with the explicit clamps (a shorter follower lens goes to its end). */
function mapThroughTables(leader: ZoomCalibration, follower: ZoomCalibration, leaderRaw: number): number {
  const magnification = leader.magnificationAt(leader.clampRaw(leaderRaw));
  return follower.rawFor(follower.clampMagnification(magnification));
}

/**
 * The ZoomCalibration of a member's table, built once per table: a tracking loop asks many times
 * a second, and tables are frozen arrays that live as long as their block.
 */
const calibrations = new WeakMap<readonly CalibrationPoint[], ZoomCalibration>();
export function calibrationOf(table: readonly CalibrationPoint[]): ZoomCalibration {
  let lens = calibrations.get(table);
  if (!lens) {
    lens = new ZoomCalibration(table);
    calibrations.set(table, lens);
  }
  return lens;
}

/** max − min of the members' sentAt (ms); undefined when fewer than two frames have a time (http). */
export function skewOf(reports: readonly Pick<CommandReport, 'sentAt'>[]): number | undefined {
  const times = reports.map((r) => r.sentAt).filter((t): t is number => t !== undefined);
  if (times.length < 2) return times.length === 1 ? 0 : undefined;
  return Math.max(...times) - Math.min(...times);
}
