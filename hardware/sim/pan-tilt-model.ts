/**
 * A simple pan/tilt head for the simulator: positions in hundredths of a degree (the PELCO
 * reply scale), moved by continuous pan/tilt at a speed-proportional rate or sent to an
 * absolute position. The SZ-G10 itself has no head; this lets the sim stand in for a PTZ camera.
 * Positions are computed from the clock when read, like SimulatedLens.
 */
import type { PanSpeed } from '../../protocols/pelco/index.js';

const FULL_TURN = 36000;

/** Degrees per second at a PELCO speed: 0.5 deg/s at 0, ~60 deg/s at 63, 120 deg/s turbo. */
export function degreesPerSecond(speed: PanSpeed): number {
  if (speed === 'turbo') return 120;
  return 0.5 + (Math.min(63, Math.max(0, speed)) * 59.5) / 63;
}

class PanTiltAxis {
  private origin = 0;
  private since = 0;
  /** Hundredths of a degree per ms (signed); 0 when still. */
  private rate = 0;
  /** Absolute target, when moving to one. */
  private target: number | undefined;

  constructor(private readonly wrap: boolean) {}

  /** On the reply scale: 0–35999. */
  position(now: number): number {
    return normalise(Math.round(this.rawPosition(now)));
  }

  continuous(direction: -1 | 0 | 1, speed: PanSpeed, now: number): void {
    this.origin = this.rawPosition(now);
    this.since = now;
    this.target = undefined;
    this.rate = (direction * degreesPerSecond(speed) * 100) / 1000;
  }

  moveTo(position: number, now: number): void {
    const from = this.rawPosition(now);
    let delta = position - (this.wrap ? normalise(Math.round(from)) : from);
    if (this.wrap && delta > FULL_TURN / 2) delta -= FULL_TURN;
    if (this.wrap && delta < -FULL_TURN / 2) delta += FULL_TURN;
    this.origin = from;
    this.since = now;
    this.target = from + delta;
    this.rate = delta === 0 ? 0 : (Math.sign(delta) * degreesPerSecond(63) * 100) / 1000;
  }

  /** Whether the axis is still moving: running continuously, or short of its target. */
  moving(now: number): boolean {
    if (this.rate === 0) return false;
    if (this.target === undefined) return this.wrap || Math.abs(this.rawPosition(now)) < 9000;
    return this.rawPosition(now) !== this.target;
  }

  /** Unfolded: pan may run past a full turn, tilt is held to ±90°. */
  private rawPosition(now: number): number {
    let p = this.origin + this.rate * (now - this.since);
    if (this.target !== undefined && (this.rate > 0 ? p >= this.target : p <= this.target)) p = this.target;
    return this.wrap ? p : Math.min(9000, Math.max(-9000, p));
  }
}

/** Hundredths of a degree folded onto 0–35999 (tilt below the horizon counts down from 36000). */
function normalise(p: number): number {
  return ((p % FULL_TURN) + FULL_TURN) % FULL_TURN;
}

export class PanTiltModel {
  private readonly panAxis = new PanTiltAxis(true);
  private readonly tiltAxis = new PanTiltAxis(false);

  constructor(private readonly clock: () => number = () => performance.now()) {}

  get pan(): number {
    return this.panAxis.position(this.clock());
  }

  get tilt(): number {
    return this.tiltAxis.position(this.clock());
  }

  get moving(): boolean {
    const now = this.clock();
    return this.panAxis.moving(now) || this.tiltAxis.moving(now);
  }

  move(pan: 'left' | 'right' | undefined, panSpeed: PanSpeed, tilt: 'up' | 'down' | undefined, tiltSpeed: number): void {
    const now = this.clock();
    this.panAxis.continuous(pan === 'right' ? 1 : pan === 'left' ? -1 : 0, panSpeed, now);
    this.tiltAxis.continuous(tilt === 'up' ? 1 : tilt === 'down' ? -1 : 0, tiltSpeed, now);
  }

  panTo(position: number): void {
    this.panAxis.moveTo(position, this.clock());
  }

  tiltTo(position: number): void {
    // The reply scale folds negative tilt onto 18000–35999; unfold it for the axis.
    this.tiltAxis.moveTo(position > 18000 ? position - 36000 : position, this.clock());
  }

  stop(): void {
    this.move(undefined, 0, undefined, 0);
  }
}
