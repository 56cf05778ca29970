/**
 * api.cgi (JSON over HTTP, the digest of seeds/003): command builders with their arguments
 * checked before anything is sent, what each command means for a retry (idempotent, moves the
 * lens), the ability model, and the translation between the wire shapes and the common types.
 * Pure: no I/O.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { Capability, NetworkSettings, OsdPlacement, OsdSettings } from '../common/capabilities.js';
import {
  BAUD_RATES,
  DATA_BITS,
  FLOW_CONTROLS,
  IMAGE_FIELDS,
  PARITIES,
  PRESET_MAX,
  SPEED_MAX,
  type AbilityEntry,
  type JsonApiCmd,
  type JsonApiImage,
  type JsonApiOsd,
  type JsonApiPtzSerial,
  type JsonApiTime,
  type LocalLink,
  type NetPort,
  type OsdPosition,
  type PtzOp,
} from './schemas.js';

export const DEFAULT_PATH = '/cgi-bin/api.cgi';
/** The manual prints both: §2.1 and the binary URLs use /cgi-bin/api.cgi, every command table /api.cgi. */
export const API_PATHS = ['/cgi-bin/api.cgi', '/api.cgi'] as const;

/** One element of the request array. */
export interface JsonApiCommand {
  /** A JsonApiCmd for every builder here; any name through raw(). */
  cmd: JsonApiCmd | (string & {});
  action?: 0 | 1;
  param?: Record<string, unknown>;
}

/** A command with what it means for a resend. */
export interface JsonApiCall {
  command: JsonApiCommand;
  /** Safe to send twice. */
  idempotent: boolean;
  /** Sets the lens (or head) moving: never sent twice once it may have reached the camera. */
  movesLens?: true;
}

const get = (cmd: JsonApiCmd, param?: Record<string, unknown>): JsonApiCall => ({ command: { cmd, action: 0, ...(param ? { param } : {}) }, idempotent: true });
const set = (cmd: JsonApiCmd, param: Record<string, unknown>): JsonApiCall => ({ command: { cmd, action: 0, param }, idempotent: true });

function checkInt(field: string, value: unknown, min: number, max: number, hint?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(field, value, `an integer ${min}–${max}`, hint);
  return value;
}

function checkOneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InvalidArgumentError(field, value, allowed.join(' | '));
  return value as T;
}

function checkText(field: string, value: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) throw new InvalidArgumentError(field, typeof value === 'string' ? `${value.length} characters` : typeof value, `${min}–${max} characters`);
  return value;
}

/** The continuous moves PtzCtrl offers, by zoomsync name. The zoom pair is a per-camera mapping (see zoomOps). */
export type PtzMove = 'tele' | 'wide' | 'near' | 'far' | 'iris-open' | 'iris-close' | 'left' | 'right' | 'up' | 'down' | 'left-up' | 'left-down' | 'right-up' | 'right-down';
export const PTZ_MOVES: readonly PtzMove[] = ['tele', 'wide', 'near', 'far', 'iris-open', 'iris-close', 'left', 'right', 'up', 'down', 'left-up', 'left-down', 'right-up', 'right-down'];
export const PAN_TILT_MOVES: ReadonlySet<PtzMove> = new Set(['left', 'right', 'up', 'down', 'left-up', 'left-down', 'right-up', 'right-down']);

/**
 * Which op zooms in. The manual says "ZoomDec: Zoom in" and "ZoomInc: Zoom out", against the
 * Inc/Dec naming of iris and focus; that text is the default, and a camera that zooms the
 * other way is configured with 'ZoomInc'.
 */
export type ZoomInOp = 'ZoomDec' | 'ZoomInc';
export const DOCUMENTED_ZOOM_IN: ZoomInOp = 'ZoomDec';

export function ptzOpFor(move: PtzMove, zoomIn: ZoomInOp): PtzOp {
  const zoomOut: ZoomInOp = zoomIn === 'ZoomDec' ? 'ZoomInc' : 'ZoomDec';
  const ops: Record<PtzMove, PtzOp> = {
    tele: zoomIn, wide: zoomOut, far: 'FocusInc', near: 'FocusDec', 'iris-open': 'IrisInc', 'iris-close': 'IrisDec',
    left: 'Left', right: 'Right', up: 'Up', down: 'Down', 'left-up': 'LeftUp', 'left-down': 'LeftDown', 'right-up': 'RightUp', 'right-down': 'RightDown',
  };
  return ops[move];
}

