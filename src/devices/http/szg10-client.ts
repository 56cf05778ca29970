/**
 * The SZ-G10 REST dialect client. Login with the SHA-256 of the password; the JWT is kept and
 * reused; `session/check` when the token has been idle; exactly one re-login on a 401, then a
 * clear error (the framework's TokenSession). A refused login (401) or a locked account (403)
 * is latched: zoomsync never tries the same credentials again by itself, so it can never be
 * what locks the account. Errors come from szg10StatusError, the dialect's one mapping.
 */
import type { z } from 'zod';
import { HttpConnectError, HttpLockedError, HttpStatusError, HttpTimeoutError, InvalidArgumentError } from '../../../protocols/errors.js';
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
  hashPassword,
  lensFromWire,
  networkFromWire,
  networkToWire,
  osdFromWire,
  osdToWire,
  requests,
  UPGRADE_RESULT,
  type Szg10Request,
} from '../../../protocols/http/szg10/api.js';
import { szg10LoginError, szg10PermissionError, szg10StatusError } from '../../../protocols/http/szg10/errors.js';
import * as schema from '../../../protocols/http/szg10/schemas.js';
import { CameraClient, type CameraClientOptions, type HttpResponse } from './camera-client.js';
import { DialectClient, type FirmwareOptions, type LensHalt, type LensMoveOptions } from './dialect.js';
import { nonNegativeMs, positiveMs } from './options.js';
import { pollUntil } from './poller.js';
import { TokenSession } from './session.js';
import { haltAtReading, overtakenBeforeSent, settleLens } from './settle.js';

export interface Szg10ClientOptions extends CameraClientOptions {
  user: string;
  password: string;
  /** Check the session with the camera before using a token idle this long. Default 60 s. */
  sessionCheckAfterMs?: number;
  /** Interval between firmware upgrade-state polls. Default 1000 ms. */
  firmwarePollMs?: number;
  /** After a zoom or focus move, read the lens back this often until it stops. Default 100 ms. */
  settlePollMs?: number;
  /** Longest wait for a moved lens to stop before its position is reported unknown. Default 15000 ms. */
  settleTimeoutMs?: number;
}

export const SZG10_CAPABILITIES: readonly Capability[] = ['identity', 'lens', 'focus', 'osd', 'network', 'reboot', 'factory-default', 'firmware'];
const CAPS: ReadonlySet<Capability> = new Set<Capability>(SZG10_CAPABILITIES);

export class Szg10Client extends DialectClient {
  readonly dialect = 'szg10' as const;
  readonly capabilities = CAPS;
  readonly http: CameraClient;
  /** The session: JWT reuse, idle check, one re-login on 401, the login-failure latch. */
  readonly session: TokenSession;
  private user: string;
  // ES private (#): util.inspect / console.log of the client never shows them.
  #password: string;
  #passwordHash: string;
  private readonly firmwarePollMs: number;
  private readonly settlePollMs: number;
  private readonly settleTimeoutMs: number;

  constructor(options: Szg10ClientOptions) {
    super();
    const { user, password, sessionCheckAfterMs, firmwarePollMs, settlePollMs, settleTimeoutMs, secrets, ...transport } = options;
    if (typeof user !== 'string') throw new InvalidArgumentError('option user', typeof user, 'a user name (string)');
    if (typeof password !== 'string') throw new InvalidArgumentError('option password', typeof password, 'a password (string)');
    this.user = user;
    this.#password = password;
    this.#passwordHash = hashPassword(password);
    this.firmwarePollMs = positiveMs('firmwarePollMs', firmwarePollMs ?? 1000);
    this.settlePollMs = positiveMs('settlePollMs', settlePollMs ?? 100);
    this.settleTimeoutMs = positiveMs('settleTimeoutMs', settleTimeoutMs ?? 15_000);
    this.session = new TokenSession({
      login: () => this.sendLogin(),
      logout: (token) => this.sendLogout(token),
      check: (token) => this.sendSessionCheck(token),
      checkAfterIdleMs: nonNegativeMs('sessionCheckAfterMs', sessionCheckAfterMs ?? 60_000),
    });
    // The transport masks the password and its hash wherever they show up in a message.
    this.http = new CameraClient({ ...transport, secrets: () => [...this.secrets(), ...(secrets?.() ?? [])] });
  }

  /** Logins sent and session checks made (tests and diagnostics). */
  get authStats(): { logins: number; sessionChecks: number } {
    return { logins: this.session.stats.logins, sessionChecks: this.session.stats.checks };
  }

