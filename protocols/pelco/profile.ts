/**
 * What real devices disagree on, kept out of the codec.
 *
 * pelco.md records several conventions that differ between devices and between editions of the
 * Pelco tables. Each one is a field here, so the codec never guesses.
 */

export interface DeviceProfile {
  readonly name: string;
  /** PELCO-P wire byte of camera 1: 0 under the usual convention (camera 1 = 0x00), 1 on devices that count from 1. */
  readonly pelcoPAddressBase: 0 | 1;
  /** Highest camera number addressable in PELCO-P (256 with base 0: the address byte runs 0x00–0xFF). */
  readonly pelcoPMaxCamera: number;
  /** Whether PELCO-D address 0xFF means "all cameras". */
  readonly broadcastAddress: boolean;
  /** Highest non-turbo pan/tilt speed the device accepts (at most 0x3F). */
  readonly maxSpeed: number;
  /**
   * Values of 0x2B auto focus, 0x2D auto iris and 0x2F AGC.
   * '1999': 0 auto, 1 on, 2 off. '2012': 0 auto, 1 off.
   */
  readonly autoModeTable: '1999' | '2012';
  /** 0x31 backlight compensation. 'older': 1 off, 2 on. 'newer': 0 off, 1 on (any non-zero is on). */
  readonly backlightTable: 'older' | 'newer';
  /**
   * Tele end of the zoom on the scale users see in set-zoom and zoom-position commands
   * (1000 for the SZ-G10: the scale of its REST API).
   */
  readonly zoomPositionMax: number;
  /**
   * Tele end of the zoom on the wire, in 0x4F set-zoom and the 0x5D zoom-position reply:
   * pelco.md gives "fraction of the zoom range x 65535". The codec converts between the two
   * scales; a technician changes this only if a firmware proves to use another wire scale.
   */
  readonly zoomWireMax: number;
  /** Magnification (0x5F / 0x63) value that means 1x; e.g. 100 when 1000 means 10x. */
  readonly magnificationUnit: number;
}

/** Conventions of the Pelco tables as most keyboards and DVRs use them. */
export const GENERIC_PROFILE: DeviceProfile = Object.freeze({
  name: 'generic',
  pelcoPAddressBase: 0,
  pelcoPMaxCamera: 256,
  broadcastAddress: false,
  maxSpeed: 0x3f,
  autoModeTable: '1999',
  backlightTable: 'older',
  zoomPositionMax: 0xffff,
  zoomWireMax: 0xffff,
  magnificationUnit: 100,
});

/**
 * The SZ-G10 zoom block, the default profile everywhere (generic is opt-in). Its manual does not
 * name the UART protocol, nor an address range; these are zoomsync's choices (docs/decisions.md):
 * users see zoom on the block's own 0–1000 scale (the same as its REST API) while the wire
 * carries the standard 0–65535 fraction; 0xFF accepted as broadcast so a rig can be stopped with
 * one frame; 2012 mode table; every PELCO-P address (nothing in the manual limits them).
 */
export const SZ_G10_PROFILE: DeviceProfile = Object.freeze({
  name: 'sz-g10',
  pelcoPAddressBase: 0,
  pelcoPMaxCamera: 256,
  broadcastAddress: true,
  maxSpeed: 0x3f,
  autoModeTable: '2012',
  backlightTable: 'newer',
  zoomPositionMax: 1000,
  zoomWireMax: 0xffff,
  magnificationUnit: 100,
});

/** The profile used when none is given: the library, the CLI and the simulator all speak to SZ-G10 blocks. */
export const DEFAULT_PROFILE: DeviceProfile = SZ_G10_PROFILE;

export const PROFILES: Readonly<Record<string, DeviceProfile>> = Object.freeze({
  generic: GENERIC_PROFILE,
  'sz-g10': SZ_G10_PROFILE,
});

export function profileByName(name: string): DeviceProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}

/** The wire value (0–zoomWireMax) of a user zoom position (0–zoomPositionMax), rounded half up. */
export function zoomToWire(position: number, profile: DeviceProfile): number {
  return scale(position, profile.zoomWireMax, profile.zoomPositionMax);
}

/** The user zoom position of a wire value, rounded half up: zoomFromWire(zoomToWire(p)) === p. */
export function zoomFromWire(wire: number, profile: DeviceProfile): number {
  return scale(wire, profile.zoomPositionMax, profile.zoomWireMax);
}

// value * to / from, rounded half up in integer arithmetic (no float drift at the .5 boundary).
function scale(value: number, to: number, from: number): number {
  if (to === from) return value;
  return Math.floor((2 * value * to + from) / (2 * from));
}

/**
 * The problem with a profile a technician built (e.g. `{ ...SZ_G10_PROFILE, zoomWireMax: 1000 }`),
 * or undefined. A wire scale finer than the user scale keeps every user position distinct.
 */
export function profileProblem(profile: DeviceProfile): string | undefined {
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!int(profile.zoomWireMax, 1, 0xffff)) return `zoomWireMax must be an integer 1–65535, got ${profile.zoomWireMax}`;
  if (!int(profile.zoomPositionMax, 1, profile.zoomWireMax)) {
    return `zoomPositionMax must be an integer 1–zoomWireMax (${profile.zoomWireMax}), got ${profile.zoomPositionMax}`;
  }
  const lastByte = profile.pelcoPMaxCamera - 1 + profile.pelcoPAddressBase;
  if (!int(profile.pelcoPMaxCamera, 1, 256) || lastByte > 0xff) {
    return `pelcoPMaxCamera must leave every address byte within 0x00–0xFF (base ${profile.pelcoPAddressBase}), got ${profile.pelcoPMaxCamera}`;
  }
  if (!int(profile.maxSpeed, 0, 0x3f)) return `maxSpeed must be an integer 0–63, got ${profile.maxSpeed}`;
  return undefined;
}
