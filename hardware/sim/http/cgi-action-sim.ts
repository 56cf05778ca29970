/**
 * A simulator of a cgi_action smart-IPC (the digest of seeds/004) on loopback, as strict as the
 * manual: `GET /action/cgi_action?user=…&pwd=<md5 hex>&action=…[&json=…]`, every answer 200.
 *
 * - Auth first: a wrong user or MD5 (lower-case hex, unless acceptUpperCaseHash) is the plain
 *   line `error user/pwd`; then an unknown action (case-sensitive) or unreadable JSON is
 *   `error json`. The json parameter is read raw or percent-decoded, `+` never turned into a
 *   space; trailing commas (the manual's own setPeripheralConf example) are accepted.
 * - JSON answers carry the envelope after the data, in the variant the manual shows per action
 *   (A standard, B `message: "NULL"`, C with `sign_tby`); headers Date (asctime, the device's
 *   clock), Transfer-Encoding chunked, Connection keep-alive, X-Frame-Options; no Content-Type.
 * - Strict values (choices, docs/http.md): a key the action does not document is code 201, a
 *   missing necessary key or a value out of range 205, a documented action this model lacks
 *   (`lacks`) 209, PTZ control while PTZ_Lock is 1 code 204, pan/tilt on a zoom block 209, a
 *   call of a preset never stored 205.
 * - State: the lens is a SimulatedLens (shared with PELCO); presets stored in it; a pan/tilt
 *   head on the 'ptz' profile; system, clock, wired network, RTSP, image, OSD, RS-485 port,
 *   alarm input; `restart` drops every connection and refuses new ones for restartMs.
 * - /action/cgi_images answers a JPEG (BMP, YUV) without credentials, `failed` for another fmt.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import * as schema from '../../../protocols/http/cgi-action/schemas.js';
import { PTZ_CMD } from '../../../protocols/http/cgi-action/api.js';
import { encode, type PelcoCommand } from '../../../protocols/pelco/index.js';
import { FOCUS_MAX, SimulatedLens, ZOOM_MAX } from '../lens-model.js';
import { PanTiltModel } from '../pan-tilt-model.js';
import { SimServer, type SimRequest, type SimResponse, type SimServerOptions } from './sim-server.js';
import { SimulatedCamera } from './simulated-camera.js';

/** zoom-block: zoom/focus/iris and presets, no head; ptz: a pan/tilt head too. */
export type CgiActionSimProfile = 'zoom-block' | 'ptz';

export interface CgiActionSimOptions extends SimServerOptions {
  lens?: SimulatedLens;
  profile?: CgiActionSimProfile;
  user?: string;
  /** The plain password (its MD5 is what the camera compares). Default '123456' (the manual's). */
  password?: string;
  /** Compare the MD5 hex in any case. Default false: lower case only, as every example sends it. */
  acceptUpperCaseHash?: boolean;
  /** How long a restart keeps the camera away. Default 200 ms. */
  restartMs?: number;
  /** Documented actions this model lacks: answered code 209. */
  lacks?: readonly schema.CgiActionName[];
  devName?: string;
  version?: string;
  /**
   * The camera's RS-485 port: each accepted setPtzControl is also sent as a PELCO-D frame (an
   * inference: the manual names no protocol) with the port settings of the moment, so a test can
   * write it to a pty at that baud and read it as zoomsync's line would.
   */
  rs485?: (frame: Uint8Array, port: Readonly<Record<string, unknown>>) => void;
  /** The PELCO address the camera sends to. Default 1. */
  rs485Address?: number;
}

