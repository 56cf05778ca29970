/**
 * A simulator of the CGI control API (the digest of seeds/002) on loopback, as strict as the
 * document: `GET /cgi-bin/control/<script>.cgi?id=&passwd=&action=…`, answers `text/plain`
 * `key = value` lines with 200 OK, every failure a 200 `Error: <description>` body.
 *
 * - Auth: `id`/`passwd` on every call, only the administrator (rev 1.03); a wrong or missing
 *   pair is `Error: Invalid ID or Password` (or HTTP 401 with authFailure: 401). Every check
 *   is counted (`authChecks`), so a test sees a client that sends a refused password again.
 * - Strict: a path outside the 42 documented scripts is HTTP 404; a method other than GET 405;
 *   an action is matched with its exact case (`getPTZ`, not `getptz`); an unknown action, or an
 *   instance the camera lacks (`getalarmin2` with maxno 1), is `Error: Invalid action`; a key
 *   the action does not take, a value out of the documented range, a repeated key, or a missing
 *   "you must use this" argument is `Error: Invalid parameter (<key>)` and nothing changes.
 * - PTZ: the profile sets capabilityptz's answer and gates pt/zf/preset control (`Error: Not
 *   supported`); a move while ptzf_status disables that control is `Error: zfstatus is disabled`.
 *   Moves drive the shared SimulatedLens and a PanTiltModel; action-type commands answer an
 *   empty body.
 * - apictrlstatus=disable: every control CGI but httpapi.cgi answers `Error: HTTP API disabled`.
 * - Reboot and factory resets answer, then the camera is unreachable for rebootMs.
 *
 * Modelled scripts (the rest answer `Error: Not supported`): servername, serverdate, servermac,
 * reboot, netset, dnsset, rtspset (get), videoset (getmaxsize), osd, alarmin, alarmout,
 * ctrl_alarmout, camdaynight, camcolor, camwhitebal, camshutspeed, httpapi, ptzf_status,
 * pt_control, zf_control, preset_control, capabilityptz, image/jpeg. Choices: docs/http.md.
 */
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { IMAGE_GROUPS, type ImageGroup, type ImageGroupName } from '../../../protocols/http/cgi-control/api.js';
import { formatKv, type KvGroup } from '../../../protocols/http/cgi-control/kv.js';
import { FOCUS_MAX, SimulatedLens, ZOOM_MAX } from '../lens-model.js';
import { PanTiltModel } from '../pan-tilt-model.js';
import { SimServer, type SimRequest, type SimResponse, type SimServerOptions } from './sim-server.js';
import { SimulatedCamera } from './simulated-camera.js';

/** zoom-block: zoom/focus, one-push AF, 128 presets, no head; ptz: everything; fixed: no PTZ at all. */
export type CgiControlSimProfile = 'zoom-block' | 'ptz' | 'fixed';

export interface CgiControlSimOptions extends SimServerOptions {
  lens?: SimulatedLens;
  /** The administrator account. Default admin / admin. */
  id?: string;
  passwd?: string;
  profile?: CgiControlSimProfile;
  /** Line ends of text answers. Default '\r\n'. */
  eol?: '\r\n' | '\n';
  /** How a refused id/passwd is answered: the spec's 200 + `Error:` body (default) or HTTP 401. */
  authFailure?: 'body' | 401;
  /** Unreachable this long after a reboot or factory reset. Default 300 ms. */
  rebootMs?: number;
  /**
   * Offer getptzfpos / goptzfpos (not in the spec: newer firmware per third-party clients,
   * digest §10), positions on the lens model's own scale (zoom 0–1000, focus 0–10000). Default false.
   */
  extendedFirmware?: boolean;
  /** `Error:` written without the space after the colon (as most sections of the spec print it). */
  errorWithoutSpace?: boolean;
}

export const SIM_MAC = '00:11:22:33:44:55';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

const CONTROL_SCRIPTS = new Set([
  'servername', 'serverdate', 'servermac', 'reboot', 'webport', 'language', 'netset', 'dnsset', 'alarmin', 'alarmout', 'motion', 'recordevent', 'shock',
  'camdaynight', 'camcolor', 'camwhitebal', 'camwdr', 'cameffect', 'camslowshut', 'camshutspeed', 'httpapi', 'osd', 'privacy', 'tvout', 'videoset', 'audioset',
  'rtspset', 'connectinfo', 'requestevent', 'ctrl_alarmout', 'ptzf_status', 'pt_control', 'zf_control', 'preset_control', 'serverinfo1', 'serverinfo2', 'serverinfo3',
  'capabilityvideo', 'capabilityaudio', 'capabilityptz',
]);

