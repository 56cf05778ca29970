/**
 * The B-View 2 XML REST dialect client (the digest of seeds/001). XML over HTTP at the server
 * root, HTTP Basic on every call (no session). A refused password (401) is latched: zoomsync
 * never sends it again by itself. Answers are told apart by their root element: a
 * ResponseStatus with statusCode 0 is success, any other code becomes a typed error through
 * bview2Error (the dialect's one mapping); a block is parsed with its schema (both spellings of
 * the misspelled tags read).
 *
 * The lens has continuous moves only (zoom tele/wide, focus near/far at speed 1–10, until a
 * stop) and the autofocus (re)initialisation; there is no position to read. Moves are motion:
 * a move is never sent twice, a start that fails after it may have reached the camera is
 * followed by a stop, stops travel on a connection of their own (never queued behind a slow
 * call) and are retried, close() stops what this client started, and any failure while a move
 * may be running says so (Bview2LensError).
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { HttpAuthError, InvalidArgumentError, NotSupportedError, ZoomsyncError } from '../../../protocols/errors.js';
import {
  axisOf,
  checkImageChanges,
  checkMove,
  checkSpeed,
  FORM_CONTENT_TYPE,
  identityFromWire,
  imageFromWire,
  osdFromWire,
  osdToWire,
  requests,
  XML_CONTENT_TYPE,
  type AutofocusInit,
  type Bview2Image,
  type Bview2Request,
  type LensAxis,
  type LensMove,
} from '../../../protocols/http/bview2/api.js';
import { Bview2LensError, Bview2StatusError, bview2Error } from '../../../protocols/http/bview2/errors.js';
import { checkFirmwareFileName } from '../../../protocols/http/bview2/multipart.js';
import { findResource } from '../../../protocols/http/bview2/resources.js';
import * as schema from '../../../protocols/http/bview2/schemas.js';
import { buildXml, readXml, type XmlNode, type XmlValue } from '../../../protocols/http/bview2/xml.js';
import type { Capability, DeviceIdentity, FactoryDefaultOptions, OsdSettings, RawRequest, RawResponse } from '../../../protocols/http/common/capabilities.js';
import { BadResponseError, snippet } from '../../../protocols/http/common/parse.js';
import { CameraClient, type CameraClientOptions, type HttpRequest, type HttpResponse } from './camera-client.js';
import { basicAuthorization } from './credentials.js';
import { DialectClient, type FirmwareOptions } from './dialect.js';
import { integerIn, positiveMs } from './options.js';
import { isRestartError, pollUntil } from './poller.js';
import { LoginLatch } from './session.js';

export interface Bview2ClientOptions extends CameraClientOptions {
  user: string;
  password: string;
  /** Speed of continuous moves, 1–10. Default 5. */
  speed?: number;
  /** Interval between DeviceInfo polls while a firmware upgrade restarts the camera. Default 2000 ms. */
  firmwarePollMs?: number;
}

export interface Bview2FirmwareOptions extends FirmwareOptions {
  /** The file name sent with the upload (the camera expects `*.pkg`). Default "firmware.pkg". */
  fileName?: string;
}

export const BVIEW2_CAPABILITIES: readonly Capability[] = ['identity', 'image', 'osd', 'snapshot', 'reboot', 'factory-default', 'firmware'];
const CAPS: ReadonlySet<Capability> = new Set(BVIEW2_CAPABILITIES);

/** Failures after which a call may have reached the camera and a running lens is not known to have stopped. */
const IN_DOUBT = new Set(['ZS_HTTP_CONNECT', 'ZS_HTTP_TIMEOUT', 'ZS_HTTP_BAD_RESPONSE', 'ZS_CANCELLED']);

interface SendOptions {
  /** The connection to use (the stop lane for stops). */
  lane?: CameraClient;
  /** Send even when the latch holds a refused login (a stop for a move of ours). */
  evenIfLatched?: boolean;
  onUploadProgress?: HttpRequest['onUploadProgress'];
  headersTimeoutMs?: number;
  /** Leave the Authorization header out (raw calls with auth: false). */
  anonymous?: boolean;
}