export const commands = {
  /** Not idempotent: a login that timed out may have counted as a failure; resending it could reach the lockout. */
  login(userName: string, password: string): JsonApiCall {
    checkText('user name', userName, 1, 31);
    checkText('password', password, 1, 31);
    return { command: { cmd: 'Login', param: { User: { Version: '0', userName, password } } }, idempotent: false };
  },
  logout: (): JsonApiCall => ({ command: { cmd: 'Logout', param: {} }, idempotent: true }),
  getAbility: (userName: string): JsonApiCall => ({ command: { cmd: 'GetAbility', param: { User: { userName } } }, idempotent: true }),
  getDevInfo: (): JsonApiCall => ({ command: { cmd: 'GetDevInfo' }, idempotent: true }),
  getLocalLink: (): JsonApiCall => get('GetLocalLink'),
  getNetPort: (): JsonApiCall => get('GetNetPort'),
  getTime: (): JsonApiCall => get('GetTime'),
  setTime(time: Pick<JsonApiTime, 'year' | 'mon' | 'day' | 'hour' | 'min' | 'sec'>): JsonApiCall {
    checkInt('year', time.year, 1900, 2100);
    return set('SetTime', { Time: { ...time } });
  },
  getImage: (channel: number): JsonApiCall => get('GetImage', { channel }),
  setImage(image: JsonApiImage): JsonApiCall {
    for (const field of IMAGE_FIELDS) checkInt(`image ${field}`, image[field], 0, 255);
    return set('SetImage', { Image: { ...image } });
  },
  getOsd: (channel: number): JsonApiCall => get('GetOsd', { channel }),
  setOsd: (osd: JsonApiOsd): JsonApiCall => set('SetOsd', { Osd: { channel: osd.channel, osdChannel: { ...osd.osdChannel }, osdTime: { ...osd.osdTime } } }),
  getZoomFocus: (channel: number): JsonApiCall => get('GetZoomFocus', { channel }),
  startZoomFocus(channel: number, op: 'ZoomPos' | 'FocusPos', pos: number, max: number): JsonApiCall {
    checkInt(op === 'ZoomPos' ? 'zoom position' : 'focus position', pos, 0, max, 'the scale is per camera: set zoomMax / focusMax for yours');
    return { command: { cmd: 'StartZoomFocus', action: 0, param: { ZoomFocus: { channel, pos, op } } }, idempotent: true, movesLens: true };
  },
  getAutoFocus: (channel: number): JsonApiCall => get('GetAutoFocus', { channel }),
  setAutoFocus: (channel: number, disable: boolean): JsonApiCall => set('SetAutoFocus', { AutoFocus: { channel, disable: disable ? 1 : 0 } }),
  /** A continuous move at a speed 1–64, until Stop. */
  ptzMove(channel: number, op: PtzOp, speed: number): JsonApiCall {
    checkInt('PTZ speed', speed, 1, SPEED_MAX);
    return { command: { cmd: 'PtzCtrl', param: { channel, op, speed } }, idempotent: true, movesLens: true };
  },
  /** Stop: the one call always worth repeating. */
  ptzStop: (channel: number): JsonApiCall => ({ command: { cmd: 'PtzCtrl', param: { channel, op: 'Stop' } }, idempotent: true }),
  gotoPreset(channel: number, id: number, speed: number): JsonApiCall {
    checkInt('preset', id, 1, PRESET_MAX);
    checkInt('PTZ speed', speed, 1, SPEED_MAX);
    return { command: { cmd: 'PtzCtrl', param: { channel, op: 'ToPos', id, speed } }, idempotent: true, movesLens: true };
  },
  getPtzPreset: (channel: number): JsonApiCall => get('GetPtzPreset', { channel }),
  /** enable 1 stores the current position in the slot (the digest's inference), 0 clears it. */
  setPtzPreset(channel: number, id: number, name: string, enable: boolean): JsonApiCall {
    checkInt('preset', id, 1, PRESET_MAX);
    checkText('preset name', name, 1, 31);
    return set('SetPtzPreset', { PtzPreset: { channel, enable: enable ? 1 : 0, id, name } });
  },
  getPtzSerial: (channel: number): JsonApiCall => get('GetPtzSerial', { channel }),
  setPtzSerial: (channel: number, changes: Partial<Omit<JsonApiPtzSerial, 'channel'>>): JsonApiCall => set('SetPtzSerial', { PtzSerial: { channel, ...changes } }),
  reboot: (): JsonApiCall => ({ command: { cmd: 'Reboot' }, idempotent: false }),
  restore: (): JsonApiCall => ({ command: { cmd: 'Restore' }, idempotent: false }),
};

// ---- abilities ----

/** A feature is offered when the camera supports it (ver > 0) and the user may use it (permit > 0). */
export function offered(entry: AbilityEntry | undefined): boolean {
  return entry !== undefined && entry.ver > 0 && entry.permit > 0;
}

