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
  /** Highest camera number addressable in PELCO-P. */
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
  /** Full-range value of set-zoom (0x4F) and the zoom-position reply (0x5D): tele end of the zoom. */
  readonly zoomPositionMax: number;
  /** Magnification (0x5F / 0x63) value that means 1x; e.g. 100 when 1000 means 10x. */
  readonly magnificationUnit: number;
}

/** Conventions of the Pelco tables as most keyboards and DVRs use them. */
export const GENERIC_PROFILE: DeviceProfile = Object.freeze({
  name: 'generic',
  pelcoPAddressBase: 0,
  pelcoPMaxCamera: 32,
  broadcastAddress: false,
  maxSpeed: 0x3f,
  autoModeTable: '1999',
  backlightTable: 'older',
  zoomPositionMax: 0xffff,
  magnificationUnit: 100,
});

/**
 * The SZ-G10 zoom block. Its manual does not name the UART protocol; these are zoomsync's
 * choices (docs/decisions.md): zoom position on the block's own 0–1000 scale (the same as its
 * REST API), 0xFF accepted as broadcast so a rig can be stopped with one frame, 2012 mode table.
 */
export const SZ_G10_PROFILE: DeviceProfile = Object.freeze({
  name: 'sz-g10',
  pelcoPAddressBase: 0,
  pelcoPMaxCamera: 32,
  broadcastAddress: true,
  maxSpeed: 0x3f,
  autoModeTable: '2012',
  backlightTable: 'newer',
  zoomPositionMax: 1000,
  magnificationUnit: 100,
});

export const PROFILES: Readonly<Record<string, DeviceProfile>> = Object.freeze({
  generic: GENERIC_PROFILE,
  'sz-g10': SZ_G10_PROFILE,
});

export function profileByName(name: string): DeviceProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}
