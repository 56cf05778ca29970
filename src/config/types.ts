/**
 * The loaded rig: what later modules (the line registry, ZoomBlock, sync groups) build from.
 * Every default is filled and every cross-reference has been checked, so a consumer trusts it.
 * Plain frozen data: it prints as JSON and carries no secrets (a password is only a source here;
 * resolvePassword reads it when a camera is opened).
 *
 * Word choice: the file says `dialect` both for PELCO D/P and for a camera's HTTP API. Here the
 * first is `pelcoDialect` and the second stays `http.dialect`, so the two never meet in one name.
 */
import type { DialectName } from '../../protocols/http/common/capabilities.js';
import type { DeviceProfile, Dialect } from '../../protocols/pelco/index.js';
import type { DirectionControl } from '../../hardware/serial/line-options.js';
import type { GpioPinMap } from '../../hardware/gpio/pin-map.js';
import type { RuleConfig } from '../rules/types.js';
import type { CalibrationPoint } from '../sync/calibration.js';

export interface RigConfig {
  /** The file it came from, when it came from one. */
  readonly file: string | undefined;
  readonly lines: readonly LineConfig[];
  readonly blocks: readonly BlockConfig[];
  readonly groups: readonly GroupConfig[];
  /** The GPIO board's port and pin map (gpioPinMapSchema's output, defaults filled); undefined without a gpio: section. */
  readonly gpio: GpioPinMap | undefined;
  /** Events -> actions (src/rules); empty without a rules: section. */
  readonly rules: readonly RuleConfig[];
}

/** One serial line, with SerialLine's defaults filled (by SerialLine's own resolveLineOptions). */
export interface LineConfig {
  readonly name: string;
  /** Device path, e.g. /dev/ttyUSB0. */
  readonly port: string;
  readonly baudRate: number;
  readonly direction: DirectionControl['mode'];
  /** With rts or gpio direction: transmit hold after the last byte, ms (0 with auto). */
  readonly turnaroundMs: number;
}

export interface BlockConfig {
  readonly name: string;
  /** Name of its line (one of RigConfig.lines). */
  readonly line: string;
  /** PELCO camera number. */
  readonly address: number;
  readonly pelcoDialect: Dialect;
  readonly profile: DeviceProfile;
  readonly http: HttpFaceConfig | undefined;
  readonly limits: BlockLimits;
  /** Measured [raw zoom, magnification] points (ZoomCalibration builds from them); undefined when not calibrated. */
  readonly calibration: readonly CalibrationPoint[] | undefined;
}

export interface BlockLimits {
  /** [lowest, highest] raw zoom position; the profile's whole range when the file gives none. */
  readonly zoom: readonly [number, number];
}

export interface HttpFaceConfig {
  readonly url: string;
  /** The camera's HTTP API family. */
  readonly dialect: DialectName;
  readonly user: string;
  readonly password: PasswordSource;
}

/**
 * Where a camera password is read from. `at` is the key's path in the rig file, so an error
 * when it is read points at the line to fix.
 */
export type PasswordSource =
  | { readonly from: 'env'; readonly variable: string; readonly at: string }
  | { readonly from: 'file'; /** Absolute (a relative path in the file is taken from the rig file's folder). */ readonly file: string; readonly at: string };

export interface GroupConfig {
  readonly name: string;
  /** Block names, in the file's order. */
  readonly members: readonly string[];
  /** One of members: the one given, or the first member. */
  readonly leader: string;
  /** Followers track the leader's zoom; undefined when the group only moves together on command. */
  readonly track: TrackConfig | undefined;
}

export interface TrackConfig {
  /** Follower updates per second. */
  readonly hz: number;
  /** Raw zoom steps a follower may be off before it is moved. */
  readonly deadband: number;
}
