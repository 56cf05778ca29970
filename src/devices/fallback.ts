/**
 * Which path a block's lens operations take: serial while its line is open and the device
 * answers, HTTP (when the block has an HTTP face that can move the lens) once the line is down
 * or N queries in a row went unanswered. While on HTTP it probes the serial side with a query
 * at a modest rate (and at once when the line reopens); the first answer brings it back.
 */
import { EventEmitter } from 'node:events';
import type { FrameLine } from '../../hardware/serial/frame-line.js';
import { isZoomsyncError } from '../../protocols/errors.js';
import type { LensPath } from './block-api.js';
import { integerIn, positiveMs } from './http/options.js';

export interface FallbackOptions {
  /** Unanswered queries in a row (each after the scheduler's own retries) that make the serial side unusable. Default 2. */
  timeoutsBeforeHttp?: number;
  /** How often the serial side is probed while lens operations go over HTTP, ms. Default 1000. */
  probeIntervalMs?: number;
}

export interface LensPathEvents {
  path: [path: LensPath];
  /** Whether the serial side is usable changed. */
  serial: [usable: boolean];
}

export class LensPathMonitor extends EventEmitter<LensPathEvents> {
  private current: LensPath = 'serial';
  private timeouts = 0;
  /** Set when the line closes: a reopened line counts once the device has answered on it. */
  private unproven = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private disposed = false;
  private readonly threshold: number;
  private readonly probeIntervalMs: number;
  private readonly onLineChange = (): void => {
    if (!this.line.isOpen) this.unproven = true;
    this.evaluate(true);
  };

  /**
   * @param line  the block's serial line
   * @param probe a serial query of the device (resolves when it answered)
   * @param httpLens whether the block's HTTP face can move and read the lens
   */
  constructor(
    private readonly line: FrameLine,
    private readonly probe: () => Promise<unknown>,
    readonly httpLens: boolean,
    options: FallbackOptions = {},
  ) {
    super();
    this.threshold = integerIn('fallback.timeoutsBeforeHttp', options.timeoutsBeforeHttp ?? 2, 1, 1000);
    this.probeIntervalMs = positiveMs('fallback.probeIntervalMs', options.probeIntervalMs ?? 1000);
    line.on('open', this.onLineChange);
    line.on('close', this.onLineChange);
  }

  get path(): LensPath {
    return this.current;
  }

  /** The line is open, the device answered since it (re)opened, and has not missed `timeoutsBeforeHttp` queries in a row. */
  get serialUsable(): boolean {
    return this.line.isOpen && !this.unproven && this.timeouts < this.threshold;
  }

  /** A serial query was answered. */
  answered(): void {
    const was = this.serialUsable;
    this.timeouts = 0;
    this.unproven = false;
    if (!was) this.emit('serial', true);
    this.evaluate(false);
  }

  /** A serial query failed; reply timeouts count towards the switch. */
  failed(error: unknown): void {
    if (!isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')) return;
    const was = this.serialUsable;
    this.timeouts++;
    if (was && !this.serialUsable) this.emit('serial', false);
    this.evaluate(false);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.line.off('open', this.onLineChange);
    this.line.off('close', this.onLineChange);
  }

  private evaluate(lineChanged: boolean): void {
    if (lineChanged) this.emit('serial', this.serialUsable);
    const next: LensPath = this.serialUsable || !this.httpLens ? 'serial' : 'http';
    if (next !== this.current) {
      this.current = next;
      this.emit('path', next);
    }
    if (!this.serialUsable) {
      // probed whatever the path, so `online` recovers too; a reopened line at once: the device may be back with it
      if (lineChanged && this.line.isOpen) this.probeNow();
      else this.scheduleProbe();
    } else {
      clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
    }
  }

  private scheduleProbe(): void {
    if (this.probeTimer !== undefined || this.probing || this.disposed) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.probeNow();
    }, this.probeIntervalMs);
    this.probeTimer.unref();
  }

  private probeNow(): void {
    if (this.probing || this.disposed) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (!this.line.isOpen) return; // the line's 'open' brings us back here
    this.probing = true;
    this.probe().then(
      () => {
        this.probing = false;
        if (!this.disposed) this.answered();
      },
      () => {
        this.probing = false; // still unanswered: stay on HTTP, try again later
        if (!this.disposed && !this.serialUsable) this.scheduleProbe();
      },
    );
  }
}