export class Bview2Client extends DialectClient {
  readonly dialect = 'bview2' as const;
  readonly capabilities = CAPS;
  readonly http: CameraClient;
  /**
   * Connections of their own for stops (opened only when a stop is sent): a PUT is answered only
   * once the camera is ready again (§4.5.4), and a stop must not wait behind one.
   */
  readonly stopLane: CameraClient;
  readonly latch = new LoginLatch();
  private user: string;
  // ES private (#): util.inspect of the client never shows it.
  #password: string;
  private readonly speed: number;
  private readonly firmwarePollMs: number;
  /** The continuous move this client started per axis and has not seen stopped. */
  private readonly moving = new Map<LensAxis, LensMove>();

  constructor(options: Bview2ClientOptions) {
    super();
    const { user, password, speed, firmwarePollMs, secrets, ...transport } = options;
    checkCredentials(user, password);
    this.user = user;
    this.#password = password;
    this.speed = integerIn('speed', speed ?? 5, 1, 10);
    this.firmwarePollMs = positiveMs('firmwarePollMs', firmwarePollMs ?? 2000);
    const masked = () => [...basicAuthorization(this.user, this.#password).secrets, ...(secrets?.() ?? [])];
    this.http = new CameraClient({ ...transport, secrets: masked });
    // Two: a zoom stop and a focus stop never queue behind each other either.
    this.stopLane = new CameraClient({ ...transport, connections: 2, secrets: masked });
  }

  /** New credentials (after a refused login): clears the latch. Nothing else clears it. */
  setCredentials(user: string, password: string): void {
    checkCredentials(user, password);
    this.user = user;
    this.#password = password;
    this.latch.reset();
  }

  /** The axes this client moved and has not seen stopped. */
  get movingAxes(): ReadonlyMap<LensAxis, LensMove> {
    return this.moving;
  }

  // ---- the request path ----

  private secrets(): readonly string[] {
    return basicAuthorization(this.user, this.#password).secrets;
  }

  /** One request with Basic credentials; a 401 is latched. */
  private async send(req: Bview2Request, o: SendOptions = {}): Promise<HttpResponse> {
    if (!o.evenIfLatched) this.latch.check();
    const headers: Record<string, string> = { accept: 'application/xml' };
    if (!o.anonymous) headers.authorization = basicAuthorization(this.user, this.#password).wire;
    if (req.contentType) headers['content-type'] = req.contentType;
    let res: HttpResponse;
    try {
      res = await (o.lane ?? this.http).request({
        method: req.method,
        path: req.path,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        idempotent: req.idempotent,
        ...(req.movesLens ? { movesLens: true } : {}),
        ...(o.onUploadProgress ? { onUploadProgress: o.onUploadProgress } : {}),
        ...(o.headersTimeoutMs !== undefined ? { headersTimeoutMs: o.headersTimeoutMs } : {}),
      });
    } catch (error) {
      throw this.whileMoving(error, req);
    }
    if (res.status === 401 && !o.anonymous) throw this.latch.latch(bview2Error({ call: `${req.method} ${req.path}`, status: 401, user: this.user }) as HttpAuthError);
    return res;
  }

  /** The answer: a ResponseStatus (statusCode 0 and a 2xx, else the typed error) or a block. */
  private answer(req: Bview2Request, res: HttpResponse): { root: 'ResponseStatus'; status: schema.ResponseStatus } | { root: string; body: XmlNode } {
    const call = `${req.method} ${req.path}`;
    const ok = res.status >= 200 && res.status < 300;
    const xml = readXml(res.text);
    if (!xml.ok) {
      if (!ok) throw bview2Error({ call, status: res.status, user: this.user, snippet: res.text ? snippet(res.text, this.secrets()) : '' });
      throw new BadResponseError(`bview2 ${call}`, xml.problem, res.text, { secrets: this.secrets() });
    }
    if (xml.root === 'ResponseStatus') {
      const parsed = schema.responseStatus.safeParse(xml.body);
      if (!parsed.success) throw new BadResponseError(`bview2 ${call}`, `ResponseStatus: ${parsed.error.issues[0]?.message}`, res.text, { secrets: this.secrets() });
      if (parsed.data.statusCode !== 0 || !ok) throw bview2Error({ call, status: res.status, statusCode: parsed.data.statusCode, user: this.user, ...(req.firmware ? { firmware: true } : {}) });
      return { root: 'ResponseStatus', status: parsed.data };
    }
    if (!ok) throw bview2Error({ call, status: res.status, user: this.user, snippet: snippet(res.text, this.secrets()) });
    return xml;
  }

  /** A PUT (or any call answered by a ResponseStatus): done only on statusCode 0. */
  private async command(req: Bview2Request, o: SendOptions = {}): Promise<void> {
    const res = await this.send(req, o);
    const a = this.answer(req, res);
    if (a.root !== 'ResponseStatus') throw new BadResponseError(`bview2 ${req.method} ${req.path}`, `a ${a.root} block where a ResponseStatus belongs`, res.text, { secrets: this.secrets() });
  }

  /** A GET of a block, parsed with its schema. */
  private async block<S extends z.ZodType>(req: Bview2Request, s: S): Promise<z.infer<S>> {
    const res = await this.send(req);
    const a = this.answer(req, res);
    const what = `bview2 ${req.method} ${req.path}`;
    if (a.root !== req.answer) throw new BadResponseError(what, `a ${a.root} where a ${req.answer} block belongs`, res.text, { secrets: this.secrets() });
    const parsed = s.safeParse((a as { body: XmlNode }).body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadResponseError(what, issue ? `${issue.path.join('.') || req.answer}: ${issue.message}` : 'schema mismatch', res.text, { cause: parsed.error, secrets: this.secrets() });
    }
    return parsed.data;
  }

  /** A transport failure while a move of ours may be running: the lens may still be moving, and the error says so. */
  private whileMoving(error: unknown, req: Bview2Request): unknown {
    if (!(error instanceof ZoomsyncError) || !IN_DOUBT.has(error.code) || this.moving.size === 0 || error instanceof Bview2LensError) return error;
    if (req.movesLens || /^\/PTZ\//i.test(req.path)) return error; // moves and stops explain themselves
    const [axis, move] = [...this.moving][0]!;
    return new Bview2LensError(axis, true, error, `${error.message}; a ${axis} move (${move}) this client started is still running as far as zoomsync knows — send a stop (it travels on its own connection)`);
  }

  // ---- the lens ----

  /**
   * Starts a continuous move (tele, wide, near, far) at `speed` 1–10 until stop() or the end
   * stop. A start that fails after it may have reached the camera is followed by a stop; the
   * error (a Bview2LensError) says whether that stop was confirmed.
   */
  async move(direction: LensMove, speed = this.speed): Promise<void> {
    const req = requests.startMove(checkMove(direction), checkSpeed(speed));
    this.latch.check();
    const axis = axisOf(direction);
    const before = this.moving.get(axis);
    this.moving.set(axis, direction);
    try {
      await this.command(req);
    } catch (error) {
      throw await this.afterFailedStart(axis, direction, error, before);
    }
  }

  private async afterFailedStart(axis: LensAxis, direction: LensMove, error: unknown, before: LensMove | undefined): Promise<unknown> {
    // The camera answered and refused (a statusCode, a 401): nothing new started; a move already running on the axis still runs.
    if (!(error instanceof ZoomsyncError) || !IN_DOUBT.has(error.code)) {
      if (before === undefined) this.moving.delete(axis);
      else this.moving.set(axis, before);
      return error;
    }
    try {
      await this.sendStop(axis, direction);
      return new Bview2LensError(axis, false, error, `moving ${direction}: ${error.message} — zoomsync then sent a stop and the camera confirmed it: the lens is stopped`);
    } catch (stopError) {
      const stop = stopError instanceof ZoomsyncError ? stopError : undefined;
      return new Bview2LensError(axis, true, error, `moving ${direction}: ${error.message}; the stop sent after it failed too (${(stopError as Error).message}): the lens may still be moving toward its end stop — stop it as soon as the camera answers`, stop);
    }
  }

  /**
   * Stops the zoom, the focus, or both (default). A stop is sent even with no move known (another
   * client may have started one), on its own connection, and retried; one that does not get
   * through is a Bview2LensError saying the lens may still be moving.
   */
  async stop(axis?: LensAxis): Promise<void> {
    if (axis !== undefined && axis !== 'zoom' && axis !== 'focus') throw new InvalidArgumentError('stop axis', axis, "'zoom' | 'focus' (or nothing for both)");
    const axes: LensAxis[] = axis ? [axis] : ['zoom', 'focus'];
    const failures: [LensAxis, unknown][] = [];
    await Promise.all(
      axes.map(async (a) => {
        try {
          await this.sendStop(a, this.moving.get(a) ?? (a === 'zoom' ? 'tele' : 'far'));
        } catch (error) {
          failures.push([a, error]);
        }
      }),
    );
    if (failures.length > 0) {
      const [a, error] = failures[0]!;
      if (!(error instanceof ZoomsyncError)) throw error;
      throw new Bview2LensError(a, true, error, `stopping the ${failures.map(([x]) => x).join(' and ')}: ${error.message}; the lens may still be moving — try the stop again`);
    }
  }

  /** Param1=2 on the axis's resource: on the stop lane, past the latch while a move of ours may run. */
  private async sendStop(axis: LensAxis, direction: LensMove): Promise<void> {
    await this.command(requests.stopMove(direction), { lane: this.stopLane, evenIfLatched: this.moving.has(axis) });
    this.moving.delete(axis);
  }

  /**
   * The autofocus (re)initialisation: 'full' (Param1=103) or 'override-manual' (Param1=85).
   * The camera then calibrates for 3 to 5 minutes and refuses image and lens commands (-14).
   */
  async reinitialiseAutofocus(kind: AutofocusInit): Promise<void> {
    const req = requests.autofocusInit(kind);
    await this.command(req);
    this.moving.clear(); // the calibration takes the lens over
  }

  // ---- the common surface ----

  override async identity(): Promise<DeviceIdentity> {
    return identityFromWire(await this.block(requests.deviceInfo(), schema.deviceInfo));
  }

  /** DeviceName, the one writable field of DeviceInfo. */
  async setDeviceName(name: string): Promise<void> {
    await this.command(requests.setDeviceName(name));
  }

  /** Day/night (IR-cut filter), exposure and white balance, from one GET of /Images/1. */
  override async image(): Promise<Bview2Image> {
    return imageFromWire(await this.block(requests.image(), schema.image));
  }

  /** Any part of image(): each changed block is PUT on its own resource (partial update); everything is checked first. */
  override async setImage(changes: Record<string, unknown>): Promise<void> {
    const c = checkImageChanges(changes);
    if (c.exposure) await this.command(requests.setExposure(c.exposure));
    if (c.whiteBalance) await this.command(requests.setWhiteBalance(c.whiteBalance));
    if (c.dayNight) await this.command(requests.setIrCutFilter(c.dayNight));
  }

  /** time and name: a corner, hidden, or custom (coordinates zoomsync did not set). */
  override async osd(): Promise<OsdSettings> {
    return osdFromWire(await this.block(requests.osd(), schema.osd));
  }

  override async setOsd(changes: OsdSettings): Promise<OsdSettings> {
    const current = await this.block(requests.osd(), schema.osd);
    const { wire, next } = osdToWire(current, changes);
    await this.command(requests.setOsd(wire));
    return next;
  }

  /** A JPEG, or the camera's ResponseStatus error. */
  override async snapshot(): Promise<Uint8Array> {
    const req = requests.snapshot();
    const res = await this.http.request({ method: req.method, path: req.path, headers: { authorization: basicAuthorization(this.user, this.#password).wire, accept: 'image/jpeg, application/xml' }, idempotent: true, maxResponseBytes: 32 * 1024 * 1024 }).catch((error: unknown) => {
      throw this.whileMoving(error, req);
    });
    if (res.status === 401) throw this.latch.latch(bview2Error({ call: `GET ${req.path}`, status: 401, user: this.user }) as HttpAuthError);
    if (res.status === 200 && res.bytes[0] === 0xff && res.bytes[1] === 0xd8) return res.bytes;
    const a = this.answer(req, res); // a ResponseStatus error throws here
    throw new BadResponseError(`bview2 GET ${req.path}`, `a ${a.root} where a JPEG belongs`, res.text, { secrets: this.secrets() });
  }

  /** Everything back to the factory settings (the API has no categories to keep); the camera then restarts. */
  override async factoryDefault(options: FactoryDefaultOptions = {}): Promise<void> {
    if (options.reset !== undefined) throw new InvalidArgumentError('factory-default categories', options.reset, 'none (B-View 2 resets everything)', 'leave the selection out');
    await this.command(requests.factoryDefault());
    this.moving.clear();
  }

  /** The camera answers, then restarts; a move of ours ends with it. */
  override async reboot(): Promise<void> {
    await this.command(requests.reboot());
    this.moving.clear();
  }

  /**
   * Uploads the firmware (multipart, field setting_file, a .pkg name), then polls DeviceInfo
   * through the restart until the camera answers again after going away, or reports another
   * version. Progress: upload percent, then the restart.
   */
  override async upgradeFirmware(image: Uint8Array, options: Bview2FirmwareOptions = {}): Promise<{ version?: string }> {
    if (!(image instanceof Uint8Array) || image.length === 0) throw new InvalidArgumentError('firmware image', image instanceof Uint8Array ? '0 bytes' : typeof image, 'the bytes of a firmware package (.pkg)');
    if (options.withFactoryReset) throw new NotSupportedError('a factory reset with the firmware upgrade', 'the bview2 dialect', 'B-View 2 upgrades without resetting; reset afterwards from the camera (PUT /System/FactoryDefault through raw) if needed');
    const fileName = checkFirmwareFileName(options.fileName ?? 'firmware.pkg');
    const timeoutMs = positiveMs('timeoutMs', options.timeoutMs ?? 10 * 60_000);
    const progress = options.onProgress ?? (() => {});
    const before = (await this.identity()).firmware;
    const req = requests.firmwareUpload(image, fileName, `----zoomsync${randomBytes(12).toString('hex')}`);
    progress({ stage: 'upload', percent: 0 });
    // The camera answers once it is ready again (§4.5.4): the answer may take as long as the upgrade.
    await this.command(req, {
      onUploadProgress: (sent, total) => progress({ stage: 'upload', percent: total === 0 ? 100 : Math.round((sent * 100) / total) }),
      headersTimeoutMs: timeoutMs,
    });
    this.moving.clear();
    progress({ stage: 'upgrade', percent: 0, detail: 'the camera restarts with the new firmware' });
    let wentAway = false;
    const identity = await pollUntil<DeviceIdentity, DeviceIdentity>({
      read: async () => {
        try {
          return await this.identity();
        } catch (error) {
          if (isRestartError(error) && !wentAway) {
            wentAway = true;
            progress({ stage: 'upgrade', percent: 50, detail: 'the camera is restarting' });
          }
          throw error;
        }
      },
      judge: (id) => (wentAway || id.firmware !== before ? { done: true, value: id } : { done: false }),
      intervalMs: this.firmwarePollMs,
      timeoutMs,
      onTimeout: (last) =>
        new Bview2StatusError(0, 'PUT /System/FirmwareUpgrade', 0, `firmware upgrade: the camera accepted the file but did not restart with it within ${Math.round(timeoutMs / 1000)} s${last ? ` (last: ${(last as Error).message})` : ''}; check the camera's state before powering it off`),
    });
    progress({ stage: 'done', percent: 100, detail: identity.firmware });
    return { version: identity.firmware };
  }

  /**
   * A documented resource outside the common surface. `body`: an object with one key (the
   * root element) is sent as XML; a string as is (XML when it starts with '<', else key=value);
   * bytes as octet-stream. The lens is moved only through move(), stop() and
   * reinitialiseAutofocus() (so every move is tracked and stopped). A GET may be resent, nothing
   * else. The answer: the XML as { root, body } (a non-zero statusCode thrown), or the bytes.
   */
  override async raw(request: RawRequest): Promise<RawResponse> {
    const method = request.method;
    if (!['GET', 'PUT', 'POST', 'DELETE'].includes(method)) throw new InvalidArgumentError('raw method', method, 'GET | PUT | POST | DELETE');
    if (typeof request.path !== 'string' || !request.path.startsWith('/')) throw new InvalidArgumentError('raw path', request.path, 'a resource path at the root, e.g. /System/DeviceStatus/1');
    const bare = request.path.split('?')[0]!;
    if (/^\/PTZ\//i.test(bare)) throw new NotSupportedError('raw /PTZ calls', 'the bview2 client', 'move the lens with move() / stop() and reinitialiseAutofocus(), which track and stop every move');
    const resource = findResource(bare);
    if (!resource) throw new InvalidArgumentError('raw path', bare, 'a resource the B-View 2 manual documents (see RESOURCES)');
    if (!(resource.methods as readonly string[]).includes(method)) throw new InvalidArgumentError(`raw method for ${resource.pattern}`, method, resource.methods.join(' | '));
    const req: Bview2Request = { method, path: request.path, idempotent: method === 'GET', ...rawBody(request.body) };
    const res = await this.send(req, { anonymous: request.auth === false });
    const looksXml = /xml/i.test(res.contentType ?? '') || res.text.trimStart().startsWith('<');
    if (!looksXml) {
      if (res.status < 200 || res.status >= 300) throw bview2Error({ call: `${method} ${bare}`, status: res.status, user: this.user, snippet: snippet(res.text, this.secrets()) });
      return { status: res.status, contentType: res.contentType, body: res.bytes };
    }
    const a = this.answer(req, res);
    return { status: res.status, contentType: res.contentType, body: 'status' in a ? { root: a.root, ...a.status } : { root: a.root, body: a.body } };
  }

  /** Stops a move this client started, then closes both connections; a stop that fails is thrown (the lens may still move). */
  override async close(): Promise<void> {
    let failure: unknown;
    for (const axis of [...this.moving.keys()]) {
      await this.stop(axis).catch((error: unknown) => {
        failure ??= error;
      });
    }
    await Promise.all([this.http.close(), this.stopLane.close()]);
    if (failure) throw failure;
  }
}

function checkCredentials(user: unknown, password: unknown): void {
  // RFC 7617: the user-id of Basic cannot contain a colon.
  if (typeof user !== 'string' || user.length < 1 || user.includes(':')) throw new InvalidArgumentError('option user', typeof user === 'string' ? user : typeof user, 'a user name without ":" (HTTP Basic)');
  if (typeof password !== 'string') throw new InvalidArgumentError('option password', typeof password, 'a password (string)');
}

function rawBody(body: unknown): Pick<Bview2Request, 'body' | 'contentType'> {
  if (body === undefined) return {};
  if (body instanceof Uint8Array) return { body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { body, contentType: body.trimStart().startsWith('<') ? XML_CONTENT_TYPE : FORM_CONTENT_TYPE };
  if (body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 1) {
    const [root, children] = Object.entries(body as Record<string, unknown>)[0]!;
    if (children && typeof children === 'object' && !Array.isArray(children)) return { body: buildXml(root, children as Record<string, XmlValue>), contentType: XML_CONTENT_TYPE };
  }
  throw new InvalidArgumentError('raw body', body, 'an object { Root: { ...elements } }, an XML or key=value string, or bytes');
}