type Values = Record<string, string | number>;
/** A refusal: the `Error:` description. */
class Refuse extends Error {}
const invalid = (key: string) => new Refuse(`Invalid parameter (${key})`);

interface PtzProfile {
  PanSupported: string; TiltSupported: string; ZoomSupported: string; FocusSupported: string;
  EndlessPanSupported: string; AutoFocusSupported: string; PresetSupported: string | number;
  AutopanSupported: string | number; AutopancwSupported: string; TourSupported: string | number;
}

const PROFILES: Record<CgiControlSimProfile, PtzProfile> = {
  'zoom-block': { PanSupported: 'No', TiltSupported: 'No', ZoomSupported: 'Yes', FocusSupported: 'Yes', EndlessPanSupported: 'No', AutoFocusSupported: 'Yes', PresetSupported: 128, AutopanSupported: 'No', AutopancwSupported: 'No', TourSupported: 'No' },
  ptz: { PanSupported: 'Yes', TiltSupported: 'Yes', ZoomSupported: 'Yes', FocusSupported: 'Yes', EndlessPanSupported: 'Yes', AutoFocusSupported: 'Yes', PresetSupported: 128, AutopanSupported: 4, AutopancwSupported: 'Yes', TourSupported: 4 },
  fixed: { PanSupported: 'No', TiltSupported: 'No', ZoomSupported: 'No', FocusSupported: 'No', EndlessPanSupported: 'No', AutoFocusSupported: 'No', PresetSupported: 'No', AutopanSupported: 'No', AutopancwSupported: 'No', TourSupported: 'No' },
};

const yes = (v: string | number) => v === 'Yes';
const max = (v: string | number) => (typeof v === 'number' ? v : 0);

export class CgiControlSimulator extends SimulatedCamera {
  readonly lens: SimulatedLens;
  readonly head = new PanTiltModel();
  readonly server: SimServer;
  /** id/passwd checks answered (every request carries them), and the refused ones. */
  readonly counters = { authChecks: 0, authFailures: 0, actions: new Map<string, number>() };
  readonly profile: PtzProfile;
  rebootCount = 0;
  factoryCount = 0;
  /** What the zoom/focus and pan/tilt are doing, as last commanded. */
  zoomMotion: 'in' | 'out' | 'stop' = 'stop';
  focusMotion: 'in' | 'out' | 'stop' = 'stop';
  panTiltMotion: { pan: string; tilt: string } = { pan: 'stop', tilt: 'stop' };
  /** The speed of the last zoom, focus, pan or tilt move started (1–100). */
  lastSpeed: number | undefined;
  /** autopan n / autopan_cw / tour n running (undefined when none). */
  sequence: string | undefined;
  state!: ReturnType<typeof defaults>;
  private readonly headPresets = new Map<number, { pan: number; tilt: number }>();
  private readonly o: { id: string; passwd: string; eol: '\r\n' | '\n'; authFailure: 'body' | 401; rebootMs: number; errorWithoutSpace: boolean; extendedFirmware: boolean };
  private unreachableUntil = 0;

