/**
 * The contract between ZoomBlock (src/devices) and sync groups (src/sync): the part of a block a
 * group drives. Kept exactly as agreed in sync-contract.md; additions are optional fields only.
 */
import type { MoveCommand } from '../../protocols/pelco/commands.js';

export type LensPath = 'serial' | 'http';

/** What one block did for one command: which path it took and when its frame left. */
export interface CommandReport {
  block: string; // the block's name
  path: LensPath;
  /**
   * performance.now() when the frame goes on the wire ('sent' event .wireAt): when the scheduler
   * handed it to the line, plus the frame times of a group burst's frames ahead of it on the same
   * bus. undefined for http.
   */
  sentAt: number | undefined;
  /** the raw value sent (absolute zoom after limits/calibration), when there is one */
  value?: number;
  /** set when a soft limit changed or refused the value: says what happened */
  limited?: string;
  /**
   * Additive: set on a stop made while the line is down. The scheduler keeps it and sends it
   * first when the line reopens (sentAt is then undefined: it has not left yet).
   */
  heldForReopen?: true;
  /**
   * Additive, on a stop that also went over HTTP (the block was zooming over HTTP): the paths
   * that carried it, e.g. ['serial', 'http'] ('http' only when the camera took the halt).
   * Absent on a serial-only stop.
   */
  carriedBy?: readonly LensPath[];
  /** Additive, with carriedBy: the HTTP halt's outcome. */
  httpHalt?: HttpHaltOutcome;
}

/** How a lens halt over HTTP went: the zoom it halted at (when read), or why it failed. */
export interface HttpHaltOutcome {
  zoom?: number;
  problem?: string;
}

export interface PositionReading {
  value: number;
  at: number /* performance.now() */;
  path: LensPath;
}

/** The part of ZoomBlock that sync groups use. Every command method enqueues its frame
 *  SYNCHRONOUSLY before it returns its promise (no await before the scheduler call), so a
 *  group that calls every member in one loop puts all frames on their lines in the same tick. */
export interface BlockControl {
  readonly name: string;
  /** zoom range in the user scale of its profile (sz-g10: 0..1000), after soft limits */
  readonly zoomRange: readonly [number, number];
  /** raw zoom -> magnification table, if calibrated (strictly increasing in both) */
  readonly calibration: readonly (readonly [number, number])[] | undefined;
  move(command: Omit<MoveCommand, 'kind'>): Promise<CommandReport>; // continuous
  stop(): Promise<CommandReport>; // never refused, never dropped
  zoomTo(raw: number): Promise<CommandReport>; // absolute, user scale
  gotoPreset(preset: number): Promise<CommandReport>;
  readZoom(): Promise<PositionReading>; // query (serial, or http fallback)
  readonly online: boolean;
  on(event: 'state', listener: (state: BlockState) => void): this;
}

export interface BlockState {
  name: string;
  online: boolean;
  path: LensPath; // the path lens operations take now
  moving: boolean;
  zoom?: PositionReading;
  focus?: PositionReading;
  pan?: PositionReading;
  tilt?: PositionReading;
}
