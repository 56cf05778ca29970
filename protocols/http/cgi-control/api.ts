/**
 * The CGI control API (`GET /cgi-bin/control/<script>.cgi?id=&passwd=&action=…`, digest of
 * seeds/002): one call description per action with its arguments checked before anything is
 * sent, what each call means for a resend, the PTZ capability model (capabilityptz.cgi) and the
 * translation of the image groups between the wire keys and zoomsync's names. Pure: no I/O.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { Capability, OsdSettings } from '../common/capabilities.js';
import { KvFormatError, section, type KvBody } from './kv.js';

/** What a successful answer is: `key = value` lines, the empty body of the action-type commands, or a JPEG. */
export type CgiAnswer = 'values' | 'empty' | 'jpeg';

/** One call: a script under /cgi-bin/control (or /cgi-bin/image), its action and arguments. */
export interface CgiCall {
  /** e.g. 'zf_control'; the image scripts are 'image/jpeg'. */
  script: string;
  action?: string;
  params: readonly (readonly [string, string])[];
  answer: CgiAnswer;
  /** Safe to send twice (a get, a set of the same value, a stop). */
  idempotent: boolean;
  /** Sets the lens or head moving: never sent twice once it may have reached the camera. */
  movesLens?: true;
  /** Changes something on the camera (a timeout means it may have done so). */
  acts: boolean;
}

/** The path with the query; credentials come first, as in every table of the spec. */
export function cgiPath(call: CgiCall, id: string, passwd: string): string {
  const base = call.script.startsWith('image/') ? `/cgi-bin/${call.script}.cgi` : `/cgi-bin/control/${call.script}.cgi`;
  const query = new URLSearchParams([['id', id], ['passwd', passwd]]);
  if (call.action !== undefined) query.append('action', call.action);
  for (const [k, v] of call.params) query.append(k, v);
  return `${base}?${query.toString()}`;
}

const get = (script: string, action: string, params: [string, string][] = []): CgiCall => ({ script, action, params, answer: 'values', idempotent: true, acts: false });
const set = (script: string, action: string, params: [string, string][]): CgiCall => ({ script, action, params, answer: 'values', idempotent: true, acts: true });
const act = (script: string, action: string, params: [string, string][], moves: boolean): CgiCall => ({ script, action, params, answer: 'empty', idempotent: !moves, acts: true, ...(moves ? { movesLens: true as const } : {}) });

export function checkInt(field: string, value: unknown, min: number, max: number, hint?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(field, value, `an integer ${min}–${max}`, hint);
  return value;
}

export function checkOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new InvalidArgumentError(field, value, allowed.join(' | '));
  return value as T;
}

/** The spec's speeds: 1–100 for every move. */
export const SPEED_MIN = 1;
export const SPEED_MAX = 100;
/** The spec's ceiling for preset numbers (PresetSupported says the camera's own). */
export const PRESET_LIMIT = 256;
/** The stop value of autopan, tour (number) and autopan cw/ccw (speed). */
export const SEQUENCE_STOP = 255;

export type ZoomDirection = 'in' | 'out';
export type FocusDirection = 'in' | 'out';
export type PanDirection = 'left' | 'right';
export type TiltDirection = 'up' | 'down';

function ipv4(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value)) throw new InvalidArgumentError(field, value, 'an IPv4 address a.b.c.d');
  return value;
}

