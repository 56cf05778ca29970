/**
 * B-View 2 XML REST (the digest of seeds/001): request builders with their arguments checked
 * before anything is sent, what each request means for a resend (idempotent, moves the lens),
 * and the translation between the wire blocks and the common types. Pure: no I/O.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { DeviceIdentity, OsdPlacement, OsdSettings } from '../common/capabilities.js';
import { buildFirmwareBody } from './multipart.js';
import {
  DAY_NIGHT_MODES,
  GAINS,
  IRIS_TYPES,
  SHUTTERS,
  WHITE_BALANCE_MODES,
  type DayNightMode,
  type DeviceInfo,
  type Gain,
  type ImageBlock,
  type IrisType,
  type Osd,
  type Shutter,
  type WhiteBalanceMode,
} from './schemas.js';
import { buildXml, type XmlValue } from './xml.js';

/** The camera's one channel ("The camera only supports <ChannelID> 1"). */
export const CHANNEL = 1;
export const XML_CONTENT_TYPE = 'application/xml; charset=UTF-8';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface Bview2Request {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: string | Uint8Array;
  contentType?: string;
  /** Safe to send twice. */
  idempotent: boolean;
  /** Sets the lens moving: never sent twice once it may have reached the camera. */
  movesLens?: true;
  /** The root element a successful GET answers with; undefined: the answer is a ResponseStatus. */
  answer?: string;
  /** The firmware upload: a positive statusCode is a failure too. */
  firmware?: true;
}

const get = (path: string, answer: string): Bview2Request => ({ method: 'GET', path, idempotent: true, answer });
/** A settings PUT: the same document twice sets the same values. */
const putXml = (path: string, root: string, children: { [name: string]: XmlValue | undefined }): Bview2Request => ({
  method: 'PUT',
  path,
  body: buildXml(root, children),
  contentType: XML_CONTENT_TYPE,
  idempotent: true,
});
/** A /PTZ command: a bare key=value body. */
const putForm = (path: string, params: Record<string, number>, idempotent: boolean, movesLens: boolean): Bview2Request => ({
  method: 'PUT',
  path,
  body: Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&'),
  contentType: FORM_CONTENT_TYPE,
  idempotent,
  ...(movesLens ? { movesLens: true as const } : {}),
});

// ---- the lens: continuous moves and the autofocus (re)initialisation ----

export type LensMove = 'tele' | 'wide' | 'near' | 'far';
export const LENS_MOVES: readonly LensMove[] = ['tele', 'wide', 'near', 'far'];
export type LensAxis = 'zoom' | 'focus';
export const SPEED_MIN = 1;
export const SPEED_MAX = 10;

const MOVE_RESOURCE: Readonly<Record<LensMove, string>> = { tele: 'ZoomIn', wide: 'ZoomOut', near: 'FocusNear', far: 'FocusFar' };

export function axisOf(move: LensMove): LensAxis {
  return move === 'tele' || move === 'wide' ? 'zoom' : 'focus';
}

export function checkMove(move: unknown): LensMove {
  if (!LENS_MOVES.includes(move as LensMove)) throw new InvalidArgumentError('lens move', move, LENS_MOVES.join(' | '));
  return move as LensMove;
}

export function checkSpeed(speed: unknown): number {
  if (typeof speed !== 'number' || !Number.isInteger(speed) || speed < SPEED_MIN || speed > SPEED_MAX) {
    throw new InvalidArgumentError('lens speed', speed, `an integer ${SPEED_MIN}–${SPEED_MAX}`);
  }
  return speed;
}

/**
 * The autofocus (re)initialisations hidden in /PTZ/1/Presets/Goto: `full` (Param1=103) redoes
 * the whole autofocus calibration; `override-manual` (Param1=85) replaces a manual focus setting
 * with the automatic one. Either way the camera calibrates for 3 to 5 minutes.
 */
export const AUTOFOCUS_INIT = { full: 103, 'override-manual': 85 } as const;
export type AutofocusInit = keyof typeof AUTOFOCUS_INIT;

