/**
 * The SZ-G10 REST dialect client. Login with the SHA-256 of the password; the JWT is kept and
 * reused; `session/check` when the token has been idle; exactly one re-login on a 401, then a
 * clear error. A refused login (401) or a locked account (403) is latched: zoomsync never
 * tries the same credentials again by itself, so it can never be what locks the account.
 */
import type { z } from 'zod';
import {
  HttpAuthError,
  HttpConnectError,
  HttpLockedError,
  HttpStatusError,
  HttpTimeoutError,
  InvalidArgumentError,
  ZoomsyncError,
  type ZoomsyncErrorCode,
} from '../../../protocols/errors.js';
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
import * as schema from '../../../protocols/http/szg10/schemas.js';
import { CameraClient, type CameraClientOptions, type HttpResponse } from './camera-client.js';
import { DialectClient, type FirmwareOptions } from './dialect.js';
import { nonNegativeMs, positiveMs } from './options.js';

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

const CAPS: ReadonlySet<Capability> = new Set<Capability>(['identity', 'lens', 'focus', 'osd', 'network', 'reboot', 'factory-default', 'firmware']);

export class Szg10Client extends DialectClient {
  readonly dialect = 'szg10' as const;
  readonly capabilities = CAPS;
  readonly http: CameraClient;
  /** Logins sent (tests and diagnostics). */
  readonly authStats = { logins: 0, sessionChecks: 0 };
  private user: string;
  // ES private (#): util.inspect / console.log of the client never shows them.
  #password: string;
  #passwordHash: string;
  private readonly sessionCheckAfterMs: number;
  private readonly firmwarePollMs: number;
  private readonly settlePollMs: number;
  private readonly settleTimeoutMs: number;
  #token: string | undefined;
  private tokenUsedAt = 0;
  private loggingIn: Promise<string> | undefined;
  /** A refused or locked login: thrown again instead of asking the camera again. */
  private loginFailure: HttpAuthError | HttpLockedError | undefined;

  constructor(options: Szg10ClientOptions) {
    super();
    const { user, password, sessionCheckAfterMs, firmwarePollMs, settlePollMs, settleTimeoutMs, secrets, ...transport } = options;
    if (typeof user !== 'string') throw new InvalidArgumentError('option user', typeof user, 'a user name (string)');
    if (typeof password !== 'string') throw new InvalidArgumentError('option password', typeof password, 'a password (string)');
    this.user = user;
    this.#password = password;
    this.#passwordHash = hashPassword(password);
    this.sessionCheckAfterMs = nonNegativeMs('sessionCheckAfterMs', sessionCheckAfterMs ?? 60_000);
    this.firmwarePollMs = positiveMs('firmwarePollMs', firmwarePollMs ?? 1000);
    this.settlePollMs = positiveMs('settlePollMs', settlePollMs ?? 100);
    this.settleTimeoutMs = positiveMs('settleTimeoutMs', settleTimeoutMs ?? 15_000);
    // The transport masks the password and its hash wherever they show up in a message.
    this.http = new CameraClient({ ...transport, secrets: () => [...this.secrets(), ...(secrets?.() ?? [])] });
  }