export const SIM_DEVICE = { mac: '88-07-cb-00-02-be', deviceId: 'CBT000114010100010238', ip: '192.168.1.89' } as const;
/** The smallest JPEG frame: SOI, an APP0 marker, EOI. */
export const SIM_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(52)]);
const YUV = Buffer.alloc(64, 0x80);

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** Envelope variant per action (§1.6): B for these reads, C for the later firmware's, A otherwise. */
const VARIANT_B: ReadonlySet<string> = new Set(['getDeviceTime', 'Get4GConfig', 'getWifiStatus', 'setWifiScan', 'getViMask']);
const VARIANT_C: ReadonlySet<string> = new Set(['getExposureInfo', 'getRtmpConf', 'getFmtSnap', 'getSmartAudioConf', 'getIOAlarmIn', 'getPlatformConfFile', 'getPeripheralConf', 'openDoor', 'ioSendData']);

const PAN_TILT: Readonly<Record<number, ['left' | 'right' | undefined, 'up' | 'down' | undefined]>> = {
  1: [undefined, 'up'], 2: [undefined, 'down'], 3: ['left', undefined], 4: ['right', undefined],
  71: ['left', 'up'], 72: ['left', 'down'], 73: ['right', 'up'], 74: ['right', 'down'],
};
const DOCUMENTED_CMDS: ReadonlySet<number> = new Set([...Object.values(PTZ_CMD)]);

/** A refusal inside an action: its code. */
class Refuse extends Error {
  constructor(
    readonly code: number,
    readonly log = '',
  ) {
    super(`code ${code}`);
  }
}

type Json = Record<string, unknown>;

export class CgiActionSimulator extends SimulatedCamera {
  readonly lens: SimulatedLens;
  readonly head = new PanTiltModel();
  readonly server: SimServer;
  readonly counters = { authChecks: 0, authFailures: 0, doorPulses: 0, restarts: 0, resets: 0, actions: new Map<string, number>() };
  /** Every ptz_cmd received, in order. */
  readonly ptzCommands: number[] = [];
  /** The continuous ptz_cmd running (undefined after 21). */
  motion: number | undefined;
  /** The alarm input's state, as getIOAlarmIn reports it. */
  alarmInStatus = 0;
  /** Every json parameter as it arrived (raw, before decoding): how the client encodes. */
  readonly rawJson: string[] = [];
  sys!: { language: number; dev_name: string };
  time!: { offsetMs: number; ntp_enable: 0 | 1; ntpServer: string; timeInterval: number; timeZone: number };
  wired!: Json;
  rtsp!: Json;
  image!: Json;
  osd!: Json;
  peripheral!: Json;
  alarmIn!: Json;
  private pwdHash: string;
  private offlineUntil = 0;
  private readonly presetHeads = new Map<number, { pan: number; tilt: number }>();
  private readonly o: Required<Pick<CgiActionSimOptions, 'profile' | 'user' | 'password' | 'acceptUpperCaseHash' | 'restartMs' | 'lacks'>> & CgiActionSimOptions;

  constructor(options: CgiActionSimOptions = {}) {
    super();
    this.o = {
      ...options,
      profile: options.profile ?? 'zoom-block',
      user: options.user ?? 'admin',
      password: options.password ?? '123456',
      acceptUpperCaseHash: options.acceptUpperCaseHash ?? false,
      restartMs: options.restartMs ?? 200,
      lacks: options.lacks ?? [],
    };
    this.lens = options.lens ?? new SimulatedLens();
    this.pwdHash = md5(this.o.password);
    this.reset(true, true);
    this.server = new SimServer((req) => this.handle(req), () => ({ status: 413 }), options);
  }

  /** Times an action was answered (any result). */
  count(action: string): number {
    return this.counters.actions.get(action) ?? 0;
  }