export const requests = {
  deviceInfo: (): Bview2Request => get('/System/DeviceInfo', 'DeviceInfo'),
  /** Only DeviceName is writable; the other fields are left out (partial update, §6.1.1). */
  setDeviceName(name: string): Bview2Request {
    if (typeof name !== 'string' || name.trim().length < 1 || name.length > 32) throw new InvalidArgumentError('device name', name, '1–32 characters');
    return putXml('/System/DeviceInfo', 'DeviceInfo', { DeviceName: name });
  },
  image: (): Bview2Request => get(`/Images/${CHANNEL}`, 'Image'),
  setExposure: (e: Partial<ExposureSettings>): Bview2Request =>
    putXml(`/Images/${CHANNEL}/Exposure`, 'Exposure', { IrisType: e.iris, shutter: e.shutter, Gain: e.gain }),
  setWhiteBalance: (w: Partial<WhiteBalanceSettings>): Bview2Request =>
    putXml(`/Images/${CHANNEL}/WhiteBalance`, 'WhiteBalance', { Mode: w.mode, GainRed: w.red, GainBlue: w.blue }),
  setIrCutFilter: (d: Partial<DayNightSettings>): Bview2Request =>
    putXml(`/Images/${CHANNEL}/IrCutFilter`, 'IrCutFilter', { Mode: d.mode, DayStartTime: d.dayStart, DayEndTime: d.dayEnd, Sensitivity: d.sensitivity, SwitchTime: d.switchSeconds }),
  osd: (): Bview2Request => get(`/Pictures/${CHANNEL}/OSD`, 'OSD'),
  setOsd: (osd: OsdWire): Bview2Request => putXml(`/Pictures/${CHANNEL}/OSD`, 'OSD', osd),
  /** Starts a continuous move (Param1=1, Param2 the speed 1–10): never resent once it may have left. */
  startMove(move: LensMove, speed: number): Bview2Request {
    return putForm(`/PTZ/${CHANNEL}/${MOVE_RESOURCE[checkMove(move)]}`, { Param1: 1, Param2: checkSpeed(speed) }, false, true);
  },
  /** Stops the axis of `move` (Param1=2): a second stop is harmless, so it is resent as often as needed. */
  stopMove(move: LensMove): Bview2Request {
    return putForm(`/PTZ/${CHANNEL}/${MOVE_RESOURCE[checkMove(move)]}`, { Param1: 2 }, true, false);
  },
  /** Starts a 3–5 minute calibration: never sent twice by zoomsync. */
  autofocusInit(kind: AutofocusInit): Bview2Request {
    if (!Object.hasOwn(AUTOFOCUS_INIT, kind)) throw new InvalidArgumentError('autofocus initialisation', kind, Object.keys(AUTOFOCUS_INIT).join(' | '));
    return putForm(`/PTZ/${CHANNEL}/Presets/Goto`, { Param1: AUTOFOCUS_INIT[kind] }, false, true);
  },
  /** JPEG of the Motion-JPEG stream's settings (or a ResponseStatus); no query ("ImageFormat" is named, Query is "None"). */
  snapshot: (): Bview2Request => ({ method: 'GET', path: `/Snapshot/${CHANNEL}/RemoteImageCapture`, idempotent: true }),
  /** Restores every factory setting (the API has no categories). Not resent. */
  factoryDefault: (): Bview2Request => ({ method: 'PUT', path: '/System/FactoryDefault', body: '', idempotent: false }),
  /** "Opaque data": an empty body. Not resent: a second reboot would cut the first one's start. */
  reboot: (): Bview2Request => ({ method: 'PUT', path: '/System/Reboot', body: '', idempotent: false }),
  firmwareUpload(image: Uint8Array, fileName: string, boundary: string): Bview2Request {
    const { body, contentType } = buildFirmwareBody(image, fileName, boundary);
    return { method: 'PUT', path: '/System/FirmwareUpgrade', body, contentType, idempotent: false, firmware: true };
  },
};

