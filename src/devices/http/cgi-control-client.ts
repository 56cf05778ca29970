/**
 * The CGI control dialect client (the digest of seeds/002): every call a GET of
 * `/cgi-bin/control/<script>.cgi` with `id` and `passwd` in the query, answered by
 * `key = value` lines, an empty body (the action-type commands) or `Error: …` with status 200,
 * which cgiControlError turns into a typed error (the dialect's one mapping).
 *
 * - Credentials ride on every call (no session). Until the camera has accepted them once, calls
 *   go one at a time, so a wrong password reaches the camera once, not once per concurrent
 *   call; a refused or locked login is latched and thrown again without asking the camera.
 * - What the camera can do is asked once (capabilityptz.cgi getPTZ, falling back to
 *   getCapabilitiesPTZAll): a zoom, focus, pan/tilt, preset, autopan or tour it lacks is refused
 *   before any request, and the common `focus` and `presets` capabilities are offered only when
 *   it has them.
 * - Moves are open-loop (the API has no position read-back): zoom/focus/pan/tilt run until
 *   stop(). A move that fails once it may have reached the camera is followed by a stop, and
 *   close() stops whatever may still move.
 */
import { HttpAuthError, HttpLockedError, InvalidArgumentError, NotSupportedError } from '../../../protocols/errors.js';
import {
  BASE_CAPABILITIES,
  IMAGE_GROUP_NAMES,
  calls,
  capabilitiesFromPtz,
  cgiPath,
  imageFromWire,
  imageGet,
  imageSet,
  osdFromWire,
  osdGet,
  osdToWire,
  parseServerDate,
  ptzCapabilitiesFrom,
  SPEED_MAX,
  SPEED_MIN,
  type CgiCall,
  type FocusDirection,
  type ImageGroupName,
  type PanDirection,
  type PtzCapabilities,
  type TiltDirection,
  type ZoomDirection,
} from '../../../protocols/http/cgi-control/api.js';
import { cgiControlError } from '../../../protocols/http/cgi-control/errors.js';
import { KvFormatError, parseKv, type KvBody } from '../../../protocols/http/cgi-control/kv.js';
import type { Capability, DeviceIdentity, FactoryDefaultOptions, FactoryDefaultCategory, FocusRoi, LensMoveResult, LensState, NetworkSettings, OsdSettings, RawRequest, RawResponse } from '../../../protocols/http/common/capabilities.js';
import { FACTORY_DEFAULT_CATEGORIES } from '../../../protocols/http/common/capabilities.js';
import { BadResponseError, snippet } from '../../../protocols/http/common/parse.js';
import { CameraClient, type CameraClientOptions, type HttpResponse } from './camera-client.js';
import { credentialQuery } from './credentials.js';
import { DialectClient, type LensHalt, type LensMoveOptions } from './dialect.js';
import { integerIn, positiveMs } from './options.js';
import { overtakenBeforeSent, settleLens } from './settle.js';
import { LoginLatch } from './session.js';

export interface CgiControlClientOptions extends CameraClientOptions {
  /** The administrator account (only it may use the CGI API, spec rev 1.03). */
  user: string;
  password: string;
  /** Speed of moves and autopan turns, 1–100. Default 50. */
  speed?: number;
  /** The camera's clock offset from UTC in minutes (the API has no time zone). Default 0. */
  utcOffsetMinutes?: number;
  /**
   * The camera answers getptzfpos / goptzfpos (not in the spec: newer firmware, unverified) on
   * these scales: offers the `lens` capability (positions read back, zoomTo / focusTo). Default:
   * not used, moves are open-loop.
   */
  positions?: { zoomMax: number; focusMax: number };
  /** After an absolute move, read the position back this often until it stops. Default 100 ms. */
  settlePollMs?: number;
  /** Longest wait for a moved lens to stop. Default 15000 ms. */
  settleTimeoutMs?: number;
}

/**
 * Everything the CGI control dialect can offer; capabilityptz.cgi narrows focus and presets per
 * camera, and `lens` needs the position CGIs of newer firmware (option `positions`).
 */
export const CGI_CONTROL_CAPABILITIES: readonly Capability[] = [...BASE_CAPABILITIES, 'focus', 'presets', 'lens'];

type Values = Extract<KvBody, { kind: 'values' }>;
/** What a call answered: values, nothing (an action-type command), or a JPEG. */
type Answer = { kind: 'values'; body: Values } | { kind: 'empty' } | { kind: 'jpeg'; bytes: Uint8Array };

