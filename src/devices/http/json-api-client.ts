/**
 * The JSON api.cgi dialect client (the digest of seeds/003). Every call is a POST of a command
 * array `[{cmd, action, param}]` answered by an array in the same order; each element is a
 * value or an rspCode, turned into a typed error by jsonApiError (the dialect's one mapping).
 *
 * Authentication, two forms:
 * - 'token' (default): Login gives a token with a lease; the token rides in the URL, is renewed
 *   before the lease runs out (the old session logged out first: sessions are limited), gets one
 *   fresh login when refused (-6 / -21), and is logged out on close (TokenSession).
 * - 'per-request': user and password in the query of every call, no session.
 * Either way a refused or locked login is latched: the same password is never sent again.
 *
 * What is offered is decided by GetAbility (with GetDevInfo for the RS-485 port), asked once
 * in one batch; a capability outside the dialect's set is refused before any request.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { InvalidArgumentError, NotSupportedError, type ZoomsyncError } from '../../../protocols/errors.js';
import type {
  Capability,
  DeviceIdentity,
  FactoryDefaultOptions,
  FocusMode,
  FocusRoi,
  LensMoveResult,
  LensState,
  NetworkSettings,
  OsdSettings,
  RawRequest,
  RawResponse,
} from '../../../protocols/http/common/capabilities.js';
import { BadResponseError, parseJson, snippet } from '../../../protocols/http/common/parse.js';
import {
  API_PATHS,
  DEFAULT_PATH,
  DOCUMENTED_ZOOM_IN,
  capabilitiesFromAbilities,
  commands,
  imageToWire,
  moveAllowed,
  networkFromWire,
  osdFromWire,
  osdToWire,
  ptzOpFor,
  ptzSerialFromWire,
  ptzSerialToWire,
  timeFromWire,
  timeToWire,
  PTZ_MOVES,
  type JsonApiAbilities,
  type JsonApiCall,
  type JsonApiCommand,
  type PtzMove,
  type PtzSerialSettings,
  type ZoomInOp,
} from '../../../protocols/http/json-api/api.js';
import { jsonApiError, LOGIN_LOCKED, LOGIN_REFUSED, SESSION_REFUSED } from '../../../protocols/http/json-api/errors.js';
import * as schema from '../../../protocols/http/json-api/schemas.js';
import { CameraClient, type CameraClientOptions, type HttpResponse } from './camera-client.js';
import { credentialQuery } from './credentials.js';
import { DialectClient, type LensHalt, type LensMoveOptions } from './dialect.js';
import { integerIn, nonNegativeMs, positiveMs } from './options.js';
import { LoginLatch, TokenSession, type LoginFailure } from './session.js';
import { haltAtReading, overtakenBeforeSent, settleLens } from './settle.js';

export interface JsonApiClientOptions extends CameraClientOptions {
  user: string;
  password: string;
  /** 'token' (Login, a leased token, logout on close; default) or 'per-request' (credentials in every URL). */
  auth?: 'token' | 'per-request';
  /** The CGI path: '/cgi-bin/api.cgi' (default) or '/api.cgi'. */
  path?: string;
  /** The camera's channel (0-based; an IPC is 0). */
  channel?: number;
  /** Renew the token this long before its lease runs out. Default 60 s (at most half the lease). */
  renewBeforeMs?: number;
  /** The op that zooms in: 'ZoomDec' as the manual says (default), or 'ZoomInc' for a camera that does the opposite. */
  zoomInOp?: ZoomInOp;
  /** The camera's zoom scale for StartZoomFocus (not documented; 32 on the one known model). */
  zoomMax?: number;
  /** The camera's focus scale (248 on the one known model). */
  focusMax?: number;
  /** PtzCtrl speed for moves and presets, 1–64. Default 32. */
  speed?: number;
  /** After an absolute move, read the lens back this often until it stops. Default 250 ms: the wire scale is coarse (32 zoom steps), and three equal readings must span more than one step of a slow zoom. */
  settlePollMs?: number;
  /** Longest wait for a moved lens to stop. Default 15000 ms. */
  settleTimeoutMs?: number;
}

