/**
 * The common configuration interface of a camera's HTTP side, and the base every dialect
 * client extends. A dialect overrides the methods of the capabilities it declares; anything
 * else throws a NotSupportedError naming the dialect and the capability. `raw` reaches the
 * dialect's own API for whatever the common surface does not cover.
 */
import { NotSupportedError } from '../../../protocols/errors.js';
import type {
  Capability,
  DeviceIdentity,
  DialectName,
  FactoryDefaultOptions,
  FirmwareProgress,
  FocusMode,
  FocusRoi,
  LensMoveResult,
  LensState,
  NetworkSettings,
  OsdSettings,
  RawRequest,
  RawResponse,
} from '../../../protocols/http/common/capabilities.js';

export interface FirmwareOptions {
  onProgress?: (progress: FirmwareProgress) => void;
  /** Reset to factory defaults after a successful upgrade. */
  withFactoryReset?: boolean;
  /** Give up waiting for the upgrade after this long. Default 10 minutes. */
  timeoutMs?: number;
}

export interface LensMoveOptions {
  /**
   * Aborted (by a stop that overtook the move): the read-back ends at once, as soon as the move
   * request itself has settled, with `settled: false`. Aborting does not halt the lens: haltLens does.
   */
  signal?: AbortSignal;
}

/** What haltLens did: a dialect with a lens stop sends it; an absolute-only one re-targets the zoom where it is. */
export interface LensHalt {
  how: 'stop' | 'retarget';
  /** The zoom position the lens was halted at, when the halt read it. */
  zoom: number | undefined;
}

/** The lens operations alone: what a serial block falls back to for lens moves. */
export interface LensControl {
  lens(): Promise<LensState>;
  /** Moves the zoom and reports where it ended (read back once the lens settled). */
  zoomTo(position: number, options?: LensMoveOptions): Promise<LensMoveResult>;
  /** Moves the focus and reports where it ended (read back once the lens settled). */
  focusTo(position: number, options?: LensMoveOptions): Promise<LensMoveResult>;
  lensHome(): Promise<{ zoom: number; focus: number }>;
  /** Halts a zoom move the camera is running, now (a block's stop sends it while it zooms over HTTP). */
  haltLens(): Promise<LensHalt>;
}

export interface CameraConfig extends LensControl {
  readonly dialect: DialectName;
  readonly capabilities: ReadonlySet<Capability>;
  supports(capability: Capability): boolean;

  identity(): Promise<DeviceIdentity>;
  setFocusMode(mode: FocusMode): Promise<void>;
  setZoomAf(enabled: boolean): Promise<void>;
  onePush(roi?: FocusRoi): Promise<{ focus: number }>;
  gotoPreset(n: number): Promise<void>;
  savePreset(n: number): Promise<void>;
  image(): Promise<Record<string, unknown>>;
  setImage(changes: Record<string, unknown>): Promise<void>;
  osd(): Promise<OsdSettings>;
  setOsd(changes: OsdSettings): Promise<OsdSettings>;
  network(): Promise<NetworkSettings>;
  setNetwork(settings: NetworkSettings): Promise<void>;
  time(): Promise<Date>;
  setTime(time: Date): Promise<void>;
  alarmOutput(index: number, active: boolean): Promise<void>;
  snapshot(): Promise<Uint8Array>;
  reboot(): Promise<void>;
  factoryDefault(options?: FactoryDefaultOptions): Promise<void>;
  upgradeFirmware(image: Uint8Array, options?: FirmwareOptions): Promise<{ version?: string }>;
  ptzSerial(): Promise<Record<string, unknown>>;
  setPtzSerial(settings: Record<string, unknown>): Promise<void>;
  /** A dialect-specific call, outside the common surface. */
  raw(request: RawRequest): Promise<RawResponse>;
  /** Ends the session on the camera, for dialects that have one. */
  logout(): Promise<void>;
  close(): Promise<void>;
}

