/**
 * The simulated lens of an SZ-G10: zoom 0–1000 (x1–x10 optical) and focus 0–10000, moving over
 * time. One instance is the single truth that both faces of a simulated block use: PELCO on the
 * UART and the REST API over HTTP see the same zoom and focus.
 *
 * Positions are computed from the clock when read, not ticked by a timer, so the model costs
 * nothing while idle and is exact at any read time (tests may pass a fake clock).
 *
 * Its optics are a magnification table (zoom position -> times), so blocks with different lenses
 * can be simulated: PELCO's magnification query answers from it.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export type FocusMode = 'auto' | 'manual' | 'macro';

export const ZOOM_MIN = 0;
export const ZOOM_MAX = 1000;
export const FOCUS_MIN = 0;
export const FOCUS_MAX = 10000;

export interface LensOptions {
  /** Milliseconds, monotonic. Default performance.now. */
  clock?: () => number;
  /** Full zoom travel (wide to tele) in ms at zoom speeds 0, 1, 2, 3. */
  zoomTravelMs?: readonly [number, number, number, number];
  /** Full focus travel in ms at focus speeds 0, 1, 2, 3. */
  focusTravelMs?: readonly [number, number, number, number];
  initialZoom?: number;
  /**
   * The lens's optics: measured `[zoom, magnification]` points over 0–1000, both strictly
   * increasing, piecewise linear between them. Default [[0, 1], [1000, 10]] (the SZ-G10's
   * x1–x10). Lets two simulated blocks carry different lenses, as a real rig does.
   */
  optics?: readonly (readonly [number, number])[];
}

export interface LensPreset {
  zoom: number;
  focus: number;
}

const LINEAR_OPTICS: readonly (readonly [number, number])[] = [
  [ZOOM_MIN, 1],
  [ZOOM_MAX, 10],
];

const DEFAULT_ZOOM_TRAVEL = [6000, 4000, 2500, 1500] as const;
const DEFAULT_FOCUS_TRAVEL = [4000, 2500, 1500, 800] as const;

/** A position on [min, max] moving linearly toward a target at a fixed rate. */
class Axis {
  private from: number;
  private target: number;
  private startedAt = 0;
  private unitsPerMs = 0;

  constructor(
    readonly min: number,
    readonly max: number,
    initial: number,
  ) {
    this.from = initial;
    this.target = initial;
  }

  position(now: number): number {
    if (this.from === this.target) return this.target;
    const travelled = this.unitsPerMs * (now - this.startedAt);
    const distance = Math.abs(this.target - this.from);
    if (travelled >= distance) return this.target;
    return Math.round(this.from + Math.sign(this.target - this.from) * travelled);
  }

  targetPosition(): number {
    return this.target;
  }

  moving(now: number): boolean {
    return this.position(now) !== this.target;
  }

  /** Starts toward target from wherever the axis is now; returns the travel time in ms. */
  moveTo(target: number, unitsPerMs: number, now: number): number {
    this.from = this.position(now);
    this.target = Math.min(this.max, Math.max(this.min, Math.round(target)));
    this.startedAt = now;
    this.unitsPerMs = unitsPerMs;
    return Math.abs(this.target - this.from) / unitsPerMs;
  }

  stop(now: number): void {
    this.from = this.target = this.position(now);
  }
}

export class SimulatedLens {
  private readonly clock: () => number;
  private readonly zoomTravelMs: readonly number[];
  private readonly focusTravelMs: readonly number[];
  private readonly zoomAxis: Axis;
  private readonly focusAxis: Axis;
  private readonly presets = new Map<number, LensPreset>();
  /** The optics table, zoom -> magnification. */
  readonly optics: readonly (readonly [number, number])[];
  private mode: FocusMode = 'auto';
  private zoomAf = true;
  private zoomSpeedValue = 3;
  private focusSpeedValue = 3;

  constructor(options: LensOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.zoomTravelMs = options.zoomTravelMs ?? DEFAULT_ZOOM_TRAVEL;
    this.focusTravelMs = options.focusTravelMs ?? DEFAULT_FOCUS_TRAVEL;
    this.optics = checkOptics(options.optics ?? LINEAR_OPTICS);
    const zoom = options.initialZoom ?? ZOOM_MIN;
    this.zoomAxis = new Axis(ZOOM_MIN, ZOOM_MAX, zoom);
    this.focusAxis = new Axis(FOCUS_MIN, FOCUS_MAX, this.inFocusPosition(zoom));
  }

  get zoom(): number {
    return this.zoomAxis.position(this.clock());
  }

  get focus(): number {
    return this.focusAxis.position(this.clock());
  }

  /** Optical magnification now, through the optics (default 1.0–10.0). */
  get magnification(): number {
    return lookup(this.optics, 0, this.zoom);
  }

  /** Absolute zoom to an optical magnification (the inverse of `magnification`; clamped to the optics' range). */
  magnifyTo(times: number): number {
    return this.zoomTo(lookup(this.optics, 1, times));
  }

  get moving(): boolean {
    const now = this.clock();
    return this.zoomAxis.moving(now) || this.focusAxis.moving(now);
  }

  get focusMode(): FocusMode {
    return this.mode;
  }

  get zoomAfEnabled(): boolean {
    return this.zoomAf;
  }

  get zoomSpeed(): number {
    return this.zoomSpeedValue;
  }

  get focusSpeed(): number {
    return this.focusSpeedValue;
  }

  /** Zoom speed 0 (slowest) – 3 (fastest), as PELCO 0x25 sets it. */
  setZoomSpeed(speed: number): void {
    this.zoomSpeedValue = clampSpeed(speed);
  }