  private reset(net: boolean, users: boolean): void {
    this.sys = { language: 0, dev_name: this.o.devName ?? 'IPCamera' };
    this.time = { offsetMs: 0, ntp_enable: 1, ntpServer: 'pool.ntp.org', timeInterval: 60, timeZone: 26 };
    if (net || !this.wired) {
      this.wired = { DHCP: 0, manual_dns: 0, webPort: 80, onvifPort: 8080, IP: SIM_DEVICE.ip, gateway: '192.168.1.1', subnet_mask: '255.255.255.0', DNS: '1.2.4.8', DNS2: '8.8.8.8' };
      this.rtsp = { enable: 1, auth: 0, rtsp_port: 554, audio_main: 1, audio_sub: 0, audio_thr: 0 };
    }
    if (users) this.pwdHash = md5(this.o.password);
    this.image = { hue: 128, brightness: 128, sharpness: 128, contrast: 128, saturation: 128, gamma: 137, blc_level: 142, max_exposure: 12, max_a_gain: 36, antiFog: 0 };
    const title = (t: string, y: number, show: 0 | 1) => ({ title: t, title_pos_x: 556, title_pos_y: y, show_title: show });
    this.osd = { show_date: 1, show_time: 1, show_week: 0, date_format: 0, date_pos_x: 0, date_pos_y: 0, font_size: 1, show_bitrate: 0, osd_color: 0, title_list: [title('xxx', 546, 1), title(' ', 506, 0), title(' ', 466, 0), title(' ', 426, 0)] };
    this.peripheral = { PTZ_Lock: 0, baudrate: 9600, dataBits: 8, stopBits: 1, parity: 0, flowControl: 0 };
    this.alarmIn = { alarm_name: 'alarmIn', alarm_enable: 1, alarm_type: 0, alarm_out_type: 0, alarm_handle_alarmout: 1, alarm_handle_alarmout_time: 10 };
  }

  // ---- transport ----

