/**
 * The cgi_action dialect client (the digest of seeds/004): smart-IPC firmware whose every call is
 * `GET /action/cgi_action?user=…&pwd=<md5 hex>&action=…[&json=…]`, answered 200 with a plain-text
 * error line or a flat JSON object carrying `code`. cgiActionError is the one mapping to typed
 * errors.
 *
 * No session: the MD5 of the password rides in every URL (md5Password). A refused password
 * (`error user/pwd`) is latched and never sent again until setCredentials.
 *
 * The lens has no position feedback here (no zoom or focus read-back exists in the API), so the
 * `lens` capability is not offered: continuous moves (`move`/`stop`) and presets are, and the
 * position comes from the serial side. `action(name, json)` reaches every documented action.
 */
import type { z } from 'zod';
import { InvalidArgumentError, NotSupportedError, type ZoomsyncError } from '../../../protocols/errors.js';
import type { Capability, DeviceIdentity, FactoryDefaultOptions, NetworkSettings, OsdSettings, RawRequest, RawResponse } from '../../../protocols/http/common/capabilities.js';
import { BadResponseError, parseJson, snippet } from '../../../protocols/http/common/parse.js';
import {
  ACTION_PATH,
  IMAGES_PATH,
  PTZ_MOVES,
  SPEED_MAX,
  SPEED_MIN,
  actionQuery,
  calls,
  macFromWire,
  networkFromWire,
  networkToWire,
  osdFromWire,
  osdToWire,
  jsonSecrets,
  lineMismatches,
  ptzCmdFor,
  readAnswer,
  serialFromWire,
  serialToWire,
  shadowedDataKeys,
  stripEnvelope,
  type CgiActionCall,
  type JsonEncoding,
  type LineFraming,
  type PeripheralSettings,
  type PtzMove,
} from '../../../protocols/http/cgi-action/api.js';
import { cgiActionError, type CgiFailure } from '../../../protocols/http/cgi-action/errors.js';
import * as schema from '../../../protocols/http/cgi-action/schemas.js';
import { FACTORY_DEFAULT_CATEGORIES } from '../../../protocols/http/common/capabilities.js';
import { CameraClient, type CameraClientOptions, type HttpResponse } from './camera-client.js';
import { md5Password } from './credentials.js';
import { DialectClient } from './dialect.js';
import { integerIn } from './options.js';
import { LoginLatch, type LoginFailure } from './session.js';

export interface CgiActionClientOptions extends CameraClientOptions {
  user: string;
  password: string;
  /** How the json parameter travels: 'encoded' (percent-encoded, default) or 'raw' as the manual prints it. */
  jsonEncoding?: JsonEncoding;
  /** setPtzControl speed for moves and stops, 1–100. Default 50 (the manual's example). */
  speed?: number;
  /** The ptz_cmd for iris open: 7 (default, by the numbering) or 9 (as printed, colliding with zoom +). */
  irisOpenCmd?: 7 | 9;
  /** 'images' (default): GET /action/cgi_images, a JPEG without credentials; 'fmt-snap': getFmtSnap, base64 in JSON. */
  snapshot?: 'images' | 'fmt-snap';
}

export const CGI_ACTION_CAPABILITIES: readonly Capability[] = ['identity', 'presets', 'image', 'osd', 'network', 'time', 'events', 'snapshot', 'reboot', 'factory-default', 'ptz-serial'];
const CAPS: ReadonlySet<Capability> = new Set(CGI_ACTION_CAPABILITIES);

/** The categories a reset always clears (only network and users can be kept: netReset / userReset). */
const ALWAYS_RESET = FACTORY_DEFAULT_CATEGORIES.filter((c) => c !== 'network' && c !== 'user');

/** An answer's data (envelope stripped) with the envelope, for identity and the network address. */
export interface CgiActionResult {
  data: Record<string, unknown>;
  envelope: schema.CgiEnvelope;
}

export class CgiActionClient extends DialectClient {
  readonly dialect = 'cgi-action' as const;
  readonly capabilities = CAPS;
  readonly http: CameraClient;
  private readonly latch = new LoginLatch();
  private user: string;
  // ES private: util.inspect never shows them.
  #password: string;
  #pwd: string;
  /** Credentials sent inside a call's JSON (a new password, an FTP password …): masked from then on. */
  readonly #sent = new Set<string>();
  private readonly jsonEncoding: JsonEncoding;
  private readonly speed: number;
  private readonly irisOpenCmd: 7 | 9;
  private readonly snapshotSource: 'images' | 'fmt-snap';
  /** A continuous move may be running: close() sends a stop first. */
  private moving = false;

