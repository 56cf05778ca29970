/**
 * ZoomBlock: one physical zoom block, its serial side (PELCO through the line's BusScheduler)
 * and, when it has one, its HTTP side (`config`, a CameraConfig) in one object.
 *
 * Every command enqueues its frame synchronously, before the returned promise exists, and its
 * report carries the scheduler's 'sent' time of that frame. Soft limits act before any frame is
 * built. Lens operations the HTTP dialect can do (absolute zoom, position reads) take the HTTP
 * path while the serial side is unusable (see fallback.ts); everything else is serial only.
 *
 * @example
 *   const block = new ZoomBlock({ name: 'left', address: 1, bus, line, http: openCamera(...) });
 *   block.on('state', (s) => console.log(s.path, s.online, s.zoom?.value));
 *   const report = await block.zoomTo(700);   // { path: 'serial', sentAt, value: 700 }
 *   await block.stop();
 */
import { EventEmitter } from 'node:events';
import type { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import type { FrameLine } from '../../hardware/serial/frame-line.js';
import { CancelledError, InvalidArgumentError, LineClosedError, NotSupportedError, type ZoomsyncError } from '../../protocols/errors.js';
import type { LensMoveResult } from '../../protocols/http/common/capabilities.js';
import {
  type AutoMode,
  type DeviceProfile,
  encode,
  type MoveCommand,
  type PelcoCommand,
  isQuery,
  isReply,
  type QueryKind,
  startsMotion,
} from '../../protocols/pelco/index.js';
import type { BlockControl, BlockState, CommandReport, HttpHaltOutcome, LensPath, PositionReading } from './block-api.js';
import { type FallbackOptions, LensPathMonitor } from './fallback.js';
import type { CameraConfig } from './http/dialect.js';
import { SentFrameWatcher } from './sent-frames.js';
import { type CalibrationTableProblem, calibrationTableProblems, ZoomCalibration } from '../sync/calibration.js';
import { applyZoomLimit, type LimitMode, zoomLimits } from './soft-limits.js';

export type Calibration = readonly (readonly [number, number])[];

export interface ZoomBlockOptions {
  name: string;
  /** PELCO camera number on its line. */
  address: number;
  /** The scheduler of the block's line (shared with the other blocks on it); its dialect and profile are the block's. */
  bus: BusScheduler;
  /** The line the scheduler drives (its open/close tell the block when the serial side is down). */
  line: FrameLine;
  /** The HTTP side, when the block has one: reached as `block.config`, and the lens fallback. */
  http?: CameraConfig;
  /** Soft limits, in the profile's user scale. Default: the profile's whole zoom range. */
  limits?: { zoom?: readonly [number, number] };
  /** What a position outside the soft limits gets: 'clamp' (default) or 'refuse' (SoftLimitError). */
  limitMode?: LimitMode;
  /** Raw zoom -> magnification points, both strictly increasing. */
  calibration?: Calibration;
  fallback?: FallbackOptions;
}

export interface ZoomBlockEvents {
  /** Anything in `state` changed. */
  state: [state: BlockState];
  /** Lens operations changed path. */
  path: [path: LensPath];
  online: [online: boolean];
  /** A serial query was answered: ms from asking to the answer (queue wait, retries and wire included). */
  reply: [latencyMs: number];
  /** A lens call over the camera's HTTP API ended (zoomTo, focusTo, lens, haltLens): the fallback path. */
  http: [call: string, outcome: 'ok' | 'error'];
}

type Axis = 'zoom' | 'focus' | 'pan' | 'tilt';

export class ZoomBlock extends EventEmitter<ZoomBlockEvents> implements BlockControl {
  readonly name: string;
  readonly address: number;
  readonly profile: DeviceProfile;
  readonly zoomRange: readonly [number, number];
  readonly calibration: Calibration | undefined;
  /** The HTTP side (OSD, network, ROI, firmware, identity …), or undefined when the block has none. */
  readonly config: CameraConfig | undefined;
  private readonly bus: BusScheduler;
  private readonly line: FrameLine;
  private readonly limitMode: LimitMode;
  private readonly watcher: SentFrameWatcher;
  private readonly monitor: LensPathMonitor;
  private readonly positions: Partial<Record<Axis, PositionReading>> = {};
  private movingNow = false;
  /** HTTP zooms of this block still running (request or read-back): stop() aborts them. */
  private readonly httpMoves = new Set<AbortController>();
  /** A continuous move is running (only a stop ends it). */
  private continuous = false;
  private httpOk = true;
  private last: string;
  private closed = false;
  private readonly onLineClose = (): void => {
    this.watcher.failMoves(this.address, this.lineClosedError());
    this.watcher.holdStops(this.address);
  };

  /** Throws InvalidArgumentError naming the first bad option. */
  constructor(options: ZoomBlockOptions) {
    super();
    if (typeof options.name !== 'string' || options.name === '') throw new InvalidArgumentError('block name', options.name, 'a non-empty string');
    this.name = options.name;
    if (!options.bus || typeof options.bus.send !== 'function') throw new InvalidArgumentError(`bus of block ${this.name}`, typeof options.bus, 'the BusScheduler of its line');
    if (!options.line || typeof options.line.on !== 'function') throw new InvalidArgumentError(`line of block ${this.name}`, typeof options.line, 'the SerialLine (FrameLine) its scheduler drives');
    this.bus = options.bus;
    this.line = options.line;
    this.profile = options.bus.profile;
    this.address = options.address;
    encode({ kind: 'stop' }, { dialect: this.bus.dialect, address: this.address, profile: this.profile }); // throws on a bad address
    this.zoomRange = zoomLimits(this.name, options.limits?.zoom, this.profile.zoomPositionMax);
    this.limitMode = options.limitMode ?? 'clamp';
    if (this.limitMode !== 'clamp' && this.limitMode !== 'refuse') throw new InvalidArgumentError(`limitMode of block ${this.name}`, this.limitMode, '"clamp" or "refuse"');
    this.calibration = options.calibration && checkCalibration(this.name, options.calibration);
    this.config = options.http;
    this.watcher = SentFrameWatcher.for(this.bus);
    const httpLens = this.config?.supports('lens') ?? false;
    this.monitor = new LensPathMonitor(this.line, () => this.bus.query(this.address, 'query-zoom'), httpLens, options.fallback);
    this.monitor.on('path', (path) => {
      this.emit('path', path);
      this.changed();
    });
    this.monitor.on('serial', () => this.changed());
    this.line.on('close', this.onLineClose);
    this.last = this.fingerprint();
  }

  /** The path lens operations take now. */
  get path(): LensPath {
    return this.monitor.path;
  }

  /** Serial side usable, or (on the HTTP path) the HTTP side answered last time. */
  get online(): boolean {
    return this.monitor.path === 'http' ? this.httpOk : this.monitor.serialUsable;
  }

  get moving(): boolean {
    return this.movingNow;
  }

  get state(): BlockState {
    return { name: this.name, online: this.online, path: this.path, moving: this.movingNow, ...this.positions };
  }

  // --- motion ----------------------------------------------------------------------------

  /** Continuous pan/tilt/zoom/focus/iris (serial only: no HTTP dialect moves continuously). */
  move(command: Omit<MoveCommand, 'kind'>): Promise<CommandReport> {
    return this.serial({ ...command, kind: 'move' });
  }

  /**
   * Stop, ahead of everything queued for this block. Always goes to the serial side; with the
   * line down the scheduler keeps it and sends it first on reopen (the report says
   * heldForReopen). While lens operations take the HTTP path, or an HTTP zoom of this block is
   * still running, the lens is also halted over HTTP (the dialect's haltLens: a lens stop, or
   * the zoom re-targeted where it is) and the report says which paths carried the stop.
   */
  stop(): Promise<CommandReport> {
    const http = this.path === 'http' || this.httpMoves.size > 0 ? this.lensConfig() : undefined;
    for (const move of this.httpMoves) move.abort(); // each ends reporting it was stopped (httpZoomTo)
    const serial = this.serial({ kind: 'stop' });
    if (!http) return serial;
    return Promise.all([serial, this.haltOverHttp(http)]).then(([report, halt]) => ({
      ...report,
      carriedBy: halt.problem === undefined ? ['serial', 'http'] : ['serial'],
      httpHalt: halt,
    }));
  }

  /** Absolute zoom in the profile's user scale (sz-g10: 0–1000), after soft limits; HTTP when serial is unusable. */
  zoomTo(raw: number): Promise<CommandReport> {
    let limited: { value: number; limited?: string };
    try {
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new InvalidArgumentError(`zoom of block ${this.name}`, raw, `an integer 0–${this.profile.zoomPositionMax}`);
      limited = applyZoomLimit(this.name, raw, this.zoomRange, this.limitMode);
    } catch (error) {
      return Promise.reject(error);
    }
    const extra = { value: limited.value, ...(limited.limited !== undefined && { limited: limited.limited }) };
    if (this.path === 'http') return this.httpZoomTo(extra);
    return this.serial({ kind: 'set-zoom', position: limited.value }, extra).catch((error: unknown) => {
      // the line went down between the call and the frame: the HTTP side can still carry it
      if (isCode(error, 'ZS_LINE_CLOSED') && this.monitor.httpLens) return this.httpZoomTo(extra);
      throw error;
    });
  }

  /** Absolute focus: only the HTTP side has it (PELCO has no focus position). */
  focusTo(position: number): Promise<PositionReading> {
    const http = this.lensConfig();
    if (!http) return Promise.reject(this.noHttp('absolute focus'));
    return this.viaHttp('focusTo', http.focusTo(position)).then((result) => {
      if (result.reached === undefined) throw new NotSupportedError(`reading the focus back (${result.problem ?? 'unknown'})`, `block ${this.name}`);
      return this.record('focus', result.reached, 'http');
    });
  }

  panTo(position: number): Promise<CommandReport> {
    return this.serial({ kind: 'set-pan', position }, { value: position });
  }

  tiltTo(position: number): Promise<CommandReport> {
    return this.serial({ kind: 'set-tilt', position }, { value: position });
  }

  // --- presets and settings --------------------------------------------------------------

  setPreset(preset: number): Promise<CommandReport> {
    return this.serial({ kind: 'preset-set', preset }, { value: preset });
  }

  clearPreset(preset: number): Promise<CommandReport> {
    return this.serial({ kind: 'preset-clear', preset }, { value: preset });
  }

  gotoPreset(preset: number): Promise<CommandReport> {
    return this.serial({ kind: 'preset-goto', preset }, { value: preset });
  }

  zoomSpeed(speed: number): Promise<CommandReport> {
    return this.serial({ kind: 'zoom-speed', speed }, { value: speed });
  }

  focusSpeed(speed: number): Promise<CommandReport> {
    return this.serial({ kind: 'focus-speed', speed }, { value: speed });
  }

  focusMode(mode: AutoMode): Promise<CommandReport> {
    return this.serial({ kind: 'auto-focus', mode });
  }

  irisMode(mode: AutoMode): Promise<CommandReport> {
    return this.serial({ kind: 'auto-iris', mode });
  }

  /** Backlight compensation on or off (PELCO 0x31; the profile's table gives the value). */
  backlight(on: boolean): Promise<CommandReport> {
    return this.serial({ kind: 'backlight', on });
  }

  /**
   * Any PELCO command that is not a query: those with a method of their own go through it (a
   * stop ahead of the queue, soft limits and the HTTP fallback for set-zoom), the rest (camera
   * power, aux, OSD text, patterns, scans …) go serial. Queries are read* (they return a value).
   */
  send(command: PelcoCommand): Promise<CommandReport> {
    switch (command.kind) {
      case 'stop':
        return this.stop();
      case 'move': {
        const { kind: _kind, ...move } = command;
        return this.move(move);
      }
      case 'set-zoom':
        return this.zoomTo(command.position);
    }
    if (isQuery(command) || isReply(command)) {
      return Promise.reject(new InvalidArgumentError(`command for block ${this.name}`, command.kind, 'a command to send (queries are readZoom/readPan/readTilt; replies come from the camera)'));
    }
    return this.serial(command);
  }

  // --- positions ---------------------------------------------------------------------------

  /** The zoom position (user scale): a serial query, or the HTTP lens state while serial is unusable. */
  readZoom(): Promise<PositionReading> {
    if (this.path === 'http') return this.httpReadZoom();
    return this.query('zoom', 'query-zoom').catch((error: unknown) => {
      if (this.path === 'http') return this.httpReadZoom(); // this failure was the one that switched
      throw error;
    });
  }

  /** The focus position: only the HTTP side reports it. */
  readFocus(): Promise<PositionReading> {
    const http = this.lensConfig();
    if (!http) return Promise.reject(this.noHttp('reading the focus'));
    return this.viaHttp('lens', http.lens()).then((lens) => {
      this.record('zoom', lens.zoom, 'http');
      return this.record('focus', lens.focus, 'http');
    });
  }

  readPan(): Promise<PositionReading> {
    return this.query('pan', 'query-pan');
  }

  readTilt(): Promise<PositionReading> {
    return this.query('tilt', 'query-tilt');
  }

  /** Stops listening to the line (the registry calls it on close). Pending reports fail with ZS_CANCELLED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.monitor.dispose();
    this.line.off('close', this.onLineClose);
    this.watcher.failAll(this.address, new CancelledError(`block ${this.name} was closed before its frame was sent`));
  }

  // --- serial ------------------------------------------------------------------------------

  /**
   * Enqueues one command (synchronously) and resolves with its report once the scheduler has
   * handed the frame to the line.
   */
  private serial(command: PelcoCommand, extra: Partial<CommandReport> = {}): Promise<CommandReport> {
    let bytes: Uint8Array;
    try {
      bytes = encode(command, { dialect: this.bus.dialect, address: this.address, profile: this.profile });
    } catch (error) {
      return Promise.reject(error);
    }
    const isStop = command.kind === 'stop';
    if (isStop || command.kind === 'move') {
      // the scheduler replaces this block's unsent move with the new one (or cancels it for a stop)
      this.watcher.failMoves(this.address, new CancelledError(`a newer ${command.kind} of block ${this.name} replaced this move before it was sent`));
    }
    if (command.kind === 'move' && !this.line.isOpen) return Promise.reject(this.lineClosedError()); // a move is dropped, not kept
    const expectation = this.watcher.expect(this.address, bytes, isStop ? 'stop' : command.kind === 'move' ? 'move' : 'other');
    try {
      if (isStop) {
        this.bus.stop(this.address);
        if (!this.line.isOpen) this.watcher.holdStops(this.address);
      } else if (command.kind === 'move') {
        this.bus.move(this.address, command);
      } else {
        this.bus.send(this.address, command).catch((error: ZoomsyncError) => expectation.fail(error));
      }
    } catch (error) {
      expectation.fail(error as ZoomsyncError);
    }
    return expectation.sent.then((sentAt) => {
      this.afterSent(command);
      return { block: this.name, path: 'serial', sentAt, ...extra, ...(sentAt === undefined && { heldForReopen: true }) };
    });
  }

  private query(axis: Axis, kind: QueryKind): Promise<PositionReading> {
    const asked = performance.now();
    return this.bus.query(this.address, kind).then(
      (value) => {
        this.emit('reply', performance.now() - asked);
        this.monitor.answered();
        return this.record(axis, value, 'serial');
      },
      (error: unknown) => {
        this.monitor.failed(error);
        throw error;
      },
    );
  }

  private afterSent(command: PelcoCommand): void {
    if (command.kind === 'stop') {
      this.continuous = false;
      this.setMoving(false);
    } else if (startsMotion(command)) {
      this.continuous = command.kind === 'move';
      this.setMoving(true);
    } else if (command.kind === 'move') {
      this.continuous = false; // a move with no axis is the standard "all stop"
      this.setMoving(false);
    }
  }

  // --- http ----------------------------------------------------------------------------------

  /**
   * The zoom over HTTP, abortable by stop(). A move a stop overtook fails with a CancelledError
   * once its request settled (answered, failed or timed out), after the lens was halted again:
   * a camera that processed the request after the stop's own halt must not keep moving.
   */
  private async httpZoomTo(extra: { value: number; limited?: string }): Promise<CommandReport> {
    const http = this.lensConfig();
    if (!http) throw this.noHttp('absolute zoom');
    const move = new AbortController();
    this.httpMoves.add(move);
    this.setMoving(true);
    let result: LensMoveResult;
    try {
      result = await this.viaHttp('zoomTo', http.zoomTo(extra.value, { signal: move.signal }));
    } catch (error) {
      if (move.signal.aborted) throw await this.overtaken(http, extra.value, error);
      throw error;
    } finally {
      this.httpMoves.delete(move);
    }
    if (move.signal.aborted) throw await this.overtaken(http, extra.value);
    if (result.reached !== undefined) this.record('zoom', result.reached, 'http');
    this.setMoving(!result.settled);
    return { block: this.name, path: 'http', sentAt: undefined, ...extra };
  }

  /** The halt again, after a stop overtook an HTTP zoom to `target`; the error that move ends with. */
  private async overtaken(http: CameraConfig, target: number, failure?: unknown): Promise<CancelledError> {
    const halt = await this.haltOverHttp(http);
    const outcome = halt.problem ?? (halt.zoom === undefined ? 'the lens was halted again' : `the lens was halted again at ${halt.zoom}`);
    return new CancelledError(`a stop of block ${this.name} overtook its HTTP zoom to ${target}: ${outcome}`, failure === undefined ? undefined : { cause: failure });
  }

  /** haltLens, never rejecting: a failed halt is reported (the serial stop went or is held anyway). */
  private haltOverHttp(http: CameraConfig): Promise<HttpHaltOutcome> {
    return this.viaHttp('haltLens', http.haltLens()).then(
      (halt) => {
        this.setMoving(false);
        if (halt.zoom === undefined) return {};
        this.record('zoom', halt.zoom, 'http');
        return { zoom: halt.zoom };
      },
      (error: unknown) => ({ problem: `the lens could not be halted over HTTP (${(error as Error).message}); it may still be moving — stop it again` }),
    );
  }

  private httpReadZoom(): Promise<PositionReading> {
    const http = this.lensConfig();
    if (!http) return Promise.reject(this.noHttp('reading the zoom'));
    return this.viaHttp('lens', http.lens()).then((lens) => {
      this.record('focus', lens.focus, 'http');
      return this.record('zoom', lens.zoom, 'http');
    });
  }

  /**
   * One lens call over the camera's HTTP API: tracks whether the HTTP side answers (the block's
   * `online` while on the HTTP path) and tells the 'http' event (`call` names it).
   */
  private viaHttp<T>(call: string, request: Promise<T>): Promise<T> {
    return request.then(
      (value) => {
        this.httpOk = true;
        this.changed();
        this.emit('http', call, 'ok');
        return value;
      },
      (error: unknown) => {
        this.httpOk = false;
        this.changed();
        this.emit('http', call, 'error');
        throw error;
      },
    );
  }

  private lensConfig(): CameraConfig | undefined {
    return this.config?.supports('lens') ? this.config : undefined;
  }

  private noHttp(what: string): NotSupportedError {
    return new NotSupportedError(
      what,
      this.config ? `the ${this.config.dialect} HTTP side of block ${this.name}` : `block ${this.name} without an HTTP side`,
      this.config ? undefined : 'give the block an http: face in the rig file',
    );
  }

  // --- state -------------------------------------------------------------------------------

  private record(axis: Axis, value: number, path: LensPath): PositionReading {
    const reading: PositionReading = { value, at: performance.now(), path };
    const previous = this.positions[axis];
    this.positions[axis] = reading;
    // the same zoom twice in a row after an absolute move: it has arrived
    if (axis === 'zoom' && previous?.value === value && !this.continuous) this.movingNow = false;
    this.changed(true);
    return reading;
  }

  private setMoving(moving: boolean): void {
    this.movingNow = moving;
    this.changed();
  }

  /** Emits 'state' (and 'online') when something changed; a new reading is always a change. */
  private changed(reading = false): void {
    const now = this.fingerprint();
    if (now === this.last && !reading) return;
    const wasOnline = this.last.startsWith('1');
    this.last = now;
    if (wasOnline !== this.online) this.emit('online', this.online);
    this.emit('state', this.state);
  }

  private fingerprint(): string {
    return `${this.online ? 1 : 0}${this.path}${this.movingNow ? 1 : 0}`;
  }

  private lineClosedError(): LineClosedError {
    return new LineClosedError(this.line.name, `serial line ${this.line.name} of block ${this.name} is down; the command was not sent (it reopens by itself when the port returns)`);
  }
}

function isCode(error: unknown, code: ZoomsyncError['code']): boolean {
  return (error as ZoomsyncError | undefined)?.code === code;
}

/** The table through ZoomCalibration's own checks (one set of rules), with the block named in the error. */
function checkCalibration(block: string, points: Calibration): Calibration {
  let problem: CalibrationTableProblem | undefined;
  if (!Array.isArray(points)) problem = { index: -1, part: undefined, message: 'not a list of points' };
  else problem = calibrationTableProblems(points)[0];
  if (problem) {
    const where = problem.index < 0 ? '' : `point ${problem.index}: `;
    throw new InvalidArgumentError(`calibration of block ${block}`, points, '[raw zoom, magnification] pairs, both strictly increasing', `${where}${problem.message}`);
  }
  return new ZoomCalibration(points).points;
}