export const calls = {
  serverName: () => get('servername', 'getservername'),
  date: () => get('serverdate', 'getdate'),
  /** The camera's wall clock (the spec has no time zone): year 1970–2031. Switches its time mode to "user". */
  setDate(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): CgiCall {
    return set('serverdate', 'setdate', [
      ['year', String(checkInt('year', t.year, 1970, 2031, 'the camera keeps dates 1970–2031'))],
      ['month', String(checkInt('month', t.month, 1, 12))],
      ['day', String(checkInt('day', t.day, 1, 31))],
      ['hour', String(checkInt('hour', t.hour, 0, 23))],
      ['minute', String(checkInt('minute', t.minute, 0, 59))],
      ['second', String(checkInt('second', t.second, 0, 59))],
    ]);
  },
  mac: () => get('servermac', 'getmac'),
  maxVideoSize: () => get('videoset', 'getmaxsize'),
  ip: () => get('netset', 'getip'),
  dns: () => get('dnsset', 'getdns'),
  setIp(s: { dhcp: boolean; address?: string; netmask?: string; gateway?: string }): CgiCall {
    if (s.dhcp) return set('netset', 'setip', [['mode', 'dhcp']]);
    return set('netset', 'setip', [['mode', 'static'], ['ipaddress', ipv4('IP address', s.address)], ['netmask', ipv4('netmask', s.netmask)], ['gateway', ipv4('gateway', s.gateway)]]);
  },
  setDns: (primary: string, secondary: string): CgiCall => set('dnsset', 'setdns', [['firstdns', ipv4('first DNS', primary)], ['seconddns', secondary === '' ? '' : ipv4('second DNS', secondary)]]),
  rtsp: () => get('rtspset', 'getrtsp'),
  /** Reboot and factory resets are not idempotent: a resent one would restart the camera twice. */
  reboot: (): CgiCall => ({ ...set('reboot', 'setreboot', []), idempotent: false }),
  /** Everything, or everything but the IP, DNS and HTTP port. */
  factory: (keepNetwork: boolean): CgiCall => ({ ...set('reboot', keepNetwork ? 'setfactoryexip' : 'setfactory', []), idempotent: false }),
  alarmIn: (n: number) => get('alarmin', `getalarmin${checkInt('alarm input', n, 1, 16)}`),
  /** 0: every output. */
  alarmOut: (n: number) => get('alarmout', `getalarmout${checkInt('alarm output', n, 0, 16, '0 reads every output')}`),
  /** The relay by hand (ctrl_alarmout.cgi): outputs count from 1. */
  relay: (n: number, on: boolean): CgiCall => set('ctrl_alarmout', 'setalarmout', [[`alarmout${checkInt('alarm output', n, 1, 16, 'outputs count from 1')}`, on ? 'on' : 'off']]),
  ptzStatus: () => get('ptzf_status', 'getptzstatus'),
  setPtzStatus(s: { panTilt?: boolean; zoomFocus?: boolean }): CgiCall {
    const params: [string, string][] = [];
    if (s.panTilt !== undefined) params.push(['ptstatus', s.panTilt ? 'enable' : 'disable']);
    if (s.zoomFocus !== undefined) params.push(['zfstatus', s.zoomFocus ? 'enable' : 'disable']);
    if (params.length === 0) throw new InvalidArgumentError('PTZ status', {}, 'panTilt and/or zoomFocus');
    return set('ptzf_status', 'setptzstatus', params);
  },
  /** Lens initialisation: moves the lens. */
  lensReset: (): CgiCall => act('ptzf_status', 'lensreset', [], true),
  zoom: (direction: ZoomDirection, speed: number): CgiCall =>
    act('zf_control', 'setzfmove', [['zoom', checkOneOf('zoom direction', direction, ['in', 'out'])], ['zoomspeed', String(checkInt('zoom speed', speed, SPEED_MIN, SPEED_MAX))]], true),
  focus: (direction: FocusDirection, speed: number): CgiCall =>
    act('zf_control', 'setzfmove', [['focus', checkOneOf('focus direction', direction, ['in', 'out'])], ['focusspeed', String(checkInt('focus speed', speed, SPEED_MIN, SPEED_MAX))]], true),
  /** Stops zoom and focus together: the one call always worth repeating. */
  zoomFocusStop: (): CgiCall => act('zf_control', 'setzfmove', [['zoom', 'stop'], ['focus', 'stop']], false),
  onePush: (): CgiCall => act('zf_control', 'onepush', [], true),
  /** A pan and/or tilt move at speeds 1–100; an axis left out keeps what it does. */
  panTilt(m: { pan?: PanDirection; panSpeed?: number; tilt?: TiltDirection; tiltSpeed?: number }): CgiCall {
    const params: [string, string][] = [];
    if (m.pan !== undefined) params.push(['pan', checkOneOf('pan direction', m.pan, ['left', 'right'])], ['panspeed', String(checkInt('pan speed', m.panSpeed, SPEED_MIN, SPEED_MAX))]);
    if (m.tilt !== undefined) params.push(['tilt', checkOneOf('tilt direction', m.tilt, ['up', 'down'])], ['tiltspeed', String(checkInt('tilt speed', m.tiltSpeed, SPEED_MIN, SPEED_MAX))]);
    if (params.length === 0) throw new InvalidArgumentError('pan/tilt move', m, 'a pan and/or a tilt direction');
    return act('pt_control', 'setptmove', params, true);
  },
  panTiltStop: (): CgiCall => act('pt_control', 'setptmove', [['pan', 'stop'], ['tilt', 'stop']], false),
  /** set / go / clear preset n (1 to the camera's PresetSupported). */
  preset(op: 'set' | 'go' | 'clear', n: number, max: number): CgiCall {
    checkInt('preset', n, 1, Math.min(max, PRESET_LIMIT), max < 1 ? 'the camera has no presets' : `this camera has ${max}`);
    return act('preset_control', `${op}preset`, [['number', String(n)]], op === 'go');
  },
  /** Autopan A↔B number n (1 to AutopanSupported); stop with autopanStop. */
  autopan: (n: number, max: number): CgiCall => act('preset_control', 'autopan', [['number', String(checkInt('autopan', n, 1, Math.min(max, 100), `this camera has ${max}`))]], true),
  autopanStop: (): CgiCall => act('preset_control', 'autopan', [['number', String(SEQUENCE_STOP)]], false),
  autopanTurn: (direction: 'cw' | 'ccw', speed: number): CgiCall =>
    act('preset_control', `autopan_${checkOneOf('autopan direction', direction, ['cw', 'ccw'])}`, [['speed', String(checkInt('autopan speed', speed, SPEED_MIN, SPEED_MAX))]], true),
  autopanTurnStop: (direction: 'cw' | 'ccw'): CgiCall => act('preset_control', `autopan_${checkOneOf('autopan direction', direction, ['cw', 'ccw'])}`, [['speed', String(SEQUENCE_STOP)]], false),
  tour: (n: number, max: number): CgiCall => act('preset_control', 'tour', [['number', String(checkInt('tour', n, 1, Math.min(max, 100), `this camera has ${max}`))]], true),
  tourStop: (): CgiCall => act('preset_control', 'tour', [['number', String(SEQUENCE_STOP)]], false),
  /** getPTZ has every key; the All form lacks three (EndlessPan, AutoFocus, Autopancw). */
  /**
   * Not in the spec (rev 1.20): position read-back and absolute moves that third-party clients
   * of newer firmware use (digest §10). Sent only when the client is configured for them.
   */
  ptzfPosition: () => get('ptzf_status', 'getptzfpos'),
  goPtzfPosition(target: { zoompos?: number; focuspos?: number }, max: { zoom: number; focus: number }): CgiCall {
    const params: [string, string][] = [];
    if (target.zoompos !== undefined) params.push(['zoompos', String(checkInt('zoom position', target.zoompos, 0, max.zoom, 'the scale is per camera: set positions.zoomMax for yours'))]);
    if (target.focuspos !== undefined) params.push(['focuspos', String(checkInt('focus position', target.focuspos, 0, max.focus, 'the scale is per camera: set positions.focusMax for yours'))]);
    if (params.length === 0) throw new InvalidArgumentError('position', target, 'a zoompos and/or a focuspos');
    return act('ptzf_status', 'goptzfpos', params, true);
  },
  ptzCapabilities: (all = false) => get('capabilityptz', all ? 'getCapabilitiesPTZAll' : 'getPTZ'),
  jpeg: (): CgiCall => ({ script: 'image/jpeg', params: [], answer: 'jpeg', idempotent: true, acts: false }),
};