  /** The texts no message may show: the password and the hash the login sends. */
  private secrets(): readonly string[] {
    return [this.#password, this.#passwordHash];
  }

  // ---- session ----

  /** Logs in (once; concurrent callers share the attempt) and returns the JWT. */
  login(): Promise<string> {
    return this.session.login();
  }

  /**
   * New credentials (after a refused or locked login): clears the latch so the next call logs
   * in again. Nothing else clears it: zoomsync never retries the same password by itself.
   */
  setCredentials(user: string, password: string): void {
    this.user = user;
    this.#password = password;
    this.#passwordHash = hashPassword(password);
    this.session.reset();
  }

  /** Asks the camera whether the token is still valid (PUT session/check: 204 yes, 401 no). */
  checkSession(): Promise<boolean> {
    return this.session.checkSession();
  }

  override logout(): Promise<void> {
    return this.session.logout();
  }

  private async sendSessionCheck(token: string): Promise<boolean> {
    const req = requests.sessionCheck();
    const res = await this.send(req, token);
    if (req.success.includes(res.status)) return true;
    if (res.status === 401) return false;
    throw this.statusError(req, res);
  }

  private async sendLogout(token: string): Promise<void> {
    const req = requests.logout();
    const res = await this.send(req, token);
    if (!req.success.includes(res.status) && res.status !== 401) throw this.statusError(req, res);
  }

  private async sendLogin(): Promise<{ token: string }> {
    const req = requests.login(this.user, this.#passwordHash);
    const res = await this.send(req, undefined);
    if (req.success.includes(res.status)) return { token: this.parse(schema.loginResponse, res.text, 'szg10 login').token };
    throw szg10LoginError(this.user, res.status) ?? this.statusError(req, res);
  }

  // ---- the request path ----

  private async send(req: Szg10Request, token: string | undefined, onUploadProgress?: (sent: number, total: number) => void): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json, text/plain' };
    if (req.contentType) headers['content-type'] = req.contentType;
    if (token) headers.authorization = `Bearer ${token}`;
    return this.http.request({
      method: req.method,
      path: req.path,
      headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      idempotent: req.idempotent,
      ...(req.movesLens ? { movesLens: true } : {}),
      ...(req.headersTimeoutMs !== undefined ? { headersTimeoutMs: req.headersTimeoutMs } : {}),
      ...(onUploadProgress ? { onUploadProgress } : {}),
    });
  }

  /** Sends with the token it needs; one re-login on 401; turns error statuses into typed errors. */
  private async call(req: Szg10Request, onUploadProgress?: (sent: number, total: number) => void, signal?: AbortSignal): Promise<HttpResponse> {
    // A move a stop overtook is not sent, nor sent again after a re-login: it would move the lens after the stop.
    const send = (token: string | undefined) => (signal?.aborted ? Promise.reject(overtakenBeforeSent(what(req))) : this.send(req, token, onUploadProgress));
    if (req.permission === 'noAuth') return this.checked(req, await send(undefined));
    const res = await this.session.run(
      send,
      (r) => r.status === 401,
      () => szg10PermissionError(this.user, req),
    );
    return this.checked(req, res);
  }

  /** The answer when its status is the call's documented success; a typed error otherwise. */
  private checked(req: Szg10Request, res: HttpResponse): HttpResponse {
    if (req.success.includes(res.status)) return res;
    throw this.statusError(req, res);
  }

  private statusError(req: Szg10Request, res: HttpResponse): HttpStatusError | HttpLockedError {
    return szg10StatusError(req, res, this.user, this.secrets());
  }

  /** A body start for a message, with the password and its hash masked. */
  private snippet(text: string): string {
    return snippet(text, this.secrets());
  }

  private parse<S extends z.ZodType>(s: S, text: string, name: string): z.infer<S> {
    return parseJson(s, text, name, this.secrets());
  }

  private async json<S extends z.ZodType>(req: Szg10Request, s: S): Promise<z.infer<S>> {
    const res = await this.call(req);
    return this.parse(s, res.text, what(req));
  }

  // ---- the common surface ----

  override async identity(): Promise<DeviceIdentity> {
    const info = await this.deviceInformation();
    return {
      model: info.system.modelName,
      firmware: info.system.version.firmware,
      mac: info.system.mac,
      extra: { time: info.system.time, health: info.system.health, network: info.network, streams: info.stream },
    };
  }

  async deviceInformation(): Promise<schema.DeviceInformation> {
    return this.json(requests.deviceInformation(), schema.deviceInformation);
  }

  override async lens(): Promise<LensState> {
    return lensFromWire(await this.json(requests.getLens(), schema.lens));
  }

  /**
   * Sends a move (never replayed once it may have reached the camera: the request says it moves
   * a lens), checks the answer against its documented shape, then reads the lens back until it
   * stops. The answer's own positions are not the result: they may be taken mid-travel.
   */
  private async move(req: Szg10Request, axis: 'zoom' | 'focus', target: number, answer: z.ZodType | undefined, options: LensMoveOptions): Promise<LensMoveResult> {
    await this.sendMove(req, answer, options.signal);
    return settleLens(() => this.lens(), axis, target, { pollMs: this.settlePollMs, timeoutMs: this.settleTimeoutMs, signal: options.signal });
  }

  private async sendMove(req: Szg10Request, answer: z.ZodType | undefined, signal?: AbortSignal): Promise<void> {
    const res = await this.call(req, undefined, signal);
    if (answer && res.status === 200) this.parse(answer, res.text, what(req));
  }

  override async zoomTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    return this.move(requests.zoomPosition(position), 'zoom', position, schema.focusPositionResponse, options);
  }

