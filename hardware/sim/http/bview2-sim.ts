/**
 * A simulator of the B-View 2 XML REST API (the digest of seeds/001) on loopback, as strict as
 * the manual: resources at the server root, HTTP Basic on every call (401 with
 * WWW-Authenticate when missing or wrong; the manual has no lockout), XML bodies checked for
 * content type (application/xml), well-formedness, the root element of the resource and the
 * schema of each block (an unknown element or a value out of range is -5); every PUT answered
 * with a ResponseStatus. Misspellings the manual prints are read under both spellings; the
 * Image block is written as the manual prints it (WhiteBlance, IrCutFillter) unless told
 * otherwise.
 *
 * Modelled: device info (DeviceName writable), image (exposure, white balance, IR-cut filter),
 * OSD, the snapshot (a tiny JPEG), factory default, the lens (continuous zoom/focus at speed 1–10 on a shared SimulatedLens, stopped by
 * Param1=2), the autofocus initialisation (a calibration during which image and PTZ PUTs are
 * -14), reboot and firmware upload (the camera restarts: connections are closed until it is
 * back). Every other documented resource answers -3 (unsupported here), an unknown URL -10,
 * a method the resource lacks -3, a channel other than 1 -4. Choices: docs/http.md.
 */
import type { z } from 'zod';
import { readFirmwareBody } from '../../../protocols/http/bview2/multipart.js';
import { findResource } from '../../../protocols/http/bview2/resources.js';
import * as schema from '../../../protocols/http/bview2/schemas.js';
import { buildXml, readXml, ROOT_ATTRIBUTES, type XmlValue } from '../../../protocols/http/bview2/xml.js';
import { FOCUS_MAX, SimulatedLens, ZOOM_MAX } from '../lens-model.js';
import { SimServer, type SimRequest, type SimResponse, type SimServerOptions } from './sim-server.js';
import { SimulatedCamera } from './simulated-camera.js';

export interface Bview2SimUser {
  userName: string;
  password: string;
}

export interface Bview2SimOptions extends SimServerOptions {
  lens?: SimulatedLens;
  users?: Bview2SimUser[];
  /** The Basic realm (the manual names none). Default "B-View 2". */
  realm?: string;
  /** HTTP status of an answer carrying a non-zero statusCode (the manual does not say). Default 200. */
  errorStatus?: number;
  /** How the Image block spells two children: 'manual' (WhiteBlance, IrCutFillter, as printed; default) or 'correct'. */
  imageSpelling?: 'manual' | 'correct';
  /** Root attributes of answers: the §7 example's (default), the §4.5.3 example's, or none. */
  rootAttributes?: 'zwcloud' | 'hikvision' | 'none';
  /** How long the autofocus initialisation keeps the camera busy. Default 3000 ms (the camera: 3–5 minutes). */
  calibrationMs?: number;
  /** How long a reboot or a firmware upgrade keeps the camera away. Default 500 ms. */
  restartMs?: number;
  model?: string;
  firmware?: string;
  /** Judges an uploaded firmware: 0 accepted, a positive code refused. Default: an empty file is refused with 1. */
  firmwareVerdict?: (bytes: Buffer, fileName: string) => number;
  /** The version after an accepted upgrade. Default: the file name without ".pkg". */
  upgradeTo?: string;
  /** Milliseconds, for the calibration and restart windows. Default Date.now. */
  clock?: () => number;
}

type Move = 'tele' | 'wide' | 'near' | 'far';
const MOVES: Readonly<Record<string, Move>> = { zoomin: 'tele', zoomout: 'wide', focusnear: 'near', focusfar: 'far' };
const XML_TYPE = 'application/xml; charset=UTF-8';
/** The smallest JPEG frame: SOI, an APP0 marker, EOI. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
/** A /PTZ body is key=value: the manual's examples send no type; a form type is accepted too. */
const FORM_TYPES = new Set(['', 'application/x-www-form-urlencoded', 'text/plain']);

/** A refusal inside a handler: the statusCode of the ResponseStatus, and why (for tests). */
class Refuse extends Error {
  constructor(
    readonly statusCode: number,
    reason: string,
  ) {
    super(reason);
  }
}