/** Everything api.cgi can offer; GetAbility narrows it per camera and user. */
export const JSON_API_CAPABILITIES: readonly Capability[] = ['identity', 'lens', 'focus', 'presets', 'image', 'osd', 'network', 'time', 'snapshot', 'reboot', 'factory-default', 'ptz-serial'];
const ALL: ReadonlySet<Capability> = new Set(JSON_API_CAPABILITIES);

/** One answer element: its value, or the typed error of its rspCode. */
export type JsonApiResult = { ok: true; cmd: string; value: unknown; initial?: unknown; range?: unknown } | { ok: false; cmd: string; error: ZoomsyncError };

export class JsonApiClient extends DialectClient {
  readonly dialect = 'json-api' as const;
  readonly http: CameraClient;
  /** Token mode's session (login, lease renewal, logout, latch); per-request mode uses `latch` alone. */
  readonly session: TokenSession;
  private readonly latch: LoginLatch;
  private user: string;
  #password: string;
  private readonly mode: 'token' | 'per-request';
  private readonly path: string;
  private readonly channel: number;
  private readonly zoomIn: ZoomInOp;
  private readonly zoomMax: number;
  private readonly focusMax: number;
  private readonly speed: number;
  private readonly settlePollMs: number;
  private readonly settleTimeoutMs: number;
  private abilitiesAsked: Promise<JsonApiAbilities> | undefined;
  private offered: ReadonlySet<Capability> | undefined;
  /** A continuous move may be running: close() sends a stop first. */
  private moving = false;

  constructor(options: JsonApiClientOptions) {
    super();
    const { user, password, auth, path, channel, renewBeforeMs, zoomInOp, zoomMax, focusMax, speed, settlePollMs, settleTimeoutMs, secrets, ...transport } = options;
    if (typeof user !== 'string' || user.length < 1 || user.length > 31) throw new InvalidArgumentError('option user', typeof user === 'string' ? user : typeof user, 'a user name of 1–31 characters');
    if (typeof password !== 'string' || password.length < 1 || password.length > 31) throw new InvalidArgumentError('option password', typeof password === 'string' ? `${password.length} characters` : typeof password, 'a password of 1–31 characters');
    this.user = user;
    this.#password = password;
    const mode = auth ?? 'token';
    if (mode !== 'token' && mode !== 'per-request') throw new InvalidArgumentError('option auth', mode, "'token' | 'per-request'");
    this.mode = mode;
    const p = path ?? DEFAULT_PATH;
    if (!(API_PATHS as readonly string[]).includes(p)) throw new InvalidArgumentError('option path', p, API_PATHS.join(' | '));
    this.path = p;
    this.channel = integerIn('channel', channel ?? 0, 0, 255);
    const zoom = zoomInOp ?? DOCUMENTED_ZOOM_IN;
    if (zoom !== 'ZoomDec' && zoom !== 'ZoomInc') throw new InvalidArgumentError('option zoomInOp', zoom, "'ZoomDec' (the manual) | 'ZoomInc'");
    this.zoomIn = zoom;
    this.zoomMax = integerIn('zoomMax', zoomMax ?? 32, 1, 1_000_000);
    this.focusMax = integerIn('focusMax', focusMax ?? 248, 1, 1_000_000);
    this.speed = integerIn('speed', speed ?? 32, 1, schema.SPEED_MAX);
    this.settlePollMs = positiveMs('settlePollMs', settlePollMs ?? 250);
    this.settleTimeoutMs = positiveMs('settleTimeoutMs', settleTimeoutMs ?? 15_000);
    this.session = new TokenSession({
      login: () => this.sendLogin(),
      logout: (token) => this.sendLogout(token),
      renewBeforeMs: nonNegativeMs('renewBeforeMs', renewBeforeMs ?? 60_000),
    });
    this.latch = this.session.latch;
    this.http = new CameraClient({ ...transport, secrets: () => [...this.secrets(), ...(secrets?.() ?? [])] });
  }

  /** Until GetAbility answered: everything api.cgi can offer; after: what this camera offers this user. */
  get capabilities(): ReadonlySet<Capability> {
    return this.offered ?? ALL;
  }