  /** Focus speed 0–3, as PELCO 0x27 sets it. */
  setFocusSpeed(speed: number): void {
    this.focusSpeedValue = clampSpeed(speed);
  }

  setFocusMode(mode: FocusMode): void {
    this.mode = mode;
    if (mode !== 'manual') this.autoFocus(this.zoomAxis.targetPosition());
  }

  setZoomAf(enabled: boolean): void {
    this.zoomAf = enabled;
  }

  /** Absolute zoom; returns the travel time in ms. In auto focus (or with zoom-AF) focus follows. */
  zoomTo(target: number, speed = this.zoomSpeedValue): number {
    const travel = this.zoomAxis.moveTo(target, this.zoomRate(speed), this.clock());
    if (this.mode !== 'manual' || this.zoomAf) this.autoFocus(this.zoomAxis.targetPosition());
    return travel;
  }

  /** Continuous zoom toward tele or wide until stopped (or the end stop). */
  zoomContinuous(direction: 'tele' | 'wide'): void {
    this.zoomTo(direction === 'tele' ? ZOOM_MAX : ZOOM_MIN);
  }

  /** Absolute focus; returns the travel time in ms. Callers enforce "manual mode only" where the API does. */
  focusTo(target: number, speed = this.focusSpeedValue): number {
    const travel = this.focusAxis.moveTo(target, this.focusRate(speed), this.clock());
    return travel;
  }

  focusContinuous(direction: 'near' | 'far'): void {
    this.focusTo(direction === 'far' ? FOCUS_MAX : FOCUS_MIN);
  }

  stopZoom(): void {
    const now = this.clock();
    this.zoomAxis.stop(now);
    // Auto focus settles on the position the zoom stopped at.
    if (this.mode !== 'manual' || this.zoomAf) this.autoFocus(this.zoomAxis.targetPosition());
  }

  stopFocus(): void {
    this.focusAxis.stop(this.clock());
  }

  stop(): void {
    this.stopZoom();
    this.stopFocus();
  }

  /** One-push AF (optionally on a focus area); returns the focus position it settles on. */
  onePush(_roi?: { left: number; top: number; right: number; bottom: number }): number {
    const target = this.inFocusPosition(this.zoomAxis.targetPosition());
    this.focusTo(target, 3);
    return target;
  }

  /** Lens initialisation: zoom to wide at full speed, focus re-found. Returns the travel time in ms. */
  home(): number {
    const travel = this.zoomAxis.moveTo(ZOOM_MIN, this.zoomRate(3), this.clock());
    this.focusAxis.moveTo(this.inFocusPosition(ZOOM_MIN), this.focusRate(3), this.clock());
    return travel;
  }

  /** Stores the current (target) zoom and focus as preset n. */
  savePreset(n: number): void {
    this.presets.set(n, { zoom: this.zoomAxis.targetPosition(), focus: this.focusAxis.targetPosition() });
  }

  clearPreset(n: number): boolean {
    return this.presets.delete(n);
  }

  /** Moves to preset n at full speed; returns the travel time in ms, or undefined if n is not set. */
  recallPreset(n: number): number | undefined {
    const preset = this.presets.get(n);
    if (!preset) return undefined;
    const now = this.clock();
    const zoomTravel = this.zoomAxis.moveTo(preset.zoom, this.zoomRate(3), now);
    const focusTravel = this.focusAxis.moveTo(preset.focus, this.focusRate(3), now);
    return Math.max(zoomTravel, focusTravel);
  }

  /** Where focus is sharp for a zoom position (the simulated scene: a subject at a fixed distance). */
  inFocusPosition(zoom: number): number {
    const base = this.mode === 'macro' ? 1000 : 3000;
    return Math.round(base + 5 * zoom);
  }

  private autoFocus(zoomTarget: number): void {
    this.focusAxis.moveTo(this.inFocusPosition(zoomTarget), this.focusRate(3), this.clock());
  }

  private zoomRate(speed: number): number {
    return (ZOOM_MAX - ZOOM_MIN) / this.zoomTravelMs[clampSpeed(speed)]!;
  }

  private focusRate(speed: number): number {
    return (FOCUS_MAX - FOCUS_MIN) / this.focusTravelMs[clampSpeed(speed)]!;
  }
}

function clampSpeed(speed: number): number {
  return Math.min(3, Math.max(0, Math.round(speed)));
}

/** Piecewise-linear lookup along column `from` (clamped to the table's ends), answering in the other column. */
function lookup(table: readonly (readonly [number, number])[], from: 0 | 1, value: number): number {
  const to = from === 0 ? 1 : 0;
  const first = table[0]!;
  const last = table[table.length - 1]!;
  if (value <= first[from]) return first[to];
  if (value >= last[from]) return last[to];
  let i = 1;
  while (table[i]![from] < value) i++;
  const a = table[i - 1]!;
  const b = table[i]!;
  return a[to] + ((value - a[from]) / (b[from] - a[from])) * (b[to] - a[to]);
}

function checkOptics(table: readonly (readonly [number, number])[]): readonly (readonly [number, number])[] {
  const ok =
    Array.isArray(table) &&
    table.length >= 2 &&
    table.every(
      (p, i) => Array.isArray(p) && Number.isFinite(p[0]) && p[0] >= ZOOM_MIN && p[0] <= ZOOM_MAX && p[1] > 0 && (i === 0 || (p[0] > table[i - 1]![0] && p[1] > table[i - 1]![1])),
    );
  if (!ok) throw new InvalidArgumentError('optics', table, `[zoom ${ZOOM_MIN}–${ZOOM_MAX}, magnification > 0] points, at least 2, both strictly increasing`);
  return Object.freeze(table.map(([zoom, times]) => Object.freeze([zoom, times] as const)));
}
