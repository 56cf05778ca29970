/**
 * LensBackedBlock: a TEST implementation of BlockControl that drives a real SimulatedLens
 * directly (no serial line). It stands in for ZoomBlock until that helper's work is merged;
 * the coordinator then switches these integration tests to real ZoomBlocks over ptys.
 *
 * `optics` is the lens's TRUE raw -> magnification table (SimulatedLens itself is linear 1–10x;
 * this lets two members have different lenses). It is also published as `calibration`, as if
 * the rig had been calibrated correctly, so tests can check the picture scale a group produces.
 */
import { EventEmitter } from 'node:events';
import { LineClosedError, ReplyTimeoutError } from '../../../../protocols/errors.js';
import type { MoveCommand } from '../../../../protocols/pelco/commands.js';
import { SimulatedLens } from '../../../../hardware/sim/lens-model.js';
import type { BlockControl, BlockState, CommandReport, PositionReading } from '../../../../src/devices/block-api.js';
import { calibrationOf } from '../../../../src/sync/plan.js';

export interface LensBackedFaults {
  /** readZoom rejects (ZS_REPLY_TIMEOUT), as a block that does not answer. */
  silent?: boolean;
  /** Commands are taken but the lens does not move (a jammed lens). */
  stuck?: boolean;
  /** Motion commands reject (ZS_LINE_CLOSED), as a block whose line went away. stop() still works. */
  lineDown?: boolean;
}

export interface LensBackedOptions {
  name: string;
  optics?: readonly (readonly [number, number])[];
  initialZoom?: number;
  /** Full zoom travel in ms (fast lenses keep tests short). Default 600. */
  travelMs?: number;
}

export class LensBackedBlock extends EventEmitter implements BlockControl {
  readonly name: string;
  readonly zoomRange = [0, 1000] as const;
  readonly calibration: readonly (readonly [number, number])[] | undefined;
  readonly lens: SimulatedLens;
  faults: LensBackedFaults = {};
  /** Every command taken, in order: what a test can check was (or was not) sent. */
  readonly log: { kind: string; value?: number; at: number }[] = [];

  constructor(options: LensBackedOptions) {
    super();
    this.name = options.name;
    this.calibration = options.optics;
    const travel = options.travelMs ?? 600;
    this.lens = new SimulatedLens({ initialZoom: options.initialZoom ?? 0, zoomTravelMs: [travel * 4, travel * 3, travel * 2, travel] });
  }

  get online(): boolean {
    return !this.faults.silent;
  }

  /** The magnification the lens really shows now (through its optics table, or linear 1–10x). */
  get magnification(): number {
    return this.calibration ? calibrationOf(this.calibration).magnificationAt(this.lens.zoom) : this.lens.magnification;
  }

  move(command: Omit<MoveCommand, 'kind'>): Promise<CommandReport> {
    if (this.faults.lineDown) return Promise.reject(new LineClosedError('/dev/ttyFAKE', `${this.name}: the line is closed`));
    const report = this.take('move');
    if (!this.faults.stuck) {
      if (command.zoom) this.lens.zoomContinuous(command.zoom);
      else this.lens.stopZoom();
    }
    return Promise.resolve(report);
  }

  stop(): Promise<CommandReport> {
    const report = this.take('stop');
    this.lens.stop();
    return Promise.resolve(report);
  }

  zoomTo(raw: number): Promise<CommandReport> {
    if (this.faults.lineDown) return Promise.reject(new LineClosedError('/dev/ttyFAKE', `${this.name}: the line is closed`));
    const report = this.take('zoomTo', raw);
    if (!this.faults.stuck) this.lens.zoomTo(raw);
    return Promise.resolve(report);
  }

  gotoPreset(preset: number): Promise<CommandReport> {
    if (this.faults.lineDown) return Promise.reject(new LineClosedError('/dev/ttyFAKE', `${this.name}: the line is closed`));
    const report = this.take('preset', preset);
    if (!this.faults.stuck) this.lens.recallPreset(preset);
    return Promise.resolve(report);
  }

  readZoom(): Promise<PositionReading> {
    // Answer on a later turn of the event loop, as a reply from a wire would.
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        if (this.faults.silent) reject(new ReplyTimeoutError(this.name, 1, 'query-zoom', 2, 250, `${this.name} did not answer query-zoom`));
        else resolve({ value: this.lens.zoom, at: performance.now(), path: 'serial' });
      }),
    );
  }

  override on(event: 'state', listener: (state: BlockState) => void): this {
    return super.on(event, listener);
  }

  private take(kind: string, value?: number): CommandReport {
    const at = performance.now();
    this.log.push({ kind, value, at });
    return { block: this.name, path: 'serial', sentAt: at, ...(value === undefined ? {} : { value }) };
  }
}

/** Resolves with the next 'state' event of a group whose state satisfies `match`. */
export function nextState<E extends { state: string }>(
  emitter: { on(event: 'state', l: (e: E) => void): unknown; off(event: 'state', l: (e: E) => void): unknown },
  match: (e: E) => boolean,
): Promise<E> {
  return new Promise((resolve) => {
    const listener = (e: E) => {
      if (!match(e)) return;
      emitter.off('state', listener);
      resolve(e);
    };
    emitter.on('state', listener);
  });
}
