/**
 * cgi_action (the digest of seeds/004): every call is `GET /action/cgi_action?user=…&pwd=<md5
 * hex>&action=<name>[&json=<object>]`, answered 200 with either a plain-text error line or a
 * flat JSON object whose `code` is 0 on success. This module builds the calls (arguments checked
 * before anything is sent, each call saying what a resend would mean), reads the answers, and
 * translates between the wire fields and the common types. Pure: no I/O.
 */
import { InvalidArgumentError, NotSupportedError } from '../../errors.js';
import type { NetworkSettings, OsdPlacement, OsdSettings } from '../common/capabilities.js';
import {
  ACTIONS,
  BAUD_RATES,
  DATA_BITS,
  ENVELOPE_KEYS,
  IMAGE_RULES,
  describeImageRule,
  OSD_CANVAS,
  PARITIES,
  READ_ACTIONS,
  STOP_BITS,
  imageValueAllowed,
  type CgiActionName,
  type OsdConf,
  type PeripheralConf,
  type WiredNetwork,
} from './schemas.js';

export const ACTION_PATH = '/action/cgi_action';
export const IMAGES_PATH = '/action/cgi_images';

/** One call: the action, its JSON (none for most reads), and what it means for a resend. */
export interface CgiActionCall {
  action: CgiActionName;
  json?: Record<string, unknown>;
  /** Safe to send twice (a read, a stop, a setting sent whole). */
  idempotent: boolean;
  /** Sets the lens or head moving: never sent twice once it may have reached the camera. */
  movesLens?: true;
  /** Changes something on the camera although it is a GET: a timeout after sending may have acted. */
  acts: boolean;
}

/** How `json` travels: percent-encoded (default), or raw as the manual prints it (a firmware that does not URL-decode). */
export type JsonEncoding = 'encoded' | 'raw';

/** The query of a call. `pwd` is the MD5 hex of the password (lower case), never the password. */
export function actionQuery(user: string, pwd: string, call: Pick<CgiActionCall, 'action' | 'json'>, encoding: JsonEncoding): string {
  const base = `user=${encodeURIComponent(user)}&pwd=${pwd}&action=${call.action}`;
  if (call.json === undefined) return base;
  const text = JSON.stringify(call.json);
  // Raw: only characters a request line can carry; anything else needs the encoded form.
  if (encoding === 'raw' && /[\s#%&+?\u0080-\uffff]/.test(text)) {
    throw new InvalidArgumentError(`${call.action} JSON`, 'a space, #, %, &, +, ? or a non-ASCII character', 'plain ASCII JSON in raw mode', "use jsonEncoding 'encoded' for such values");
  }
  return `${base}&json=${encoding === 'raw' ? text : encodeURIComponent(text)}`;
}

const read = (action: CgiActionName, json?: Record<string, unknown>): CgiActionCall => ({ action, ...(json ? { json } : {}), idempotent: true, acts: false });
const setting = (action: CgiActionName, json: Record<string, unknown>): CgiActionCall => ({ action, json, idempotent: true, acts: true });
const once = (action: CgiActionName, json?: Record<string, unknown>): CgiActionCall => ({ action, ...(json ? { json } : {}), idempotent: false, acts: true });

function checkInt(field: string, value: unknown, min: number, max: number, hint?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(field, value, `an integer ${min}–${max}`, hint);
  return value;
}

function checkOneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[], hint?: string): T {
  if (!allowed.includes(value as T)) throw new InvalidArgumentError(field, value, allowed.join(' | '), hint);
  return value as T;
}

/** Keys whose values are credentials (setPasswd, FTP, MQTT, GAT1400, Wi-Fi, e-mail, 4G, GB28181). */
const SECRET_KEY = /pass|pwd/i;

/**
 * The texts of a call's JSON that no message may show: each credential value as it is, as a
 * JSON string, and percent-encoded as it rides in the URL (where no key-based redaction sees it).
 */
export function jsonSecrets(json: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string' && key !== undefined && SECRET_KEY.test(key) && value.length > 0) {
      const quoted = JSON.stringify(value);
      out.push(quoted, encodeURIComponent(quoted), quoted.slice(1, -1));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, Array.isArray(value) ? key : k);
    }
  };
  visit(json, undefined);
  return out;
}

// ---- PTZ (§9) ----