export class CgiControlClient extends DialectClient {
  readonly dialect = 'cgi-control' as const;
  readonly http: CameraClient;
  readonly latch = new LoginLatch();
  private user: string;
  #password: string;
  private readonly speed: number;
  private readonly utcOffsetMinutes: number;
  private readonly positions: { zoomMax: number; focusMax: number } | undefined;
  private readonly settlePollMs: number;
  private readonly settleTimeoutMs: number;
  /** What this client may offer before the camera is asked. */
  private readonly all: ReadonlySet<Capability>;
  /** The camera accepted these credentials once: calls may run side by side. */
  private proven = false;
  /** The call in flight while the credentials are unproven; the others wait for it. */
  private probe: Promise<unknown> | undefined;
  private ptzAsked: Promise<PtzCapabilities> | undefined;
  private offered: ReadonlySet<Capability> | undefined;
  /** What may be moving now: close() and a failed move send the matching stop. */
  private readonly moving = { zoomFocus: false, panTilt: false };

  constructor(options: CgiControlClientOptions) {
    super();
    const { user, password, speed, utcOffsetMinutes, positions, settlePollMs, settleTimeoutMs, secrets, ...transport } = options;
    checkCredentials(user, password, 'option ');
    this.user = user;
    this.#password = password;
    this.speed = integerIn('speed', speed ?? 50, SPEED_MIN, SPEED_MAX);
    this.utcOffsetMinutes = integerIn('utcOffsetMinutes', utcOffsetMinutes ?? 0, -14 * 60, 14 * 60);
    if (positions !== undefined && (positions === null || typeof positions !== 'object')) throw new InvalidArgumentError('option positions', positions, '{ zoomMax, focusMax } or undefined');
    this.positions = positions && { zoomMax: integerIn('positions.zoomMax', positions.zoomMax, 1, 1_000_000), focusMax: integerIn('positions.focusMax', positions.focusMax, 1, 1_000_000) };
    this.settlePollMs = positiveMs('settlePollMs', settlePollMs ?? 100);
    this.settleTimeoutMs = positiveMs('settleTimeoutMs', settleTimeoutMs ?? 15_000);
    this.all = new Set(CGI_CONTROL_CAPABILITIES.filter((c) => c !== 'lens' || this.positions));
    this.http = new CameraClient({ ...transport, secrets: () => [...this.secrets(), ...(secrets?.() ?? [])] });
  }

  /** Until capabilityptz.cgi answered: everything the dialect can offer; after: what this camera offers. */
  get capabilities(): ReadonlySet<Capability> {
    return this.offered ?? this.all;
  }

