/**
 * The SZ-G10 REST dialect client. Login with the SHA-256 of the password; the JWT is kept and
 * reused; `session/check` when the token has been idle; exactly one re-login on a 401, then a
 * clear error. A refused login (401) or a locked account (403) is latched: zoomsync never
 * tries the same credentials again by itself, so it can never be what locks the account.
 */
import type { z } from 'zod';
import { ZoomsyncError, type ZoomsyncErrorCode } from '../../../protocols/errors.js';
import type {
  Capability,
  DeviceIdentity,
  FactoryDefaultOptions,
  FocusMode,
  FocusRoi,
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

export interface Szg10ClientOptions extends CameraClientOptions {
  user: string;
  password: string;
  /** Check the session with the camera before using a token idle this long. Default 60 s. */
  sessionCheckAfterMs?: number;
  /** Interval between firmware upgrade-state polls. Default 1000 ms. */
  firmwarePollMs?: number;
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
  #passwordHash: string;
  private readonly sessionCheckAfterMs: number;
  private readonly firmwarePollMs: number;
  #token: string | undefined;
  private tokenUsedAt = 0;
  private loggingIn: Promise<string> | undefined;
  /** A refused or locked login: thrown again instead of asking the camera again. */
  private loginFailure: ZoomsyncError | undefined;

  constructor(options: Szg10ClientOptions) {
    super();
    const { user, password, sessionCheckAfterMs, firmwarePollMs, ...transport } = options;
    this.http = new CameraClient(transport);
    this.user = user;
    this.#passwordHash = hashPassword(password);
    this.sessionCheckAfterMs = sessionCheckAfterMs ?? 60_000;
    this.firmwarePollMs = firmwarePollMs ?? 1000;
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
    if (res.status === 204 || res.status === 200) {
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
    if (res.status !== 204 && res.status !== 200 && res.status !== 401) throw this.statusError(req, res);
  }

  private async sendLogin(): Promise<string> {
    const req = requests.login(this.user, this.#passwordHash);
    this.authStats.logins++;
    const res = await this.send(req, undefined);
    if (res.status === 200) {
      this.#token = parseJson(schema.loginResponse, res.text, 'szg10 login').token;
      this.tokenUsedAt = Date.now();
      return this.#token;
    }
    if (res.status === 401 || res.status === 400) {
      this.loginFailure = new ZoomsyncError(
        'ZS_HTTP_AUTH',
        `the camera refused the login of user "${this.user}" (HTTP ${res.status}): wrong user or password. zoomsync does not retry a failed login by itself (5 failures lock the account); fix the password and run again`,
      );
    } else if (res.status === 403) {
      this.loginFailure = new ZoomsyncError(
        'ZS_HTTP_LOCKED',
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
        throw new ZoomsyncError(
          'ZS_HTTP_AUTH',
          `${req.method} ${req.path}: refused (HTTP 401) even right after a fresh login; user "${this.user}" probably lacks the "${req.permission}" permission — use an account that has it (an administrator can do everything)`,
        );
      }
    }
    this.tokenUsedAt = Date.now();
    return this.checked(req, res);
  }

  private checked(req: Szg10Request, res: HttpResponse): HttpResponse {
    if (res.status === 200 || res.status === 204) return res;
    throw this.statusError(req, res);
  }

  private statusError(req: Szg10Request, res: HttpResponse): StatusError {
    const where = `${req.method} ${req.path}`;
    const body = res.text ? `: ${snippet(res.text)}` : '';
    const { status } = res;
    if (status === 403) return new StatusError('ZS_HTTP_LOCKED', status, `${where}: the account is locked (HTTP 403); wait several minutes before trying again`);
    if (status === 400) return new StatusError('ZS_HTTP_STATUS', status, `${where}: the camera rejected the request as invalid (HTTP 400)${body}; check the values against the camera's ranges`);
    if (status >= 500) return new StatusError('ZS_HTTP_STATUS', status, `${where}: the camera failed to process the request (HTTP ${status})${body}; try again, and reboot the camera if it persists`);
    return new StatusError('ZS_HTTP_STATUS', status, `${where}: unexpected HTTP ${status}${body}`);
  }

  private async json<S extends z.ZodType>(req: Szg10Request, s: S): Promise<z.infer<S>> {
    const res = await this.call(req);
    return parseJson(s, res.text, what(req));
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
   * A lens move answers 200 with the positions; the manual also lists "204 OK" for these calls,
   * so a 204 (no body) is tolerated and the positions are read back with GET lens.
   */
  private async lensMove<S extends z.ZodType>(req: Szg10Request, s: S, readBack: (now: LensState) => z.infer<S>): Promise<z.infer<S>> {
    const res = await this.call(req);
    if (res.status === 204) return readBack(await this.lens());
    return parseJson(s, res.text, what(req));
  }

  private async focusAfter(req: Szg10Request): Promise<{ focus: number }> {
    const answer = await this.lensMove(req, schema.focusPositionResponse, (now) => ({ focus: { position: now.focus } }));
    return { focus: answer.focus.position };
  }

  override async zoomTo(position: number): Promise<{ focus: number }> {
    return this.focusAfter(requests.zoomPosition(position));
  }

  override async focusTo(position: number): Promise<{ focus: number }> {
    const req = requests.focusPosition(position);
    try {
      return await this.focusAfter(req);
    } catch (error) {
      // The API moves focus only in manual mode; say so rather than a bare 400.
      if (error instanceof StatusError && error.status === 400) {
        const mode = (await this.lens().catch(() => undefined))?.focusMode;
        if (mode && mode !== 'manual') {
          throw new ZoomsyncError('ZS_HTTP_STATUS', `focus position works only in manual focus mode and the camera is in ${mode} mode; set the focus mode to manual first (zoomsync camera ... focus-mode manual)`, { cause: error });
        }
      }
      throw error;
    }
  }

  override async lensHome(): Promise<{ zoom: number; focus: number }> {
    const home = await this.lensMove(requests.focusHome(), schema.homeResponse, (now) => ({ zoom: { position: now.zoom }, focus: { position: now.focus } }));
    return { zoom: home.zoom.position, focus: home.focus.position };
  }

  override async setFocusMode(mode: FocusMode): Promise<void> {
    await this.call(requests.setFocusMode(mode));
  }

  override async setZoomAf(enabled: boolean): Promise<void> {
    await this.call(requests.enableZoomAf(enabled));
  }

  override async onePush(roi?: FocusRoi): Promise<{ focus: number }> {
    return this.focusAfter(requests.onePush(roi));
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
      if (error instanceof ZoomsyncError && (error.code === 'ZS_HTTP_CONNECT' || error.code === 'ZS_HTTP_TIMEOUT' || error.code === 'ZS_HTTP_BAD_RESPONSE')) {
        const where = settings.ipv4.dhcp ? 'its DHCP address' : settings.ipv4.address;
        throw new ZoomsyncError(
          error.code,
          `network settings: the connection dropped before the camera answered (${error.message}); it has probably applied them — look for it at ${where}, HTTP port ${settings.ports.http}, before trying again`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  override async reboot(): Promise<void> {
    const result = await this.json(requests.reboot(), schema.rebootResponse);
    if (result.result !== 1) throw new ZoomsyncError('ZS_HTTP_STATUS', `reboot: the camera answered result ${result.result} instead of 1 (success); try again`);
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
    if (!/^v=0/m.test(res.text)) throw new BadResponseError(what(req), 'not an SDP (no v=0 line)', res.text);
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
      throw new ZoomsyncError('ZS_HTTP_STATUS', `firmware upload: the camera did not confirm saving the file: ${snippet(res.text)}; check the file and try again`);
    }
    progress({ stage: 'upload', percent: 100 });
    // A camera that restarts before its answer is out drops the connection: that is not a
    // failure yet (saying "try again" would invite a second upload mid-upgrade); the state decides.
    let confirmed = true;
    await this.call(requests.upgrade(options.withFactoryReset)).catch((error: unknown) => {
      if (error instanceof StatusError && error.status === 400) {
        throw new ZoomsyncError('ZS_HTTP_STATUS', 'firmware upgrade: the camera says the uploaded file is missing or not a valid firmware (HTTP 400); check that the file is an SZ-G10 firmware image', { cause: error });
      }
      if (error instanceof ZoomsyncError && (error.code === 'ZS_HTTP_CONNECT' || error.code === 'ZS_HTTP_TIMEOUT')) {
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
        throw new ZoomsyncError('ZS_HTTP_TIMEOUT', `firmware upgrade: no result within ${Math.round(timeoutMs / 1000)} s; check the camera's state before powering it off`, { cause: lastError });
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
        throw new ZoomsyncError('ZS_HTTP_STATUS', 'firmware upgrade: the connection dropped before the camera confirmed the upgrade request, and it reports no upgrade (state "none"); the firmware is unchanged — upload and upgrade again');
      }
      if (state.result === UPGRADE_RESULT.upgrading) progress({ stage: 'upgrade', percent: clampPercent(state.rate ?? 0), detail: state.resultCaption });
      else if (state.result === UPGRADE_RESULT.failed) {
        throw new ZoomsyncError('ZS_HTTP_STATUS', `firmware upgrade failed on the camera: ${state.resultCaption}; the previous firmware should still run — check the file and try again`);
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

/** An error status from the camera: `status` tells a 400 from a 500 without reading the message. */
class StatusError extends ZoomsyncError {
  constructor(
    code: ZoomsyncErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(code, message);
  }
}

/** Names a call in a bad-answer error, e.g. "szg10 GET /app/v1/camera/lens". */
const what = (req: Szg10Request): string => `szg10 ${req.method} ${req.path}`;

const POLL_TOLERATED = new Set<ZoomsyncErrorCode>(['ZS_HTTP_CONNECT', 'ZS_HTTP_TIMEOUT', 'ZS_HTTP_STATUS', 'ZS_HTTP_BAD_RESPONSE']);

function clampPercent(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