/** ptz_cmd values (§9). aperture + is printed as 9, colliding with zoom +: 7 by the numbering (an option). */
export const PTZ_CMD = {
  up: 1, down: 2, left: 3, right: 4, 'focus+': 5, 'focus-': 6, 'iris+': 7, 'iris-': 8, 'zoom+': 9, 'zoom-': 10,
  auxFocus: 11, light: 13, setPreset: 19, callPreset: 20, stop: 21, refresh: 69, 'left-up': 71, 'left-down': 72, 'right-up': 73, 'right-down': 74,
} as const;
export const SPEED_MIN = 1;
export const SPEED_MAX = 100;
/** Preset numbers ride in speed_v, whose range is 1–100 (the manual gives no other). */
export const PRESET_MIN = 1;
export const PRESET_MAX = 100;

export type PtzMove = 'tele' | 'wide' | 'near' | 'far' | 'iris-open' | 'iris-close' | 'left' | 'right' | 'up' | 'down' | 'left-up' | 'left-down' | 'right-up' | 'right-down';
export const PTZ_MOVES: readonly PtzMove[] = ['tele', 'wide', 'near', 'far', 'iris-open', 'iris-close', 'left', 'right', 'up', 'down', 'left-up', 'left-down', 'right-up', 'right-down'];

/** The command of a move. zoom + is tele, focus + far (inferences, docs/http.md); iris-open is `irisOpenCmd`. */
export function ptzCmdFor(move: PtzMove, irisOpenCmd: 7 | 9): number {
  const cmds: Record<PtzMove, number> = {
    tele: PTZ_CMD['zoom+'], wide: PTZ_CMD['zoom-'], far: PTZ_CMD['focus+'], near: PTZ_CMD['focus-'], 'iris-open': irisOpenCmd, 'iris-close': PTZ_CMD['iris-'],
    left: PTZ_CMD.left, right: PTZ_CMD.right, up: PTZ_CMD.up, down: PTZ_CMD.down,
    'left-up': PTZ_CMD['left-up'], 'left-down': PTZ_CMD['left-down'], 'right-up': PTZ_CMD['right-up'], 'right-down': PTZ_CMD['right-down'],
  };
  return cmds[move];
}

// ---- the calls ----

export const calls = {
  getSysConfig: () => read('getSysConfig'),
  getDeviceTime: () => read('getDeviceTime'),
  /** Sets the clock by hand (ntp_enable 0: the device's own timing mode). */
  setTime(date: Date): CgiActionCall {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('time', String(date), 'a valid date');
    const seconds = Math.floor(date.getTime() / 1000);
    checkInt('time (Unix seconds)', seconds, 0, 2 ** 32 - 1);
    return setting('setTime', { CurTime: seconds, ntp_enable: 0 });
  },
  getWiredNetwork: () => read('getWiredNetwork'),
  /** The reply comes from the old address and the camera then moves: never sent twice. */
  setWiredNetwork: (wire: Record<string, unknown>) => once('setWiredNetwork', wire),
  getRtspConf: () => read('getRtspConf'),
  setRtspConf: (port: number) => setting('setRtspConf', { rtsp_port: checkInt('RTSP port', port, 1, 65535) }),
  getImageAdjustment: () => read('getImageAdjustment'),
  setImageAdjustment: (changes: Record<string, unknown>) => setting('setImageAdjustment', imageToWire(changes)),
  getOsdConf: () => read('getOsdConf'),
  setOsdConf: (osd: OsdConf) => setting('setOsdConf', osdSetFields(osd)),
  getPeripheralConf: () => read('getPeripheralConf'),
  setPeripheralConf: (changes: Partial<PeripheralConf>) => setting('setPeripheralConf', { ...changes }),
  getIOAlarmIn: () => read('getIOAlarmIn'),
  /** Pulses the alarm output for its configured time: two calls would be two pulses. */
  openDoor: () => once('openDoor'),
  getFmtSnap: () => read('getFmtSnap'),
  restart: () => once('restart'),
  /** oldPassword as MD5 hex, newPassword in plain text (as §4 asks). */
  setPasswd(oldPwd: string, newPassword: string): CgiActionCall {
    if (typeof newPassword !== 'string' || newPassword.length < 1 || newPassword.length > 31) throw new InvalidArgumentError('new password', typeof newPassword === 'string' ? `${newPassword.length} characters` : typeof newPassword, '1–31 characters');
    return once('setPasswd', { oldPassword: oldPwd, newPassword });
  },
  reset: (netReset: boolean, userReset: boolean) => once('reset', { netReset: netReset ? 1 : 0, userReset: userReset ? 1 : 0 }),
  /** A continuous move at speed 1–100 (both axes' speeds sent: §9 marks both necessary). */
  ptzMove(cmd: number, speed: number): CgiActionCall {
    checkInt('PTZ speed', speed, SPEED_MIN, SPEED_MAX);
    return { action: 'setPtzControl', json: { speed_h: speed, speed_v: speed, channel: 0, ptz_cmd: cmd }, idempotent: true, movesLens: true, acts: true };
  },
  /** Stop: the one call always worth repeating. */
  ptzStop: (speed: number): CgiActionCall => ({ action: 'setPtzControl', json: { speed_h: speed, speed_v: speed, channel: 0, ptz_cmd: PTZ_CMD.stop }, idempotent: true, acts: true }),
  /** Store (19) or call (20) preset n, in speed_v, as the §9.1/9.2 examples send it (no speed_h). */
  preset(kind: 'set' | 'call', n: number): CgiActionCall {
    checkInt('preset', n, PRESET_MIN, PRESET_MAX, 'the preset number rides in speed_v, 1–100');
    const json = { speed_v: n, channel: 0, ptz_cmd: kind === 'set' ? PTZ_CMD.setPreset : PTZ_CMD.callPreset };
    return kind === 'set' ? setting('setPtzControl', json) : { action: 'setPtzControl', json, idempotent: true, movesLens: true, acts: true };
  },
  /** Any documented action, with unknown effect unless it is a read: never resent once sent. */
  any(action: string, json?: unknown): CgiActionCall {
    const name = checkOneOf('cgi_action action', action, ACTIONS, 'names are case-sensitive, as the manual prints them');
    if (json !== undefined && (json === null || typeof json !== 'object' || Array.isArray(json))) throw new InvalidArgumentError(`${name} JSON`, json, 'a JSON object (or nothing)');
    const body = json as Record<string, unknown> | undefined;
    return READ_ACTIONS.has(name) ? read(name, body) : once(name, body);
  },
};

