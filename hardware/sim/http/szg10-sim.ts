/**
 * A faithful simulator of the SZ-G10 REST API (Appendix A, API 1.0.1) on loopback: every
 * endpoint with its documented status codes, real HS256 JWTs with expiry, the permission
 * levels (noAuth / authentication / setup / reboot; an administrator can do everything),
 * the 5-failure login lockout (403), range validation (400), and the firmware state machine
 * (upload -> upgrade with a progress rate -> result). Its lens is a SimulatedLens, so the
 * PELCO face of the same simulated block sees the same zoom and focus.
 *
 * Choices where the manual is silent (recorded in docs/http.md):
 * - focus position outside manual mode answers 400 (the manual says it "changes when Focus
 *   mode is manual");
 * - the lockout starts after the 5th consecutive failure: the 6th attempt gets 403, even with
 *   the right password, until `lockoutMs` passed;
 * - a missing or insufficient permission answers 401 (the manual's "401: No permission");
 * - a firmware image is valid when it starts with the bytes `SZG10FW ` followed by the
 *   version and a newline (makeFirmwareImage builds one).
 *
 * As strict as the manual (each rule refused with its 400 "Invalid request data", the only
 * refusal the manual's status table has; it lists no 415):
 * - a call whose manual page gives "Request MIME Type application/json" (every PUT/POST but
 *   logout, session/check and the octet-stream upload) needs that content type and a JSON body;
 *   reboot and focus/home, which list no fields, take `{}`;
 * - a key the manual does not list is refused;
 * - the password is compared as the lower-case SHA-256 hex the client must send: an upper-case
 *   hash is a wrong password (401, counted toward the lockout);
 * - each call answers its own documented success code (focus/position: 204; zoom/position,
 *   focus/home and one-push: 200 with positions; the settings: 204).
 */
import type { z } from 'zod';
import { FOCUS_MODES, hashPassword, portProblems, type Szg10Permission } from '../../../protocols/http/szg10/api.js';
import * as schema from '../../../protocols/http/szg10/schemas.js';
import { SimulatedLens } from '../lens-model.js';
import { JwtSigner, type JwtClaims } from './jwt.js';
import { SimServer, type SimRequest, type SimResponse, type SimServerOptions } from './sim-server.js';
import { SimulatedCamera } from './simulated-camera.js';

/** What a user may do (an administrator everything); a route's Szg10Permission says what it needs. */
export type Szg10UserPermission = 'setup' | 'reboot' | 'admin';

export interface Szg10SimUser {
  id: string;
  password: string;
  permissions: Szg10UserPermission[];
}

export interface Szg10SimOptions extends SimServerOptions {
  lens?: SimulatedLens;
  users?: Szg10SimUser[];
  /** JWT lifetime. Default one hour. */
  tokenLifetimeMs?: number;
  /** How long a login stays locked after 5 failures. Default 5 minutes. */
  lockoutMs?: number;
  /** Milliseconds per percent of firmware upgrade. Default 50 (5 s in all). */
  firmwareMsPerPercent?: number;
  /** Largest firmware file the camera saves (beyond it: 500 "Fail"). Default 32 MiB. */
  maxFirmwareBytes?: number;
  /** After a reboot or an upgrade request the camera drops every request for this long. Default 0. */
  restartMs?: number;
  /** Make the next upgrade fail at this percent (result -1). */
  failUpgradeAt?: number;
  firmwareVersion?: string;
  modelName?: string;
  mac?: string;
  /** The camera restarts for an upgrade before its answer leaves: the request's connection just drops. */
  upgradeAnswerLost?: boolean;
}

const FW_MAGIC = 'SZG10FW ';
const UPLOAD_PATH = '/app/v1/upload/firmware';
const CAPTIONS: Record<number, string> = { 0: 'None state.', [-1]: 'Upgrade failed.', 1: 'Upgrade succeeded.', 2: 'Upgrading...' };

/** A firmware file the simulator accepts, padded to `size` bytes. */
export function makeFirmwareImage(version: string, size = 256 * 1024): Uint8Array {
  const head = Buffer.from(`${FW_MAGIC}${version}\n`);
  const image = Buffer.alloc(Math.max(size, head.length), 0x5a);
  head.copy(image);
  return new Uint8Array(image);
}

interface Route {
  permission: Szg10Permission;
  run(req: SimRequest, user: JwtClaims | undefined): SimResponse | Promise<SimResponse>;
}