  constructor(options: CgiControlSimOptions = {}) {
    super();
    const profile = options.profile ?? 'zoom-block';
    if (!(profile in PROFILES)) throw new InvalidArgumentError('simulator option profile', profile, Object.keys(PROFILES).join(' | '));
    this.o = {
      id: options.id ?? 'admin',
      passwd: options.passwd ?? 'admin',
      eol: options.eol ?? '\r\n',
      authFailure: options.authFailure ?? 'body',
      rebootMs: options.rebootMs ?? 300,
      errorWithoutSpace: options.errorWithoutSpace ?? false,
      extendedFirmware: options.extendedFirmware ?? false,
    };
    if (this.o.eol !== '\r\n' && this.o.eol !== '\n') throw new InvalidArgumentError('simulator option eol', this.o.eol, "'\\r\\n' | '\\n'");
    if (this.o.authFailure !== 'body' && this.o.authFailure !== 401) throw new InvalidArgumentError('simulator option authFailure', this.o.authFailure, "'body' | 401");
    if (!Number.isFinite(this.o.rebootMs) || this.o.rebootMs < 0) throw new InvalidArgumentError('simulator option rebootMs', this.o.rebootMs, 'zero or more milliseconds');
    for (const [name, value] of [['id', this.o.id], ['passwd', this.o.passwd]] as const) {
      if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`simulator option ${name}`, typeof value, 'a non-empty string');
    }
    this.profile = PROFILES[profile];
    this.lens = options.lens ?? new SimulatedLens();
    this.state = defaults(options.profile ?? 'zoom-block');
    this.server = new SimServer((req) => this.handle(req), () => ({ status: 413 }), options);
  }

  /** Times an action (script.action) was answered, any result. */
  count(script: string, action = ''): number {
    return this.counters.actions.get(`${script}.${action}`) ?? 0;
  }

  // ---- transport ----

  private handle(req: SimRequest): SimResponse {
    if (Date.now() < this.unreachableUntil) return { status: 0 }; // restarting: nothing answers
    const m = /^\/cgi-bin\/(control|image)\/([a-z0-9_]+)\.cgi$/i.exec(req.path);
    const family = m?.[1];
    const script = m?.[2] ?? '';
    const known = family === 'control' ? CONTROL_SCRIPTS.has(script) : family === 'image' && (script === 'jpeg' || script === 'mjpeg');
    if (!known) return { status: 404, contentType: 'text/html', body: '<html><body>404 Not Found</body></html>' };
    if (req.method !== 'GET') return { status: 405, contentType: 'text/plain', body: 'Method Not Allowed' };
    // The PDF's "& key=" artifacts: keys trimmed (digest §5 item 17).
    const params = new Map<string, string>();
    for (const [rawKey, value] of new URLSearchParams(req.query)) {
      const key = rawKey.trim();
      if (params.has(key)) return this.error(`Invalid parameter (${key} given twice)`);
      params.set(key, value);
    }
    const action = params.get('action');
    this.counters.actions.set(`${script}.${action ?? ''}`, this.count(script, action ?? '') + 1);
    this.counters.authChecks++;
    if (params.get('id') !== this.o.id || params.get('passwd') !== this.o.passwd) {
      this.counters.authFailures++;
      return this.o.authFailure === 401 ? { status: 401, contentType: 'text/plain', body: 'Unauthorized' } : this.error('Invalid ID or Password');
    }
    params.delete('id');
    params.delete('passwd');
    params.delete('action');
    if (family === 'image') {
      if (script !== 'jpeg') return this.error('Not supported');
      if (action !== undefined) return this.error('Invalid parameter (action)'); // jpeg.cgi takes only id and passwd
      if (params.size > 0) return this.error(`Invalid parameter (${[...params.keys()][0]})`);
      return { status: 200, contentType: 'image/jpeg', body: JPEG };
    }
    if (this.state.apictrlstatus === 'disable' && script !== 'httpapi') return this.error('HTTP API disabled');
    try {
      const answer = this.run(script, action, params);
      if (answer === undefined) return { status: 200, contentType: 'text/plain', body: '' };
      return { status: 200, contentType: 'text/plain', body: typeof answer === 'string' ? answer : formatKv(answer, this.o.eol) };
    } catch (error) {
      if (error instanceof Refuse) return this.error(error.message);
      throw error;
    }
  }

  private error(description: string): SimResponse {
    return { status: 200, contentType: 'text/plain', body: `Error:${this.o.errorWithoutSpace ? '' : ' '}${description}${this.o.eol}` };
  }

  /** The answer of one action: groups of values, an empty body (undefined), or a refusal. */
  private run(script: string, action: string | undefined, p: Map<string, string>): KvGroup[] | undefined {
    const s = this.state;
    const only = (...keys: string[]) => onlyKeys(p, keys);
    /** A get: no arguments besides the action, then its answer. */
    const plainGet = (answer: KvGroup[]): KvGroup[] => {
      onlyKeys(p, []);
      return answer;
    };
    const unknownAction = () => new Refuse('Invalid action');
    switch (script) {
      case 'servername':
        if (action === 'getservername') return plainGet([{ servername: s.servername }]);
        if (action === 'setservername') {
          only('servername');
          const name = p.get('servername');
          if (name === undefined || !/^[A-Za-z0-9 _.-]{1,10}$/.test(name)) throw invalid('servername');
          s.servername = name;
          return [{ servername: s.servername }];
        }
        throw unknownAction();
      case 'serverdate':
        if (action === 'getdate') return plainGet([{ serverdate: this.dateText() }]);
        if (action === 'setdate') {
          only('year', 'month', 'day', 'hour', 'minute', 'second');
          const n = (k: string, lo: number, hi: number, optional = false) => {
            const v = p.get(k);
            if (v === undefined && optional) return 0;
            if (v === undefined || !/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw invalid(k);
            return Number(v);
          };
          const wall = Date.UTC(n('year', 1970, 2031), n('month', 1, 12) - 1, n('day', 1, 31), n('hour', 0, 23), n('minute', 0, 59), n('second', 0, 59, true));
          s.clockOffsetMs = wall - Date.now();
          s.timeMode = 'user';
          return [{ serverdate: this.dateText() }];
        }
        throw unknownAction();
      case 'servermac':
        if (action === 'getmac') return plainGet([{ mac: SIM_MAC }]);
        throw unknownAction();
      case 'reboot': {
        const line = { setreboot: 'reboot', setfactory: 'factoryset', setfactoryexip: 'factorysetexip' }[action ?? ''];
        if (!line) throw unknownAction();
        only();
        if (action === 'setreboot') this.rebootCount++;
        else {
          this.factoryCount++;
          const keep = { ip: s.ip, dns: s.dns };
          this.state = defaults(this.profileName());
          if (action === 'setfactoryexip') Object.assign(this.state, keep);
        }
        this.restart();
        return [{ [line]: 'rebooting' }];
      }
      case 'netset':
        if (action === 'getip') return plainGet([{ ...s.ip }]);
        if (action === 'setip') {
          only('mode', 'ipaddress', 'netmask', 'gateway');
          const mode = enumOf(p, 'mode', ['static', 'dhcp'], true)!;
          const next = { ...s.ip, mode };
          for (const k of ['ipaddress', 'netmask', 'gateway'] as const) {
            const v = p.get(k);
            if (v === undefined) {
              if (mode === 'static') throw invalid(k);
              continue;
            }
            if (!isIpv4(v)) throw invalid(k);
            next[k] = v;
          }
          s.ip = next;
          return [{ ...s.ip }];
        }
        throw unknownAction();
      case 'dnsset':
        if (action === 'getdns') return plainGet([{ ...s.dns }]);
        if (action === 'setdns') {
          only('firstdns', 'seconddns');
          const next = { ...s.dns };
          for (const k of ['firstdns', 'seconddns'] as const) {
            const v = p.get(k);
            if (v === undefined) continue;
            if (v !== '' && !isIpv4(v)) throw invalid(k);
            if (v === '' && k === 'firstdns') throw invalid(k);
            next[k] = v;
          }
          s.dns = next;
          return [{ ...s.dns }];
        }
        throw unknownAction();
      case 'rtspset':
        if (action === 'getrtsp') return plainGet([{ ...s.rtsp }]);
        throw action === 'setrtsp' ? new Refuse('Not supported') : unknownAction();
      case 'videoset':
        if (action === 'getmaxsize') return plainGet([{ max_video_size: '1280x1024' }]);
        throw action === 'getvideo' || /^setvideo[123]$/.test(action ?? '') ? new Refuse('Not supported') : unknownAction();
      case 'httpapi':
        if (action !== 'setapi') throw unknownAction();
        only('apictrlstatus');
        s.apictrlstatus = enumOf(p, 'apictrlstatus', ['enable', 'disable'], true)!;
        return [{ apictrlstatus: s.apictrlstatus }];
      case 'alarmin':
      case 'alarmout':
        return this.alarm(script, action, p);
      case 'ctrl_alarmout': {
        if (action !== 'setalarmout') throw unknownAction();
        const keys = [...p.keys()];
        if (keys.length !== 1 || keys[0] !== 'alarmout1') throw invalid(keys.find((k) => k !== 'alarmout1') ?? 'alarmout1');
        s.relay = enumOf(p, 'alarmout1', ['on', 'off'], true)!;
        return [{ alarmout1: s.relay }];
      }
      case 'osd':
        return this.osd(action, p);
      case 'camdaynight':
      case 'camcolor':
      case 'camwhitebal':
      case 'camshutspeed':
        return this.image(script, action, p);
      case 'capabilityptz':
        if (action === 'getPTZ') {
          only();
          const f = this.profile;
          return [
            { section: 'Capabilities PTZ', values: { PanSupported: f.PanSupported, TiltSupported: f.TiltSupported, ZoomSupported: f.ZoomSupported, FocusSupported: f.FocusSupported } },
            { EndlessPanSupported: f.EndlessPanSupported, AutoFocusSupported: f.AutoFocusSupported },
            { PresetSupported: f.PresetSupported, AutopanSupported: f.AutopanSupported, AutopancwSupported: f.AutopancwSupported, TourSupported: f.TourSupported },
          ];
        }
        if (action === 'getCapabilitiesPTZAll') {
          only();
          const f = this.profile;
          return [{ section: 'Capabilities PTZ', values: { PanSupported: f.PanSupported, TiltSupported: f.TiltSupported, ZoomSupported: f.ZoomSupported, FocusSupported: f.FocusSupported, AutopanSupported: f.AutopanSupported, PresetSupported: f.PresetSupported, TourSupported: f.TourSupported } }];
        }
        throw unknownAction();
      case 'ptzf_status':
      case 'pt_control':
      case 'zf_control':
      case 'preset_control':
        return this.ptz(script, action, p);
      default:
        throw new Refuse('Not supported');
    }
  }

  private profileName(): CgiControlSimProfile {
    return (Object.keys(PROFILES) as CgiControlSimProfile[]).find((k) => PROFILES[k] === this.profile)!;
  }

  /** This answer still goes out; every later request, on any connection, is cut off for rebootMs. */
  private restart(): void {
    this.lens.stop();
    this.head.stop();
    this.unreachableUntil = Date.now() + this.o.rebootMs;
  }

  private dateText(): string {
    const d = new Date(Date.now() + this.state.clockOffsetMs);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getUTCMonth() + 1} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }

  /**
   * alarmin.cgi / alarmout.cgi: `get<prefix>1` (alarm-out also `getalarmout0`, "all"), and a
   * partial `set<prefix>1` of `allstatus` and `<prefix>1.<field>`; one instance (maxno 1).
   */
  private alarm(prefix: 'alarmin' | 'alarmout', action: string | undefined, p: Map<string, string>): Values[] {
    const config = prefix === 'alarmin' ? this.state.alarmIn : this.state.alarmOut;
    const fields = ALARM_FIELDS[prefix];
    const answer = (): Values[] => [{ allstatus: config.allstatus, maxno: 1 }, Object.fromEntries(Object.keys(fields).map((f) => [`${prefix}1.${f}`, config[f as keyof typeof config]]))];
    if (action === `get${prefix}1` || (prefix === 'alarmout' && action === 'getalarmout0')) {
      onlyKeys(p, []);
      return answer();
    }
    if (action !== `set${prefix}1`) throw new Refuse('Invalid action');
    const next: Values = { ...config };
    for (const [key, value] of p) {
      const field = key === 'allstatus' ? 'allstatus' : key.startsWith(`${prefix}1.`) ? key.slice(prefix.length + 2) : '';
      const check = field === 'allstatus' ? ALARM_ENABLE : fields[field];
      if (!check) throw invalid(key);
      const v = check(value);
      if (v === undefined) throw invalid(key);
      next[field] = v;
    }
    Object.assign(config, next);
    return answer();
  }

  /** osd.cgi: every switch of spec §4.2 (no eventshock: this model has no shock sensor). */
  private osd(action: string | undefined, p: Map<string, string>): Values[] {
    const o = this.state.osd;
    if (action === 'getosd') {
      onlyKeys(p, []);
      return [{ ...o }];
    }
    if (action !== 'setosd') throw new Refuse('Invalid action');
    const next: Values = { ...o };
    for (const [key, value] of p) {
      if (!(key in o)) throw invalid(key);
      const allowed = OSD_VALUES[key] ?? ['enable', 'disable'];
      if (key === 'textstr') {
        if (!/^[A-Za-z0-9 _.-]{0,10}$/.test(value)) throw invalid(key);
        next[key] = value;
        continue;
      }
      if (!allowed.includes(value.toLowerCase())) throw invalid(key);
      next[key] = value.toLowerCase();
    }
    this.state.osd = next as typeof o;
    return [{ ...this.state.osd }];
  }

  private image(script: string, action: string | undefined, p: Map<string, string>): Values[] {
    const name = (Object.keys(IMAGE_GROUPS) as ImageGroupName[]).find((g) => IMAGE_GROUPS[g].script === script)!;
    const g: ImageGroup = IMAGE_GROUPS[name];
    const current = this.state.image[name];
    if (action === g.get) {
      onlyKeys(p, []);
      return [this.imageAnswer(name)];
    }
    if (action !== g.set) throw new Refuse('Invalid action');
    const next: Values = { ...current };
    for (const [key, value] of p) {
      const field = g.fields[key];
      if (!field) throw invalid(key);
      if (field.kind === 'int') {
        if (!/^\d+$/.test(value) || Number(value) < field.min || Number(value) > field.max) throw invalid(key);
        next[key] = Number(value);
      } else {
        const v = value.toLowerCase(); // enums compared case-insensitively, echoed lower case (digest §5 item 15)
        if (!field.values.includes(v)) throw invalid(key);
        next[key] = v;
      }
    }
    if (name === 'dayNight') {
      if (next.mode === 'lpr') throw new Refuse('Not supported'); // LPR: "if supported model only"
      if (Number(next.ptn) < Number(next.ptd)) throw invalid('ptn');
    }
    if (name === 'whiteBalance' && p.get('mode') === 'user') for (const k of ['userred', 'userblue']) if (!p.has(k)) throw invalid(k);
    if (name === 'shutter' && next.shutmode === 'user' && p.has('shutmode')) for (const k of ['shutspeed', 'agcvalue']) if (!p.has(k)) throw invalid(k);
    if (name === 'shutter' && next.shutmode === 'suppressroll' && p.has('shutmode') && !p.has('suppress')) throw invalid('suppress');
    this.state.image[name] = next as never;
    return [this.imageAnswer(name)];
  }

  /** A group as the camera prints it: the response keys (daynightmode, wbmode, minshutspd). */
  private imageAnswer(name: ImageGroupName): Values {
    const v = this.state.image[name] as Values;
    switch (name) {
      case 'dayNight':
        return { daynightmode: v.mode!, autolevel: v.autolevel!, interval: v.interval!, ptn: v.ptn!, ptd: v.ptd!, irlink: v.irlink! };
      case 'whiteBalance':
        return { wbmode: v.mode!, userred: v.userred!, userblue: v.userblue! };
      case 'shutter':
        return {
          shutmode: v.shutmode!, shutspeed: v.shutspeed!, agcvalue: v.agcvalue!,
          ...(v.shutmode === 'auto' ? { minshutspd: v.maxexposure! } : {}),
          ...(v.shutmode === 'suppressroll' ? { suppress: v.suppress! } : {}),
        };
      default:
        return { ...v };
    }
  }

  // ---- PTZ ----

  private ptz(script: string, action: string | undefined, p: Map<string, string>): Values[] | undefined {
    const f = this.profile;
    const s = this.state;
    const anyPtz = yes(f.PanSupported) || yes(f.TiltSupported) || yes(f.ZoomSupported) || yes(f.FocusSupported);
    if (!anyPtz) throw new Refuse('Not supported');
    const only = (...keys: string[]) => onlyKeys(p, keys);
    const speed = (key: string) => {
      const v = intOf(p, key, 1, 100);
      if (v === undefined) throw invalid(key);
      return v;
    };
    switch (`${script}.${action}`) {
      case 'ptzf_status.getptzstatus':
        only();
        return [{ ptstatus: s.ptstatus, zfstatus: s.zfstatus }];
      case 'ptzf_status.setptzstatus':
        only('ptstatus', 'zfstatus');
        s.ptstatus = enumOf(p, 'ptstatus', ['enable', 'disable']) ?? s.ptstatus;
        s.zfstatus = enumOf(p, 'zfstatus', ['enable', 'disable']) ?? s.zfstatus;
        return [{ ptstatus: s.ptstatus, zfstatus: s.zfstatus }];
      case 'ptzf_status.lensreset':
        only();
        this.lens.home();
        return undefined;
      case 'ptzf_status.getptzfpos':
        if (!this.o.extendedFirmware) throw new Refuse('Invalid action');
        only();
        return [{ panpos: this.head.pan, tiltpos: this.head.tilt, zoompos: this.lens.zoom, focuspos: this.lens.focus }];
      case 'ptzf_status.goptzfpos': {
        if (!this.o.extendedFirmware) throw new Refuse('Invalid action');
        only('zoompos', 'focuspos');
        const zoom = intOf(p, 'zoompos', 0, ZOOM_MAX);
        const focus = intOf(p, 'focuspos', 0, FOCUS_MAX);
        if (zoom === undefined && focus === undefined) throw invalid('zoompos');
        if (s.zfstatus === 'disable') throw new Refuse('zfstatus is disabled');
        this.sequence = undefined;
        if (zoom !== undefined) this.lens.zoomTo(zoom, 3);
        if (focus !== undefined) this.lens.focusTo(focus, 3);
        return undefined;
      }
      case 'zf_control.onepush':
        only();
        if (!yes(f.AutoFocusSupported)) throw new Refuse('Not supported');
        if (s.zfstatus === 'disable') throw new Refuse('zfstatus is disabled');
        this.lens.onePush();
        return undefined;
      case 'zf_control.setzfmove': {
        only('zoom', 'zoomspeed', 'focus', 'focusspeed');
        const zoom = enumOf(p, 'zoom', ['in', 'out', 'stop']);
        const focus = enumOf(p, 'focus', ['in', 'out', 'stop']);
        if (zoom === undefined && focus === undefined) throw invalid('zoom');
        if ((zoom !== undefined && !yes(f.ZoomSupported)) || (focus !== undefined && !yes(f.FocusSupported))) throw new Refuse('Not supported');
        if (s.zfstatus === 'disable') throw new Refuse('zfstatus is disabled');
        // A speed comes with a direction, never alone, and stop needs none.
        if (zoom !== 'in' && zoom !== 'out' && p.has('zoomspeed')) throw invalid('zoomspeed');
        if (focus !== 'in' && focus !== 'out' && p.has('focusspeed')) throw invalid('focusspeed');
        const zs = zoom === 'in' || zoom === 'out' ? speed('zoomspeed') : 0;
        const fs = focus === 'in' || focus === 'out' ? speed('focusspeed') : 0;
        this.sequence = undefined;
        if (zoom === 'stop') this.lens.stopZoom();
        else if (zoom) this.lens.zoomTo(zoom === 'in' ? ZOOM_MAX : 0, lensSpeed(zs));
        if (focus === 'stop') this.lens.stopFocus();
        else if (focus) this.lens.focusTo(focus === 'in' ? 0 : FOCUS_MAX, lensSpeed(fs)); // in = near, out = far
        if (zs || fs) this.lastSpeed = zs || fs;
        if (zoom) this.zoomMotion = zoom;
        if (focus) this.focusMotion = focus;
        return undefined;
      }
      case 'pt_control.setptmove': {
        only('pan', 'panspeed', 'tilt', 'tiltspeed');
        const pan = enumOf(p, 'pan', ['left', 'right', 'stop']);
        const tilt = enumOf(p, 'tilt', ['up', 'down', 'stop']);
        if (pan === undefined && tilt === undefined) throw invalid('pan');
        if ((pan !== undefined && !yes(f.PanSupported)) || (tilt !== undefined && !yes(f.TiltSupported))) throw new Refuse('Not supported');
        if (s.ptstatus === 'disable') throw new Refuse('ptstatus is disabled');
        if (pan !== 'left' && pan !== 'right' && p.has('panspeed')) throw invalid('panspeed');
        if (tilt !== 'up' && tilt !== 'down' && p.has('tiltspeed')) throw invalid('tiltspeed');
        const ps = pan === 'left' || pan === 'right' ? speed('panspeed') : 0;
        const ts = tilt === 'up' || tilt === 'down' ? speed('tiltspeed') : 0;
        this.sequence = undefined;
        const motion = { pan: pan ?? this.panTiltMotion.pan, tilt: tilt ?? this.panTiltMotion.tilt };
        this.head.move(motion.pan === 'stop' ? undefined : (motion.pan as 'left' | 'right'), Math.round((ps * 63) / 100), motion.tilt === 'stop' ? undefined : (motion.tilt as 'up' | 'down'), Math.round((ts * 63) / 100));
        this.panTiltMotion = motion;
        if (ps || ts) this.lastSpeed = ps || ts;
        return undefined;
      }
      case 'preset_control.setpreset':
      case 'preset_control.gopreset':
      case 'preset_control.clearpreset': {
        only('number');
        const limit = max(f.PresetSupported);
        if (limit === 0) throw new Refuse('Not supported');
        const n = intOf(p, 'number', 1, limit);
        if (n === undefined) throw invalid('number');
        this.sequence = undefined;
        if (action === 'setpreset') {
          this.lens.savePreset(n);
          this.headPresets.set(n, { pan: this.head.pan, tilt: this.head.tilt });
        } else if (action === 'clearpreset') {
          this.lens.clearPreset(n);
          this.headPresets.delete(n);
        } else {
          if (this.lens.recallPreset(n) === undefined) throw new Refuse(`preset ${n} is empty`);
          const pose = this.headPresets.get(n);
          if (pose && yes(f.PanSupported)) {
            this.head.panTo(pose.pan);
            this.head.tiltTo(pose.tilt);
          }
        }
        return undefined;
      }
      case 'preset_control.autopan':
      case 'preset_control.tour': {
        only('number');
        const limit = max(action === 'autopan' ? f.AutopanSupported : f.TourSupported);
        if (limit === 0) throw new Refuse('Not supported');
        const n = intOf(p, 'number', 1, 255);
        if (n === undefined || (n !== 255 && n > limit)) throw invalid('number');
        this.sequence = n === 255 ? undefined : `${action} ${n}`;
        return undefined;
      }
      case 'preset_control.autopan_cw':
      case 'preset_control.autopan_ccw': {
        only('speed');
        if (!yes(f.AutopancwSupported)) throw new Refuse('Not supported');
        const v = intOf(p, 'speed', 1, 255);
        if (v === undefined || (v !== 255 && v > 100)) throw invalid('speed');
        this.sequence = v === 255 ? undefined : `${action} ${v}`;
        return undefined;
      }
      default:
        throw new Refuse('Invalid action');
    }
  }
}