export class Bview2Simulator extends SimulatedCamera {
  readonly lens: SimulatedLens;
  readonly server: SimServer;
  /** authChecks: requests whose Authorization was checked (right or wrong); ptz: /PTZ PUTs by resource. */
  readonly counters = { authChecks: 0, failedAuth: 0, ptz: new Map<string, number>(), firmwareUploads: 0 };
  /** The continuous move running per axis (undefined once stopped). */
  readonly motion: { zoom: Move | undefined; focus: Move | undefined } = { zoom: undefined, focus: undefined };
  /** The Param2 of the last start (1 when it was left out). */
  lastMoveSpeed: number | undefined;
  /** Why the last refused request was refused (statusCode and reason), for tests. */
  lastRefusal: { statusCode: number; reason: string } | undefined;
  rebootCount = 0;
  factoryDefaultCount = 0;
  autofocusInits: number[] = [];
  deviceName = 'B-View 2 camera';
  firmware: string;
  exposure!: { IrisType: string; shutter: string; Gain: string };
  whiteBalance!: { Mode: string; GainRed: number; GainBlue: number };
  irCut!: { Mode: string; DayStartTime: string; DayEndTime: string; Sensitivity: number; SwitchTime: number };
  osd!: { time: { Enable: boolean; PosX: number; PosY: number }; name: { Enable: boolean; PosX: number; PosY: number; Name: string } };
  private calibratingUntil = 0;
  private restartingUntil = 0;
  private readonly users: Bview2SimUser[];
  private readonly now: () => number;
  private readonly o: Bview2SimOptions;

  constructor(options: Bview2SimOptions = {}) {
    super();
    this.o = options;
    this.now = options.clock ?? Date.now;
    this.lens = options.lens ?? new SimulatedLens();
    this.users = options.users ?? [{ userName: 'admin', password: 'admin' }];
    this.firmware = options.firmware ?? 'V2.1.8.20210901';
    this.resetSettings();
    this.server = new SimServer((req) => this.handle(req), (req) => this.status(req.path, -9, 'the body is too large'), options);
  }

  /** The autofocus calibration is running. */
  get calibrating(): boolean {
    return this.now() < this.calibratingUntil;
  }

  /** The camera is restarting (connections are closed unanswered). */
  get restarting(): boolean {
    return this.now() < this.restartingUntil;
  }

  /** Times a /PTZ resource (ZoomIn, FocusFar, Presets/Goto ...) was answered. */
  ptzCount(resource: string): number {
    return this.counters.ptz.get(resource.toLowerCase()) ?? 0;
  }

  private resetSettings(): void {
    this.exposure = { IrisType: 'DC-Iris', shutter: 'auto', Gain: 'auto' };
    this.whiteBalance = { Mode: 'auto', GainRed: 50, GainBlue: 50 };
    this.irCut = { Mode: 'initiative', DayStartTime: '07:00:00', DayEndTime: '19:00:00', Sensitivity: 50, SwitchTime: 5 };
    this.osd = { time: { Enable: true, PosX: 16, PosY: 16 }, name: { Enable: true, PosX: 16, PosY: 528, Name: 'B-View 2' } };
  }

  // ---- transport ----

  private async handle(req: SimRequest): Promise<SimResponse> {
    if (this.restarting) return { status: 0 };
    const denied = this.authenticate(req);
    if (denied) return denied;
    const resource = findResource(req.path);
    if (!resource) return this.status(req.path, -10, `no resource ${req.path}`);
    const method = req.method.toUpperCase();
    if (!(resource.methods as readonly string[]).includes(method)) return this.status(req.path, -3, `${resource.pattern} has no ${method}`);
    const channel = this.channelOf(resource.pattern, req.path);
    if (channel !== undefined && channel !== 1) return this.status(req.path, -4, `channel ${channel}: the camera has channel 1 only`);
    try {
      return this.route(method, resource.pattern, req);
    } catch (error) {
      if (!(error instanceof Refuse)) throw error;
      return this.status(req.path, error.statusCode, error.message);
    }
  }

