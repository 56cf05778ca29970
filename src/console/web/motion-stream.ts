/**
 * Joins the console's motion inputs (virtual stick, rockers, keys, gamepads) into one stream of
 * WebSocket moves for the selected target. While anything is held a move goes out at once on each
 * change and then every `everyMs` (that renews the service's dead-man lease); when everything is
 * released one stop goes out. Each input is a named source; per axis the strongest source wins.
 * A stop (stopNow) wins over what is still held: an input held at the stop moves nothing until
 * it has been let go (a gamepad stick still deflected when Stop is pressed must not start the
 * camera again on the next poll).
 */
import type { Axes, MoveAxis } from './mapping.js';

export type MoveMessage = { type: 'move'; target: string } & Axes;
export type StopMessage = { type: 'stop'; target: string };

export class MotionStream {
  private readonly sources = new Map<string, Axes>();
  /** Inputs held at the last stopNow: ignored until they report all-zero (released). */
  private readonly latched = new Set<string>();
  private target: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = '';

  constructor(
    private readonly send: (message: MoveMessage | StopMessage) => void,
    private readonly everyMs = 100,
  ) {}

  get moving(): boolean {
    return this.timer !== undefined;
  }

  /** A new target: whatever moved the old one stops first. */
  setTarget(target: string | undefined): void {
    if (target === this.target) return;
    if (this.moving) this.halt();
    this.target = target;
    this.update();
  }

  /** What one input asks for now; all zero (or {}) releases it. */
  set(source: string, axes: Axes): void {
    if (this.latched.has(source)) {
      if (isHeld(axes)) return; // still held since the stop
      this.latched.delete(source);
    }
    this.sources.set(source, axes);
    this.update();
  }

  /** Stop at once and forget every held input (space bar, stop button, gamepad stop); each stays ignored until let go. */
  stopNow(): void {
    for (const [source, axes] of this.sources) if (isHeld(axes)) this.latched.add(source);
    this.sources.clear();
    this.halt();
  }

  private combined(): Axes {
    const out: Axes = {};
    for (const axes of this.sources.values()) {
      for (const [axis, value] of Object.entries(axes) as [MoveAxis, number][]) {
        if (value !== 0 && Math.abs(value) > Math.abs(out[axis] ?? 0)) out[axis] = Math.max(-1, Math.min(1, value));
      }
    }
    return out;
  }

  private update(): void {
    const axes = this.combined();
    const held = Object.keys(axes).length > 0;
    if (!this.target) return;
    if (!held) {
      if (this.moving) this.halt();
      return;
    }
    const key = JSON.stringify(axes);
    if (key !== this.last || !this.moving) this.emitMove(axes);
    this.last = key;
    if (!this.timer) this.timer = setInterval(() => this.emitMove(this.combined()), this.everyMs);
  }

  private emitMove(axes: Axes): void {
    if (this.target) this.send({ type: 'move', target: this.target, ...round(axes) });
  }

  private halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.last = '';
    if (this.target) this.send({ type: 'stop', target: this.target });
  }
}

const isHeld = (axes: Axes): boolean => Object.values(axes).some((v) => v !== 0 && v !== undefined);

function round(axes: Axes): Axes {
  const out: Axes = {};
  for (const [axis, value] of Object.entries(axes) as [MoveAxis, number][]) out[axis] = Math.round(value * 1000) / 1000;
  return out;
}