// ---- the clock ----

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * `serverdate = <month> <day>, <year> <hour>:<minute>:<second>` (token formats unspecified):
 * a numeric month or an English name or abbreviation, optional zero padding. Milliseconds of
 * the wall clock read as UTC, or undefined.
 */
export function parseServerDate(text: string): number | undefined {
  const m = /^\s*([A-Za-z]+|\d{1,2})\.?\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const month = /^\d+$/.test(m[1]!) ? Number(m[1]) : MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
  const [day, year, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

// ---- PTZ capabilities ----

export interface PtzCapabilities {
  pan: boolean;
  tilt: boolean;
  zoom: boolean;
  focus: boolean;
  endlessPan: boolean;
  /** One-push AF (inferred from AutoFocusSupported). */
  autoFocus: boolean;
  /** Highest preset number; 0: none. */
  presets: number;
  autopans: number;
  autopanTurn: boolean;
  tours: number;
}

function yesNo(key: string, value: string | undefined): boolean {
  if (value === undefined) return false; // the All form leaves three keys out
  if (/^yes$/i.test(value)) return true;
  if (/^no$/i.test(value)) return false;
  throw new KvFormatError(0, `${key} = ${JSON.stringify(value)} is neither Yes nor No`);
}

/** `No` or a maximum 1–limit. */
function count(key: string, value: string | undefined, limit: number): number {
  if (value === undefined || /^no$/i.test(value)) return 0;
  if (/^yes$/i.test(value)) return 1; // not documented for these keys; read as "one"
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= limit)) throw new KvFormatError(0, `${key} = ${JSON.stringify(value)} is neither No nor a number 1–${limit}`);
  return n;
}