  /** Basic on every call: 401 with a WWW-Authenticate challenge when missing or wrong. */
  private authenticate(req: SimRequest): SimResponse | undefined {
    const header = req.headers.authorization;
    const challenge = (): SimResponse => ({ status: 401, contentType: 'text/html', body: '<html><body>401 Unauthorized</body></html>', headers: { 'www-authenticate': `Basic realm="${this.o.realm ?? 'B-View 2'}"` } });
    if (header === undefined) return challenge();
    this.counters.authChecks++;
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header.trim());
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const cut = decoded.indexOf(':');
    const user = cut < 0 ? undefined : this.users.find((u) => u.userName === decoded.slice(0, cut) && u.password === decoded.slice(cut + 1));
    if (!user) {
      this.counters.failedAuth++;
      return challenge();
    }
    return undefined;
  }

  /** The {Ch} of a path (undefined for a resource without one). */
  private channelOf(pattern: string, path: string): number | undefined {
    const at = pattern.split('/').indexOf('{Ch}');
    return at < 0 ? undefined : Number(path.split('/')[at]);
  }

  private route(method: string, pattern: string, req: SimRequest): SimResponse {
    const resource = pattern.replace('{Ch}', '1');
    const busy = () => {
      if (this.calibrating) throw new Refuse(-14, 'the autofocus calibration is running');
    };
    switch (`${method} ${resource}`) {
      case 'GET /System/DeviceInfo':
        return this.block('DeviceInfo', this.deviceInfo());
      case 'PUT /System/DeviceInfo': {
        const body = this.xmlBody(req, 'DeviceInfo', schema.deviceInfoRequest);
        if (body.DeviceName !== undefined) this.deviceName = body.DeviceName;
        return this.ok(req.path);
      }
      case 'GET /Images/1':
        return this.block('Image', this.imageBlock());
      case 'GET /Images/1/Exposure':
        return this.block('Exposure', { ...this.exposure });
      case 'PUT /Images/1/Exposure': {
        busy();
        const body = this.xmlBody(req, 'Exposure', schema.exposureRequest);
        this.exposure = { ...this.exposure, ...defined(body) };
        return this.ok(req.path);
      }
      case 'GET /Images/1/WhiteBalance':
        return this.block('WhiteBalance', { ...this.whiteBalance });
      case 'PUT /Images/1/WhiteBalance': {
        busy();
        const body = this.xmlBody(req, 'WhiteBalance', schema.whiteBalanceRequest);
        this.whiteBalance = { ...this.whiteBalance, ...defined(body) };
        return this.ok(req.path);
      }
      case 'GET /Images/1/IrCutFilter':
        return this.block('IrCutFilter', { ...this.irCut });
      case 'PUT /Images/1/IrCutFilter': {
        busy();
        const body = this.xmlBody(req, 'IrCutFilter', schema.irCutFilterRequest);
        this.irCut = { ...this.irCut, ...defined(body) };
        return this.ok(req.path);
      }
      case 'GET /Pictures/1/OSD':
        return this.block('OSD', { DisplayTime: { ...this.osd.time }, DisplayName: { ...this.osd.name } });
      case 'PUT /Pictures/1/OSD': {
        const body = this.xmlBody(req, 'OSD', schema.osdRequest);
        this.osd = { time: { ...this.osd.time, ...defined(body.DisplayTime ?? {}) }, name: { ...this.osd.name, ...defined(body.DisplayName ?? {}) } };
        return this.ok(req.path);
      }
      case 'PUT /PTZ/1/ZoomIn':
      case 'PUT /PTZ/1/ZoomOut':
      case 'PUT /PTZ/1/FocusNear':
      case 'PUT /PTZ/1/FocusFar':
        this.count(resource);
        busy();
        this.move(MOVES[resource.split('/').pop()!.toLowerCase()]!, this.formBody(req, 'move'));
        return this.ok(req.path);
      case 'PUT /PTZ/1/Presets/Goto': {
        this.count(resource);
        busy();
        const { Param1 } = this.formBody(req, 'goto');
        this.autofocusInits.push(Param1);
        this.lens.stop();
        this.motion.zoom = this.motion.focus = undefined;
        this.lens.onePush();
        this.calibratingUntil = this.now() + (this.o.calibrationMs ?? 3000);
        return this.ok(req.path);
      }
      case 'GET /Snapshot/1/RemoteImageCapture':
        return { status: 200, contentType: 'image/jpeg', body: JPEG };
      case 'PUT /System/FactoryDefault':
        this.factoryDefaultCount++;
        this.deviceName = 'B-View 2 camera';
        this.resetSettings();
        this.restart();
        return this.ok(req.path);
      case 'PUT /System/Reboot':
        this.rebootCount++;
        this.restart();
        return this.ok(req.path);
      case 'PUT /System/FirmwareUpgrade':
        return this.firmwareUpgrade(req);
      default:
        throw new Refuse(-3, `${method} ${pattern} is documented but not simulated`);
    }
  }

  // ---- bodies ----

  /** An XML body: the content type, well-formed, the resource's root (either spelling), then the strict schema. */
  private xmlBody<S extends z.ZodType>(req: SimRequest, root: string, s: S): z.infer<S> {
    const type = req.headers['content-type'] ?? '';
    const [media, ...params] = type.split(';').map((p) => p.trim());
    if (media!.toLowerCase() !== 'application/xml') throw new Refuse(-1, `content type ${JSON.stringify(type || '(none)')} instead of application/xml`);
    const charset = params.find((p) => /^charset=/i.test(p));
    if (charset && charset.replace(/^charset=/i, '').replace(/["']/g, '').toLowerCase() !== 'utf-8') throw new Refuse(-1, `charset ${charset}: the API is UTF-8`);
    const xml = readXml(req.body.toString('utf8'));
    if (!xml.ok) throw new Refuse(-1, xml.problem);
    if (xml.root !== root) throw new Refuse(-1, `root element ${xml.root} where ${req.path} takes ${root}`);
    const parsed = s.safeParse(xml.body === '' ? {} : xml.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Refuse(-5, `${issue.path.join('.') || root}: ${issue.message}`);
    }
    return parsed.data;
  }

  /** A /PTZ key=value body (also from the query): Param1 required; Param2 the speed 1–10. */
  private formBody(req: SimRequest, kind: 'move' | 'goto'): { Param1: number; Param2: number } {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!FORM_TYPES.has(type)) throw new Refuse(-1, `content type ${type}: a /PTZ body is key=value`);
    const params = new URLSearchParams(req.query);
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v); // the body wins (§4.4)
    const unknown = [...params.keys()].find((k) => k !== 'Param1' && k !== 'Param2');
    if (unknown !== undefined) throw new Refuse(-5, `unknown parameter ${unknown}`);
    const p1 = params.get('Param1');
    if (p1 === null) throw new Refuse(-2, 'Param1 is missing');
    const allowed = kind === 'move' ? ['1', '2'] : ['85', '103'];
    if (!allowed.includes(p1)) throw new Refuse(-5, `Param1=${p1}: expected ${allowed.join(' or ')}`);
    const p2 = params.get('Param2');
    if (kind === 'goto' && p2 !== null) throw new Refuse(-5, 'Presets/Goto takes Param1 only');
    if (p2 !== null && !/^(10|[1-9])$/.test(p2)) throw new Refuse(-5, `Param2=${p2}: the speed is 1–10`);
    return { Param1: Number(p1), Param2: p2 === null ? 1 : Number(p2) };
  }

  // ---- the lens ----

  private move(move: Move, { Param1, Param2 }: { Param1: number; Param2: number }): void {
    const zoom = move === 'tele' || move === 'wide';
    if (Param1 === 2) {
      // "Param1=2 stops the zoom (focus) operation": whichever direction it runs.
      if (zoom) this.lens.stopZoom();
      else this.lens.stopFocus();
      this.motion[zoom ? 'zoom' : 'focus'] = undefined;
      return;
    }
    this.lastMoveSpeed = Param2;
    const speed = Math.min(3, Math.floor((Param2 - 1) / 2.5)); // 1–10 onto the lens model's 0–3
    if (zoom) this.lens.zoomTo(move === 'tele' ? ZOOM_MAX : 0, speed);
    else {
      this.lens.setFocusMode('manual'); // a manual focus move overrides the autofocus (Param1=85 gives it back)
      this.lens.focusTo(move === 'far' ? FOCUS_MAX : 0, speed);
    }
    this.motion[zoom ? 'zoom' : 'focus'] = move;
  }

  private count(resource: string): void {
    const key = resource.replace(/^\/PTZ\/1\//i, '').toLowerCase();
    this.counters.ptz.set(key, (this.counters.ptz.get(key) ?? 0) + 1);
  }

  // ---- system ----

  private firmwareUpgrade(req: SimRequest): SimResponse {
    this.counters.firmwareUploads++;
    const part = readFirmwareBody(req.headers['content-type'], req.body);
    if (!part.ok) throw new Refuse(-5, part.problem);
    const verdict = this.o.firmwareVerdict?.(part.bytes, part.fileName) ?? (part.bytes.length === 0 ? 1 : 0);
    if (verdict !== 0) return this.status(req.path, verdict, 'the firmware was refused');
    this.firmware = this.o.upgradeTo ?? part.fileName.replace(/\.pkg$/i, '');
    this.restart();
    return this.ok(req.path);
  }

  /** Restarts after this answer has left: until restartMs passed, connections close unanswered. */
  private restart(): void {
    this.lens.stop();
    this.motion.zoom = this.motion.focus = undefined;
    this.calibratingUntil = 0;
    setImmediate(() => {
      this.restartingUntil = this.now() + (this.o.restartMs ?? 500);
    });
  }

  // ---- answers ----

  private deviceInfo(): Record<string, XmlValue> {
    return {
      DeviceName: this.deviceName,
      BoardType: 1,
      DeviceTypeName: this.o.model ?? 'BV-ZB30',
      SerialNum: 'BV2000000001',
      HardWareVersion: 'H1.0',
      SoftWareVersion: this.firmware,
      VideoInputChannels: 1,
      AudioChannels: 1,
      AlarmInputChannels: 1,
      AlarmOutputChannels: 1,
      MonitorCount: 0,
      SpotOutChannels: 0,
      TwoWayAudio: true,
    };
  }

  private imageBlock(): Record<string, XmlValue> {
    const manual = (this.o.imageSpelling ?? 'manual') === 'manual';
    return {
      ID: 1,
      Scene: { Support: true, Mode: 'standard' },
      Color: { Mode: 'auto', Brightness: 50, Contrast: 50, Saturation: 50, Hue: 50, Sharpness: 50 },
      Exposure: { ...this.exposure },
      [manual ? 'WhiteBlance' : 'WhiteBalance']: { ...this.whiteBalance },
      [manual ? 'IrCutFillter' : 'IrCutFilter']: { ...this.irCut },
    };
  }

  private attributes(): Record<string, string> {
    const kind = this.o.rootAttributes ?? 'zwcloud';
    if (kind === 'none') return {};
    if (kind === 'hikvision') return { version: '1.0', xmlns: 'http://www.hikvision.com/ver10/XMLSchema' };
    return { ...ROOT_ATTRIBUTES };
  }

  private block(root: string, children: Record<string, XmlValue>): SimResponse {
    return { status: 200, contentType: XML_TYPE, body: buildXml(root, children, this.attributes()) };
  }

  private ok(path: string): SimResponse {
    return this.status(path, 0, '');
  }

  private status(path: string, statusCode: number, reason: string): SimResponse {
    if (statusCode !== 0) this.lastRefusal = { statusCode, reason };
    const body = buildXml('ResponseStatus', { requestURL: path, statusCode }, this.attributes());
    return { status: statusCode === 0 ? 200 : (this.o.errorStatus ?? 200), contentType: XML_TYPE, body };
  }
}

/** The fields a partial update carries (undefined ones left as they were). */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

