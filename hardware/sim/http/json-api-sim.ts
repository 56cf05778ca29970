/**
 * A simulator of the JSON api.cgi (the digest of seeds/003) on loopback, as strict as the
 * manual: POST a JSON array of `{cmd, action, param}` to /cgi-bin/api.cgi or /api.cgi, one
 * answer per element in order (text/html, as the camera sends it), errors as rspCodes.
 *
 * - Auth: Login gives a random token with a lease (leaseSeconds); the token rides in the URL;
 *   an unknown or expired token is -21, none -6; the sessions are limited (maxSessions: -5);
 *   wrong credentials -7, and after `lockAfter` failures -506 for lockMs (the SysCfg policy:
 *   5 tries, 300 s). The short form (user and password in the URL) is checked on every call
 *   and counts toward the same lock.
 * - Strict: a content type other than the two documented (application/json,
 *   application/octet-stream) is -10 "protocol"; a key the manual does not list, or a value
 *   out of its range, is -4; a missing mandatory field -23; a channel other than 0 -49; an
 *   unknown command, or one the ability profile lacks, -9; a float where an int belongs -4.
 * - State: the lens is a SimulatedLens (shared with PELCO), scaled to zoomMax/focusMax;
 *   presets stored in the lens; a pan/tilt head for the PTZ profile; image, OSD, clock, serial.
 * - Quirks: the echoed cmd of SetPtzSerial is " SetPtzSerial " (as printed); errorsWithCode0
 *   answers errors as the manual's §4.1 example does (code 0 with an error object).
 *
 * Choices where the manual is silent are recorded in docs/http.md.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { requestParams, type JsonApiCmd, type JsonApiImage, type JsonApiOsd, type JsonApiPtzSerial, type PtzOp } from '../../../protocols/http/json-api/schemas.js';
import { FOCUS_MAX as LENS_FOCUS_MAX, SimulatedLens, ZOOM_MAX as LENS_ZOOM_MAX } from '../lens-model.js';
import { PanTiltModel } from '../pan-tilt-model.js';
import { SimServer, type SimRequest, type SimResponse, type SimServerOptions } from './sim-server.js';
import { SimulatedCamera } from './simulated-camera.js';

export interface JsonApiSimUser {
  userName: string;
  password: string;
}

/** zoom-block: a motorised lens (ptzType 1, ptzCtrl 2); ptz-dome: pan/tilt too (ptzType 2); fixed: no PTZ. */
export type JsonApiSimProfile = 'zoom-block' | 'ptz-dome' | 'fixed';

export interface JsonApiSimOptions extends SimServerOptions {
  lens?: SimulatedLens;
  users?: JsonApiSimUser[];
  profile?: JsonApiSimProfile;
  /** The lease Login grants, in seconds. Default 3600. */
  leaseSeconds?: number;
  /** Sessions at once. Default 4. */
  maxSessions?: number;
  /** Failed logins before the lock. Default 5. */
  lockAfter?: number;
  /** How long the lock lasts. Default 300 s. */
  lockMs?: number;
  /** The camera's zoom and focus scales. Defaults 32 and 248. */
  zoomMax?: number;
  focusMax?: number;
  /** The op that zooms in on this camera. Default 'ZoomDec' (the manual's text). */
  zoomInOp?: 'ZoomDec' | 'ZoomInc';
  /** Milliseconds for leases and the login lock (tests move it on). Default Date.now. */
  clock?: () => number;
  /** GetDevInfo.B485. Default true. */
  rs485?: boolean;
  /** Answer errors with code 0 and an error object, as the manual's §4.1 example. Default false (code 1). */
  errorsWithCode0?: boolean;
  model?: string;
  firmware?: string;
}

export const SIM_MAC = 'EC:71:DB:00:00:01';
/** The smallest JPEG frame: SOI, an APP0 marker, EOI. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const PATHS = new Set(['/cgi-bin/api.cgi', '/api.cgi']);
const REQUEST_TYPES = new Set(['application/json', 'application/octet-stream']);

/** Who sent a request: a session's user and token, or the short form's user. */
interface Caller {
  user: string;
  token?: string;
}