  private secrets(): readonly string[] {
    return credentialQuery(this.user, this.#password, { user: 'id', password: 'passwd' }).secrets;
  }

  /** New credentials (after a refused one): the latch is cleared, the next call asks the camera again. */
  setCredentials(user: string, password: string): void {
    checkCredentials(user, password, '');
    this.user = user;
    this.#password = password;
    this.latch.reset();
    this.proven = false;
  }

  // ---- the request path ----

  /** One call; while the credentials are unproven, one at a time (a wrong password is sent once). */
  private async call(call: CgiCall): Promise<Answer> {
    this.latch.check();
    while (!this.proven && this.probe) {
      await this.probe.catch(() => {});
      this.latch.check();
    }
    if (this.proven) return this.exchange(call);
    const attempt = this.exchange(call);
    this.probe = attempt;
    try {
      return await attempt;
    } finally {
      if (this.probe === attempt) this.probe = undefined;
    }
  }

  private async exchange(call: CgiCall): Promise<Answer> {
    const res = await this.http.request({
      method: 'GET',
      path: cgiPath(call, this.user, this.#password),
      idempotent: call.idempotent,
      acts: call.acts,
      ...(call.movesLens ? { movesLens: true } : {}),
      ...(call.answer === 'jpeg' ? { maxResponseBytes: 32 * 1024 * 1024 } : {}),
    });
    try {
      const answer = this.interpret(call, res);
      this.proven = true;
      return answer;
    } catch (error) {
      if (error instanceof HttpAuthError || error instanceof HttpLockedError) throw this.latch.latch(error);
      // A 200 `Error:` body about something else: the camera took the credentials (a 404 or an HTML page says nothing of them).
      if (res.status === 200 && !(error instanceof BadResponseError)) this.proven = true;
      throw error;
    }
  }

  private what(call: CgiCall): string {
    return `cgi-control ${call.script}.cgi${call.action ? ` ${call.action}` : ''}`;
  }

  /** The answer, or the typed error of its status or `Error:` body. */
  private interpret(call: CgiCall, res: HttpResponse): Answer {
    const context = { script: call.script, action: call.action, status: res.status, user: this.user };
    // Third-party clients report 204 for goptzfpos: no content is an action's success too.
    if (res.status === 204 && call.answer === 'empty') return { kind: 'empty' };
    if (res.status !== 200) {
      const body = res.status >= 400 && res.contentType?.startsWith('text/plain') ? safeParse(res.text) : undefined;
      throw cgiControlError({ ...context, description: body?.kind === 'error' ? snippet(body.message, this.secrets()) : undefined });
    }
    if (call.answer === 'jpeg' && res.bytes[0] === 0xff && res.bytes[1] === 0xd8) return { kind: 'jpeg', bytes: res.bytes };
    let body: KvBody;
    try {
      body = parseKv(res.text);
    } catch (error) {
      if (!(error instanceof KvFormatError)) throw error;
      throw new BadResponseError(this.what(call), `${error.problem} at line ${error.line}`, res.text, { secrets: this.secrets() });
    }
    if (body.kind === 'error') throw cgiControlError({ ...context, description: snippet(body.message, this.secrets()) });
    if (call.answer === 'jpeg') throw new BadResponseError(this.what(call), 'neither a JPEG nor an error', res.text, { secrets: this.secrets() });
    if (body.kind === 'empty') {
      if (call.answer === 'empty') return { kind: 'empty' };
      throw new BadResponseError(this.what(call), 'an empty answer where values belong', undefined, { plain: true, advice: 'the camera may be busy or its firmware differs: try again, and check the dialect' });
    }
    return { kind: 'values', body };
  }

  /** A call that answers values. */
  private async values(call: CgiCall): Promise<Values> {
    const answer = await this.call(call);
    if (answer.kind !== 'values') throw new BadResponseError(this.what(call), 'no values in the answer', undefined, { plain: true });
    return answer.body;
  }

  /** A value the answer must carry. */
  private field(body: Values, key: string, call: CgiCall): string {
    const value = body.flat[key];
    if (value === undefined) throw new BadResponseError(this.what(call), `no "${key}" line`, Object.entries(body.flat).map(([k, v]) => `${k} = ${v}`).join('\n'), { secrets: this.secrets() });
    return value;
  }

  // ---- capabilities ----

  /** capabilityptz.cgi, asked once (getPTZ; the All form on a camera without it). A failure is not cached. */
  ptzCapabilities(): Promise<PtzCapabilities> {
    this.ptzAsked ??= this.askPtz().catch((error: unknown) => {
      this.ptzAsked = undefined;
      throw error;
    });
    return this.ptzAsked;
  }

  private async askPtz(): Promise<PtzCapabilities> {
    let body: Values;
    try {
      body = await this.values(calls.ptzCapabilities());
    } catch (error) {
      if (!(error instanceof NotSupportedError)) throw error;
      try {
        body = await this.values(calls.ptzCapabilities(true));
      } catch (again) {
        if (!(again instanceof NotSupportedError)) throw again;
        // Before rev 1.18 there is no capabilityptz.cgi: no PTZ offered.
        this.offered = new Set(BASE_CAPABILITIES);
        return { pan: false, tilt: false, zoom: false, focus: false, endlessPan: false, autoFocus: false, presets: 0, autopans: 0, autopanTurn: false, tours: 0 };
      }
    }
    let caps: PtzCapabilities;
    try {
      caps = ptzCapabilitiesFrom(body);
    } catch (error) {
      if (!(error instanceof KvFormatError)) throw error;
      throw new BadResponseError('cgi-control capabilityptz.cgi', error.problem, Object.entries(body.flat).map(([k, v]) => `${k} = ${v}`).join('\n'));
    }
    const offered = capabilitiesFromPtz(caps);
    if (this.positions && (caps.zoom || caps.focus)) offered.add('lens');
    this.offered = offered;
    return caps;
  }

  /** Refuses (before any request) what the dialect lacks; then what this camera lacks. */
  private async need(capability: Capability, operation: string): Promise<void> {
    if (!this.all.has(capability)) return this.unsupported(capability, operation);
    if (capability !== 'focus' && capability !== 'presets' && capability !== 'lens') return;
    await this.ptzCapabilities();
    if (!this.offered!.has(capability)) {
      throw new NotSupportedError(`${operation} (capability "${capability}")`, 'this camera (cgi-control, capabilityptz.cgi)', `it offers: ${[...this.offered!].join(', ')}`);
    }
  }

  /** Refuses a move the camera's capabilityptz says it cannot make. */
  private async needPtz(has: (p: PtzCapabilities) => boolean, operation: string): Promise<PtzCapabilities> {
    const caps = await this.ptzCapabilities();
    if (!has(caps)) throw new NotSupportedError(operation, 'this camera (cgi-control, capabilityptz.cgi)', `it reports: ${describePtz(caps)}`);
    return caps;
  }

  // ---- moves (open-loop: the API reads no position back) ----

  /** Sends a move; if it fails once it may have reached the camera, sends the stop too. */
  private async move(call: CgiCall, axis: keyof CgiControlClient['moving']): Promise<void> {
    this.moving[axis] = true;
    try {
      await this.call(call);
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) await this.stopAxis(axis).catch(() => {});
      throw error;
    }
  }

  private async stopAxis(axis: keyof CgiControlClient['moving']): Promise<void> {
    await this.call(axis === 'zoomFocus' ? calls.zoomFocusStop() : calls.panTiltStop());
    this.moving[axis] = false;
  }

  /** Zoom in (tele) or out (wide) at speed 1–100 until stop(). */
  async zoom(direction: ZoomDirection, speed = this.speed): Promise<void> {
    const call = calls.zoom(direction, speed);
    await this.needPtz((p) => p.zoom, 'zoom');
    await this.move(call, 'zoomFocus');
  }

  /** Focus in (near) or out (far) at speed 1–100 until stop(). */
  async focus(direction: FocusDirection, speed = this.speed): Promise<void> {
    const call = calls.focus(direction, speed);
    await this.needPtz((p) => p.focus, 'focus');
    await this.move(call, 'zoomFocus');
  }

  /** Pan and/or tilt at speed 1–100 until stop(). */
  async panTilt(m: { pan?: PanDirection; tilt?: TiltDirection; speed?: number }): Promise<void> {
    const s = m.speed ?? this.speed;
    const call = calls.panTilt({ ...(m.pan ? { pan: m.pan, panSpeed: s } : {}), ...(m.tilt ? { tilt: m.tilt, tiltSpeed: s } : {}) });
    await this.needPtz((p) => (!m.pan || p.pan) && (!m.tilt || p.tilt), `${[m.pan && 'pan', m.tilt && 'tilt'].filter(Boolean).join(' and ')}`);
    await this.move(call, 'panTilt');
  }

  /** Stops every axis the camera has (zoom/focus, pan/tilt). */
  async stop(): Promise<void> {
    const caps = await this.ptzCapabilities();
    if (caps.zoom || caps.focus) await this.stopAxis('zoomFocus');
    if (caps.pan || caps.tilt) await this.stopAxis('panTilt');
  }

  /** Lens initialisation (ptzf_status.cgi lensreset). */
  async lensReset(): Promise<void> {
    await this.needPtz((p) => p.zoom || p.focus, 'lens reset');
    await this.call(calls.lensReset());
  }

  /** Whether the pan/tilt and zoom/focus controls are enabled (ptzf_status.cgi). */
  async ptzStatus(): Promise<{ panTilt: boolean; zoomFocus: boolean }> {
    const call = calls.ptzStatus();
    const body = await this.values(call);
    return { panTilt: this.field(body, 'ptstatus', call) === 'enable', zoomFocus: this.field(body, 'zfstatus', call) === 'enable' };
  }

  async setPtzStatus(s: { panTilt?: boolean; zoomFocus?: boolean }): Promise<void> {
    await this.values(calls.setPtzStatus(s));
  }

  // ---- positions (option `positions`: getptzfpos / goptzfpos of newer firmware) ----

  override async lens(): Promise<LensState> {
    await this.need('lens', 'reading the lens');
    const call = calls.ptzfPosition();
    const body = await this.values(call);
    const number = (key: string) => {
      const text = this.field(body, key, call);
      if (!/^-?\d+$/.test(text)) throw new BadResponseError(this.what(call), `${key} = ${JSON.stringify(text)} is not an integer`, undefined, { plain: true });
      return Number(text);
    };
    return { zoom: number('zoompos'), focus: number('focuspos'), zoomMax: this.positions!.zoomMax, focusMax: this.positions!.focusMax };
  }

  override zoomTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    return this.moveTo('zoom', position, options);
  }