  /** The REST API has no lens stop: the zoom is sent to where it is read now (it halts there). */
  override haltLens(): Promise<LensHalt> {
    return haltAtReading(() => this.lens(), (zoom) => this.sendMove(requests.zoomPosition(zoom), schema.focusPositionResponse));
  }

  override async focusTo(position: number, options: LensMoveOptions = {}): Promise<LensMoveResult> {
    const req = requests.focusPosition(position);
    try {
      return await this.move(req, 'focus', position, schema.focusPositionResponse, options);
    } catch (error) {
      // The API moves focus only in manual mode; say so rather than a bare 400.
      if (error instanceof HttpStatusError && error.status === 400) {
        const mode = (await this.lens().catch(() => undefined))?.focusMode;
        if (mode && mode !== 'manual') {
          throw new HttpStatusError(400, `focus position works only in manual focus mode and the camera is in ${mode} mode; set the focus mode to manual first (zoomsync camera ... focus-mode manual)`, { cause: error });
        }
      }
      throw error;
    }
  }

  override async lensHome(): Promise<{ zoom: number; focus: number }> {
    const req = requests.focusHome();
    const home = this.parse(schema.homeResponse, (await this.call(req)).text, what(req));
    return { zoom: home.zoom.position, focus: home.focus.position };
  }

  override async setFocusMode(mode: FocusMode): Promise<void> {
    await this.call(requests.setFocusMode(mode));
  }

  override async setZoomAf(enabled: boolean): Promise<void> {
    await this.call(requests.enableZoomAf(enabled));
  }

  override async onePush(roi?: FocusRoi): Promise<{ focus: number }> {
    const req = requests.onePush(roi);
    return { focus: this.parse(schema.focusPositionResponse, (await this.call(req)).text, what(req)).focus.position };
  }

  override async osd(): Promise<OsdSettings> {
    return osdFromWire(await this.json(requests.getOsd(), schema.osd));
  }

  override async setOsd(changes: OsdSettings): Promise<OsdSettings> {
    const current = await this.json(requests.getOsd(), schema.osd);
    const next = osdToWire(current, changes);
    await this.call(requests.setOsd(next));
    return osdFromWire(next);
  }

  override async network(): Promise<NetworkSettings> {
    return networkFromWire(await this.json(requests.getIpSetup(), schema.ipSetup));
  }

  override async setNetwork(settings: NetworkSettings): Promise<void> {
    try {
      const current = await this.json(requests.getIpSetup(), schema.ipSetup);
      await this.call(requests.setIpSetup(networkToWire(settings, current)));
    } catch (error) {
      // Applying a new address or port cuts the connection the answer would have come back on.
      const where = settings.ipv4.dhcp ? 'its DHCP address' : settings.ipv4.address;
      const message = (e: Error) => `network settings: the connection dropped before the camera answered (${e.message}); it has probably applied them — look for it at ${where}, HTTP port ${settings.ports.http}, before trying again`;
      if (error instanceof HttpConnectError) throw new HttpConnectError(error.url, message(error), { cause: error });
      if (error instanceof HttpTimeoutError) throw new HttpTimeoutError(error.url, error.timeoutMs, error.mayHaveActed, message(error), { cause: error });
      if (error instanceof BadResponseError) throw new BadResponseError('network settings', message(error), undefined, { plain: true, advice: 'do not send them again blindly', cause: error });
      throw error;
    }
  }