/** PTZ speed 1–100 onto the lens model's 0–3. */
/** A field check: the value to store, or undefined when refused. */
type FieldCheck = (value: string) => string | number | undefined;
const ALARM_ENABLE: FieldCheck = (v) => (['enable', 'disable'].includes(v.toLowerCase()) ? v.toLowerCase() : undefined);
const NAME: FieldCheck = (v) => (/^[A-Za-z0-9 _.-]{1,10}$/.test(v) ? v : undefined); // "10-charactors English only"
const ALARM_FIELDS: Record<'alarmin' | 'alarmout', Record<string, FieldCheck>> = {
  alarmin: { enable: ALARM_ENABLE, name: NAME, type: (v) => (['no', 'nc'].includes(v.toLowerCase()) ? v.toLowerCase() : undefined) },
  alarmout: {
    enable: ALARM_ENABLE,
    name: NAME,
    link: (v) => (/^[0-3]$/.test(v) ? Number(v) : undefined), // 0–7 only with shock, which this model lacks
    time: (v) => (/^\d+$/.test(v) && (Number(v) === 1 || (Number(v) >= 5 && Number(v) <= 180)) ? Number(v) : undefined), // 1 (continuous) or 5–180
  },
};

const OSD_VALUES: Record<string, string[]> = { datetype: ['yyyy-mm-dd', 'dd-mm-yyyy', 'mm-dd-yyyy'], osdfont: ['english'], osdsize: ['big', 'small'], osdcolor: ['white'] };