export interface JsonApiAbilities {
  /** Global abilities by key. */
  global: Record<string, AbilityEntry>;
  /** The channel's abilities by key. */
  channel: Record<string, AbilityEntry>;
  /** GetDevInfo.B485: the camera has the RS-485 port GetPtzSerial configures. */
  rs485: boolean;
}

/** What the camera offers, as common capabilities. */
export function capabilitiesFromAbilities(a: JsonApiAbilities): Set<Capability> {
  const g = (key: string) => offered(a.global[key]);
  const c = (key: string) => offered(a.channel[key]);
  const caps = new Set<Capability>(['identity']);
  if ((a.channel.ptzCtrl?.ver ?? 0) >= 2 && c('ptzCtrl')) caps.add('lens'); // ver 2: absolute zoom and focus
  if (c('disableAutoFocus')) caps.add('focus');
  if (c('ptzPreset')) caps.add('presets');
  if (c('image')) caps.add('image');
  if (c('osd')) caps.add('osd');
  if (g('localLink')) caps.add('network');
  if (g('time')) caps.add('time');
  if (c('snap')) caps.add('snapshot');
  if (g('reboot')) caps.add('reboot');
  if (g('restore')) caps.add('factory-default');
  if (a.rs485) caps.add('ptz-serial');
  return caps;
}

/** PtzCtrl's continuous moves: ptzType > 0 (1 a zoom/focus lens, 2 PTZ, 3 PT only …) and ptzCtrl for the lens. */
export function moveAllowed(a: JsonApiAbilities, move: PtzMove): boolean {
  const type = offered(a.channel.ptzType) ? a.channel.ptzType!.ver : 0;
  if (PAN_TILT_MOVES.has(move)) return type >= 2;
  if (move === 'tele' || move === 'wide') return type !== 0 && type !== 3 && offered(a.channel.ptzCtrl);
  if (move === 'near' || move === 'far') return type !== 0 && type !== 3 && (a.channel.ptzCtrl?.ver ?? 0) >= 2 && offered(a.channel.ptzCtrl);
  return type !== 0 && type !== 3; // iris
}

// ---- wire <-> common ----

const PLACE_OF: Record<OsdPosition, OsdPlacement> = {
  'Upper Left': 'top-left', 'Top Center': 'top-center', 'Upper Right': 'top-right',
  'Lower Left': 'bottom-left', 'Bottom Center': 'bottom-center', 'Lower Right': 'bottom-right', 'Other Configuration': 'custom',
};
const POSITION_OF: Partial<Record<OsdPlacement, OsdPosition>> = Object.fromEntries(Object.entries(PLACE_OF).filter(([, place]) => place !== 'custom').map(([pos, place]) => [place, pos]));
/** The OSD elements api.cgi has, by common name. */
export const OSD_ELEMENTS = ['title', 'time'] as const;

export function osdFromWire(osd: JsonApiOsd): OsdSettings {
  return {
    title: osd.osdChannel.enable ? PLACE_OF[osd.osdChannel.pos] : 'hidden',
    time: osd.osdTime.enable ? PLACE_OF[osd.osdTime.pos] : 'hidden',
  };
}

/** Changes merged into the current OSD; 'hidden' keeps the position and turns the element off. */
export function osdToWire(current: JsonApiOsd, changes: OsdSettings): JsonApiOsd {
  const next: JsonApiOsd = { ...current, osdChannel: { ...current.osdChannel }, osdTime: { ...current.osdTime } };
  for (const [name, placement] of Object.entries(changes)) {
    const target = name === 'title' ? next.osdChannel : name === 'time' ? next.osdTime : undefined;
    if (!target) throw new InvalidArgumentError('osd element', name, OSD_ELEMENTS.join(' | '));
    if (placement === 'hidden') {
      target.enable = 0;
      continue;
    }
    const pos = POSITION_OF[placement];
    if (!pos) throw new InvalidArgumentError(`osd ${name}`, placement, ['hidden', ...Object.keys(POSITION_OF)].join(' | '));
    target.enable = 1;
    target.pos = pos;
  }
  return next;
}

export function networkFromWire(link: LocalLink, ports: NetPort): NetworkSettings {
  return {
    ipv4: {
      dhcp: link.type === 'DHCP',
      address: link.static.ip,
      gateway: link.static.gateway,
      subnet: link.static.mask,
      dns: { primary: link.dns.dns1, secondary: link.dns.dns2 },
    },
    ports: { http: ports.httpPort, https: ports.httpsPort, rtsp: ports.rtspPort },
  };
}