/** The `[Capabilities PTZ]` block of capabilityptz.cgi. */
export function ptzCapabilitiesFrom(body: Extract<KvBody, { kind: 'values' }>): PtzCapabilities {
  const s = section(body, 'Capabilities PTZ');
  if (!s) throw new KvFormatError(0, 'no [Capabilities PTZ] section');
  const v = s.values;
  return {
    pan: yesNo('PanSupported', v.PanSupported),
    tilt: yesNo('TiltSupported', v.TiltSupported),
    zoom: yesNo('ZoomSupported', v.ZoomSupported),
    focus: yesNo('FocusSupported', v.FocusSupported),
    endlessPan: yesNo('EndlessPanSupported', v.EndlessPanSupported),
    autoFocus: yesNo('AutoFocusSupported', v.AutoFocusSupported),
    presets: count('PresetSupported', v.PresetSupported, PRESET_LIMIT),
    autopans: count('AutopanSupported', v.AutopanSupported, 100),
    autopanTurn: yesNo('AutopancwSupported', v.AutopancwSupported),
    tours: count('TourSupported', v.TourSupported, 100),
  };
}

/** What every camera of the spec has, whatever its PTZ. */
export const BASE_CAPABILITIES: readonly Capability[] = ['identity', 'image', 'osd', 'network', 'time', 'events', 'snapshot', 'reboot', 'factory-default'];

/** Common capabilities for a camera with these PTZ abilities: focus (one-push) and presets only when offered. */
export function capabilitiesFromPtz(p: PtzCapabilities): Set<Capability> {
  const caps = new Set<Capability>(BASE_CAPABILITIES);
  if (p.autoFocus && p.focus) caps.add('focus');
  if (p.presets > 0) caps.add('presets');
  return caps;
}

// ---- image groups ----

type Field = { kind: 'int'; min: number; max: number } | { kind: 'enum'; values: readonly string[] };
const int = (min: number, max: number): Field => ({ kind: 'int', min, max });
const oneOf = (...values: string[]): Field => ({ kind: 'enum', values });
const ENABLE = oneOf('enable', 'disable');

export interface ImageGroup {
  script: string;
  get: string;
  set: string;
  /** Request key → its range. */
  fields: Readonly<Record<string, Field>>;
  /** Response key → request key, where they differ (digest §5 item 1). */
  renames: Readonly<Record<string, string>>;
}

/** The lens and exposure settings zoomsync maps onto `image` (the rest: raw calls). */
export const IMAGE_GROUPS = {
  dayNight: {
    script: 'camdaynight', get: 'getdaynight', set: 'setdaynight',
    fields: { mode: oneOf('day', 'night', 'auto', 'lpr'), autolevel: int(1, 100), interval: int(1, 200), ptn: int(1, 990), ptd: int(1, 990), irlink: ENABLE, lprdayspeed: int(1, 10), lprnightspeed: int(1, 10) },
    renames: { daynightmode: 'mode' },
  },
  color: {
    script: 'camcolor', get: 'getcolor', set: 'setcolor',
    fields: { bright: int(1, 100), contrast: int(1, 100), saturation: int(1, 100), sharp: int(1, 100), edge: int(1, 100), hue: int(1, 100) },
    renames: {},
  },
  whiteBalance: {
    script: 'camwhitebal', get: 'getwb', set: 'setwb',
    fields: { mode: oneOf('auto', 'indoor', 'outdoor', 'fluorescent', 'user'), userred: int(1, 100), userblue: int(1, 100) },
    renames: { wbmode: 'mode' },
  },
  shutter: {
    script: 'camshutspeed', get: 'getshutterspd', set: 'setshutterspd',
    fields: { shutmode: oneOf('auto', 'suppressroll', 'user'), maxexposure: int(1, 6), suppress: oneOf('week', 'strong'), shutspeed: int(1, 9), agcvalue: int(1, 100) },
    renames: { minshutspd: 'maxexposure' },
  },
} as const satisfies Record<string, ImageGroup>;

export type ImageGroupName = keyof typeof IMAGE_GROUPS;
export const IMAGE_GROUP_NAMES = Object.keys(IMAGE_GROUPS) as ImageGroupName[];

export const imageGet = (group: ImageGroupName): CgiCall => get(IMAGE_GROUPS[group].script, IMAGE_GROUPS[group].get);