// ---- device info ----

export function identityFromWire(d: DeviceInfo): DeviceIdentity {
  const extra: Record<string, unknown> = {
    name: d.DeviceName,
    serial: d.SerialNum,
    hardware: d.HardWareVersion,
    boardType: d.BoardType,
    videoInputs: d.VideoInputChannels,
    audioChannels: d.AudioChannels,
    alarmInputs: d.AlarmInputChannels,
    alarmOutputs: d.AlarmOutputChannels,
    twoWayAudio: d.TwoWayAudio,
  };
  return { model: d.DeviceTypeName, firmware: d.SoftWareVersion, extra: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
}

// ---- image: day/night (IR-cut filter), exposure, white balance ----

export interface DayNightSettings {
  /** initiative: the camera switches by itself; passivity: an external signal switches; day / night: forced; time: by schedule. */
  mode: DayNightMode;
  /** hh:mm:ss, for mode "time". */
  dayStart?: string;
  dayEnd?: string;
  /** 0–100, the greater the more sensitive. */
  sensitivity?: number;
  /** 3–15 s. */
  switchSeconds?: number;
}
export interface ExposureSettings {
  iris: IrisType;
  shutter: Shutter;
  gain: Gain;
}
export interface WhiteBalanceSettings {
  mode: WhiteBalanceMode;
  /** 0–100, for mode "manual". */
  red?: number;
  blue?: number;
}
/** What image() returns and setImage() takes (any part of it). */
export type Bview2Image = {
  dayNight: DayNightSettings;
  exposure: ExposureSettings;
  whiteBalance: WhiteBalanceSettings;
};

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function imageFromWire(image: ImageBlock): Bview2Image {
  const ir = image.IrCutFilter;
  const wb = image.WhiteBalance;
  return {
    dayNight: defined({ mode: ir.Mode, dayStart: ir.DayStartTime, dayEnd: ir.DayEndTime, sensitivity: ir.Sensitivity, switchSeconds: ir.SwitchTime }),
    exposure: { iris: image.Exposure.IrisType, shutter: image.Exposure.shutter, gain: image.Exposure.Gain },
    whiteBalance: defined({ mode: wb.Mode, red: wb.GainRed, blue: wb.GainBlue }),
  };
}

/** The changes per block, each checked: an unknown key or a value out of range is refused before anything is sent. */
export interface ImageChanges {
  dayNight?: Partial<DayNightSettings>;
  exposure?: Partial<ExposureSettings>;
  whiteBalance?: Partial<WhiteBalanceSettings>;
}

type Check = (field: string, value: unknown) => unknown;
const oneOf =
  (values: readonly string[]): Check =>
  (field, value) => {
    if (typeof value !== 'string' || !values.includes(value)) throw new InvalidArgumentError(field, value, values.join(' | '));
    return value;
  };
const intIn =
  (min: number, max: number): Check =>
  (field, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(field, value, `an integer ${min}–${max}`);
    return value;
  };
const clock: Check = (field, value) => {
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(value)) throw new InvalidArgumentError(field, value, 'a time hh:mm:ss (24 h)');
  return value;
};

const IMAGE_FIELDS: Readonly<Record<keyof ImageChanges, Readonly<Record<string, Check>>>> = {
  dayNight: { mode: oneOf(DAY_NIGHT_MODES), dayStart: clock, dayEnd: clock, sensitivity: intIn(0, 100), switchSeconds: intIn(3, 15) },
  exposure: { iris: oneOf(IRIS_TYPES), shutter: oneOf(SHUTTERS), gain: oneOf(GAINS) },
  whiteBalance: { mode: oneOf(WHITE_BALANCE_MODES), red: intIn(0, 100), blue: intIn(0, 100) },
};