// ---- answers ----

/** What a body says, before any schema: one of the two error lines, or a JSON object. */
export type CgiAnswer = { kind: 'auth' } | { kind: 'json-error' } | { kind: 'json'; value: unknown } | { kind: 'unreadable' };

export function readAnswer(text: string): CgiAnswer {
  const trimmed = text.trim();
  if (trimmed === 'error user/pwd') return { kind: 'auth' };
  if (trimmed === 'error json') return { kind: 'json-error' };
  try {
    return { kind: 'json', value: JSON.parse(trimmed) };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** The action's data: the answer without its envelope keys. */
export function stripEnvelope(value: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!(ENVELOPE_KEYS as readonly string[]).includes(k)) data[k] = v;
  return data;
}

/**
 * Data keys the envelope shadows under JSON.parse (last key wins): getGb28181 sends its SIP
 * `device_id` before the envelope's. When a key appears twice, the first (string) value is the
 * data's.
 */
export function shadowedDataKeys(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['device_id', 'device_ip']) {
    const values = [...text.matchAll(new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => m[1]!);
    if (values.length > 1) out[key] = JSON.parse(`"${values[0]}"`) as string;
  }
  return out;
}

// ---- wire <-> common ----

/** "88-07-cb-00-02-be" -> "88:07:CB:00:02:BE" (the form the other dialects report). */
export function macFromWire(mac: string): string {
  return /^([0-9a-f]{2}-){5}[0-9a-f]{2}$/i.test(mac) ? mac.replace(/-/g, ':').toUpperCase() : mac;
}

/** The basic image settings (§23.2), each checked; sent as a partial set (every field is optional). */
export function imageToWire(changes: Record<string, unknown>): Record<string, number> {
  if (changes === null || typeof changes !== 'object') throw new InvalidArgumentError('image settings', changes, 'an object');
  const keys = Object.keys(changes);
  if (keys.length === 0) throw new InvalidArgumentError('image settings', {}, `at least one of ${Object.keys(IMAGE_RULES).join(', ')}`);
  const out: Record<string, number> = {};
  for (const key of keys) {
    const rule = IMAGE_RULES[key];
    if (!rule) throw new InvalidArgumentError('image setting', key, Object.keys(IMAGE_RULES).join(' | '));
    const value = changes[key];
    if (!imageValueAllowed(key, value)) throw new InvalidArgumentError(`image ${key}`, value, describeImageRule(rule));
    out[key] = value as number;
  }
  return out;
}

export function networkFromWire(wired: WiredNetwork, envelopeIp: string | undefined, rtspPort: number): NetworkSettings {
  return {
    ipv4: {
      dhcp: wired.DHCP === 1,
      address: wired.IP ?? envelopeIp ?? '',
      gateway: wired.gateway,
      subnet: wired.subnet_mask,
      dns: { primary: wired.DNS, secondary: wired.DNS2 ?? '' },
    },
    // No HTTPS in this API: 0 says "none".
    ports: { http: wired.webPort, https: 0, rtsp: rtspPort },
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function checkIpv4(field: string, value: unknown): string {
  if (typeof value !== 'string' || !IPV4.test(value)) throw new InvalidArgumentError(field, value, 'a dotted IPv4 address like 192.168.1.89');
  return value;
}

/**
 * The setWiredNetwork JSON for common settings: the keys of the manual's example (IP, not
 * device_ip), every field it marks necessary. No IPv6 and no HTTPS exist here.
 */
export function networkToWire(s: NetworkSettings, manualDns: number): Record<string, unknown> {
  if (s.ipv6 !== undefined) throw new NotSupportedError('IPv6 settings', 'the cgi-action dialect', 'leave ipv6 out');
  if (s.ports.https !== 0) throw new InvalidArgumentError('HTTPS port', s.ports.https, '0 (cgi_action cameras have no HTTPS)');
  return {
    DHCP: s.ipv4.dhcp ? 1 : 0,
    IP: checkIpv4('IP address', s.ipv4.address),
    subnet_mask: checkIpv4('subnet mask', s.ipv4.subnet),
    gateway: checkIpv4('gateway', s.ipv4.gateway),
    DNS: checkIpv4('DNS', s.ipv4.dns.primary),
    DNS2: checkIpv4('DNS2', s.ipv4.dns.secondary),
    webPort: checkInt('HTTP port', s.ports.http, 1, 65535),
    manual_dns: manualDns,
  };
}

// OSD: positions on the 704×576 canvas. A read is classified by thirds across and halves down;
// a placement is written at these points (the manual's own titles sit at x 556, y 546).
const OSD_X = { left: 16, center: 272, right: 556 } as const;
const OSD_Y = { top: 16, bottom: 546 } as const;
export const OSD_ELEMENTS = ['time', 'title'] as const;
const PLACEMENTS = ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'] as const;

function placementOf(x: number, y: number): OsdPlacement {
  const across = x < OSD_CANVAS.width / 3 ? 'left' : x < (2 * OSD_CANVAS.width) / 3 ? 'center' : 'right';
  const down = y < OSD_CANVAS.height / 2 ? 'top' : 'bottom';
  return `${down}-${across}` as OsdPlacement;
}

function pointOf(placement: OsdPlacement): { x: number; y: number } {
  const [down, across] = placement.split('-') as ['top' | 'bottom', 'left' | 'center' | 'right'];
  return { x: OSD_X[across], y: OSD_Y[down] };
}

/** time: the date/time overlay (hidden when neither shows); title: the first of the four titles. */
export function osdFromWire(osd: OsdConf): OsdSettings {
  const title = osd.title_list[0];
  return {
    time: osd.show_date || osd.show_time ? placementOf(osd.date_pos_x, osd.date_pos_y) : 'hidden',
    title: title && title.show_title ? placementOf(title.title_pos_x, title.title_pos_y) : 'hidden',
  };
}

/** Changes merged into the current OSD; 'hidden' keeps the position and turns the element off. */
export function osdToWire(current: OsdConf, changes: OsdSettings): OsdConf {
  const next: OsdConf = { ...current, title_list: current.title_list.map((t) => ({ ...t })) };
  for (const [name, placement] of Object.entries(changes)) {
    if (!(OSD_ELEMENTS as readonly string[]).includes(name)) throw new InvalidArgumentError('osd element', name, OSD_ELEMENTS.join(' | '));
    if (placement !== 'hidden' && !(PLACEMENTS as readonly string[]).includes(placement)) throw new InvalidArgumentError(`osd ${name}`, placement, ['hidden', ...PLACEMENTS].join(' | '));
    const shown = placement === 'hidden' ? 0 : 1;
    if (name === 'time') {
      next.show_date = shown;
      next.show_time = shown;
      if (shown) ({ x: next.date_pos_x, y: next.date_pos_y } = pointOf(placement));
    } else {
      const title = next.title_list[0];
      if (!title) throw new InvalidArgumentError('osd title', placement, 'a camera with a title list');
      title.show_title = shown;
      if (shown) ({ x: title.title_pos_x, y: title.title_pos_y } = pointOf(placement));
    }
  }
  return next;
}

/** The documented setOsdConf keys of an OSD read (an undocumented extra is not sent back). */
function osdSetFields(osd: OsdConf): Record<string, unknown> {
  const keys = ['show_date', 'show_time', 'show_week', 'show_bitrate', 'date_format', 'date_pos_x', 'date_pos_y', 'font_size', 'osd_color'] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (osd[k] !== undefined) out[k] = osd[k];
  out.title_list = osd.title_list.map((t) => ({ title: t.title, title_pos_x: t.title_pos_x, title_pos_y: t.title_pos_y, show_title: t.show_title }));
  return out;
}

// ---- the RS-485 port (§40) ----

/** The common `serial get` shape, as far as this camera has it (no protocol or address fields). */
export interface PeripheralSettings {
  baud: number;
  dataBits: number;
  stopBits: number;
  parity: (typeof PARITIES)[number] | `unknown ${number}`;
  /** PTZ_Lock: PTZ control locked (the manual says no more). */
  ptzLock: boolean;
  /** Undocumented; 0 in the only example. */
  flowControl?: number;
}

export function serialFromWire(p: PeripheralConf): PeripheralSettings {
  return {
    baud: p.baudrate,
    dataBits: p.dataBits,
    stopBits: p.stopBits,
    parity: PARITIES[p.parity] ?? `unknown ${p.parity}`,
    ptzLock: p.PTZ_Lock === 1,
    ...(p.flowControl !== undefined ? { flowControl: p.flowControl } : {}),
  };
}

/** The settings of a serial line as zoomsync opens it (SerialLine's baudRate, dataBits, stopBits, parity). */
export interface LineFraming {
  baudRate: number;
  dataBits: number;
  stopBits: number;
  parity: string;
}

/**
 * Where the camera's RS-485 port differs from the line zoomsync drives on the same bus: one
 * line per difference ("baud 9600 on the camera, 2400 on the line"); empty when they match.
 */
export function lineMismatches(port: PeripheralSettings, line: LineFraming): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['baud', port.baud, line.baudRate],
    ['data bits', port.dataBits, line.dataBits],
    ['stop bits', port.stopBits, line.stopBits],
    ['parity', port.parity, line.parity],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${String(a)} on the camera, ${String(b)} on the line`);
}

export const SERIAL_KEYS = ['baud', 'dataBits', 'stopBits', 'parity', 'ptzLock'] as const;
/** Fields of the common `serial set` shape (json-api has them) that setPeripheralConf cannot carry. */
export const SERIAL_KEYS_ABSENT = ['protocol', 'address', 'flowControl'] as const;

/**
 * Checks every given field before anything is sent and returns the partial setPeripheralConf
 * JSON. protocol and address are refused: the camera has no such fields (its RS-485 speaks a
 * protocol it does not name; the lens keeps its own address).
 */
export function serialToWire(settings: Record<string, unknown>): Partial<PeripheralConf> {
  if (settings === null || typeof settings !== 'object') throw new InvalidArgumentError('serial settings', settings, `an object with ${SERIAL_KEYS.join(', ')}`);
  for (const key of Object.keys(settings)) {
    if ((SERIAL_KEYS_ABSENT as readonly string[]).includes(key)) {
      throw new NotSupportedError(`setting the serial ${key}`, 'cgi_action cameras (setPeripheralConf has baudrate, dataBits, stopBits, parity and PTZ_Lock only)', key === 'address' ? 'set the PELCO address on the lens or head itself' : `leave ${key} out`);
    }
    if (!(SERIAL_KEYS as readonly string[]).includes(key)) throw new InvalidArgumentError('serial setting', key, SERIAL_KEYS.join(' | '));
  }
  const s = settings as Partial<Record<(typeof SERIAL_KEYS)[number], unknown>>;
  const out: Partial<PeripheralConf> = {};
  if (s.baud !== undefined) out.baudrate = checkOneOf('serial baud', s.baud, BAUD_RATES, 'the camera offers these four; PELCO lenses usually run 2400, 4800 or 9600');
  if (s.dataBits !== undefined) out.dataBits = checkOneOf('serial data bits', s.dataBits, DATA_BITS);
  if (s.stopBits !== undefined) out.stopBits = checkOneOf('serial stop bits', s.stopBits, STOP_BITS);
  if (s.parity !== undefined) out.parity = PARITIES.indexOf(checkOneOf('serial parity', s.parity, PARITIES));
  if (s.ptzLock !== undefined) {
    if (typeof s.ptzLock !== 'boolean') throw new InvalidArgumentError('serial ptzLock', s.ptzLock, 'true | false');
    out.PTZ_Lock = s.ptzLock ? 1 : 0;
  }
  if (Object.keys(out).length === 0) throw new InvalidArgumentError('serial settings', {}, `at least one of ${SERIAL_KEYS.join(', ')}`);
  return out;
}