const json = (status: number, value: unknown): SimResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
const ok = (value: unknown): SimResponse => json(200, value);
const noContent = (): SimResponse => ({ status: 204 });
const bad = (message: string): SimResponse => json(400, { error: message });
const unauthorized = (message: string): SimResponse => json(401, { error: message });

function defaultOsd(): schema.Szg10Osd {
  return { system: { systemTitleShowType: 1, videoResolutionShowType: 1, videoTimeShowType: 1 } };
}

function defaultIpSetup(): schema.Szg10IpSetup {
  return {
    ipv4: { dhcp: false, ipAddr: '192.168.0.100', gateway: '192.168.0.1', subnet: '255.255.255.0', dns: { primary: '192.168.0.1', secondary: '0.0.0.0' }, linklocal: '169.254.10.42' },
    ipv6: { useType: 0, ipAddr: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' }, linklocal: 'fe80::1' },
    port: { http: 80, https: 443, rtsp: 554 },
  };
}

export class Szg10Simulator extends SimulatedCamera {
  readonly lens: SimulatedLens;
  readonly server: SimServer;
  /** Logins answered (any result), for tests. */
  readonly counters = { logins: 0, failedLogins: 0 };
  osd = defaultOsd();
  ipSetup = defaultIpSetup();
  roi = { left: 8, top: 9, right: 8, bottom: 9 }; // the manual's own example values
  afInterval = 5; // the manual's example value
  firmwareVersion: string;
  /** Where factory default was last asked for (categories), for tests. */
  lastFactoryDefault: string[] | undefined;
  rebootCount = 0;
  /** The zoom positions PUT zoom/position applied, in order (for tests). */
  readonly zoomRequests: number[] = [];
  private zoomHold: { arrived: () => void; released: Promise<void> } | undefined;
  private readonly users: Szg10SimUser[];
  private readonly signer = new JwtSigner();
  private readonly revoked = new Set<string>();
  private restartingUntil = 0;
  private generation = 0; // tokens of an older generation are void: a reboot forgets sessions
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private uploaded: Buffer | undefined;
  private upgrade: { startedAt: number; version: string | undefined; failAt: number | undefined; withFactoryReset: boolean } | undefined;
  private lastResult: 0 | 1 | -1 = 0;
  private readonly options: Required<Pick<Szg10SimOptions, 'tokenLifetimeMs' | 'lockoutMs' | 'firmwareMsPerPercent' | 'maxFirmwareBytes'>> & Szg10SimOptions;
  private readonly routes: Record<string, Route>;

  constructor(options: Szg10SimOptions = {}) {
    super();
    // Per field: an explicit `undefined` takes the default too.
    this.options = {
      ...options,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 3_600_000,
      lockoutMs: options.lockoutMs ?? 300_000,
      firmwareMsPerPercent: options.firmwareMsPerPercent ?? 50,
      maxFirmwareBytes: options.maxFirmwareBytes ?? 32 * 1024 * 1024,
    };
    this.lens = options.lens ?? new SimulatedLens();
    this.users = options.users ?? [{ id: 'admin', password: 'admin', permissions: ['admin'] }];
    this.firmwareVersion = options.firmwareVersion ?? '1.0.1';
    this.server = new SimServer((req) => this.handle(req), () => this.uploadFailed(), { ...options, maxBodyBytes: this.options.maxFirmwareBytes });
    this.routes = this.buildRoutes();
  }

  /**
   * A camera slow to process a zoom: the next PUT zoom/position waits, not yet applied and
   * unanswered, until release(). `arrived` resolves once that request is waiting.
   */
  holdNextZoomRequest(): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.zoomHold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: arrival, release };
  }

  /** Voids every session, as a reboot does. */
  forgetSessions(): void {
    this.generation++;
  }

  /** A restart: sessions void, and (with restartMs) no answers for a while. */
  private restart(): void {
    this.forgetSessions();
    const ms = this.options.restartMs ?? 0;
    if (ms > 0) {
      this.restartingUntil = Date.now() + ms;
      setTimeout(() => this.server.dropConnections(), 5).unref(); // after this answer has left
    }
  }

  private async handle(req: SimRequest): Promise<SimResponse> {
    if (Date.now() < this.restartingUntil) return { status: 0 };
    const route = this.routes[`${req.method} ${req.path}`];
    if (!route) {
      const known = Object.keys(this.routes).some((k) => k.endsWith(` ${req.path}`));
      return known ? bad(`method ${req.method} not allowed`) : { status: 404 };
    }
    let claims: JwtClaims | undefined;
    if (route.permission !== 'noAuth') {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/.exec(auth)?.[1];
      claims = token ? this.signer.verify(token) : undefined;
      if (!claims || this.revoked.has(claims.jti) || claims.gen !== this.generation) return unauthorized('authentication required');
      if (route.permission !== 'authentication' && !claims.perm.includes('admin') && !claims.perm.includes(route.permission)) {
        return unauthorized(`no permission: ${route.permission} required`);
      }
    }
    try {
      return await route.run(req, claims);
    } catch (error) {
      if (error instanceof Reject) return error.response;
      throw error;
    }
  }

  /**
   * The JSON request body parsed with its (strict) schema; a 400 answer (thrown as Reject) when
   * the content type is not JSON, the body is missing or not JSON, or it does not fit.
   */
  private body<S extends z.ZodType>(req: SimRequest, s: S): z.infer<S> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new Reject(bad(`content type must be application/json, got ${JSON.stringify(type || '(none)')}`));
    if (req.body.length === 0) throw new Reject(bad('a JSON request body is required'));
    let data: unknown;
    try {
      data = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new Reject(bad('invalid JSON'));
    }
    const parsed = s.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Reject(bad(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`));
    }
    return parsed.data;
  }

  private login(req: SimRequest): SimResponse {
    this.counters.logins++;
    const body = this.body(req, schema.loginRequest);
    const now = Date.now();
    const record = this.failures.get(body.userId) ?? { count: 0, lockedUntil: 0 };
    if (record.lockedUntil > now) return json(403, { error: 'login locked' });
    if (record.lockedUntil && record.lockedUntil <= now) record.count = 0;
    const user = this.users.find((u) => u.id === body.userId);
    if (!user || hashPassword(user.password) !== body.userPassword) {
      this.counters.failedLogins++;
      record.count++;
      record.lockedUntil = record.count >= 5 ? now + this.options.lockoutMs : 0;
      this.failures.set(body.userId, record);
      return unauthorized('invalid user or password');
    }
    this.failures.delete(body.userId);
    return ok({ token: this.signer.sign(user.id, user.permissions, this.options.tokenLifetimeMs, this.generation).token });
  }

  private uploadFailed(): SimResponse {
    return { status: 500, contentType: 'text/plain', body: `Fail to save the file.\nREQUEST_URI:${UPLOAD_PATH}` };
  }

  private upgradeState(): schema.UpgradeState {
    const up = this.upgrade;
    if (!up) return { result: this.lastResult, resultCaption: CAPTIONS[this.lastResult]! };
    const rate = Math.max(0, Math.min(100, Math.floor((Date.now() - up.startedAt) / this.options.firmwareMsPerPercent)));
    if (up.failAt !== undefined && rate >= up.failAt) {
      this.upgrade = undefined;
      this.lastResult = -1;
      return this.upgradeState();
    }
    if (rate >= 100) {
      this.upgrade = undefined;
      this.lastResult = 1;
      if (up.version) this.firmwareVersion = up.version;
      if (up.withFactoryReset) this.factoryReset(undefined);
      return this.upgradeState();
    }
    return { result: 2, resultCaption: CAPTIONS[2]!, rate };
  }

  private factoryReset(categories: string[] | undefined): void {
    const all = categories === undefined;
    this.lastFactoryDefault = categories ?? ['all'];
    if (all || categories.includes('camera')) {
      this.osd = defaultOsd();
      this.lens.setFocusMode('auto');
      this.lens.setZoomAf(true);
    }
    if (all || categories.includes('network')) this.ipSetup = defaultIpSetup();
    if (all || categories.includes('user')) {
      this.failures.clear();
      this.forgetSessions();
    }
  }

  private focusAfterZoom(target: number): number {
    const follows = this.lens.focusMode !== 'manual' || this.lens.zoomAfEnabled;
    return follows ? this.lens.inFocusPosition(target) : this.lens.focus;
  }

  private buildRoutes(): Record<string, Route> {
    const lens = this.lens;
    /** A call with a JSON body that must fit its schema (400 otherwise); 204 unless `apply` answers. */
    const withBody = <S extends z.ZodType>(permission: Szg10Permission, s: S, apply: (body: z.infer<S>) => SimResponse | void): Route => ({
      permission,
      run: (req) => apply(this.body(req, s)) ?? noContent(),
    });
    const setup = <S extends z.ZodType>(s: S, apply: (body: z.infer<S>) => SimResponse | void): Route => withBody('setup', s, apply);
    return {
      'POST /app/v1/login': { permission: 'noAuth', run: (req) => this.login(req) },
      'POST /app/v1/logout': {
        permission: 'authentication',
        run: (_req, claims) => {
          this.revoked.add(claims!.jti);
          return noContent();
        },
      },
      'PUT /app/v1/session/check': { permission: 'authentication', run: () => noContent() },
      'GET /app/v1/stream/sdp': {
        permission: 'noAuth',
        run: () => ({
          status: 200,
          contentType: 'text/plain',
          body: [
            'v=0', 's=STREAMING_SERVER_Q', 'i=Session description protocol', 't=0 0', 'a=type:broadcast', 'o=- 1 1 IN IP4 127.0.0.1', 'c=IN IP4 0.0.0.0',
            'm=video 0 RTP/AVP 98', 'a=rtpmap:98 H265/90000', 'a=control:rtsp://127.0.0.1/stream1',
            'm=application 0 RTP/AVP 100', 'a=rtpmap:100 VND.ONVIF.METADATA/8000', 'a=control:rtsp://127.0.0.1/meta',
          ].join('\r\n') + '\r\n',
        }),
      },
      'GET /app/v1/deviceInformation': { permission: 'authentication', run: () => ok(this.deviceInformation()) },
      'PUT /app/v1/system/reboot': withBody('reboot', schema.emptyRequest, () => {
        this.rebootCount++;
        this.restart();
        return ok({ result: 1 });
      }),
      'POST /app/v1/system/factoryDefault': setup(schema.factoryDefaultRequest, (body) => {
        this.factoryReset(body.dbSelection ? Object.entries(body.dbSelection).filter(([, v]) => v).map(([k]) => k) : undefined);
      }),
      'GET /app/v1/media/video/osd': { permission: 'authentication', run: () => ok(this.osd) },
      'POST /app/v1/media/video/osd': setup(schema.osdRequest, (body) => {
        this.osd = body;
      }),
      'GET /app/v1/network/ipSetup': { permission: 'authentication', run: () => ok(this.ipSetup) },
      'POST /app/v1/network/ipSetup': setup(schema.ipSetupRequest, (body) => {
        const problems = portProblems(body.port);
        if (problems.length) return bad(problems.join('; '));
        this.ipSetup = { ...body, ipv4: { ...body.ipv4, linklocal: this.ipSetup.ipv4.linklocal }, ipv6: { ...body.ipv6, linklocal: this.ipSetup.ipv6.linklocal } };
      }),
      'GET /app/v1/camera/lens': {
        permission: 'authentication',
        run: () =>
          ok({
            focus: { position: lens.focus, roi: this.roi, mode: FOCUS_MODES.indexOf(lens.focusMode), afInterval: this.afInterval, enableManualZoomAF: lens.zoomAfEnabled },
            zoom: { position: lens.zoom },
            iris: { position: 0 },
          }),
      },
      'PUT /app/v1/camera/lens/focus/mode': setup(schema.focusModeRequest, (body) => {
        lens.setFocusMode(FOCUS_MODES[body.mode]!);
      }),
      'PUT /app/v1/camera/lens/focus/enableZoomAf': setup(schema.enableZoomAfRequest, (body) => {
        lens.setZoomAf(body.enable);
      }),
      'PUT /app/v1/camera/lens/zoom/position': {
        permission: 'setup',
        run: async (req) => {
          const body = this.body(req, schema.zoomPositionRequest);
          const hold = this.zoomHold;
          this.zoomHold = undefined;
          if (hold) {
            hold.arrived();
            await hold.released;
          }
          lens.zoomTo(body.position);
          this.zoomRequests.push(body.position);
          return ok({ focus: { position: this.focusAfterZoom(body.position) } });
        },
      },
      'PUT /app/v1/camera/lens/focus/position': setup(schema.focusPositionRequest, (body) => {
        if (lens.focusMode !== 'manual') return bad(`focus position needs manual focus mode (mode is ${lens.focusMode})`);
        lens.focusTo(body.position); // 204: the manual's focus/position answers without a body
      }),
      'PUT /app/v1/camera/lens/focus/home': setup(schema.emptyRequest, () => {
        lens.home();
        return ok({ zoom: { position: 0 }, focus: { position: lens.inFocusPosition(0) } });
      }),
      'PUT /app/v1/camera/lens/focus/onepush': setup(schema.onePushRequest, (body) => {
        if (body.left > body.right || body.top > body.bottom) return bad('roi is not a rectangle');
        this.roi = body;
        // Macro (SZ-G10M): the zoom goes to widest before the one push.
        if (lens.focusMode === 'macro') lens.zoomTo(0);
        return ok({ focus: { position: lens.onePush(body) } });
      }),
      [`POST ${UPLOAD_PATH}`]: {
        permission: 'noAuth',
        run: (req) => {
          if (req.body.length === 0) return this.uploadFailed();
          this.uploaded = req.body;
          return { status: 200, contentType: 'text/plain', body: `Success to save the file.\nREQUEST_URI:${UPLOAD_PATH}` };
        },
      },
      'GET /app/v1/system/firmware': { permission: 'authentication', run: () => ok({ version: this.firmwareVersion }) },
      'POST /app/v1/system/firmware/upgrade': setup(schema.upgradeRequest, (body) => {
        const file = this.uploaded;
        if (!file || file.subarray(0, FW_MAGIC.length).toString('latin1') !== FW_MAGIC) return bad('firmware file is missing or incorrect');
        const version = file.subarray(FW_MAGIC.length, Math.min(file.length, FW_MAGIC.length + 64)).toString('latin1').split('\n')[0];
        this.uploaded = undefined;
        // The device restarts, then upgrades: progress counts from the end of the restart.
        this.upgrade = { startedAt: Date.now() + (this.options.restartMs ?? 0), version, failAt: this.options.failUpgradeAt, withFactoryReset: body.withFactoryReset === true };
        this.restart();
        return this.options.upgradeAnswerLost ? { status: 0 } : ok({});
      }),
      'GET /app/v1/system/firmware/upgradeState': { permission: 'noAuth', run: () => ok(this.upgradeState()) },
    };
  }

  private deviceInformation(): schema.DeviceInformation {
    const now = new Date();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const ip = this.ipSetup;
    return {
      network: {
        httpActivation: true,
        httpPort: ip.port.http,
        httpsActivation: false,
        httpsPort: ip.port.https,
        rtspPort: ip.port.rtsp,
        ipv4: { dhcpActivation: ip.ipv4.dhcp, dnsDhcpActivation: ip.ipv4.dhcp, ip: ip.ipv4.ipAddr, linklocal: ip.ipv4.linklocal ?? '', gateway: ip.ipv4.gateway, subnetmask: ip.ipv4.subnet, dns: ip.ipv4.dns },
        ipv6: { useType: ip.ipv6.useType, dnsDhcpActivation: true, dns: ip.ipv6.dns, gateway: ip.ipv6.gateway, ip: ip.ipv6.ipAddr, linklocal: ip.ipv6.linklocal ?? '', prefixLength: ip.ipv6.prefixLength },
      },
      system: {
        version: { firmware: this.firmwareVersion },
        modelName: this.options.modelName ?? 'SZ-G10',
        mac: this.options.mac ?? '0012FB000001',
        time: {
          year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate(), hour: now.getHours(), min: now.getMinutes(), sec: now.getSeconds(), isDst: false,
          osdString: `${p2(now.getDate())}-${p2(now.getMonth() + 1)}-${now.getFullYear()} ${p2(now.getHours())}:${p2(now.getMinutes())}:${p2(now.getSeconds())}`,
        },
        health: { cpu: { temperatureC: 52, temperatureF: 126 } },
      },
      stream: [
        { activation: true, rtspUrl: 'stream1', resolution: { width: 1920, height: 1080 }, fps: 30 },
        { activation: false, rtspUrl: 'stream2', resolution: { width: 1280, height: 720 }, fps: 30 },
        { activation: false, rtspUrl: 'stream3', resolution: { width: 640, height: 360 }, fps: 30 },
      ],
    };
  }
}

/** A request answered early (a 400 from body validation). */
class Reject extends Error {
  constructor(readonly response: SimResponse) {
    super(`rejected with ${response.status}`);
  }
}