/** A group's answer under the request keys, numbers as numbers. */
export function imageFromWire(group: ImageGroupName, values: Readonly<Record<string, string>>): Record<string, string | number> {
  const g: ImageGroup = IMAGE_GROUPS[group];
  const out: Record<string, string | number> = {};
  for (const [wire, value] of Object.entries(values)) {
    const key = g.renames[wire] ?? wire;
    out[key] = g.fields[key]?.kind === 'int' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/**
 * A partial set of one group, each field checked against the spec's range before sending.
 * The conditions the tables state: ptn ≥ ptd; `user` white balance needs both gains; `user`
 * shutter needs shutspeed and agcvalue; suppressroll needs suppress; (`auto` day/night asks for
 * autolevel, which the spec's own example leaves out: not enforced).
 */
export function imageSet(group: ImageGroupName, changes: Readonly<Record<string, unknown>>, current: Readonly<Record<string, string | number>> = {}): CgiCall {
  const g: ImageGroup = IMAGE_GROUPS[group];
  if (changes === null || typeof changes !== 'object' || Object.keys(changes).length === 0) throw new InvalidArgumentError(`image ${group}`, changes, `an object with some of ${Object.keys(g.fields).join(', ')}`);
  const params: [string, string][] = [];
  for (const [key, value] of Object.entries(changes)) {
    const field = g.fields[key];
    if (!field) throw new InvalidArgumentError(`image ${group} setting`, key, Object.keys(g.fields).join(' | '));
    params.push([key, field.kind === 'int' ? String(checkInt(`image ${group}.${key}`, value, field.min, field.max)) : checkOneOf(`image ${group}.${key}`, typeof value === 'string' ? value.toLowerCase() : value, field.values)]);
  }
  const next = { ...current, ...Object.fromEntries(params) } as Record<string, string | number>;
  if (group === 'dayNight' && ('ptn' in changes || 'ptd' in changes) && Number(next.ptn) < Number(next.ptd)) {
    throw new InvalidArgumentError('image dayNight ptn', Number(next.ptn), `at least ptd (${next.ptd}): the day→night point must not be below the night→day point`);
  }
  const need = (when: boolean, keys: string[], why: string) => {
    for (const k of keys) if (when && !(k in changes)) throw new InvalidArgumentError(`image ${group}.${k}`, undefined, 'a value', why);
  };
  need(group === 'whiteBalance' && changes.mode === 'user', ['userred', 'userblue'], 'user white balance takes both gains');
  need(group === 'shutter' && changes.shutmode === 'user', ['shutspeed', 'agcvalue'], 'user shutter takes shutspeed and agcvalue');
  need(group === 'shutter' && changes.shutmode === 'suppressroll', ['suppress'], 'suppressroll takes suppress week|strong');
  return set(g.script, g.set, params);
}

// ---- OSD ----

/** The OSD elements zoomsync maps, by common name → osd.cgi switch. The camera draws each at its own place. */
export const OSD_SWITCHES = { title: 'texton', date: 'dateon', time: 'timeon' } as const;
export type OsdElement = keyof typeof OSD_SWITCHES;

/**
 * osd.cgi's answer as placements: an element shown is 'custom' (drawn where the camera puts it:
 * the API has no positions), hidden when its switch or the master `osdstatus` is off. Firmware
 * before rev 1.17 prints `tsxton` for `texton`.
 */
export function osdFromWire(values: Readonly<Record<string, string>>): OsdSettings {
  const master = values.osdstatus !== 'disable';
  const out: OsdSettings = {};
  for (const [name, key] of Object.entries(OSD_SWITCHES)) {
    const v = values[key] ?? (key === 'texton' ? values.tsxton : undefined);
    if (v !== undefined) out[name] = master && v === 'enable' ? 'custom' : 'hidden';
  }
  return out;
}

/** A setosd: 'hidden' turns an element off, 'custom' on (at the camera's place); turning one on turns the master switch on. */
export function osdToWire(changes: OsdSettings): CgiCall {
  if (changes === null || typeof changes !== 'object' || Object.keys(changes).length === 0) throw new InvalidArgumentError('OSD changes', changes, `some of ${Object.keys(OSD_SWITCHES).join(', ')}`);
  const params: [string, string][] = [];
  for (const [name, placement] of Object.entries(changes)) {
    const key = OSD_SWITCHES[name as OsdElement];
    if (!key) throw new InvalidArgumentError('OSD element', name, Object.keys(OSD_SWITCHES).join(' | '));
    if (placement !== 'hidden' && placement !== 'custom') throw new InvalidArgumentError(`OSD ${name}`, placement, "'hidden' | 'custom'", 'the camera draws each element at its own fixed place');
    params.push([key, placement === 'hidden' ? 'disable' : 'enable']);
  }
  if (params.some(([, v]) => v === 'enable')) params.unshift(['osdstatus', 'enable']);
  return set('osd', 'setosd', params);
}

export const osdGet = (): CgiCall => get('osd', 'getosd');