type Answer = { value: unknown } | { rspCode: number; detail?: string };
interface Element {
  cmd: string;
  action?: number;
  param?: unknown;
}

/** A refusal inside a handler. */
class Refuse extends Error {
  constructor(
    readonly rspCode: number,
    readonly detail?: string,
  ) {
    super(`rspCode ${rspCode}`);
  }
}

const DETAILS: Record<number, string> = {
  [-4]: 'param error', [-5]: 'max session', [-6]: 'please login first', [-7]: 'login failed', [-9]: 'not support',
  [-10]: 'protocol', [-21]: 'error token', [-23]: 'missing param', [-48]: 'Fetching a picture failed', [-49]: 'Channel invalid', [-506]: 'Login locked',
};

const ab = (permit: number, ver: number) => ({ permit, ver });

export class JsonApiSimulator extends SimulatedCamera {
  readonly lens: SimulatedLens;
  readonly head = new PanTiltModel();
  readonly server: SimServer;
  readonly counters = { logins: 0, failedLogins: 0, logouts: 0, commands: new Map<string, number>() };
  /** The continuous PtzCtrl op running (undefined after Stop). */
  motion: PtzOp | undefined;
  rebootCount = 0;
  restoreCount = 0;
  image!: Omit<JsonApiImage, 'channel'>;
  osd!: JsonApiOsd;
  serial!: JsonApiPtzSerial;
  /** Seconds west of UTC (the sign convention zoomsync chose; docs/http.md). */
  timeZone = -3600;
  /** Camera clock minus the host's, in ms. */
  clockOffsetMs = 0;
  autoFocusDisabled = false;
  /** A camera that lost its session table: every token is answered -21 (for the one-re-login test). */
  refuseTokens = false;
  readonly presets = Array.from({ length: 64 }, (_, i) => ({ id: i + 1, enable: 0 as 0 | 1, name: '' }));
  private readonly sessions = new Map<string, { user: string; expiresAt: number }>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private readonly users: JsonApiSimUser[];
  private readonly now: () => number;
  private readonly o: Required<Pick<JsonApiSimOptions, 'profile' | 'leaseSeconds' | 'maxSessions' | 'lockAfter' | 'lockMs' | 'zoomMax' | 'focusMax' | 'zoomInOp' | 'rs485' | 'errorsWithCode0'>> & JsonApiSimOptions;

  constructor(options: JsonApiSimOptions = {}) {
    super();
    this.o = {
      ...options,
      profile: options.profile ?? 'zoom-block',
      leaseSeconds: options.leaseSeconds ?? 3600,
      maxSessions: options.maxSessions ?? 4,
      lockAfter: options.lockAfter ?? 5,
      lockMs: options.lockMs ?? 300_000,
      zoomMax: options.zoomMax ?? 32,
      focusMax: options.focusMax ?? 248,
      zoomInOp: options.zoomInOp ?? 'ZoomDec',
      rs485: options.rs485 ?? true,
      errorsWithCode0: options.errorsWithCode0 ?? false,
    };
    this.now = options.clock ?? Date.now;
    this.lens = options.lens ?? new SimulatedLens();
    this.users = options.users ?? [{ userName: 'admin', password: 'admin' }];
    this.reset();
    this.server = new SimServer((req) => this.handle(req), () => ({ status: 413 }), options);
  }

  /** Sessions open now (expired ones dropped). */
  get openSessions(): number {
    this.expire();
    return this.sessions.size;
  }

  /** Voids every session (a reboot). */
  forgetSessions(): void {
    this.sessions.clear();
  }

  /** Times a command was answered (any result). */
  count(cmd: string): number {
    return this.counters.commands.get(cmd) ?? 0;
  }