  override async reboot(): Promise<void> {
    const result = await this.json(requests.reboot(), schema.rebootResponse);
    if (result.result !== 1) throw new HttpStatusError(200, `reboot: the camera answered result ${result.result} instead of 1 (success); try again`);
    this.session.forget(); // a restarted camera forgets its sessions
  }

  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    await this.call(requests.factoryDefault(options.reset));
    if (!options.reset || options.reset.includes('user')) this.session.forget();
  }

  /** The main stream's SDP (text/plain, no login needed). */
  async sdp(): Promise<string> {
    const req = requests.sdp();
    const res = await this.call(req);
    if (!/^v=0/m.test(res.text)) throw new BadResponseError(what(req), 'not an SDP (no v=0 line)', res.text, { secrets: this.secrets() });
    return res.text;
  }

  async firmwareVersion(): Promise<string> {
    return (await this.json(requests.firmwareVersion(), schema.firmwareVersion)).version;
  }

  /** Upload -> upgrade -> poll the state until it succeeds or fails; progress through onProgress. */
  override async upgradeFirmware(image: Uint8Array, options: FirmwareOptions = {}): Promise<{ version?: string }> {
    const progress = options.onProgress ?? (() => {});
    const upload = requests.uploadFirmware(image);
    const res = await this.call(upload, (sent, total) => progress({ stage: 'upload', percent: total ? Math.floor((100 * sent) / total) : 100 }));
    if (!/^\s*Success/i.test(res.text)) {
      throw new HttpStatusError(res.status, `firmware upload: the camera did not confirm saving the file: ${this.snippet(res.text)}; check the file and try again`);
    }
    progress({ stage: 'upload', percent: 100 });
    // A camera that restarts before its answer is out drops the connection: that is not a
    // failure yet (saying "try again" would invite a second upload mid-upgrade); the state decides.
    let confirmed = true;
    await this.call(requests.upgrade(options.withFactoryReset)).catch((error: unknown) => {
      if (error instanceof HttpStatusError && error.status === 400) {
        throw new HttpStatusError(400, 'firmware upgrade: the camera says the uploaded file is missing or not a valid firmware (HTTP 400); check that the file is an SZ-G10 firmware image', { cause: error });
      }
      if (error instanceof HttpConnectError || error instanceof HttpTimeoutError) {
        confirmed = false;
        return;
      }
      throw error;
    });
    this.session.forget(); // the camera restarts to upgrade
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    await pollUntil({
      read: () => this.json(requests.upgradeState(), schema.upgradeState),
      intervalMs: this.firmwarePollMs,
      timeoutMs,
      onTimeout: (lastError) =>
        new HttpTimeoutError(this.http.origin + requests.upgradeState().path, timeoutMs, true, `firmware upgrade: no result within ${Math.round(timeoutMs / 1000)} s; check the camera's state before powering it off`, { cause: lastError }),
      judge: (state) => {
        if (state.result === UPGRADE_RESULT.none && !confirmed) {
          throw new HttpStatusError(200, 'firmware upgrade: the connection dropped before the camera confirmed the upgrade request, and it reports no upgrade (state "none"); the firmware is unchanged — upload and upgrade again');
        }
        if (state.result === UPGRADE_RESULT.upgrading) progress({ stage: 'upgrade', percent: clampPercent(state.rate ?? 0), detail: state.resultCaption });
        else if (state.result === UPGRADE_RESULT.failed) {
          throw new HttpStatusError(200, `firmware upgrade failed on the camera: ${state.resultCaption}; the previous firmware should still run — check the file and try again`);
        } else if (state.result === UPGRADE_RESULT.succeeded) {
          progress({ stage: 'done', percent: 100, detail: state.resultCaption });
          return { done: true, value: undefined };
        }
        return { done: false };
      },
    });
    const version = await this.firmwareVersion().catch(() => undefined);
    return version === undefined ? {} : { version };
  }

  override async raw(request: RawRequest): Promise<RawResponse> {
    const { body } = request;
    // Text and bytes go as they are; anything else is sent as JSON.
    const payload: Pick<Szg10Request, 'body' | 'contentType'> =
      body === undefined ? {} : typeof body === 'string' || body instanceof Uint8Array ? { body, contentType: 'application/octet-stream' } : { body: JSON.stringify(body), contentType: 'application/json' };
    const req: Szg10Request = {
      method: request.method,
      path: request.path.startsWith('/') ? request.path : `/${request.path}`,
      permission: request.auth === false ? 'noAuth' : 'setup',
      idempotent: request.method === 'GET',
      success: [200, 204],
      ...payload,
    };
    const res = await this.call(req);
    let parsed: unknown = res.text;
    if (res.contentType?.includes('json') && res.text) {
      try {
        parsed = JSON.parse(res.text);
      } catch {
        parsed = res.text;
      }
    }
    return { status: res.status, contentType: res.contentType, body: parsed };
  }

  override async close(): Promise<void> {
    await this.http.close();
  }
}

/** Names a call in a bad-answer error, e.g. "szg10 GET /app/v1/camera/lens". */
const what = (req: Szg10Request): string => `szg10 ${req.method} ${req.path}`;

function clampPercent(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