  private async handle(req: SimRequest): Promise<SimResponse> {
    if (Date.now() < this.offlineUntil) return { status: 0 }; // restarting: the connection drops
    if (req.method !== 'GET') return { status: 405 };
    if (req.path === '/action/cgi_images') return this.images(req.query);
    if (req.path === '/action/telnet') return this.text(`<html><body><h2> oper: ${new URLSearchParams(req.query).get('action') ?? ''}</h2></body></html>\nOK`);
    if (req.path !== '/action/cgi_action') return { status: 404, contentType: 'text/html', body: '<html>404 Not Found</html>' };
    const params = parseQuery(req.query);
    this.counters.authChecks++;
    if (!this.authorised(params.user, params.pwd)) {
      this.counters.authFailures++;
      return this.text('error user/pwd\r\n');
    }
    const action = params.action ?? '';
    this.counters.actions.set(action, this.count(action) + 1);
    if (!(schema.ACTIONS as readonly string[]).includes(action)) return this.text('error json\r\n');
    if (params.jsonRaw !== undefined) this.rawJson.push(params.jsonRaw);
    const json = params.json === undefined ? {} : parseLenientJson(params.json);
    if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) return this.text('error json\r\n');
    const name = action as schema.CgiActionName;
    let data: Json;
    try {
      if (this.o.lacks.includes(name)) throw new Refuse(209);
      data = this.run(name, json as Json);
    } catch (error) {
      if (!(error instanceof Refuse)) throw error;
      return this.reply(name, {}, error.code, error.log);
    }
    return this.reply(name, data, 0, '');
  }

  private authorised(user: string | undefined, pwd: string | undefined): boolean {
    if (user !== this.o.user || pwd === undefined) return false;
    return this.o.acceptUpperCaseHash ? pwd.toLowerCase() === this.pwdHash : pwd === this.pwdHash;
  }

  private headers(): Record<string, string> {
    return { date: asctime(new Date(Date.now() + this.time.offsetMs)), connection: 'keep-alive', 'x-frame-options': 'SAMEORIGIN' };
  }

  private text(body: string): SimResponse {
    return { status: 200, body, headers: this.headers(), chunked: true };
  }

  /** Data first, then the envelope in the action's variant. */
  private reply(action: string, data: Json, code: number, log: string): SimResponse {
    const d = SIM_DEVICE;
    const envelope = VARIANT_B.has(action)
      ? { code, message: log || 'NULL', deviceID: d.deviceId, device_mac: d.mac, device_ip: d.ip }
      : { code, device_mac: d.mac, deviceID: d.deviceId, device_id: d.deviceId, log, device_ip: d.ip, ...(VARIANT_C.has(action) ? { sign_tby: randomBytes(16).toString('hex') } : {}) };
    return this.text(JSON.stringify({ ...data, ...envelope }, null, 1));
  }

  private images(query: string): SimResponse {
    this.counters.actions.set('cgi_images', this.count('cgi_images') + 1);
    const fmt = new URLSearchParams(query).get('fmt');
    if (fmt === null) return { status: 200, contentType: 'image/jpeg', body: SIM_JPEG };
    if (fmt === 'bmp') return { status: 200, contentType: 'image/bmp', body: BMP };
    if (fmt === 'yuv') return { status: 200, contentType: 'application/octet-stream', body: YUV };
    return { status: 200, body: 'failed' };
  }

  // ---- actions ----

  /** Parses `json` with a strict schema: an unknown key is 201, anything else wrong 205. */
  private check<S extends z.ZodType>(s: S, json: Json): z.infer<S> {
    const result = s.safeParse(json);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    throw new Refuse(issue.code === 'unrecognized_keys' ? 201 : 205, `${issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(',') || 'json'}: ${issue.message}`);
  }

  private run(action: schema.CgiActionName, json: Json): Json {
    switch (action) {
      case 'getSysConfig':
        this.check(schema.empty, json);
        return { version: this.o.version ?? '14.030.19.3_MAIN_V3(221114)', ai_version: '', ui_version: '', pf_version: 'platform_8hours v4.7.1D', ...this.sys, webPort: this.wired.webPort, dev_type: 1, ivs_mask: 1, dev_mask: 0, update_type: 268828701 };
      case 'setSysConfig':
        Object.assign(this.sys, this.check(schema.sysConfigSet, json));
        return {};
      case 'setPasswd': {
        const p = this.check(schema.passwdSet, json);
        if (p.oldPassword.toLowerCase() !== this.pwdHash) throw new Refuse(206);
        this.pwdHash = md5(p.newPassword);
        return {};
      }
      case 'restart':
        this.check(schema.empty, json);
        this.counters.restarts++;
        this.lens.stop();
        this.head.stop();
        this.motion = undefined;
        setImmediate(() => {
          // After this answer has left: the camera goes away for restartMs.
          this.offlineUntil = Date.now() + this.o.restartMs;
          this.server.dropConnections();
        });
        return {};
      case 'reset': {
        const r = this.check(schema.resetSet, json);
        this.counters.resets++;
        this.reset(r.netReset === 1, r.userReset === 1);
        return {};
      }
      case 'setPtzControl':
        this.ptz(this.check(schema.ptzControl, json));
        return {};
      case 'getDeviceTime':
        return { deviceTime: Math.floor((Date.now() + this.time.offsetMs) / 1000), ntp_enable: this.time.ntp_enable, ntpServer: this.time.ntpServer, timeInterval: this.time.timeInterval, timeZone: this.time.timeZone };
      case 'setTime': {
        const t = this.check(schema.timeSet, json);
        this.time.ntp_enable = t.ntp_enable;
        if (t.ntpServer !== undefined) this.time.ntpServer = t.ntpServer;
        if (t.timeInterval !== undefined) this.time.timeInterval = t.timeInterval;
        if (t.timeZone !== undefined) this.time.timeZone = t.timeZone;
        if (t.ntp_enable === 0 && t.CurTime !== undefined) this.time.offsetMs = t.CurTime * 1000 - Date.now();
        return {};
      }
      case 'getWiredNetwork':
        return { ...this.wired };
      case 'setWiredNetwork': {
        const w = this.check(schema.wiredSet, json);
        const { device_ip, ...rest } = w;
        Object.assign(this.wired, rest, device_ip !== undefined && rest.IP === undefined ? { IP: device_ip } : {});
        return {};
      }
      case 'getRtspConf':
        return { ...this.rtsp };
      case 'setRtspConf':
        Object.assign(this.rtsp, this.check(schema.rtspSet, json));
        return {};
      case 'getImageAdjustment':
        return { ...this.image };
      case 'setImageAdjustment':
        if (json.set_default === 1 && Object.keys(json).length === 1) {
          this.image = { hue: 128, brightness: 128, sharpness: 128, contrast: 128, saturation: 128, gamma: 137, blc_level: 142, max_exposure: 12, max_a_gain: 36, antiFog: 0 };
          return {};
        }
        for (const [key, value] of Object.entries(json)) {
          if (!(key in schema.IMAGE_RULES)) throw new Refuse(201, key);
          if (!schema.imageValueAllowed(key, value)) throw new Refuse(205, key);
        }
        Object.assign(this.image, json);
        return {};
      case 'getOsdConf':
        return structuredClone(this.osd);
      case 'setOsdConf':
        Object.assign(this.osd, this.check(schema.osdSet, json));
        return {};
      case 'getPeripheralConf':
        return { ...this.peripheral };
      case 'setPeripheralConf':
        Object.assign(this.peripheral, this.check(schema.peripheralSet, json));
        return {};
      case 'getAlarmInConf':
        return { ...this.alarmIn };
      case 'getIOAlarmIn':
        return { status: this.alarmInStatus };
      case 'openDoor':
        this.check(schema.empty, json);
        this.counters.doorPulses++;
        return {};
      case 'getFmtSnap':
        return { image_base64: SIM_JPEG.toString('base64'), image_length: SIM_JPEG.length };
      case 'ioSendData':
        this.check(schema.ioSendDataSet, json);
        return {};
      default:
        // Documented, not modelled: the simulator is a model without the feature.
        throw new Refuse(209);
    }
  }

  /** The accepted command onto the RS-485 port, when one is attached. */
  private mirror(cmd: number, p: z.infer<typeof schema.ptzControl>): void {
    if (!this.o.rs485) return;
    const command = pelcoFor(cmd, p.speed_h ?? p.speed_v, p.speed_v);
    if (command) this.o.rs485(encode(command, { address: this.o.rs485Address ?? 1 }), { ...this.peripheral });
  }

  /** setPtzControl after its schema: the command's own rules. */
  private ptz(p: z.infer<typeof schema.ptzControl>): void {
    const cmd = p.ptz_cmd;
    if (!DOCUMENTED_CMDS.has(cmd)) throw new Refuse(205, `ptz_cmd ${cmd}`);
    if (this.peripheral.PTZ_Lock === 1) throw new Refuse(204, 'PTZ locked');
    const preset = cmd === PTZ_CMD.setPreset || cmd === PTZ_CMD.callPreset;
    if (!preset && p.speed_h === undefined) throw new Refuse(205, 'speed_h is necessary');
    this.ptzCommands.push(cmd);
    this.drive(cmd, p);
    this.mirror(cmd, p); // only what the camera accepted
  }

  /** What the command does to the lens and the head. */
  private drive(cmd: number, p: z.infer<typeof schema.ptzControl>): void {
    const speed = Math.min(3, Math.floor((p.speed_v - 1) / 25)); // 1–100 onto the lens model's 0–3
    const pt = PAN_TILT[cmd];
    if (pt) {
      if (this.o.profile !== 'ptz') throw new Refuse(209, 'no pan/tilt head');
      this.head.move(pt[0], Math.round((p.speed_h! * 63) / 100), pt[1], Math.round((p.speed_v * 63) / 100));
      this.motion = cmd;
      return;
    }
    switch (cmd) {
      case PTZ_CMD.stop:
        this.lens.stop();
        this.head.stop();
        this.motion = undefined;
        return;
      case PTZ_CMD['zoom+']:
      case PTZ_CMD['zoom-']:
        this.lens.zoomTo(cmd === PTZ_CMD['zoom+'] ? ZOOM_MAX : 0, speed);
        break;
      case PTZ_CMD['focus+']:
      case PTZ_CMD['focus-']:
        this.lens.focusTo(cmd === PTZ_CMD['focus+'] ? FOCUS_MAX : 0, speed);
        break;
      case PTZ_CMD.auxFocus:
        this.lens.onePush();
        return;
      case PTZ_CMD.setPreset:
        this.lens.savePreset(p.speed_v);
        this.presetHeads.set(p.speed_v, { pan: this.head.pan, tilt: this.head.tilt });
        return;
      case PTZ_CMD.callPreset: {
        if (this.lens.recallPreset(p.speed_v) === undefined) throw new Refuse(205, `preset ${p.speed_v} is not set`);
        const head = this.presetHeads.get(p.speed_v);
        if (head && this.o.profile === 'ptz') {
          this.head.panTo(head.pan);
          this.head.tiltTo(head.tilt);
        }
        return;
      }
      case PTZ_CMD.light:
      case PTZ_CMD.refresh:
        return;
      default:
        break; // iris: accepted, not modelled beyond `motion`
    }
    this.motion = cmd;
  }
}