  /** The password (and its URL forms) and the session token: never in a message. */
  private secrets(): readonly string[] {
    const token = this.session.current;
    return [...credentialQuery(this.user, this.#password).secrets, ...(token ? [token] : [])];
  }

  // ---- the request path ----

  /** POSTs a command array; the answer array is checked for shape and length. */
  private async send(calls: readonly JsonApiCall[], auth: string | undefined, path = this.path): Promise<{ res: HttpResponse; entries: schema.JsonApiEntry[] }> {
    const first = calls[0]!.command.cmd;
    const query = `cmd=${encodeURIComponent(first)}${auth ? `&${auth}` : ''}`;
    const res = await this.http.request({
      method: 'POST',
      path: `${path}?${query}`,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/html' },
      body: JSON.stringify(calls.map((c) => c.command)),
      idempotent: calls.every((c) => c.idempotent),
      ...(calls.some((c) => c.movesLens) ? { movesLens: true } : {}),
    });
    return { res, entries: this.entries(res, calls.map((c) => c.command)) };
  }

  /** The answer array (JSON whatever the content type: the camera says text/html), one element per command. */
  private entries(res: HttpResponse, sent: readonly JsonApiCommand[]): schema.JsonApiEntry[] {
    const what = `json-api ${sent.map((c) => c.cmd).join('+')}`;
    if (res.status !== 200) throw new BadResponseError(what, `HTTP ${res.status} instead of 200`, res.text, { plain: true, secrets: this.secrets(), advice: `check that ${this.path} is the camera's api.cgi (the other documented path is ${API_PATHS.find((p) => p !== this.path)})` });
    const entries = parseJson(schema.envelope, res.text, what, this.secrets());
    if (entries.length !== sent.length) throw new BadResponseError(what, `${entries.length} answers to ${sent.length} commands`, res.text, { secrets: this.secrets() });
    return entries;
  }

  private rspCode(entry: schema.JsonApiEntry): number | undefined {
    if (entry.error) return entry.error.rspCode;
    return entry.code !== 0 ? entry.code : undefined;
  }

  private toError(entry: schema.JsonApiEntry, cmd: string, res: HttpResponse): ZoomsyncError {
    const detail = entry.error?.detail === undefined ? undefined : snippet(entry.error.detail, this.secrets());
    return jsonApiError({ cmd, rspCode: this.rspCode(entry)!, detail, user: this.user, status: res.status, url: this.http.origin + this.path });
  }

  /**
   * Sends commands with the credentials the mode needs. Token mode: one fresh login when the
   * token is refused, then a clear error. Per-request: a refused password is latched.
   */
  private async post(calls: readonly JsonApiCall[], path = this.path): Promise<{ res: HttpResponse; entries: schema.JsonApiEntry[] }> {
    if (this.mode === 'per-request') {
      this.latch.check();
      const answer = await this.send(calls, credentialQuery(this.user, this.#password).wire, path);
      this.latchRefusedCredentials(answer.entries[0]!, answer.res);
      return answer;
    }
    const refused = (a: { entries: schema.JsonApiEntry[] }) => SESSION_REFUSED.has(this.rspCode(a.entries[0]!) ?? 0);
    return this.session.run(
      (token) => this.send(calls, `token=${encodeURIComponent(token)}`, path),
      refused,
      (a) => this.toError(a.entries[0]!, calls[0]!.command.cmd, a.res),
    );
  }

  /** Per-request credentials the camera refused (or locked): latched, never sent again. */
  private latchRefusedCredentials(entry: schema.JsonApiEntry, res: HttpResponse): void {
    const code = this.rspCode(entry);
    if (code !== undefined && (LOGIN_REFUSED.has(code) || LOGIN_LOCKED.has(code) || SESSION_REFUSED.has(code))) {
      throw this.latch.latch(this.toError(entry, 'per-request login', res) as LoginFailure);
    }
  }

  /** Several commands in one POST; each answer a value or its typed error, in order. */
  async batch(calls: readonly JsonApiCall[], path = this.path): Promise<JsonApiResult[]> {
    if (calls.length === 0) throw new InvalidArgumentError('batch', [], 'at least one command');
    const { res, entries } = await this.post(calls, path);
    return entries.map((e, i): JsonApiResult => {
      const cmd = calls[i]!.command.cmd;
      if (this.rspCode(e) !== undefined) return { ok: false, cmd, error: this.toError(e, cmd, res) };
      return { ok: true, cmd, value: e.value, ...(e.initial !== undefined ? { initial: e.initial } : {}), ...(e.range !== undefined ? { range: e.range } : {}) };
    });
  }

  /** One command; its value parsed with its schema, or its typed error thrown. */
  private async one<S extends z.ZodType>(call: JsonApiCall, s: S): Promise<z.infer<S>> {
    const [result] = await this.batch([call]);
    return this.resultValue(result!, s);
  }

  private resultValue<S extends z.ZodType>(result: JsonApiResult, s: S): z.infer<S> {
    if (!result.ok) throw result.error;
    return parseJson(s, JSON.stringify(result.value ?? null), `json-api ${result.cmd}`, this.secrets());
  }

  /** A set or an action: done only when the camera says rspCode 200. */
  private async command(call: JsonApiCall): Promise<void> {
    const { rspCode } = await this.one(call, schema.rspOk);
    if (rspCode !== 200) {
      throw jsonApiError({ cmd: call.command.cmd, rspCode, detail: undefined, user: this.user, status: 200, url: this.http.origin + this.path });
    }
  }

  // ---- session ----

  private async sendLogin(): Promise<{ token: string; leaseMs: number }> {
    const call = commands.login(this.user, this.#password);
    const { res, entries } = await this.send([call], undefined);
    const entry = entries[0]!;
    if (this.rspCode(entry) !== undefined) throw this.toError(entry, 'Login', res);
    const { Token } = parseJson(schema.token, JSON.stringify(entry.value ?? null), 'json-api Login', this.secrets());
    // The manual prints "leaseTime"; its screenshot "leastTime". Seconds.
    return { token: Token.name, leaseMs: (Token.leaseTime ?? Token.leastTime ?? 3600) * 1000 };
  }

  private async sendLogout(token: string): Promise<void> {
    const { res, entries } = await this.send([commands.logout()], `token=${encodeURIComponent(token)}`);
    const code = this.rspCode(entries[0]!);
    if (code !== undefined && !SESSION_REFUSED.has(code)) throw this.toError(entries[0]!, 'Logout', res); // an expired token is logged out already
  }

  /**
   * New credentials (after a refused or locked login): clears the latch, drops the session and
   * the abilities (they are per user). Nothing else clears the latch.
   */
  setCredentials(user: string, password: string): void {
    commands.login(user, password); // the same checks as the constructor's, before anything changes
    this.user = user;
    this.#password = password;
    this.session.reset();
    this.abilitiesAsked = undefined;
    this.offered = undefined;
  }

  /** Logs in now (token mode) and returns nothing: the token is never handed out. */
  async login(): Promise<void> {
    if (this.mode === 'token') await this.session.login();
  }

  override logout(): Promise<void> {
    return this.session.logout();
  }

  // ---- abilities ----

  /** GetAbility and GetDevInfo, asked once in one POST (a failure is not cached). */
  abilities(): Promise<JsonApiAbilities> {
    this.abilitiesAsked ??= this.askAbilities().catch((error: unknown) => {
      this.abilitiesAsked = undefined;
      throw error;
    });
    return this.abilitiesAsked;
  }

  private async askAbilities(): Promise<JsonApiAbilities> {
    const [ability, info] = await this.batch([commands.getAbility(this.user), commands.getDevInfo()]);
    const { Ability } = this.resultValue(ability!, schema.abilityValue);
    const { DevInfo } = this.resultValue(info!, schema.devInfo);
    const global: Record<string, schema.AbilityEntry> = {};
    for (const [key, value] of Object.entries(Ability)) {
      const parsed = schema.abilityEntry.safeParse(value);
      if (parsed.success) global[key] = parsed.data;
    }
    const channel = Ability.abilityChn[this.channel];
    if (!channel) throw new InvalidArgumentError('option channel', this.channel, `0–${Ability.abilityChn.length - 1} (the camera's channels)`);
    const abilities = { global, channel, rs485: DevInfo.B485 === 1 };
    this.offered = capabilitiesFromAbilities(abilities);
    return abilities;
  }

  /** Refuses (before any request) a capability api.cgi lacks; then asks the abilities once. */
  private async need(capability: Capability, operation: string): Promise<void> {
    if (!ALL.has(capability)) return this.unsupported(capability, operation);
    await this.abilities();
    if (!this.offered!.has(capability)) {
      throw new NotSupportedError(`${operation} (capability "${capability}")`, `this camera (json-api, user "${this.user}")`, `GetAbility offers: ${[...this.offered!].join(', ')}`);
    }
  }

  // ---- the common surface ----

  override async identity(): Promise<DeviceIdentity> {
    await this.need('identity', 'device information');
    const [info, link] = await this.batch([commands.getDevInfo(), commands.getLocalLink()]);
    const d = this.resultValue(info!, schema.devInfo).DevInfo;
    // The MAC lives in LocalLink; a user without that ability still gets the rest.
    const mac = link!.ok ? this.resultValue(link!, schema.localLink).LocalLink.mac : undefined;
    return {
      model: d.model,
      firmware: d.firmVer,
      ...(mac !== undefined ? { mac } : {}),
      extra: { name: d.name, serial: d.serial, hardware: d.hardVer, type: d.type, exactType: d.exactType, channels: d.channelNum, rs485: d.B485 === 1, build: d.buildDay },
    };
  }

  override async lens(): Promise<LensState> {
    await this.need('lens', 'reading the lens');
    const withMode = this.offered!.has('focus');
    const results = await this.batch([commands.getZoomFocus(this.channel), ...(withMode ? [commands.getAutoFocus(this.channel)] : [])]);
    const { ZoomFocus } = this.resultValue(results[0]!, schema.zoomFocus);
    const mode: FocusMode | undefined = withMode ? (this.resultValue(results[1]!, schema.autoFocus).AutoFocus.disable ? 'manual' : 'auto') : undefined;
    return { zoom: ZoomFocus.zoom.pos, focus: ZoomFocus.focus.pos, ...(mode ? { focusMode: mode } : {}), zoomMax: this.zoomMax, focusMax: this.focusMax };
  }

  override zoomTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    return this.moveTo('zoom', position, options);
  }

  /** No lens stop in the API: the zoom is sent to where it is read now (it halts there). */
  override async haltLens(): Promise<LensHalt> {
    await this.need('lens', 'halting the lens');
    return haltAtReading(() => this.lens(), (zoom) => this.command(this.positionCall('zoom', zoom)));
  }

  override focusTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    return this.moveTo('focus', position, options);
  }

  /** StartZoomFocus to a position of one axis, then the lens read back until it stops. */
  private async moveTo(axis: 'zoom' | 'focus', position: number, options: LensMoveOptions): Promise<LensMoveResult> {
    const call = this.positionCall(axis, position);
    await this.need('lens', `${axis} to a position`);
    if (options.signal?.aborted) throw overtakenBeforeSent(`json-api ${call.command.cmd}`);
    await this.command(call);
    return settleLens(() => this.lens(), axis, position, { pollMs: this.settlePollMs, timeoutMs: this.settleTimeoutMs, signal: options.signal });
  }

  private positionCall(axis: 'zoom' | 'focus', position: number) {
    return axis === 'zoom' ? commands.startZoomFocus(this.channel, 'ZoomPos', position, this.zoomMax) : commands.startZoomFocus(this.channel, 'FocusPos', position, this.focusMax);
  }

  override lensHome(): Promise<{ zoom: number; focus: number }> {
    return Promise.reject(new NotSupportedError('lens home', 'the json-api dialect', 'api.cgi has no lens initialisation: zoom-to 0 instead'));
  }

  /** auto: autofocus on (SetAutoFocus disable 0); manual: off. api.cgi has no macro mode. */
  override async setFocusMode(mode: FocusMode): Promise<void> {
    if (mode !== 'auto' && mode !== 'manual') throw new InvalidArgumentError('focus mode', mode, "'auto' | 'manual' (api.cgi has no macro mode)");
    await this.need('focus', 'focus mode');
    await this.command(commands.setAutoFocus(this.channel, mode === 'manual'));
  }

  override setZoomAf(_enabled: boolean): Promise<void> {
    return Promise.reject(new NotSupportedError('zoom-triggered AF', 'the json-api dialect', 'api.cgi refocuses after a zoom whenever autofocus is on: focus-mode auto'));
  }

  override onePush(_roi?: FocusRoi): Promise<{ focus: number }> {
    return Promise.reject(new NotSupportedError('one-push AF', 'the json-api dialect', 'api.cgi has only autofocus on/off: focus-mode auto'));
  }

  /**
   * A continuous move (zoom, focus, iris, pan/tilt) at `speed` (1–64) until stop(). If the
   * request fails once it may have reached the camera, a stop is sent: a move never runs away.
   */
  async move(direction: PtzMove, speed = this.speed): Promise<void> {
    if (!PTZ_MOVES.includes(direction)) throw new InvalidArgumentError('move', direction, PTZ_MOVES.join(' | '));
    const call = commands.ptzMove(this.channel, ptzOpFor(direction, this.zoomIn), speed);
    const abilities = await this.abilities();
    if (!moveAllowed(abilities, direction)) throw new NotSupportedError(`moving ${direction}`, `this camera (json-api: ptzType ${abilities.channel.ptzType?.ver ?? 0}, ptzCtrl ${abilities.channel.ptzCtrl?.ver ?? 0})`);
    this.moving = true;
    try {
      await this.command(call);
    } catch (error) {
      await this.stop().catch(() => {});
      throw error;
    }
  }

  /** PtzCtrl Stop: halts every axis. */
  async stop(): Promise<void> {
    await this.command(commands.ptzStop(this.channel));
    this.moving = false;
  }

  override async gotoPreset(n: number): Promise<void> {
    const call = commands.gotoPreset(this.channel, n, this.speed);
    await this.need('presets', 'recall a preset');
    await this.command(call);
  }

  /** Stores the current position as preset n (named "preset n" unless a name is given). */
  override async savePreset(n: number, name = `preset ${n}`): Promise<void> {
    const call = commands.setPtzPreset(this.channel, n, name, true);
    await this.need('presets', 'save a preset');
    await this.command(call);
  }

  /** The stored presets (enabled slots only). */
  async presets(): Promise<{ id: number; name: string }[]> {
    await this.need('presets', 'list presets');
    const { PtzPreset } = await this.one(commands.getPtzPreset(this.channel), schema.ptzPresets);
    return PtzPreset.filter((p) => p.enable === 1).map((p) => ({ id: p.id, name: p.name }));
  }

  override async image(): Promise<Record<string, unknown>> {
    await this.need('image', 'reading image settings');
    const { channel: _channel, ...image } = (await this.one(commands.getImage(this.channel), schema.image)).Image;
    return image;
  }

  override async setImage(changes: Record<string, unknown>): Promise<void> {
    await this.need('image', 'image settings');
    const current = (await this.one(commands.getImage(this.channel), schema.image)).Image;
    await this.command(commands.setImage(imageToWire(current, changes)));
  }

  override async osd(): Promise<OsdSettings> {
    await this.need('osd', 'reading the OSD');
    return osdFromWire((await this.one(commands.getOsd(this.channel), schema.osd)).Osd);
  }

  override async setOsd(changes: OsdSettings): Promise<OsdSettings> {
    await this.need('osd', 'setting the OSD');
    const next = osdToWire((await this.one(commands.getOsd(this.channel), schema.osd)).Osd, changes);
    await this.command(commands.setOsd(next));
    return osdFromWire(next);
  }

  override async network(): Promise<NetworkSettings> {
    await this.need('network', 'reading the network settings');
    const [link, ports] = await this.batch([commands.getLocalLink(), commands.getNetPort()]);
    return networkFromWire(this.resultValue(link!, schema.localLink).LocalLink, this.resultValue(ports!, schema.netPort).NetPort);
  }

  override setNetwork(_settings: NetworkSettings): Promise<void> {
    return Promise.reject(new NotSupportedError('network settings (writing)', 'the json-api dialect in this release', 'read them with `ip get`; change them in the camera UI'));
  }

  override async time(): Promise<Date> {
    await this.need('time', 'reading the clock');
    return timeFromWire((await this.one(commands.getTime(), schema.time)).Time);
  }

  override async setTime(time: Date): Promise<void> {
    await this.need('time', 'setting the clock');
    const zone = (await this.one(commands.getTime(), schema.time)).Time.timeZone;
    await this.command(commands.setTime(timeToWire(time, zone)));
  }

  /** A JPEG (Snap: URL parameters, the answer is the image, or a JSON error array). */
  override async snapshot(): Promise<Uint8Array> {
    await this.need('snapshot', 'snapshot');
    const send = async (auth: string) => {
      // rs: random characters so no cache answers with an old picture (the manual's own advice).
      const query = `cmd=Snap&channel=${this.channel}&rs=${randomBytes(8).toString('hex')}&${auth}`;
      return this.http.request({ method: 'GET', path: `${this.path}?${query}`, idempotent: true, maxResponseBytes: 32 * 1024 * 1024 });
    };
    const isJpeg = (r: HttpResponse) => r.status === 200 && r.bytes[0] === 0xff && r.bytes[1] === 0xd8;
    const jsonError = (r: HttpResponse) => this.entries(r, [{ cmd: 'Snap' }])[0]!;
    let res: HttpResponse;
    if (this.mode === 'per-request') {
      this.latch.check();
      res = await send(credentialQuery(this.user, this.#password).wire);
      if (!isJpeg(res)) this.latchRefusedCredentials(jsonError(res), res);
    } else {
      res = await this.session.run(
        (token) => send(`token=${encodeURIComponent(token)}`),
        (r) => !isJpeg(r) && r.status === 200 && SESSION_REFUSED.has(this.rspCode(jsonError(r)) ?? 0),
        (r) => this.toError(jsonError(r), 'Snap', r),
      );
    }
    if (isJpeg(res)) return res.bytes;
    const entry = jsonError(res); // throws a BadResponseError when it is neither a JPEG nor JSON
    if (this.rspCode(entry) !== undefined) throw this.toError(entry, 'Snap', res);
    throw new BadResponseError('json-api Snap', 'neither a JPEG nor an error', res.text, { secrets: this.secrets() });
  }

  override async reboot(): Promise<void> {
    await this.need('reboot', 'reboot');
    await this.command(commands.reboot());
    this.session.forget(); // a restarted camera forgets its sessions
  }

  /** Restore resets everything: api.cgi has no categories to keep. */
  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    if (options.reset !== undefined) throw new InvalidArgumentError('factory-default categories', options.reset, 'none (api.cgi Restore resets everything)', 'leave the selection out');
    await this.need('factory-default', 'factory default');
    await this.command(commands.restore());
    this.session.forget();
  }

  override async ptzSerial(): Promise<PtzSerialSettings & Record<string, unknown>> {
    await this.need('ptz-serial', 'reading the PTZ serial port');
    return { ...ptzSerialFromWire((await this.one(commands.getPtzSerial(this.channel), schema.ptzSerial)).PtzSerial) };
  }

  /** baud 1200–9600, protocol pelco-d | pelco-p, address 1–64 (and data/stop bits, parity, flow control): checked before sending. */
  override async setPtzSerial(settings: Record<string, unknown>): Promise<void> {
    const changes = ptzSerialToWire(settings);
    await this.need('ptz-serial', 'PTZ serial port settings');
    await this.command(commands.setPtzSerial(this.channel, changes));
  }

  /**
   * Commands outside the common surface: a POST whose body is one command or an array of them,
   * to a documented path ('' for the configured one); answers in order.
   */
  override async raw(request: RawRequest): Promise<RawResponse> {
    if (request.method !== 'POST') throw new InvalidArgumentError('raw method', request.method, 'POST (api.cgi takes every command by POST)');
    const path = request.path === '' ? this.path : request.path;
    if (!(API_PATHS as readonly string[]).includes(path)) throw new InvalidArgumentError('raw path', request.path, `${API_PATHS.join(' | ')} or '' for the configured one`);
    const list = Array.isArray(request.body) ? request.body : [request.body];
    const calls = list.map((c): JsonApiCall => {
      if (!c || typeof c !== 'object' || typeof (c as { cmd?: unknown }).cmd !== 'string') throw new InvalidArgumentError('raw command', c, 'an object {cmd, action?, param?} (or an array of them)');
      return { command: c as JsonApiCommand, idempotent: false }; // unknown effect: never resent once sent
    });
    const results = await this.batch(calls, path);
    return { status: 200, contentType: 'application/json', body: results.map((r) => (r.ok ? r : { ok: false, cmd: r.cmd, code: r.error.code, message: r.error.message })) };
  }

  /** Stops a move still running, logs out (sessions are limited), closes the connection. */
  override async close(): Promise<void> {
    if (this.moving) await this.stop().catch(() => {});
    await this.session.logout().catch(() => {});
    await this.http.close();
  }
}