export function checkImageChanges(changes: Record<string, unknown>): ImageChanges {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) throw new InvalidArgumentError('image settings', changes, 'an object { dayNight?, exposure?, whiteBalance? }');
  const out: Record<string, Record<string, unknown>> = {};
  for (const [block, value] of Object.entries(changes)) {
    const fields = IMAGE_FIELDS[block as keyof ImageChanges];
    if (!fields) throw new InvalidArgumentError('image setting', block, Object.keys(IMAGE_FIELDS).join(' | '));
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`image ${block}`, value, `an object with ${Object.keys(fields).join(', ')}`);
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) continue;
    out[block] = {};
    for (const [field, v] of entries) {
      const check = fields[field];
      if (!check) throw new InvalidArgumentError(`image ${block} field`, field, Object.keys(fields).join(' | '));
      out[block]![field] = check(`image ${block}.${field}`, v);
    }
  }
  if (Object.keys(out).length === 0) throw new InvalidArgumentError('image settings', changes, 'at least one setting to change');
  return out as ImageChanges;
}

// ---- OSD: the time and the name, placed in a 704×576 space ----

export const OSD_ELEMENTS = { time: 'DisplayTime', name: 'DisplayName' } as const;
export type OsdElement = keyof typeof OSD_ELEMENTS;
type Corner = Extract<OsdPlacement, 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'>;
/**
 * Where zoomsync puts an element for each corner (the manual gives the space, not the text's
 * size: 224 × 48 leaves room for a time or a name of about 16 characters at the right and bottom).
 */
export const OSD_CORNERS: Readonly<Record<Corner, { x: number; y: number }>> = {
  'top-left': { x: 16, y: 16 },
  'top-right': { x: 480, y: 16 },
  'bottom-left': { x: 16, y: 528 },
  'bottom-right': { x: 480, y: 528 },
};

export interface OsdWire {
  [name: string]: XmlValue | undefined;
  DisplayTime?: { Enable: boolean; PosX?: number; PosY?: number };
  DisplayName?: { Enable: boolean; PosX?: number; PosY?: number };
}

function placementOf(e: { Enable: boolean; PosX: number; PosY: number }): OsdPlacement {
  if (!e.Enable) return 'hidden';
  const corner = (Object.entries(OSD_CORNERS) as [Corner, { x: number; y: number }][]).find(([, p]) => p.x === e.PosX && p.y === e.PosY);
  return corner ? corner[0] : 'custom';
}

export function osdFromWire(osd: Osd): OsdSettings {
  return { time: placementOf(osd.DisplayTime), name: placementOf(osd.DisplayName) };
}

/**
 * The OSD document for the changes (elements `time`, `name`; a corner or hidden). Two visible
 * elements in one corner are refused ("Make sure time and name do not overlap").
 */
export function osdToWire(current: Osd, changes: OsdSettings): { wire: OsdWire; next: OsdSettings } {
  if (!changes || typeof changes !== 'object' || Object.keys(changes).length === 0) throw new InvalidArgumentError('OSD settings', changes, 'at least one of time, name');
  const next: OsdSettings = osdFromWire(current);
  const wire: OsdWire = {};
  for (const [element, placement] of Object.entries(changes)) {
    if (!Object.hasOwn(OSD_ELEMENTS, element)) throw new InvalidArgumentError('OSD element', element, Object.keys(OSD_ELEMENTS).join(' | '));
    if (placement !== 'hidden' && !Object.hasOwn(OSD_CORNERS, placement)) {
      throw new InvalidArgumentError(`OSD ${element} placement`, placement, ['hidden', ...Object.keys(OSD_CORNERS)].join(' | '), 'B-View 2 places an element by coordinates: zoomsync uses the four corners');
    }
    next[element] = placement;
    const at = placement === 'hidden' ? undefined : OSD_CORNERS[placement as Corner];
    wire[OSD_ELEMENTS[element as OsdElement]] = at ? { Enable: true, PosX: at.x, PosY: at.y } : { Enable: false };
  }
  if (next.time !== 'hidden' && next.time !== 'custom' && next.time === next.name) throw new InvalidArgumentError('OSD placement', changes, 'time and name in different places', 'the camera draws them over each other');
  return { wire, next };
}