/** Every method of the common surface unsupported; a dialect overrides what it declares. */
export abstract class DialectClient implements CameraConfig {
  abstract readonly dialect: DialectName;
  abstract readonly capabilities: ReadonlySet<Capability>;

  supports(capability: Capability): boolean {
    return this.capabilities.has(capability);
  }

  /** A rejected promise (never a synchronous throw), so `.catch` callers see it too. */
  protected unsupported(capability: Capability, operation: string): Promise<never> {
    return Promise.reject(new NotSupportedError(`${operation} (capability "${capability}")`, `the ${this.dialect} dialect`, `capabilities of ${this.dialect}: ${[...this.capabilities].join(', ')}`));
  }

  lens(): Promise<LensState> { return this.unsupported('lens', 'reading the lens'); }
  zoomTo(_position: number, _options?: LensMoveOptions): Promise<LensMoveResult> { return this.unsupported('lens', 'zoom to a position'); }
  focusTo(_position: number, _options?: LensMoveOptions): Promise<LensMoveResult> { return this.unsupported('lens', 'focus to a position'); }
  lensHome(): Promise<{ zoom: number; focus: number }> { return this.unsupported('lens', 'lens home'); }
  haltLens(): Promise<LensHalt> { return this.unsupported('lens', 'halting the lens'); }
  identity(): Promise<DeviceIdentity> { return this.unsupported('identity', 'device information'); }
  setFocusMode(_mode: FocusMode): Promise<void> { return this.unsupported('focus', 'focus mode'); }
  setZoomAf(_enabled: boolean): Promise<void> { return this.unsupported('focus', 'zoom-triggered AF'); }
  onePush(_roi?: FocusRoi): Promise<{ focus: number }> { return this.unsupported('focus', 'one-push AF'); }
  gotoPreset(_n: number): Promise<void> { return this.unsupported('presets', 'recall a preset'); }
  savePreset(_n: number): Promise<void> { return this.unsupported('presets', 'save a preset'); }
  image(): Promise<Record<string, unknown>> { return this.unsupported('image', 'reading image settings'); }
  setImage(_changes: Record<string, unknown>): Promise<void> { return this.unsupported('image', 'image settings'); }
  osd(): Promise<OsdSettings> { return this.unsupported('osd', 'reading the OSD'); }
  setOsd(_changes: OsdSettings): Promise<OsdSettings> { return this.unsupported('osd', 'setting the OSD'); }
  network(): Promise<NetworkSettings> { return this.unsupported('network', 'reading the network settings'); }
  setNetwork(_settings: NetworkSettings): Promise<void> { return this.unsupported('network', 'network settings'); }
  time(): Promise<Date> { return this.unsupported('time', 'reading the clock'); }
  setTime(_time: Date): Promise<void> { return this.unsupported('time', 'setting the clock'); }
  alarmOutput(_index: number, _active: boolean): Promise<void> { return this.unsupported('events', 'alarm output'); }
  snapshot(): Promise<Uint8Array> { return this.unsupported('snapshot', 'snapshot'); }
  reboot(): Promise<void> { return this.unsupported('reboot', 'reboot'); }
  factoryDefault(_options?: FactoryDefaultOptions): Promise<void> { return this.unsupported('factory-default', 'factory default'); }
  upgradeFirmware(_image: Uint8Array, _options?: FirmwareOptions): Promise<{ version?: string }> { return this.unsupported('firmware', 'firmware upgrade'); }
  ptzSerial(): Promise<Record<string, unknown>> { return this.unsupported('ptz-serial', 'reading the PTZ serial port'); }
  setPtzSerial(_settings: Record<string, unknown>): Promise<void> { return this.unsupported('ptz-serial', 'PTZ serial port settings'); }
  async logout(): Promise<void> {}
  abstract raw(request: RawRequest): Promise<RawResponse>;
  abstract close(): Promise<void>;
}