/** A setPtzControl as the PELCO-D command the camera would put on its RS-485 (none for light, refresh, aux focus). */
export function pelcoFor(cmd: number, speedH: number, speedV: number): PelcoCommand | undefined {
  const pan = Math.round((speedH * 63) / 100);
  const tilt = Math.round((speedV * 63) / 100);
  const pt = PAN_TILT[cmd];
  if (pt) return { kind: 'move', ...(pt[0] ? { pan: pt[0] } : {}), ...(pt[1] ? { tilt: pt[1] } : {}), panSpeed: pt[0] ? pan : 0, tiltSpeed: pt[1] ? tilt : 0 };
  const lens: Record<number, Partial<Pick<Extract<PelcoCommand, { kind: 'move' }>, 'zoom' | 'focus' | 'iris'>>> = {
    [PTZ_CMD['zoom+']]: { zoom: 'tele' }, [PTZ_CMD['zoom-']]: { zoom: 'wide' }, [PTZ_CMD['focus+']]: { focus: 'far' }, [PTZ_CMD['focus-']]: { focus: 'near' },
    [PTZ_CMD['iris+']]: { iris: 'open' }, [PTZ_CMD['iris-']]: { iris: 'close' },
  };
  if (lens[cmd]) return { kind: 'move', panSpeed: 0, tiltSpeed: 0, ...lens[cmd] };
  if (cmd === PTZ_CMD.stop) return { kind: 'stop' };
  if (cmd === PTZ_CMD.setPreset) return { kind: 'preset-set', preset: speedV };
  if (cmd === PTZ_CMD.callPreset) return { kind: 'preset-goto', preset: speedV };
  return undefined;
}

/** user, pwd, action, json from the raw query; json read raw or percent-decoded (`+` stays `+`). */
export function parseQuery(query: string): { user?: string; pwd?: string; action?: string; json?: string; jsonRaw?: string } {
  const out: { user?: string; pwd?: string; action?: string; json?: string; jsonRaw?: string } = {};
  // json is last in every example and may carry unencoded `&`: it takes the rest of the query.
  const at = query.startsWith('json=') ? 0 : query.indexOf('&json=');
  const head = at < 0 ? query : query.slice(0, at);
  if (at >= 0) {
    out.jsonRaw = query.slice(at + (at === 0 ? 5 : 6));
    out.json = decode(out.jsonRaw);
  }
  for (const part of head.split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (key === 'user' || key === 'pwd' || key === 'action') out[key] = value;
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // raw text with a stray %: taken as it is
  }
}

/** JSON with trailing commas allowed (outside strings), as the manual's own example sends it. */
export function parseLenientJson(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) continue;
    out += ch;
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** "Sun Dec 2 02:39:43 2001": the manual's Date header form. */
function asctime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