  private reset(): void {
    this.image = { bright: 128, contrast: 128, saturation: 128, hue: 128, sharpen: 128 };
    this.osd = { channel: 0, bgcolor: 0, osdChannel: { enable: 1, name: 'Camera1', pos: 'Lower Right' }, osdTime: { enable: 1, pos: 'Upper Left' }, watermark: 1 };
    this.serial = { channel: 0, baudRate: 1200, ctrlAddr: 1, ctrlProtocol: 'PELCO_D', dataBit: 'CS8', flowCtrl: 'none', parity: 'none', stopBit: 1 };
    this.autoFocusDisabled = false;
  }

  // ---- transport ----

  private async handle(req: SimRequest): Promise<SimResponse> {
    if (!PATHS.has(req.path)) return { status: 404, contentType: 'text/html', body: '<html>404 Not Found</html>' };
    const query = new URLSearchParams(req.query);
    if ((query.get('cmd') ?? '').toLowerCase() === 'snap') return this.snap(req, query);
    if (req.method !== 'POST') return { status: 405, contentType: 'text/html', body: '<html>405 Method Not Allowed</html>' };
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const queryCmd = query.get('cmd') ?? '';
    if (!REQUEST_TYPES.has(type)) return this.reply([this.error(queryCmd, -10, `content type must be application/json or application/octet-stream, got ${JSON.stringify(type || '(none)')}`)]);
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return this.reply([this.error(queryCmd, -10, 'the body is not JSON')]);
    }
    // The manual's examples are arrays, and a few bare objects: both taken, the answer always an array.
    const elements = Array.isArray(body) ? body : [body];
    if (elements.length === 0) return this.reply([this.error(queryCmd, -23, 'no command')]);
    const auth = this.authenticate(query);
    return this.reply(elements.map((e) => this.element(e, auth)));
  }

  private reply(elements: unknown[]): SimResponse {
    return { status: 200, contentType: 'text/html', body: JSON.stringify(elements) };
  }

  private error(cmd: string, rspCode: number, detail?: string): unknown {
    return { cmd, code: this.o.errorsWithCode0 ? 0 : 1, error: { rspCode, detail: detail ?? DETAILS[rspCode] ?? 'error' } };
  }

  /** Who the URL says is calling: a session token, the short form's credentials, or nobody. */
  private authenticate(query: URLSearchParams): Caller | { rspCode: number } {
    const token = query.get('token');
    if (token !== null) {
      this.expire();
      const session = this.refuseTokens ? undefined : this.sessions.get(token);
      return session ? { user: session.user, token } : { rspCode: -21 };
    }
    const user = query.get('user');
    const password = query.get('password');
    if (user !== null && password !== null) {
      const refused = this.checkLogin(user, password);
      return refused === undefined ? { user } : { rspCode: refused };
    }
    return { rspCode: -6 };
  }

  /** undefined when the credentials are right; else the rspCode (a failure counts toward the lock). */
  private checkLogin(userName: string, password: string): number | undefined {
    this.counters.logins++;
    const now = this.now();
    const record = this.failures.get(userName) ?? { count: 0, lockedUntil: 0 };
    if (record.lockedUntil > now) return -506;
    if (record.lockedUntil) record.count = 0;
    const user = this.users.find((u) => u.userName === userName);
    if (!user || user.password !== password) {
      this.counters.failedLogins++;
      record.count++;
      record.lockedUntil = record.count >= this.o.lockAfter ? now + this.o.lockMs : 0;
      this.failures.set(userName, record);
      return -7;
    }
    this.failures.delete(userName);
    return undefined;
  }

  private expire(): void {
    const now = this.now();
    for (const [token, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(token);
  }

  /** One request element: shape, dispatch, auth, ability, params. */
  private element(raw: unknown, auth: Caller | { rspCode: number }): unknown {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return this.error('', -4, 'a command must be an object {cmd, action, param}');
    const e = raw as Element;
    const cmdText = typeof e.cmd === 'string' ? e.cmd : '';
    const extra = Object.keys(e).filter((k) => k !== 'cmd' && k !== 'action' && k !== 'param');
    if (!cmdText) return this.error(cmdText, -23, 'cmd is missing');
    const cmd = (Object.keys(requestParams) as JsonApiCmd[]).find((k) => k.toLowerCase() === cmdText.trim().toLowerCase());
    this.counters.commands.set(cmd ?? cmdText, (this.counters.commands.get(cmd ?? cmdText) ?? 0) + 1);
    if (!cmd) return this.error(cmdText, -9);
    if (extra.length) return this.error(cmdText, -4, `unknown key ${extra[0]}`);
    if (e.action !== undefined && e.action !== 0 && e.action !== 1) return this.error(cmdText, -4, 'action must be 0 or 1');
    let answer: Answer;
    try {
      if (cmd !== 'Login' && 'rspCode' in auth) throw new Refuse(auth.rspCode);
      if (!this.gate(cmd)) throw new Refuse(-9);
      const param = this.param(cmd, e.param);
      answer = { value: this.run(cmd, param, cmd === 'Login' ? undefined : (auth as Caller)) };
    } catch (error) {
      if (!(error instanceof Refuse)) throw error;
      answer = { rspCode: error.rspCode, ...(error.detail ? { detail: error.detail } : {}) };
    }
    // The echo as printed in the manual (a client must match answers by index, not by name).
    const echo = cmd === 'SetPtzSerial' ? ' SetPtzSerial ' : cmdText;
    return 'rspCode' in answer ? this.error(echo, answer.rspCode, answer.detail) : { cmd: echo, code: 0, value: answer.value };
  }

  /** The param checked against the command's strict schema: -23 missing, -4 anything else, -49 a channel other than 0. */
  private param(cmd: JsonApiCmd, param: unknown): any {
    const s = requestParams[cmd] as z.ZodType;
    const parsed = s.safeParse(param);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const missing = issue.code === 'invalid_type' && valueAt(param, issue.path) === undefined;
      throw new Refuse(missing ? -23 : -4, `${issue.path.join('.') || 'param'}: ${issue.message}`);
    }
    const channel = findChannel(parsed.data);
    if (channel !== undefined && channel !== 0) throw new Refuse(-49);
    return parsed.data;
  }

  // ---- abilities ----

  private channelAbility(): Record<string, { permit: number; ver: number }> {
    const p = this.o.profile;
    const lens = p !== 'fixed';
    return {
      ptzType: ab(lens ? 6 : 0, p === 'zoom-block' ? 1 : p === 'ptz-dome' ? 2 : 0),
      ptzCtrl: ab(lens ? 6 : 0, lens ? 2 : 0),
      ptzPreset: ab(lens ? 6 : 0, lens ? 1 : 0),
      ptzPatrol: ab(p === 'ptz-dome' ? 6 : 0, p === 'ptz-dome' ? 1 : 0),
      ptzTattern: ab(0, 0),
      ptzDirection: ab(1, 0),
      disableAutoFocus: ab(lens ? 6 : 0, lens ? 1 : 0),
      supportPtzCheck: ab(0, 0),
      image: ab(6, 1),
      isp: ab(6, 1),
      osd: ab(6, 1),
      snap: ab(6, 1),
      enc: ab(6, 1),
      live: ab(4, 2),
      alarmMd: ab(6, 1),
      alarmIoIn: ab(0, 0),
      alarmIoOut: ab(0, 0),
    };
  }

  private globalAbility(): Record<string, { permit: number; ver: number }> {
    return { devInfo: ab(4, 1), localLink: ab(6, 1), time: ab(6, 2), reboot: ab(1, 1), restore: ab(1, 1), upgrade: ab(1, 1), ntp: ab(6, 1), rtsp: ab(6, 3), http: ab(6, 3), user: ab(6, 1), wifi: ab(0, 0), '3g': ab(0, 0) };
  }

  /** Whether the ability profile offers a command (-9 when not). */
  private gate(cmd: JsonApiCmd): boolean {
    const c = this.channelAbility();
    const g = this.globalAbility();
    const on = (a: { permit: number; ver: number } | undefined) => !!a && a.permit > 0 && a.ver > 0;
    switch (cmd) {
      case 'GetZoomFocus':
      case 'StartZoomFocus':
        return on(c.ptzCtrl) && c.ptzCtrl!.ver >= 2;
      case 'GetAutoFocus':
      case 'SetAutoFocus':
        return on(c.disableAutoFocus);
      case 'PtzCtrl':
        return on(c.ptzType);
      case 'GetPtzPreset':
      case 'SetPtzPreset':
        return on(c.ptzPreset);
      case 'GetPtzSerial':
      case 'SetPtzSerial':
        return this.o.rs485;
      case 'GetImage':
      case 'SetImage':
        return on(c.image);
      case 'GetOsd':
      case 'SetOsd':
        return on(c.osd);
      case 'GetLocalLink':
        return on(g.localLink);
      case 'GetTime':
      case 'SetTime':
        return on(g.time);
      case 'Reboot':
        return on(g.reboot);
      case 'Restore':
        return on(g.restore);
      default:
        return true;
    }
  }

  // ---- commands ----

  private zoomToWire(lensZoom: number): number {
    return Math.round((lensZoom * this.o.zoomMax) / LENS_ZOOM_MAX);
  }

  private focusToWire(lensFocus: number): number {
    return Math.round((lensFocus * this.o.focusMax) / LENS_FOCUS_MAX);
  }

  /** PtzCtrl speed 1–64 onto the lens model's 0–3. */
  private lensSpeed(speed: number): number {
    return Math.min(3, Math.floor((speed - 1) / 16));
  }

  /** `param` has passed the command's strict schema; `caller` is undefined only for Login. */
  private run(cmd: JsonApiCmd, param: any, caller: Caller | undefined): unknown {
    const ok = { rspCode: 200 };
    switch (cmd) {
      case 'Login': {
        const { userName, password } = param.User as { userName: string; password?: string };
        const refused = this.checkLogin(userName, password ?? '');
        if (refused !== undefined) throw new Refuse(refused);
        this.expire();
        if (this.sessions.size >= this.o.maxSessions) throw new Refuse(-5);
        const name = randomBytes(8).toString('hex');
        this.sessions.set(name, { user: userName, expiresAt: this.now() + this.o.leaseSeconds * 1000 });
        return { Token: { leaseTime: this.o.leaseSeconds, name } };
      }
      case 'Logout':
        if (caller?.token !== undefined) this.sessions.delete(caller.token); // the short form has no session to end
        this.counters.logouts++;
        return ok;
      case 'GetAbility': {
        const name = (param.User as { userName: string }).userName;
        if (name && !this.users.some((u) => u.userName === name)) throw new Refuse(-27, 'invalid user');
        return { Ability: { ...this.globalAbility(), abilityChn: [this.channelAbility()] } };
      }
      case 'GetDevInfo':
        return {
          DevInfo: {
            B485: this.o.rs485 ? 1 : 0, IOInputNum: 0, IOOutputNum: 0, audioNum: 1, buildDay: 'build 22090600', cfgVer: 'v3.0.0.0', channelNum: 1,
            detail: 'IPC_523SD10', diskNum: 1, exactType: 'IPC', firmVer: this.o.firmware ?? 'v3.0.0.1388_22090600', frameworkVer: 1, hardVer: 'IPC_523',
            model: this.o.model ?? 'RLC-823A 16X', name: 'Camera1', pakSuffix: 'pak,paks', serial: '00000000000000', type: 'IPC', wifi: 0,
          },
        };
      case 'GetLocalLink':
        return { LocalLink: { activeLink: 'LAN', mac: SIM_MAC, type: 'Static', static: { ip: '192.168.1.58', mask: '255.255.255.0', gateway: '192.168.1.1' }, dns: { auto: 0, dns1: '192.168.1.1', dns2: '8.8.8.8' } } };
      case 'GetNetPort':
        return { NetPort: { httpEnable: 1, httpPort: 80, httpsEnable: 1, httpsPort: 443, mediaPort: 9000, onvifEnable: 1, onvifPort: 8000, rtmpEnable: 0, rtmpPort: 1935, rtspEnable: 1, rtspPort: 554 } };
      case 'GetTime': {
        const wall = new Date(Date.now() + this.clockOffsetMs - this.timeZone * 1000);
        return {
          Dst: { enable: 0, offset: 1, startMon: 3, startWeek: 2, startWeekday: 0, startHour: 2, startMin: 0, startSec: 0, endMon: 10, endWeek: 5, endWeekday: 0, endHour: 2, endMin: 0, endSec: 0 },
          Time: { year: wall.getUTCFullYear(), mon: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), min: wall.getUTCMinutes(), sec: wall.getUTCSeconds(), hourFmt: 0, timeFmt: 'DD/MM/YYYY', timeZone: this.timeZone },
        };
      }
      case 'SetTime': {
        const t = param.Time as Partial<Record<'year' | 'mon' | 'day' | 'hour' | 'min' | 'sec' | 'timeZone', number>>;
        if (t.timeZone !== undefined) this.timeZone = t.timeZone;
        const current = new Date(Date.now() + this.clockOffsetMs - this.timeZone * 1000);
        const wall = Date.UTC(t.year ?? current.getUTCFullYear(), (t.mon ?? current.getUTCMonth() + 1) - 1, t.day ?? current.getUTCDate(), t.hour ?? current.getUTCHours(), t.min ?? current.getUTCMinutes(), t.sec ?? current.getUTCSeconds());
        this.clockOffsetMs = wall + this.timeZone * 1000 - Date.now();
        return ok;
      }
      case 'GetImage':
        return { Image: { channel: 0, ...this.image } };
      case 'SetImage': {
        const { channel: _c, ...image } = param.Image as JsonApiImage;
        this.image = image;
        return ok;
      }
      case 'GetOsd':
        return { Osd: this.osd };
      case 'SetOsd':
        this.osd = { ...this.osd, ...(param.Osd as JsonApiOsd) };
        return ok;
      case 'GetZoomFocus':
        return { ZoomFocus: { channel: 0, focus: { pos: this.focusToWire(this.lens.focus) }, zoom: { pos: this.zoomToWire(this.lens.zoom) } } };
      case 'StartZoomFocus': {
        const { pos, op } = param.ZoomFocus as { pos: number; op: 'ZoomPos' | 'FocusPos' };
        const max = op === 'ZoomPos' ? this.o.zoomMax : this.o.focusMax;
        if (pos > max) throw new Refuse(-4, `pos ${pos} is over ${max}`);
        if (op === 'ZoomPos') this.lens.zoomTo((pos * LENS_ZOOM_MAX) / this.o.zoomMax);
        else this.lens.focusTo((pos * LENS_FOCUS_MAX) / this.o.focusMax);
        return ok;
      }
      case 'GetAutoFocus':
        return { AutoFocus: { disable: this.autoFocusDisabled ? 1 : 0 } };
      case 'SetAutoFocus': {
        this.autoFocusDisabled = (param.AutoFocus as { disable: number }).disable === 1;
        this.lens.setZoomAf(!this.autoFocusDisabled);
        this.lens.setFocusMode(this.autoFocusDisabled ? 'manual' : 'auto');
        return ok;
      }
      case 'PtzCtrl':
        this.ptzCtrl(param as { op: PtzOp; id?: number; speed?: number });
        return ok;
      case 'GetPtzPreset':
        return { PtzPreset: this.presets.map((p) => ({ channel: 0, ...p })) };
      case 'SetPtzPreset': {
        const p = param.PtzPreset as { enable?: 0 | 1; id: number; name: string };
        const slot = this.presets[p.id - 1]!;
        slot.name = p.name;
        if (p.enable === 1) this.lens.savePreset(p.id);
        if (p.enable === 0) this.lens.clearPreset(p.id);
        if (p.enable !== undefined) slot.enable = p.enable;
        return ok;
      }
      case 'GetPtzSerial':
        return { PtzSerial: this.serial };
      case 'SetPtzSerial':
        this.serial = { ...this.serial, ...(param.PtzSerial as Partial<JsonApiPtzSerial>) };
        return ok;
      case 'Reboot':
        this.rebootCount++;
        this.lens.stop();
        setImmediate(() => this.forgetSessions()); // after this answer has left
        return ok;
      case 'Restore':
        this.restoreCount++;
        this.reset();
        setImmediate(() => this.forgetSessions());
        return ok;
    }
  }

  private ptzCtrl(p: { op: PtzOp; id?: number; speed?: number }): void {
    const moves = p.op !== 'Stop' && p.op !== 'StopPatrol';
    // A float speed is refused (a third-party client notes the camera rejects 32.0); zod took it as an int already.
    if (moves && p.op !== 'ToPos' && (p.speed === undefined || p.speed < 1)) throw new Refuse(p.speed === undefined ? -23 : -4, 'speed 1–64 is required');
    const type = this.channelAbility().ptzType!.ver;
    const panTilt = ['Left', 'Right', 'Up', 'Down', 'LeftUp', 'LeftDown', 'RightUp', 'RightDown', 'Auto'].includes(p.op);
    if (panTilt && type < 2) throw new Refuse(-9, `${p.op}: this camera has no pan/tilt`);
    if ((p.op === 'StartPatrol' || p.op === 'StopPatrol') && this.channelAbility().ptzPatrol!.ver === 0) throw new Refuse(-9);
    const speed = this.lensSpeed(p.speed ?? 1);
    const zoomIn = this.o.zoomInOp;
    switch (p.op) {
      case 'Stop':
        this.lens.stop();
        this.head.stop();
        this.motion = undefined;
        return;
      case 'ZoomDec':
      case 'ZoomInc':
        this.lens.zoomTo(p.op === zoomIn ? LENS_ZOOM_MAX : 0, speed);
        break;
      case 'FocusInc':
        this.lens.focusTo(LENS_FOCUS_MAX, speed);
        break;
      case 'FocusDec':
        this.lens.focusTo(0, speed);
        break;
      case 'ToPos': {
        if (p.id === undefined || p.id < 1) throw new Refuse(p.id === undefined ? -23 : -4, 'preset id 1–64 is required');
        if (this.presets[p.id - 1]!.enable !== 1 || this.lens.recallPreset(p.id) === undefined) throw new Refuse(-4, `preset ${p.id} is not set`);
        return;
      }
      case 'Left':
      case 'Right':
      case 'Up':
      case 'Down':
      case 'LeftUp':
      case 'LeftDown':
      case 'RightUp':
      case 'RightDown': {
        const pan = p.op.startsWith('Left') ? 'left' : p.op.startsWith('Right') ? 'right' : undefined;
        const tilt = p.op.endsWith('Up') ? 'up' : p.op.endsWith('Down') ? 'down' : undefined;
        const s = Math.min(63, p.speed!);
        this.head.move(pan, s, tilt, s);
        break;
      }
      default:
        break; // iris, auto scan, patrol: accepted, not modelled beyond `motion`
    }
    this.motion = p.op;
  }

  /** Snap: URL parameters (GET or POST), the JPEG or a JSON error array. */
  private snap(_req: SimRequest, query: URLSearchParams): SimResponse {
    const auth = this.authenticate(query);
    this.counters.commands.set('Snap', this.count('Snap') + 1);
    if ('rspCode' in auth) return this.reply([this.error('Snap', auth.rspCode)]);
    if (!this.gate('GetImage')) return this.reply([this.error('Snap', -9)]);
    if (query.get('channel') === null || !query.get('rs')) return this.reply([this.error('Snap', -23, 'channel and rs are required')]);
    if (query.get('channel') !== '0') return this.reply([this.error('Snap', -49)]);
    return { status: 200, contentType: 'image/jpeg', body: JPEG };
  }
}

/** What a param holds at a path (undefined when it is missing). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** The channel a param names (flat, or inside its one object), if any. */
function findChannel(param: unknown): number | undefined {
  if (!param || typeof param !== 'object') return undefined;
  const p = param as Record<string, unknown>;
  if (typeof p.channel === 'number') return p.channel;
  for (const v of Object.values(p)) if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).channel === 'number') return (v as Record<string, number>).channel;
  return undefined;
}