  constructor(options: CgiActionClientOptions) {
    super();
    const { user, password, jsonEncoding, speed, irisOpenCmd, snapshot, secrets, ...transport } = options;
    checkCredentials(user, password);
    this.user = user;
    this.#password = password;
    this.#pwd = md5Password(password).wire;
    const encoding = jsonEncoding ?? 'encoded';
    if (encoding !== 'encoded' && encoding !== 'raw') throw new InvalidArgumentError('option jsonEncoding', encoding, "'encoded' | 'raw'");
    this.jsonEncoding = encoding;
    this.speed = integerIn('speed', speed ?? 50, SPEED_MIN, SPEED_MAX);
    const iris = irisOpenCmd ?? 7;
    if (iris !== 7 && iris !== 9) throw new InvalidArgumentError('option irisOpenCmd', iris, '7 (default) | 9 (as printed)');
    this.irisOpenCmd = iris;
    const snap = snapshot ?? 'images';
    if (snap !== 'images' && snap !== 'fmt-snap') throw new InvalidArgumentError('option snapshot', snap, "'images' | 'fmt-snap'");
    this.snapshotSource = snap;
    this.http = new CameraClient({ ...transport, secrets: () => [...this.secrets(), ...(secrets?.() ?? [])] });
  }

  /** The password and its MD5 (a password equivalent here): never in a message. */
  private secrets(): readonly string[] {
    return [...md5Password(this.#password).secrets, ...this.#sent];
  }

  /** New credentials (after a refused password): clears the latch. Nothing else does. */
  setCredentials(user: string, password: string): void {
    checkCredentials(user, password);
    this.user = user;
    this.#password = password;
    this.#pwd = md5Password(password).wire;
    this.latch.reset();
  }

  // ---- the request path ----

  /** Sends one call; the answer's data, or the typed error of its plain-text line or code. */
  async send(call: CgiActionCall): Promise<CgiActionResult> {
    this.latch.check();
    const res = await this.get(call);
    const what = `cgi_action ${call.action}`;
    if (res.status !== 200) throw new BadResponseError(what, `HTTP ${res.status} instead of 200`, res.text, { plain: true, secrets: this.secrets(), advice: `check that the URL is a cgi_action camera's web port (${ACTION_PATH} answers every call with 200)` });
    const answer = readAnswer(res.text);
    if (answer.kind === 'auth') throw this.latch.latch(this.failure({ kind: 'auth' }, call, res) as LoginFailure);
    if (answer.kind === 'json-error') throw this.failure({ kind: 'json-error' }, call, res);
    const envelope = parseJson(schema.envelope, res.text.trim(), what, this.secrets());
    if (envelope.code !== 0) {
      const log = envelope.log ?? (envelope.message !== 'NULL' ? envelope.message : undefined);
      throw this.failure({ kind: 'code', code: envelope.code, log: log === undefined ? undefined : snippet(log, this.secrets()) }, call, res);
    }
    return { data: { ...stripEnvelope(envelope), ...shadowedDataKeys(res.text) }, envelope };
  }

  private async get(call: CgiActionCall): Promise<HttpResponse> {
    for (const secret of jsonSecrets(call.json)) this.#sent.add(secret);
    const path = `${ACTION_PATH}?${actionQuery(this.user, this.#pwd, call, this.jsonEncoding)}`;
    return this.http.request({ method: 'GET', path, idempotent: call.idempotent, acts: call.acts, ...(call.movesLens ? { movesLens: true } : {}) });
  }

  private failure(f: CgiFailure, call: CgiActionCall, res: HttpResponse): ZoomsyncError {
    return cgiActionError(f, { action: call.action, user: this.user, status: res.status, rawJson: this.jsonEncoding === 'raw' && call.json !== undefined });
  }

  /** One call's data parsed with its schema. */
  private async value<S extends z.ZodType>(call: CgiActionCall, s: S): Promise<z.infer<S>> {
    const { data } = await this.send(call);
    return parseJson(s, JSON.stringify(data), `cgi_action ${call.action}`, this.secrets());
  }

  /**
   * Any documented action (names as printed, case-sensitive) with its JSON; the data without the
   * envelope. A read may be sent twice after a lost answer; anything else never is.
   */
  async action(name: schema.CgiActionName | (string & {}), json?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.send(calls.any(name, json))).data;
  }

  // ---- the common surface ----

  /** getSysConfig. The API has no model field: the model is the device name (dev_name). */
  override async identity(): Promise<DeviceIdentity> {
    const { data, envelope } = await this.send(calls.getSysConfig());
    const sys = parseJson(schema.sysConfig, JSON.stringify(data), 'cgi_action getSysConfig', this.secrets());
    return {
      model: sys.dev_name || 'IPCamera',
      firmware: sys.version,
      ...(envelope.device_mac ? { mac: macFromWire(envelope.device_mac) } : {}),
      extra: {
        deviceId: envelope.deviceID ?? envelope.device_id,
        ip: envelope.device_ip,
        platform: sys.pf_version,
        ai: sys.ai_version,
        ui: sys.ui_version,
        webPort: sys.webPort,
        language: sys.language,
        devType: sys.dev_type,
      },
    };
  }

  /**
   * A continuous move at `speed` (1–100) until stop(): the camera never stops on its own. If the
   * request fails once it may have reached the camera, a stop is sent: a move never runs away.
   */
  async move(direction: PtzMove, speed = this.speed): Promise<void> {
    if (!PTZ_MOVES.includes(direction)) throw new InvalidArgumentError('move', direction, PTZ_MOVES.join(' | '));
    const call = calls.ptzMove(ptzCmdFor(direction, this.irisOpenCmd), speed);
    this.moving = true;
    try {
      await this.send(call);
    } catch (error) {
      await this.stop().catch(() => {});
      throw error;
    }
  }

  /** ptz_cmd 21: stops every axis. */
  async stop(): Promise<void> {
    await this.send(calls.ptzStop(this.speed));
    this.moving = false;
  }

  /** ptz_cmd 20 with the preset in speed_v (1–100). */
  override async gotoPreset(n: number): Promise<void> {
    await this.send(calls.preset('call', n));
  }

  /** ptz_cmd 19: stores the current position as preset n (1–100). */
  override async savePreset(n: number): Promise<void> {
    await this.send(calls.preset('set', n));
  }

  /** The basic image settings (getImageAdjustment). */
  override async image(): Promise<Record<string, unknown>> {
    return (await this.send(calls.getImageAdjustment())).data;
  }

  /** Sends only the changed keys (each checked): every setImageAdjustment field is optional. */
  override async setImage(changes: Record<string, unknown>): Promise<void> {
    await this.send(calls.setImageAdjustment(changes));
  }

  override async osd(): Promise<OsdSettings> {
    return osdFromWire(await this.value(calls.getOsdConf(), schema.osdConf));
  }

  /** Read, merge, write the whole OSD (title_list is an array of four). */
  override async setOsd(changes: OsdSettings): Promise<OsdSettings> {
    const current = await this.value(calls.getOsdConf(), schema.osdConf);
    const next = osdToWire(current, changes);
    await this.send(calls.setOsdConf(next));
    return osdFromWire(next);
  }

  /** getWiredNetwork, and the RTSP port from getRtspConf. HTTPS does not exist here (0). */
  override async network(): Promise<NetworkSettings> {
    const { data, envelope } = await this.send(calls.getWiredNetwork());
    const wired = parseJson(schema.wiredNetwork, JSON.stringify(data), 'cgi_action getWiredNetwork', this.secrets());
    const rtsp = await this.value(calls.getRtspConf(), schema.rtspConf);
    return networkFromWire(wired, envelope.device_ip, rtsp.rtsp_port);
  }

  /**
   * setWiredNetwork (sent once: the camera answers from the old address, then moves), then the
   * RTSP port when it changes. Every field is checked before anything is sent.
   */
  override async setNetwork(settings: NetworkSettings): Promise<void> {
    const current = await this.value(calls.getWiredNetwork(), schema.wiredNetwork);
    const rtsp = await this.value(calls.getRtspConf(), schema.rtspConf);
    const wired = calls.setWiredNetwork(networkToWire(settings, current.manual_dns ?? 0));
    const rtspChange = settings.ports.rtsp !== rtsp.rtsp_port ? calls.setRtspConf(settings.ports.rtsp) : undefined;
    if (rtspChange) await this.send(rtspChange); // first: after the address change this URL may be gone
    await this.send(wired);
  }

  /** getDeviceTime: Unix seconds. */
  override async time(): Promise<Date> {
    const t = await this.value(calls.getDeviceTime(), schema.deviceTime);
    return new Date(t.deviceTime * 1000);
  }

  /** setTime with CurTime (Unix seconds, UTC) and ntp_enable 0: NTP is switched off. */
  override async setTime(time: Date): Promise<void> {
    await this.send(calls.setTime(time));
  }

  /**
   * The one alarm output can only be pulsed (openDoor, for its configured duration): active true
   * pulses it; there is no call that holds it on or turns it off.
   */
  override async alarmOutput(index: number, active: boolean): Promise<void> {
    if (index !== 0) throw new InvalidArgumentError('alarm output', index, '0 (the camera has one output)');
    if (active !== true) throw new NotSupportedError('turning the alarm output off', 'cgi_action cameras', 'openDoor pulses it for its configured time (alarm_handle_alarmout_time); it ends by itself');
    await this.send(calls.openDoor());
  }

  /**
   * setPasswd: the camera's password becomes `newPassword` (sent in plain text, as the API asks;
   * masked in every message). The client uses it from then on.
   */
  async changePassword(newPassword: string): Promise<void> {
    await this.send(calls.setPasswd(this.#pwd, newPassword));
    this.#password = newPassword;
    this.#pwd = md5Password(newPassword).wire;
  }

  /** getIOAlarmIn: the input's state (status 1 = active, an inference; the raw value is kept). */
  async alarmInput(): Promise<{ active: boolean; status: number }> {
    const { status } = await this.value(calls.getIOAlarmIn(), schema.ioAlarmIn);
    return { active: status === 1, status };
  }

  /** A JPEG: /action/cgi_images (no credentials, as documented) or getFmtSnap (base64 in JSON). */
  override async snapshot(): Promise<Uint8Array> {
    if (this.snapshotSource === 'fmt-snap') {
      const snap = await this.value(calls.getFmtSnap(), schema.fmtSnap);
      const bytes = Buffer.from(snap.image_base64, 'base64');
      if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new BadResponseError('cgi_action getFmtSnap', 'image_base64 is not a JPEG', snap.image_base64.slice(0, 40));
      return new Uint8Array(bytes);
    }
    this.latch.check();
    const res = await this.http.request({ method: 'GET', path: IMAGES_PATH, idempotent: true, maxResponseBytes: 32 * 1024 * 1024 });
    if (res.status === 200 && res.bytes[0] === 0xff && res.bytes[1] === 0xd8) return res.bytes;
    throw new BadResponseError(`GET ${IMAGES_PATH}`, `not a JPEG (HTTP ${res.status})`, res.text, { plain: true, secrets: this.secrets(), advice: "the camera answers 'failed' or 'null' when it cannot capture: try again, or snapshot 'fmt-snap'" });
  }

  /** restart: acknowledged, then the camera reboots (its connections drop). */
  override async reboot(): Promise<void> {
    await this.send(calls.restart());
  }

  /**
   * reset: the configuration always; network and users only when selected (netReset,
   * userReset). A selection that keeps anything else cannot be honoured and is refused.
   */
  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    const selected = options.reset;
    if (selected !== undefined) {
      if (selected.length === 0) throw new InvalidArgumentError('factory-default categories', [], 'at least one category (leave the selection out to reset everything)');
      const kept = ALWAYS_RESET.filter((c) => !selected.includes(c));
      if (kept.length > 0) throw new InvalidArgumentError('factory-default categories', selected, `a selection including ${ALWAYS_RESET.join(', ')}`, `cgi_action can keep only network and user (it cannot keep ${kept.join(', ')})`);
    }
    await this.send(calls.reset(selected?.includes('network') ?? true, selected?.includes('user') ?? true));
  }

  /** The camera's RS-485 port: baud, data and stop bits, parity, PTZ lock (getPeripheralConf). */
  override async ptzSerial(): Promise<PeripheralSettings & Record<string, unknown>> {
    return { ...serialFromWire(await this.value(calls.getPeripheralConf(), schema.peripheralConf)) };
  }

  /** Where the camera's RS-485 port differs from the line zoomsync drives (empty when they match). */
  async serialMismatches(line: LineFraming): Promise<string[]> {
    return lineMismatches(serialFromWire(await this.value(calls.getPeripheralConf(), schema.peripheralConf)), line);
  }

  /**
   * baud 2400|4800|9600|115200, dataBits 5–8, stopBits 1|2, parity, ptzLock: checked before
   * sending, sent as a partial setPeripheralConf. protocol and address are refused (no such fields).
   */
  override async setPtzSerial(settings: Record<string, unknown>): Promise<void> {
    await this.send(calls.setPeripheralConf(serialToWire(settings)));
  }

  /**
   * raw({ method: 'GET', path: '<action>', body: json }): any documented action. The answer
   * body is the whole JSON object (envelope included).
   */
  override async raw(request: RawRequest): Promise<RawResponse> {
    if (request.method !== 'GET') throw new InvalidArgumentError('raw method', request.method, 'GET (cgi_action takes every action by GET)');
    const name = request.path.replace(/^\/?(action\/cgi_action\?action=)?/, '');
    const { data, envelope } = await this.send(calls.any(name, request.body));
    return { status: 200, contentType: undefined, body: { ...data, ...envelope } };
  }

  /** Stops a move still running, then closes the connection. */
  override async close(): Promise<void> {
    if (this.moving) await this.stop().catch(() => {});
    await this.http.close();
  }
}

function checkCredentials(user: unknown, password: unknown): void {
  if (typeof user !== 'string' || user.length < 1 || user.length > 31 || /[\s&#]/.test(user)) throw new InvalidArgumentError('option user', typeof user === 'string' ? user : typeof user, 'a user name of 1–31 characters without spaces, & or #');
  if (typeof password !== 'string' || password.length < 1) throw new InvalidArgumentError('option password', typeof password === 'string' ? 'empty' : typeof password, 'a non-empty password');
}