/** Refuses (Invalid parameter) the first argument the action does not take. */
function onlyKeys(p: Map<string, string>, keys: readonly string[]): void {
  for (const k of p.keys()) if (!keys.includes(k)) throw invalid(k);
}

function lensSpeed(speed: number): number {
  return Math.min(3, Math.floor((speed - 1) / 25));
}

function isIpv4(v: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v);
}

function enumOf<T extends string>(p: Map<string, string>, key: string, values: readonly T[], required = false): T | undefined {
  const v = p.get(key);
  if (v === undefined) {
    if (required) throw invalid(key);
    return undefined;
  }
  const lower = v.toLowerCase() as T;
  if (!values.includes(lower)) throw invalid(key);
  return lower;
}

function intOf(p: Map<string, string>, key: string, min: number, max: number): number | undefined {
  const v = p.get(key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw invalid(key);
  return Number(v);
}

/** The spec's example values, made consistent (digest §7). */
function defaults(profile: CgiControlSimProfile) {
  return {
    servername: 'welcome',
    clockOffsetMs: 0,
    timeMode: 'ntp' as 'ntp' | 'user',
    ip: { mode: 'static', ipaddress: '192.168.1.30', netmask: '255.255.255.0', gateway: '192.168.1.1' },
    dns: { firstdns: '168.126.63.1', seconddns: '' },
    rtsp: {
      rtspport: 554, rtpport: '5000,5999', rtcpenable: 'enable', rtsptimelimit: 0, multicastenable: 'disable', multicastttl: 5,
      multicastvidioip: '239.249.119.123', multicastvidioport: 40000, multicastaudioip: '239.249.119.129', multicastaudioport: 40002, authorityenable: 'enable',
    },
    apictrlstatus: 'enable',
    osd: {
      osdstatus: 'enable', texton: 'enable', textstr: 'camera', dateon: 'enable', datetype: 'yyyy-mm-dd', timeon: 'enable', eventon: 'enable',
      eventdnon: 'enable', eventmdon: 'enable', eventsenson: 'enable', eventrelayon: 'enable', osdfont: 'english', osdsize: 'big', osdcolor: 'white',
    } as Values,
    alarmIn: { allstatus: 'enable', enable: 'enable', name: 'sensor', type: 'no' },
    alarmOut: { allstatus: 'enable', enable: 'enable', name: 'relay', link: 3, time: 5 },
    relay: 'off',
    ptstatus: profile === 'ptz' ? 'enable' : 'disable',
    zfstatus: profile === 'fixed' ? 'disable' : 'enable',
    image: {
      dayNight: { mode: 'auto', autolevel: 50, interval: 5, ptn: 500, ptd: 270, irlink: 'enable' } as Values,
      color: { bright: 52, contrast: 5, saturation: 100, sharp: 100, edge: 68, hue: 50 } as Values,
      whiteBalance: { mode: 'user', userred: 50, userblue: 50 } as Values,
      shutter: { shutmode: 'user', shutspeed: 9, agcvalue: 60, maxexposure: 6, suppress: 'week' } as Values,
    },
  };
}