  override focusTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    return this.moveTo('focus', position, options);
  }

  /** The camera's own zoom/focus stop. */
  override async haltLens(): Promise<LensHalt> {
    await this.need('lens', 'halting the lens');
    await this.stopAxis('zoomFocus');
    return { how: 'stop', zoom: undefined };
  }

  /** goptzfpos for one axis (never resent), then the position read back until the lens stops. */
  private async moveTo(axis: 'zoom' | 'focus', position: number, options: LensMoveOptions): Promise<LensMoveResult> {
    await this.need('lens', `${axis} to a position`);
    const max = { zoom: this.positions!.zoomMax, focus: this.positions!.focusMax };
    if (options.signal?.aborted) throw overtakenBeforeSent(`cgi-control goptzfpos ${axis}`);
    await this.call(calls.goPtzfPosition(axis === 'zoom' ? { zoompos: position } : { focuspos: position }, max));
    return settleLens(() => this.lens(), axis, position, { pollMs: this.settlePollMs, timeoutMs: this.settleTimeoutMs, signal: options.signal });
  }

  /** lensreset, then the position read back once the lens stopped. */
  override async lensHome(): Promise<{ zoom: number; focus: number }> {
    await this.need('lens', 'lens home');
    await this.lensReset();
    const result = await settleLens(() => this.lens(), 'zoom', 0, { pollMs: this.settlePollMs, timeoutMs: this.settleTimeoutMs });
    if (!result.lens) throw new BadResponseError('cgi-control ptzf_status.cgi lensreset', result.problem ?? 'the lens did not settle', undefined, { plain: true, advice: 'read the lens again before moving it' });
    return { zoom: result.lens.zoom, focus: result.lens.focus };
  }

  // ---- presets and sequences ----

  override async gotoPreset(n: number): Promise<void> {
    await this.need('presets', 'recall a preset');
    await this.call(calls.preset('go', n, (await this.ptzCapabilities()).presets));
  }

  override async savePreset(n: number): Promise<void> {
    await this.need('presets', 'save a preset');
    await this.call(calls.preset('set', n, (await this.ptzCapabilities()).presets));
  }

  async clearPreset(n: number): Promise<void> {
    await this.need('presets', 'clear a preset');
    await this.call(calls.preset('clear', n, (await this.ptzCapabilities()).presets));
  }

  /** Autopan A↔B number n; `autopan('stop')` ends it. */
  async autopan(n: number | 'stop'): Promise<void> {
    const caps = await this.needPtz((p) => p.autopans > 0, 'autopan');
    await this.call(n === 'stop' ? calls.autopanStop() : calls.autopan(n, caps.autopans));
  }

  /** Endless autopan clockwise or counter-clockwise at a speed 1–100, or stopped. */
  async autopanTurn(direction: 'cw' | 'ccw', speed: number | 'stop' = this.speed): Promise<void> {
    await this.needPtz((p) => p.autopanTurn, 'autopan cw/ccw');
    await this.call(speed === 'stop' ? calls.autopanTurnStop(direction) : calls.autopanTurn(direction, speed));
  }

  /** Preset tour number n; `tour('stop')` ends it. */
  async tour(n: number | 'stop'): Promise<void> {
    const caps = await this.needPtz((p) => p.tours > 0, 'preset tour');
    await this.call(n === 'stop' ? calls.tourStop() : calls.tour(n, caps.tours));
  }

  // ---- the common surface ----

  /**
   * The API has no model or firmware query: the model is described from what the camera
   * reports (its PTZ kind and largest video size), the firmware is "not reported".
   */
  override async identity(): Promise<DeviceIdentity> {
    const caps = await this.ptzCapabilities();
    const nameCall = calls.serverName();
    const name = this.field(await this.values(nameCall), 'servername', nameCall);
    const macCall = calls.mac();
    const mac = this.field(await this.values(macCall), 'mac', macCall);
    // getmaxsize arrived in rev 1.07: an older camera lacks it.
    const maxSize = await this.values(calls.maxVideoSize()).then(
      (b) => b.flat.max_video_size,
      (error: unknown) => {
        if (error instanceof NotSupportedError) return undefined;
        throw error;
      },
    );
    const kind = caps.pan || caps.tilt ? 'PTZ camera' : caps.zoom ? 'zoom camera' : 'fixed camera';
    return {
      model: `CGI control ${kind}${maxSize ? `, ${maxSize}` : ''}`,
      firmware: 'not reported (the CGI control API has no firmware query)',
      mac,
      extra: { name, ...(maxSize ? { maxVideoSize: maxSize } : {}), ptz: caps },
    };
  }

  /** One-push AF (zf_control.cgi onepush). The API reads no focus back: `focus` is NaN. */
  override async onePush(roi?: FocusRoi): Promise<{ focus: number }> {
    if (roi !== undefined) throw new InvalidArgumentError('one-push focus area', roi, 'none (the CGI control API focuses on the whole picture)');
    await this.need('focus', 'one-push AF');
    await this.call(calls.onePush());
    return { focus: Number.NaN };
  }

  /** Day/night, colour, white balance and shutter/AGC, each under its request keys. */
  override async image(): Promise<Record<string, unknown>> {
    await this.need('image', 'reading image settings');
    const out: Record<string, unknown> = {};
    for (const group of IMAGE_GROUP_NAMES) out[group] = imageFromWire(group, (await this.values(imageGet(group))).flat);
    return out;
  }

  /** `{ dayNight: { mode: 'night' }, shutter: { shutmode: 'user', shutspeed: 9, agcvalue: 60 } }`: every value checked before anything is sent. */
  override async setImage(changes: Record<string, unknown>): Promise<void> {
    if (changes === null || typeof changes !== 'object' || Object.keys(changes).length === 0) throw new InvalidArgumentError('image settings', changes, `an object with some of ${IMAGE_GROUP_NAMES.join(', ')}`);
    for (const group of Object.keys(changes)) {
      if (!(IMAGE_GROUP_NAMES as string[]).includes(group)) throw new InvalidArgumentError('image group', group, IMAGE_GROUP_NAMES.join(' | '), 'WDR, effects, slow shutter and the rest: raw calls');
    }
    await this.need('image', 'image settings');
    const planned: CgiCall[] = [];
    for (const [group, groupChanges] of Object.entries(changes) as [ImageGroupName, Record<string, unknown>][]) {
      // The current values: a change of one switch point is checked against the other.
      const current = group === 'dayNight' ? imageFromWire(group, (await this.values(imageGet(group))).flat) : {};
      planned.push(imageSet(group, groupChanges, current));
    }
    for (const call of planned) await this.values(call);
  }

  /** Title, date and time: 'custom' when shown (at the camera's own place), 'hidden' when not. */
  override async osd(): Promise<OsdSettings> {
    await this.need('osd', 'reading the OSD');
    return osdFromWire((await this.values(osdGet())).flat);
  }

  /** Shows ('custom') or hides elements; the answer is the OSD as the camera echoes it. */
  override async setOsd(changes: OsdSettings): Promise<OsdSettings> {
    const call = osdToWire(changes);
    await this.need('osd', 'setting the OSD');
    return osdFromWire((await this.values(call)).flat);
  }

  /** IP, DNS and the RTSP port; `http` is the port zoomsync reached the camera on (the API has no getter), `https` 0 (none). */
  override async network(): Promise<NetworkSettings> {
    await this.need('network', 'reading the network settings');
    const ipCall = calls.ip();
    const ip = (await this.values(ipCall)).flat;
    const dns = (await this.values(calls.dns())).flat;
    const rtsp = await this.values(calls.rtsp()).then(
      (b) => Number(b.flat.rtspport),
      (error: unknown) => {
        if (error instanceof NotSupportedError) return 0;
        throw error;
      },
    );
    const origin = new URL(this.http.origin);
    const mode = ip.mode ?? this.field({ kind: 'values', sections: [], flat: ip }, 'mode', ipCall);
    return {
      ipv4: { dhcp: mode === 'dhcp', address: ip.ipaddress ?? '', gateway: ip.gateway ?? '', subnet: ip.netmask ?? '', dns: { primary: dns.firstdns ?? '', secondary: dns.seconddns ?? '' } },
      ports: { http: Number(origin.port || (origin.protocol === 'https:' ? 443 : 80)), https: 0, rtsp: Number.isFinite(rtsp) ? rtsp : 0 },
    };
  }

  /** IPv4 (static or DHCP) and DNS; the ports are not settable through this dialect. */
  override async setNetwork(settings: NetworkSettings): Promise<void> {
    if (!settings || typeof settings !== 'object' || !settings.ipv4 || !settings.ipv4.dns || !settings.ports) {
      throw new InvalidArgumentError('network settings', settings, '{ ipv4: { dhcp, address, subnet, gateway, dns: { primary, secondary } }, ports } (read them with network() and change what you need)');
    }
    const current = await this.network();
    const v4 = settings.ipv4;
    if (settings.ports.http !== current.ports.http || settings.ports.https !== current.ports.https || settings.ports.rtsp !== current.ports.rtsp) {
      throw new NotSupportedError('changing the ports', 'the cgi-control dialect', 'webport.cgi and rtspset.cgi are raw calls');
    }
    const ipCall = v4.dhcp ? calls.setIp({ dhcp: true }) : calls.setIp({ dhcp: false, address: v4.address, netmask: v4.subnet, gateway: v4.gateway });
    const dnsCall = calls.setDns(v4.dns.primary, v4.dns.secondary);
    const c = current.ipv4;
    if (v4.dns.primary !== c.dns.primary || v4.dns.secondary !== c.dns.secondary) await this.values(dnsCall);
    if (v4.dhcp !== c.dhcp || v4.address !== c.address || v4.subnet !== c.subnet || v4.gateway !== c.gateway) await this.values(ipCall);
  }

  /** The camera's clock (serverdate), read in the configured UTC offset. */
  override async time(): Promise<Date> {
    await this.need('time', 'reading the clock');
    const call = calls.date();
    const text = this.field(await this.values(call), 'serverdate', call);
    const wall = parseServerDate(text);
    if (wall === undefined) throw new BadResponseError(this.what(call), 'serverdate is not "<month> <day>, <year> <h>:<m>:<s>"', text);
    return new Date(wall - this.utcOffsetMinutes * 60_000);
  }

  /** Sets the clock (the camera's time mode becomes "user", NTP off: spec §1.2). */
  override async setTime(time: Date): Promise<void> {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw new InvalidArgumentError('time', String(time), 'a valid date');
    const w = new Date(time.getTime() + this.utcOffsetMinutes * 60_000);
    const call = calls.setDate({ year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds() });
    await this.need('time', 'setting the clock');
    await this.values(call);
  }

  /** The relay by hand (ctrl_alarmout.cgi); outputs count from 1 as the camera numbers them. */
  override async alarmOutput(index: number, active: boolean): Promise<void> {
    const call = calls.relay(index, active);
    await this.need('events', 'alarm output');
    const body = await this.values(call);
    const echoed = this.field(body, `alarmout${index}`, call);
    if (echoed !== (active ? 'on' : 'off')) throw new BadResponseError(this.what(call), `the relay reads "${echoed}" after being set ${active ? 'on' : 'off'}`, undefined, { plain: true, advice: 'read the alarm output state again before relying on it' });
  }

  /** Alarm input n's configuration (alarmin.cgi). */
  async alarmInput(n = 1): Promise<Record<string, string>> {
    return (await this.values(calls.alarmIn(n))).flat;
  }

  /** Alarm output n's configuration (alarmout.cgi; 0: every output). */
  async alarmOutputConfig(n = 1): Promise<Record<string, string>> {
    return (await this.values(calls.alarmOut(n))).flat;
  }

  override async snapshot(): Promise<Uint8Array> {
    await this.need('snapshot', 'snapshot');
    const answer = await this.call(calls.jpeg());
    if (answer.kind !== 'jpeg') throw new BadResponseError('cgi-control image/jpeg.cgi', 'no JPEG', undefined, { plain: true });
    return answer.bytes;
  }

  override async reboot(): Promise<void> {
    await this.need('reboot', 'reboot');
    await this.values(calls.reboot());
  }

  /**
   * setfactory resets everything; setfactoryexip everything but the IP, DNS and HTTP port. So a
   * selection is all categories, or all but 'network'.
   */
  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    const reset = options.reset;
    const allBut = (kept: FactoryDefaultCategory[]) => FACTORY_DEFAULT_CATEGORIES.filter((c) => !kept.includes(c));
    const keepNetwork = reset !== undefined && sameSet(reset, allBut(['network']));
    if (reset !== undefined && !keepNetwork && !sameSet(reset, FACTORY_DEFAULT_CATEGORIES)) {
      throw new InvalidArgumentError('factory-default categories', reset, 'every category, or every one but network', 'the camera resets all of it (setfactory) or all but IP/DNS/HTTP port (setfactoryexip): keep network or nothing');
    }
    await this.need('factory-default', 'factory default');
    await this.values(calls.factory(keepNetwork));
  }

  /**
   * Any documented call, typed: `cgi('camwdr', 'setwdr', { wdrstatus: 'enable' })`. Answers the
   * values by key (and by section), or nothing for an action-type command. Never resent once it
   * may have reached the camera unless it is a get.
   */
  async cgi(script: string, action: string, params: Record<string, string | number> = {}): Promise<{ values: Record<string, string>; sections: Values['sections'] } | undefined> {
    if (typeof script !== 'string' || !/^[a-z0-9_]+$/.test(script)) throw new InvalidArgumentError('CGI script', script, 'a name under /cgi-bin/control without .cgi, e.g. camwdr');
    if (typeof action !== 'string' || !/^[A-Za-z0-9_]+$/.test(action)) throw new InvalidArgumentError('CGI action', action, 'an action name, e.g. getwdr');
    for (const key of Object.keys(params)) if (key === 'id' || key === 'passwd' || key === 'action') throw new InvalidArgumentError('CGI parameter', key, 'anything but id, passwd and action (zoomsync adds them)');
    const isGet = /^get/i.test(action);
    const moves = ['pt_control', 'zf_control', 'preset_control'].includes(script) || action === 'lensreset';
    const call: CgiCall = {
      script,
      action,
      params: Object.entries(params).map(([k, v]) => [k, String(v)] as const),
      answer: moves ? 'empty' : 'values',
      idempotent: isGet,
      acts: !isGet,
      ...(moves ? { movesLens: true as const } : {}),
    };
    const answer = await this.call(call);
    return answer.kind === 'values' ? { values: answer.body.flat, sections: answer.body.sections } : undefined;
  }

  /** raw(): a GET of `/cgi-bin/control/<script>.cgi?action=…&…` (credentials added). */
  override async raw(request: RawRequest): Promise<RawResponse> {
    if (request.method !== 'GET') throw new InvalidArgumentError('raw method', request.method, 'GET (every CGI of the API is a GET)');
    const m = /^\/cgi-bin\/control\/([a-z0-9_]+)\.cgi\?(.*)$/.exec(request.path);
    if (!m) throw new InvalidArgumentError('raw path', request.path, '/cgi-bin/control/<script>.cgi?action=<action>[&key=value...]');
    const query = new URLSearchParams(m[2]);
    const action = query.get('action');
    if (!action) throw new InvalidArgumentError('raw path', request.path, 'a query with action=<action>');
    query.delete('action');
    const params = Object.fromEntries(query);
    const answer = await this.cgi(m[1]!, action, params);
    return { status: 200, contentType: 'text/plain', body: answer ?? '' };
  }

  /** Stops a move that may still run, then closes the connection. */
  override async close(): Promise<void> {
    if (this.moving.zoomFocus) await this.stopAxis('zoomFocus').catch(() => {});
    if (this.moving.panTilt) await this.stopAxis('panTilt').catch(() => {});
    await this.http.close();
  }
}

/** The administrator's name and a password (never shown: only its length or type is named). */
function checkCredentials(user: unknown, password: unknown, prefix: string): asserts user is string {
  if (typeof user !== 'string' || user.length < 1 || user.length > 32) throw new InvalidArgumentError(`${prefix}user`, typeof user === 'string' ? user : typeof user, 'a user name of 1–32 characters (the administrator)');
  if (typeof password !== 'string' || password.length < 1) throw new InvalidArgumentError(`${prefix}password`, typeof password, 'a non-empty password');
}

function safeParse(text: string): KvBody | undefined {
  try {
    return parseKv(text);
  } catch {
    return undefined;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((x) => a.includes(x));
}

function describePtz(p: PtzCapabilities): string {
  const on = Object.entries(p).filter(([, v]) => v === true || (typeof v === 'number' && v > 0)).map(([k, v]) => (typeof v === 'number' ? `${k} ${v}` : k));
  return on.length ? on.join(', ') : 'no PTZ at all';
}