  /** The texts no message may show: the password and the hash the login sends. */
  private secrets(): readonly string[] {
    return [this.#password, this.#passwordHash];
  }

  // ---- session ----

  /** Logs in (once; concurrent callers share the attempt) and returns the JWT. */
  async login(): Promise<string> {
    if (this.loginFailure) throw this.loginFailure;
    this.loggingIn ??= this.sendLogin().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  /**
   * New credentials (after a refused or locked login): clears the latch so the next call logs
   * in again. Nothing else clears it: zoomsync never retries the same password by itself.
   */
  setCredentials(user: string, password: string): void {
    this.user = user;
    this.#password = password;
    this.#passwordHash = hashPassword(password);
    this.loginFailure = undefined;
    this.#token = undefined;
  }

  /** Asks the camera whether the token is still valid (PUT session/check: 204 yes, 401 no). */
  async checkSession(): Promise<boolean> {
    if (!this.#token) return false;
    this.authStats.sessionChecks++;
    const req = requests.sessionCheck();
    const res = await this.send(req, this.#token);
    if (req.success.includes(res.status)) {
      this.tokenUsedAt = Date.now();
      return true;
    }
    if (res.status === 401) {
      this.#token = undefined;
      return false;
    }
    throw this.statusError(req, res);
  }

  override async logout(): Promise<void> {
    const token = this.#token;
    if (!token) return;
    this.#token = undefined;
    const req = requests.logout();
    const res = await this.send(req, token);
    if (!req.success.includes(res.status) && res.status !== 401) throw this.statusError(req, res);
  }

  private async sendLogin(): Promise<string> {
    const req = requests.login(this.user, this.#passwordHash);
    this.authStats.logins++;
    const res = await this.send(req, undefined);
    if (req.success.includes(res.status)) {
      this.#token = this.parse(schema.loginResponse, res.text, 'szg10 login').token;
      this.tokenUsedAt = Date.now();
      return this.#token;
    }
    if (res.status === 401 || res.status === 400) {
      this.loginFailure = new HttpAuthError(
        this.user,
        `the camera refused the login of user "${this.user}" (HTTP ${res.status}): wrong user or password. zoomsync does not retry a failed login by itself (5 failures lock the account); fix the password and run again`,
      );
    } else if (res.status === 403) {
      this.loginFailure = new HttpLockedError(
        this.user,
        `login for user "${this.user}" is locked after too many failed attempts (HTTP 403): wait several minutes before trying again, and check the password first so the next try succeeds`,
      );
    } else {
      throw this.statusError(req, res);
    }
    throw this.loginFailure;
  }

  private async validToken(): Promise<string> {
    if (this.#token && Date.now() - this.tokenUsedAt > this.sessionCheckAfterMs) {
      // In doubt after a long idle: ask before sending something that matters.
      if (await this.checkSession()) return this.#token;
    }
    return this.#token ?? (await this.login());
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
  private async call(req: Szg10Request, onUploadProgress?: (sent: number, total: number) => void): Promise<HttpResponse> {
    if (req.permission === 'noAuth') return this.checked(req, await this.send(req, undefined, onUploadProgress));
    const used = await this.validToken();
    let res = await this.send(req, used, onUploadProgress);
    if (res.status === 401) {
      // Drop the token only if it is still the one refused: a concurrent call may already
      // have logged in again, and its fresh token must not be thrown away for a second login.
      if (this.#token === used) this.#token = undefined;
      res = await this.send(req, this.#token ?? (await this.login()), onUploadProgress);
      if (res.status === 401) {
        throw new HttpAuthError(
          this.user,
          `${req.method} ${req.path}: refused (HTTP 401) even right after a fresh login; user "${this.user}" probably lacks the "${req.permission}" permission — use an account that has it (an administrator can do everything)`,
        );
      }
    }
    this.tokenUsedAt = Date.now();
    return this.checked(req, res);
  }

  /** The answer when its status is the call's documented success; a typed error otherwise. */
  private checked(req: Szg10Request, res: HttpResponse): HttpResponse {
    if (req.success.includes(res.status)) return res;
    throw this.statusError(req, res);
  }

  private statusError(req: Szg10Request, res: HttpResponse): HttpStatusError | HttpLockedError {
    const where = `${req.method} ${req.path}`;
    const body = res.text ? `: ${this.snippet(res.text)}` : '';
    const { status } = res;
    if (status === 403) return new HttpLockedError(this.user, `${where}: the account is locked (HTTP 403); wait several minutes before trying again`);
    if (status === 400) return new HttpStatusError(status, `${where}: the camera rejected the request as invalid (HTTP 400)${body}; check the values against the camera's ranges`);
    if (status >= 500) return new HttpStatusError(status, `${where}: the camera failed to process the request (HTTP ${status})${body}; try again, and reboot the camera if it persists`);
    if (status >= 200 && status < 300) {
      return new HttpStatusError(status, `${where}: answered HTTP ${status} where the API documents ${req.success.join(' or ')}${body}; check the dialect and the camera's firmware version`);
    }
    return new HttpStatusError(status, `${where}: unexpected HTTP ${status}${body}`);
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
  private async move(req: Szg10Request, axis: 'zoom' | 'focus', target: number, answer?: z.ZodType): Promise<LensMoveResult> {
    const res = await this.call(req);
    if (answer && res.status === 200) this.parse(answer, res.text, what(req));
    return this.settle(axis, target);
  }

  /**
   * Reads the lens until it stops: the same reading twice in a row at the target, or three
   * times short of it (a lens that has not started yet must not pass for one that stopped).
   * Bounded by settleTimeoutMs; a read-back that fails or a lens still moving at the end leaves
   * the position unknown rather than reporting a reading taken in flight.
   */
  private async settle(axis: 'zoom' | 'focus', target: number): Promise<LensMoveResult> {
    const deadline = Date.now() + this.settleTimeoutMs;
    let previous: LensState | undefined;
    let unchanged = 0;
    for (;;) {
      let now: LensState;
      try {
        now = await this.lens();
      } catch (error) {
        return { requested: target, reached: undefined, settled: false, lens: undefined, problem: `the position could not be read back (${(error as Error).message})` };
      }
      unchanged = previous && previous.zoom === now.zoom && previous.focus === now.focus ? unchanged + 1 : 0;
      if (unchanged >= (now[axis] === target ? 1 : 2)) return { requested: target, reached: now[axis], settled: true, lens: now };
      if (Date.now() + this.settlePollMs > deadline) {
        return { requested: target, reached: undefined, settled: false, lens: undefined, problem: `the lens was still moving after ${this.settleTimeoutMs} ms` };
      }
      previous = now;
      await new Promise((r) => setTimeout(r, this.settlePollMs));
    }
  }

  override async zoomTo(position: number): Promise<LensMoveResult> {
    return this.move(requests.zoomPosition(position), 'zoom', position, schema.focusPositionResponse);
  }

  override async focusTo(position: number): Promise<LensMoveResult> {
    const req = requests.focusPosition(position);
    try {
      return await this.move(req, 'focus', position, schema.focusPositionResponse);
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
    this.#token = undefined; // a restarted camera forgets its sessions
  }

  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    await this.call(requests.factoryDefault(options.reset));
    if (!options.reset || options.reset.includes('user')) this.#token = undefined;
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
    this.#token = undefined; // the camera restarts to upgrade
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (Date.now() > deadline) {
        throw new HttpTimeoutError(this.http.origin + requests.upgradeState().path, timeoutMs, true, `firmware upgrade: no result within ${Math.round(timeoutMs / 1000)} s; check the camera's state before powering it off`, { cause: lastError });
      }
      await new Promise((r) => setTimeout(r, this.firmwarePollMs));
      let state: schema.UpgradeState;
      try {
        state = await this.json(requests.upgradeState(), schema.upgradeState);
      } catch (error) {
        // While the camera restarts it does not answer, or its web server answers before the API
        // is up (an error status, a "loading" page): keep polling until the deadline. Giving up
        // here would invite a power cycle in the middle of the upgrade.
        if (error instanceof ZoomsyncError && POLL_TOLERATED.has(error.code)) {
          lastError = error;
          continue;
        }
        throw error;
      }
      if (state.result === UPGRADE_RESULT.none && !confirmed) {
        throw new HttpStatusError(200, 'firmware upgrade: the connection dropped before the camera confirmed the upgrade request, and it reports no upgrade (state "none"); the firmware is unchanged — upload and upgrade again');
      }
      if (state.result === UPGRADE_RESULT.upgrading) progress({ stage: 'upgrade', percent: clampPercent(state.rate ?? 0), detail: state.resultCaption });
      else if (state.result === UPGRADE_RESULT.failed) {
        throw new HttpStatusError(200, `firmware upgrade failed on the camera: ${state.resultCaption}; the previous firmware should still run — check the file and try again`);
      } else if (state.result === UPGRADE_RESULT.succeeded) {
        progress({ stage: 'done', percent: 100, detail: state.resultCaption });
        const version = await this.firmwareVersion().catch(() => undefined);
        return version === undefined ? {} : { version };
      }
    }
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

const POLL_TOLERATED = new Set<ZoomsyncErrorCode>(['ZS_HTTP_CONNECT', 'ZS_HTTP_TIMEOUT', 'ZS_HTTP_STATUS', 'ZS_HTTP_BAD_RESPONSE']);

function clampPercent(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