/**
 * The camera's clock as a Date. Choice (the manual is ambiguous, see docs/http.md): the Time
 * fields are the camera's wall clock and timeZone is seconds WEST of UTC (POSIX TZ style, the
 * only reading under which the range −46800…43200 spans UTC+13…UTC−12).
 */
export function timeFromWire(t: JsonApiTime): Date {
  return new Date(Date.UTC(t.year, t.mon - 1, t.day, t.hour, t.min, t.sec) + t.timeZone * 1000);
}

/** A Date as the camera's wall clock in its zone (timeZone seconds west of UTC). */
export function timeToWire(date: Date, timeZone: number): Pick<JsonApiTime, 'year' | 'mon' | 'day' | 'hour' | 'min' | 'sec'> {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('time', String(date), 'a valid date');
  const wall = new Date(date.getTime() - timeZone * 1000);
  return { year: wall.getUTCFullYear(), mon: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), min: wall.getUTCMinutes(), sec: wall.getUTCSeconds() };
}

/** The common PTZ serial shape. */
export interface PtzSerialSettings {
  baud: (typeof BAUD_RATES)[number];
  protocol: 'pelco-d' | 'pelco-p';
  address: number;
  dataBits: 5 | 6 | 7 | 8;
  stopBits: 1 | 2;
  parity: (typeof PARITIES)[number];
  flowControl: (typeof FLOW_CONTROLS)[number];
}

export function ptzSerialFromWire(s: JsonApiPtzSerial): PtzSerialSettings {
  return {
    baud: s.baudRate,
    protocol: s.ctrlProtocol === 'PELCO_D' ? 'pelco-d' : 'pelco-p',
    address: s.ctrlAddr,
    dataBits: Number(s.dataBit.slice(2)) as PtzSerialSettings['dataBits'],
    stopBits: s.stopBit,
    parity: s.parity,
    flowControl: s.flowCtrl,
  };
}

const SERIAL_KEYS = ['baud', 'protocol', 'address', 'dataBits', 'stopBits', 'parity', 'flowControl'] as const;

/** Checks every given field (before anything is sent) and returns the partial wire update. */
export function ptzSerialToWire(settings: Record<string, unknown>): Partial<Omit<JsonApiPtzSerial, 'channel'>> {
  if (settings === null || typeof settings !== 'object') throw new InvalidArgumentError('PTZ serial settings', settings, `an object with ${SERIAL_KEYS.join(', ')}`);
  const out: Partial<Omit<JsonApiPtzSerial, 'channel'>> = {};
  for (const key of Object.keys(settings)) {
    if (!(SERIAL_KEYS as readonly string[]).includes(key)) throw new InvalidArgumentError('PTZ serial setting', key, SERIAL_KEYS.join(' | '));
  }
  const s = settings as Partial<Record<(typeof SERIAL_KEYS)[number], unknown>>;
  if (s.baud !== undefined) out.baudRate = checkOneOf('PTZ serial baud', s.baud, BAUD_RATES);
  if (s.protocol !== undefined) {
    const p = checkOneOf('PTZ serial protocol', typeof s.protocol === 'string' ? s.protocol.toLowerCase().replace('_', '-') : s.protocol, ['pelco-d', 'pelco-p'] as const);
    out.ctrlProtocol = p === 'pelco-d' ? 'PELCO_D' : 'PELCO_P';
  }
  if (s.address !== undefined) out.ctrlAddr = checkInt('PTZ serial address', s.address, 1, 64, 'the camera addresses the head as 1–64');
  if (s.dataBits !== undefined) out.dataBit = `CS${checkOneOf('PTZ serial data bits', s.dataBits, [8, 7, 6, 5] as const)}` as (typeof DATA_BITS)[number];
  if (s.stopBits !== undefined) out.stopBit = checkOneOf('PTZ serial stop bits', s.stopBits, [1, 2] as const);
  if (s.parity !== undefined) out.parity = checkOneOf('PTZ serial parity', s.parity, PARITIES);
  if (s.flowControl !== undefined) out.flowCtrl = checkOneOf('PTZ serial flow control', s.flowControl, FLOW_CONTROLS);
  if (Object.keys(out).length === 0) throw new InvalidArgumentError('PTZ serial settings', {}, `at least one of ${SERIAL_KEYS.join(', ')}`);
  return out;
}

/** The image settings api.cgi has (0–255 each), merged into the current ones. */
export function imageToWire(current: JsonApiImage, changes: Record<string, unknown>): JsonApiImage {
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (!(IMAGE_FIELDS as readonly string[]).includes(key)) throw new InvalidArgumentError('image setting', key, IMAGE_FIELDS.join(' | '));
    next[key as (typeof IMAGE_FIELDS)[number]] = checkInt(`image ${key}`, value, 0, 255);
  }
  return next;
}
